local cli = require "support.cli"
local cjson = require "cjson"

local F = "spec/fixtures/analysis/"

describe("leastpriv diff", function()
  it("exits 1 and lists the new access", function()
    local code, out = cli.run { "diff", F .. "old.json", F .. "new.json" }
    assert.equal(1, code)
    assert.matches("+ on arn:aws:s3:::data/out/*: s3:PutObject", out, 1, true)
  end)

  it("exits 0 when access only shrinks", function()
    local code, out = cli.run { "diff", F .. "new.json", F .. "old.json" }
    assert.equal(0, code)
    assert.matches("- on arn:aws:s3:::data/out/*: s3:PutObject", out, 1, true)
  end)

  it("says so when nothing changes", function()
    local code, out = cli.run { "diff", F .. "old.json", F .. "old.json" }
    assert.equal(0, code)
    assert.equal("no change in what is allowed\n", out)
  end)

  it("compares role scripts and writes JSON", function()
    local code, out = cli.run { "diff", "examples/sagemaker/execution_role.lua",
                                "examples/sagemaker/execution_role.lua", "--json" }
    assert.equal(0, code)
    local r = cjson.decode(out)
    assert.is_false(r.new_access)
    assert.equal("role sagemaker-training-execution", r.entries[1].name)
    assert.truthy(r.entries[1].unchanged > 5)
  end)

  it("rejects usage and input errors", function()
    assert.equal(2, (cli.run { "diff", F .. "old.json" }))
    local code, _, err = cli.run { "diff", F .. "old.json", F .. "nope.json" }
    assert.equal(2, code)
    assert.matches("nope.json: cannot read the file", err, 1, true)
    code, _, err = cli.run { "diff", F .. "old.json", F .. "needs.json" }
    assert.equal(2, code)
    assert.matches("not an IAM policy document, Terraform plan or account dump", err, 1, true)
  end)

  it("reads Terraform plans and names their resources by address", function()
    local code, out = cli.run { "diff", F .. "old.json", "spec/fixtures/check/plan.json" }
    assert.equal(1, code)
    assert.matches("module.deploy.aws_iam_policy.deployer (new):\n  + on *: iam:PassRole", out, 1, true)
    assert.matches("aws_iam_group_policy.ops (new):\n  + on *: ", out, 1, true)
    assert.matches("%(%d+ actions%)", out)
  end)

  it("reads account dumps", function()
    local code, out = cli.run { "diff", "spec/fixtures/check/account.json", "spec/fixtures/check/account.json" }
    assert.equal(0, code)
    assert.equal("no change in what is allowed\n", out)
  end)
end)

describe("leastpriv minimize", function()
  it("prints the smaller policy and reports the sizes", function()
    local code, out, err = cli.run { "minimize", F .. "split.json", "--compact" }
    assert.equal(0, code, err)
    local doc = cjson.decode(out)
    assert.equal(1, #doc.Statement)
    assert.matches("policy: %d+ %-> %d+ characters %(3 statements %-> 1; quota 6144%)", err)
  end)

  it("minimizes every inline policy of a role script", function()
    local code, out, err = cli.run { "minimize", "examples/sagemaker/execution_role.lua" }
    assert.equal(0, code, err)
    assert.matches("sagemaker-training-execution/training-job:", err, 1, true)
    assert.truthy(cjson.decode(out).Statement)
  end)
end)

describe("leastpriv minimize --format", function()
  it("lua: a role script that loads back to the same access", function()
    local code, out = cli.run { "minimize", "examples/sagemaker/execution_role.lua", "--format", "lua" }
    assert.equal(0, code)
    assert.matches('^%-%- minimized by leastpriv minimize from', out)
    assert.matches('return lp.role {', out, 1, true)
    local path = os.tmpname() .. ".lua"
    local f = assert(io.open(path, "w"))
    f:write(out)
    f:close()
    local dcode, dout = cli.run { "diff", "examples/sagemaker/execution_role.lua", path }
    os.remove(path)
    assert.equal(0, dcode)
    assert.equal("no change in what is allowed\n", dout)
  end)

  it("lua for a document, hcl for a role", function()
    local code, out = cli.run { "minimize", F .. "old.json", "--format", "lua" }
    assert.equal(0, code)
    assert.matches("return {\n  Statement = {", out, 1, true)
    code, out = cli.run { "minimize", "examples/sagemaker/execution_role.lua", "--format", "hcl" }
    assert.equal(0, code)
    assert.matches('resource "aws_iam_role" "sagemaker_training_execution"', out, 1, true)
    code = cli.run { "minimize", F .. "old.json", "--format", "yaml" }
    assert.equal(2, code)
  end)

  it("writes every string escaped", function()
    local luawrite = require "leastpriv.luawrite"
    local text = luawrite.script({ Version = "2012-10-17", Statement = { { Effect = "Allow",
      Action = { "s3:GetObject" }, Resource = { 'arn:aws:s3:::b/"]] ..os.exit()\n\0' } } } })
    -- data only: it runs with no globals at all
    local chunk = assert((rawget(_G, "loadstring") or load)(text, "=min"))
    local setfenv = rawget(_G, "setfenv")
    if setfenv then setfenv(chunk, {}) end
    assert.equal('arn:aws:s3:::b/"]] ..os.exit()\n\0', chunk().Statement[1].Resource[1])
  end)
end)

describe("leastpriv overgrant", function()
  it("lists what goes beyond the needs and exits 1", function()
    local code, out = cli.run { "overgrant", F .. "new.json", "--needs", F .. "needs.json" }
    assert.equal(1, code)
    assert.matches("document:\n Write:\n    s3:PutObject on arn:aws:s3:::data/out/*", out, 1, true)
  end)

  it("names the role of each excess grant, and its --help every input", function()
    local code, out = cli.run { "overgrant", "examples/sagemaker/execution_role.lua", "--needs", F .. "needs.json" }
    assert.equal(1, code)
    assert.matches("^role sagemaker%-training%-execution:\n", out)
    local _, help = cli.run { "overgrant", "--help" }
    for _, input in ipairs { "role script", "IAM JSON policy", "Terraform plan", "account dump", "--needs", "--set" } do
      assert.matches(input, help, 1, true)
    end
  end)

  it("exits 0 when the role is exactly its needs (needs in Lua)", function()
    local code, out = cli.run { "overgrant", F .. "new.json", "--needs", F .. "needs.lua" }
    assert.equal(0, code)
    assert.equal("nothing beyond the declared needs\n", out)
  end)

  it("needs --needs and well-formed needs", function()
    local code, _, err = cli.run { "overgrant", F .. "new.json" }
    assert.equal(2, code)
    assert.matches("--needs", err, 1, true)
    code, _, err = cli.run { "overgrant", F .. "new.json", "--needs", F .. "old.json" }
    assert.equal(2, code)
    assert.matches("list of { action, resource } pairs", err, 1, true)
  end)
end)
