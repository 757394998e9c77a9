-- Every example renders in every format; the SageMaker examples' JSON is
-- equal, as JSON, to the expected documents in spec/fixtures/examples/,
-- and the seed example's to the seed article's own policies.
local cli = require "support.cli"
local cjson = require "cjson"

local function decode_file(path)
  local text = assert(cli.read(path), path)
  return cjson.decode(text)
end

-- Render FILE as JSON into a fresh folder; returns the folder.
local function render_json(file, ...)
  local dir = cli.tmpdir()
  local code, _, err = cli.run { "render", file, "--out", dir, ... }
  assert.equal(0, code, err)
  return dir
end

local terraform = os.execute("command -v terraform >/dev/null 2>&1")

describe("the seed example", function()
  it("renders the seed's trust policy and inline policy, equal as JSON", function()
    local dir = render_json("examples/sagemaker/seed_module.lua", "--set", "bucket_name=your-ml-bucket")
    assert.same(decode_file("spec/fixtures/seed/trust.json"),
      decode_file(dir .. "/sagemaker-execution-role/trust.json"))
    assert.same(decode_file("spec/fixtures/seed/policy.json"),
      decode_file(dir .. "/sagemaker-execution-role/sagemaker-least-privilege.json"))
    cli.rm(dir)
  end)

  it("keeps bucket_name and role_name as Terraform variables in the module", function()
    local dir = cli.tmpdir()
    local code, _, err = cli.run { "render", "examples/sagemaker/seed_module.lua", "--format", "terraform",
                                   "--out", dir }
    assert.equal(0, code, err)
    local vars, main, outputs = cli.read(dir .. "/variables.tf"), cli.read(dir .. "/main.tf"),
                                cli.read(dir .. "/outputs.tf")
    assert.matches('variable "bucket_name"', vars, 1, true)
    assert.matches('variable "role_name"', vars, 1, true)
    assert.matches('"sagemaker-execution-role"', vars, 1, true)
    assert.matches('resource "aws_iam_role" "sagemaker_execution"', main, 1, true)
    assert.matches("var.role_name", main, 1, true)
    assert.matches('"arn:aws:s3:::${var.bucket_name}/*"', main, 1, true)
    assert.matches('output "role_arn"', outputs, 1, true)
    cli.rm(dir)
  end)
end)

for _, name in ipairs { "execution_role", "caller_role" } do
  describe("examples/sagemaker/" .. name .. ".lua", function()
    it("renders the expected documents, equal as JSON", function()
      local dir = render_json("examples/sagemaker/" .. name .. ".lua")
      local expected_dir = "spec/fixtures/examples/" .. name
      local p = io.popen("cd " .. expected_dir .. " && find . -name '*.json' | sort")
      local count = 0
      for rel in p:lines() do
        count = count + 1
        assert.same(decode_file(expected_dir .. "/" .. rel), decode_file(dir .. "/" .. rel), rel)
      end
      p:close()
      assert.equal(2, count)
      cli.rm(dir)
    end)
  end)
end

describe("every example", function()
  for _, file in ipairs(cli.examples()) do
    for _, format in ipairs { "json", "hcl", "hcl-doc", "terraform" } do
      it(("renders %s as %s, deterministically"):format(file, format), function()
        -- the same folder name twice: a module is named after its folder
        local ta, tb = cli.tmpdir(), cli.tmpdir()
        local a, b = ta .. "/module", tb .. "/module"
        local extra = file:find("seed_module") and { "--set", "bucket_name=your-ml-bucket" } or {}
        local argv = { "render", file, "--format", format, "--out", a, (table.unpack or unpack)(extra) }
        local code, _, err = cli.run(argv)
        assert.equal(0, code, err)
        argv[6] = b
        assert.equal(0, (cli.run(argv)))
        local p = io.popen(("diff -r %q %q && echo same"):format(a, b))
        assert.equal("same\n", p:read("*a"))
        p:close()
        if format ~= "json" then
          if not terraform then
            pending("terraform not found: terraform fmt check skipped")
          else
            local fmt = io.popen(("terraform fmt -check -diff -recursive %q 2>&1; echo exit:$?"):format(a))
            local out = fmt:read("*a")
            fmt:close()
            assert.matches("exit:0\n$", out, out)
          end
        end
        cli.rm(ta)
        cli.rm(tb)
      end)
    end
  end
end)
