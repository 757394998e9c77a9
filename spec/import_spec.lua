-- leastpriv import: every input kind becomes role scripts that mean the
-- same, as IAM documents, when they are run (a round trip); the seed's
-- module imports as what examples/sagemaker/seed_module.lua says.
local cli = require "support.cli"
local import = require "leastpriv.import"
local inputs = require "leastpriv.inputs"
local script = require "leastpriv.script"

-- Import path into a fresh folder; returns the folder and the file names.
local function import_to(path)
  local dir = cli.tmpdir() .. "/roles"
  local code, out, err = cli.run({ "import", path, "--out", dir })
  assert.equal(0, code, out .. err)
  local names = {}
  local p = io.popen(("ls %q"):format(dir))
  for line in p:lines() do names[#names + 1] = line end
  p:close()
  return dir, names
end

-- Does every script of dir mean the same as the matching input item?
local function round_trips(path)
  local dir, names = import_to(path)
  local originals = {}
  for i, item in ipairs(inputs.load(path)) do
    if item.iam_kind ~= "user" and item.iam_kind ~= "group" then
      if item.kind == "role" and not item.trust then     -- imported as its policies
        for _, p in ipairs(item.policies) do
          originals[#originals + 1] = { kind = "policy", document = p.document }
        end
      else
        originals[import.iam_name(item) or item.name or ("document " .. i)] = item
      end
    end
  end
  local n = 0
  for _, name in ipairs(names) do
    local items = script.load(dir .. "/" .. name)
    assert.equal(1, #items, name)
    local back = items[1]
    local orig = originals[back.name] or originals[(back.name or ""):gsub("\248.-\249", "")]
    if back.kind == "policy" or not back.kind then
      -- a policy document: find its original by the document
      for _, o in pairs(originals) do
        if o.kind ~= "role" and import.same(o, back.kind and back or { kind = "policy", document = back }) then
          orig = o
        end
      end
      assert.truthy(orig, name .. " matches no input policy")
    else
      assert.truthy(orig, name .. " matches no input role")
      assert.is_true(import.same(orig, back), name .. " does not mean what its input means")
    end
    n = n + 1
  end
  cli.rm(dir:gsub("/roles$", ""))
  return n
end

describe("leastpriv import", function()
  it("round-trips an account dump (roles and managed policies; users and groups left out)", function()
    assert.equal(5, round_trips("spec/fixtures/check/account.json"))
  end)

  it("round-trips a plan", function()
    assert.truthy(round_trips("spec/fixtures/check/plan.json") > 0)
  end)

  it("round-trips a policy document", function()
    assert.equal(1, round_trips("spec/fixtures/seed/policy.json"))
  end)

  it("round-trips a .tf module", function()
    assert.equal(1, round_trips("spec/fixtures/tf/seed"))
  end)

  it("imports the seed's module as what seed_module.lua says", function()
    local dir = import_to("spec/fixtures/tf/seed")
    local code, out, err = cli.run({ "diff", "examples/sagemaker/seed_module.lua",
      dir .. "/sagemaker-execution-role.lua", "--set", "bucket_name=my-ml-training-data" })
    cli.rm(dir:gsub("/roles$", ""))
    assert.equal(0, code, out .. err)
  end)

  it("writes as a person would: idioms, one lp.allow per statement, lp.var for Terraform variables", function()
    local code, out = cli.run({ "import", "spec/fixtures/tf/seed" })
    assert.equal(0, code)
    assert.matches('local bucket_name = lp.var%("bucket_name"%)', out)
    assert.matches('trust = lp.trust.service%("sagemaker.amazonaws.com"%)', out)
    local _, allows = out:gsub("lp.allow {", "")
    assert.equal(3, allows)
    assert.matches('"arn:aws:s3:::" %.%. bucket_name %.%. "/%*"', out)
    local _, dump = cli.run({ "import", "spec/fixtures/check/account.json" })
    assert.matches('lp.trust.service%("sagemaker.amazonaws.com", { source_account = "111122223333" }%)', dump)
    assert.matches('lp.trust.aws%("arn:aws:iam::444455556666:root"%)', dump)
    -- a statement the DSL refuses is kept as written, with the reason
    assert.matches('%-%- kept as written: unknown action "s3:GetObjekt"', dump)
  end)

  it("is deterministic", function()
    local _, a = cli.run({ "import", "spec/fixtures/check/account.json" })
    local _, b = cli.run({ "import", "spec/fixtures/check/account.json" })
    assert.equal(a, b)
  end)

  it("summarises what the imported roles need to pass check (--check)", function()
    local code, out = cli.run({ "import", "spec/fixtures/tf/seed", "--check" })
    assert.equal(1, code)
    assert.matches("leastpriv check on what was imported: 2 findings; 1 of 1 roles and policies need changes", out)
    assert.matches("RESOURCE_STAR  %(sagemaker%-execution%-role%)", out)
  end)

  it("never overwrites a file, and refuses bad input with exit 2", function()
    local dir = import_to("spec/fixtures/tf/seed")
    local code, _, err = cli.run({ "import", "spec/fixtures/tf/seed", "--out", dir })
    assert.equal(2, code)
    assert.matches("already exists", err)
    cli.rm(dir:gsub("/roles$", ""))
    code, _, err = cli.run({ "import", "examples/sagemaker/caller_role.lua" })
    assert.equal(2, code)
    assert.matches("already a role script", err)
    code, _, err = cli.run({ "import" })
    assert.equal(2, code)
    assert.matches("name at least one file", err)
  end)
end)
