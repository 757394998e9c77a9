-- Plans read whole (check/plan_refs.lua, check/terraform.lua): values
-- Terraform knows only after apply.  The fixtures in spec/fixtures/plans/
-- are real `terraform show -json` output (terraform 1.11, aws provider
-- 5.100, offline; spec/fixtures/plans/make.sh makes them).
--
-- Terraform's JSON output format: "after_unknown: An object value with
-- similar structure to after, but with all unknown leaf values replaced
-- with true, and all known leaf values omitted"; "references: a list of
-- references ... to other objects", in the configuration representation.
local cli = require "support.cli"
local cjson = require "cjson"
local core = require "leastpriv.core"
local inputs = require "leastpriv.inputs"
local plan_refs = require "leastpriv.check.plan_refs"

local P = "spec/fixtures/plans/"

local function findings(argv)
  local code, out, err = cli.run(argv)
  assert.is_true(code == 0 or code == 1, err)
  return cjson.decode(out).findings, code
end

local function by_code(list, code)
  local out = {}
  for _, f in ipairs(list) do if f.code == code then out[#out + 1] = f end end
  return out
end

describe("a plan whose role policy names its role by reference (the seed's module)", function()
  it("links the inline policy to its role: seed-review sees one role with one inline policy", function()
    local list = findings { "check", "--profile", "seed-review", "--format", "json", P .. "seed.json" }
    assert.same({}, by_code(list, "SEED_REVIEW_ROLE_COUNT"))
    assert.same({}, by_code(list, "SEED_REVIEW_INLINE_POLICY_COUNT"))
    assert.same({}, by_code(list, "POLICY_UNKNOWN_UNTIL_APPLY"))
    local items = inputs.load(P .. "seed.json")
    assert.equal(1, #items)
    assert.equal("sagemaker-execution-role", items[1].name)
    assert.equal("module.seed.aws_iam_role.sagemaker_execution", items[1].terraform_address)
    assert.equal(1, #items[1].policies)
    assert.equal("sagemaker-least-privilege", items[1].policies[1].name)
  end)

  it("diffs the script against its plan as unchanged", function()
    local code, out, err = cli.run { "diff", "examples/sagemaker/seed_module.lua", P .. "seed.json",
                                     "--set", "bucket_name=your-ml-bucket" }
    assert.equal(0, code, err)
    assert.equal("no change in what is allowed\n", out)
    -- and a real change still shows, paired by the role's name
    code, out = cli.run { "diff", "examples/sagemaker/seed_module.lua", P .. "seed.json",
                          "--set", "bucket_name=other-bucket" }
    assert.equal(1, code)
    assert.matches("^role sagemaker%-execution%-role:\n", out)
    assert.matches("+ on arn:aws:s3:::your-ml-bucket/*: s3:GetObject, s3:PutObject", out, 1, true)
  end)
end)

describe("a plan with policies known only after apply", function()
  it("reports each such policy as not checked, at its after_unknown mark, failing the gate", function()
    local list, code = findings { "check", "--format", "json", "--fail-on", "error", P .. "unknown.json" }
    assert.equal(1, code)
    local unknown = by_code(list, "POLICY_UNKNOWN_UNTIL_APPLY")
    assert.equal(2, #unknown)
    local text = cli.read(P .. "unknown.json")
    local lines = {}
    for l in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
    for _, f in ipairs(unknown) do
      assert.equal("error", f.severity)
      assert.matches('^%s*"policy": true,?$', lines[f.line])
    end
    assert.matches("aws_iam_role_policy.data: the policy is known only after apply (it refers to "
      .. "aws_s3_bucket.new.arn), so it is not checked", unknown[1].message, 1, true)
    assert.matches("aws_s3_bucket_policy.new: the resource policy (policy) is known only after apply",
      unknown[2].message, 1, true)
    -- computed attributes nobody set are not policies: aws_s3_bucket's
    -- policy, aws_iam_role's inline_policy and managed_policy_arns
    for _, f in ipairs(unknown) do
      assert.is_nil(f.message:find("aws_s3_bucket.new:", 1, true))
      assert.is_nil(f.message:find("aws_iam_role.app:", 1, true))
    end
    -- accepted explicitly, it passes at --fail-on error
    local _, code2 = findings { "check", "--format", "json", "--fail-on", "error",
                                "--disable", "POLICY_UNKNOWN_UNTIL_APPLY", P .. "unknown.json" }
    assert.equal(0, code2)
  end)

  it("links role policies and attachments whose role and policy ARN are unknown", function()
    local items = inputs.load(P .. "unknown.json")
    local role
    for _, it in ipairs(items) do if it.kind == "role" then role = it end end
    assert.equal("aws_iam_role.app", role.name)     -- name_prefix: no name before apply
    assert.equal(1, #role.policies)
    assert.equal("logs", role.policies[1].name)
    local list = findings { "check", "--profile", "seed-review", "--format", "json", P .. "unknown.json" }
    local managed
    for _, f in ipairs(by_code(list, "SEED_REVIEW_MANAGED_POLICIES")) do
      if f.message:find("aws_iam_role.app has", 1, true) then managed = f.message end
    end
    assert.matches("(arn:aws:iam::aws:policy/ReadOnlyAccess, aws_iam_policy.shared.arn (known after apply))",
      managed, 1, true)
    assert.equal(2, #items.unknown)
  end)

  it("makes diff count them as possibly new access", function()
    local code, out = cli.run { "diff", P .. "unknown.json", P .. "unknown.json" }
    assert.equal(1, code)
    assert.equal("aws_iam_role_policy.data:\n  unknown: the policy is known only after apply: not compared "
      .. "(it refers to aws_s3_bucket.new.arn, aws_s3_bucket.new) (possibly new access)\n"
      .. "aws_s3_bucket_policy.new:\n  unknown: the resource policy (policy) is known only after apply: "
      .. "not compared (it refers to aws_iam_role.app.arn, aws_iam_role.app, aws_s3_bucket.new.arn, "
      .. "aws_s3_bucket.new) (possibly new access)\n", out)
    local _, json = cli.run { "diff", P .. "seed.json", P .. "unknown.json", "--json" }
    local report = cjson.decode(json)
    local entry
    for _, e in ipairs(report.entries) do if e.name == "aws_iam_role_policy.data" then entry = e end end
    assert.truthy(entry and entry.unknown)
    assert.matches("aws_s3_bucket.new.arn", entry.unknown[1], 1, true)
    -- unknown only in OLD: nothing possibly new from it
    code = cli.run { "diff", P .. "unknown.json", P .. "seed.json" }
    assert.equal(1, code)   -- the seed's role is new access
    local _, json2 = cli.run { "diff", P .. "unknown.json", P .. "seed.json", "--json" }
    for _, e in ipairs(cjson.decode(json2).entries) do assert.is_nil(e.unknown) end
  end)
end)

describe("plan_refs", function()
  it("parses addresses with module instances, keys and data sources", function()
    assert.same({ modules = "", prefix = "", resource = "aws_iam_role.x", key = "" },
      plan_refs.parse("aws_iam_role.x"))
    assert.same({ modules = "a.b", prefix = 'module.a["k.1]"].module.b[0].', resource = "aws_iam_role.x",
                  key = '["n\\"x"]' }, plan_refs.parse('module.a["k.1]"].module.b[0].aws_iam_role.x["n\\"x"]'))
    assert.same({ modules = "m", prefix = "module.m.", resource = "data.aws_iam_policy_document.d", key = "" },
      plan_refs.parse("module.m.data.aws_iam_policy_document.d"))
    for _, bad in ipairs { "", "module.", "module.a", "aws_iam_role", "aws_iam_role.x[", "aws_iam_role.x[0]y",
                           'module.a["x].b.c', 42 } do
      assert.is_nil(plan_refs.parse(bad), tostring(bad))
    end
  end)

  -- A plan of count = 2 roles and role policies (role = aws_iam_role.r[count.index].name).
  local function counted_plan()
    local resources, changes = {}, {}
    for i = 0, 1 do
      resources[#resources + 1] = { address = ("aws_iam_role.r[%d]"):format(i), mode = "managed",
        type = "aws_iam_role", name = "r", index = i, values = { name = "role-" .. i } }
      resources[#resources + 1] = { address = ("aws_iam_role_policy.p[%d]"):format(i), mode = "managed",
        type = "aws_iam_role_policy", name = "p", index = i, values = { name = "p",
        policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
          .. '"Resource": "arn:aws:s3:::b' .. i .. '/*"}]}' } }
      changes[#changes + 1] = { address = ("aws_iam_role_policy.p[%d]"):format(i), change = {
        actions = { "create" }, after_unknown = { role = true } } }
    end
    return core.json_encode {
      format_version = "1.2", planned_values = { root_module = { resources = resources } },
      resource_changes = changes,
      configuration = { root_module = { resources = {
        { address = "aws_iam_role.r", mode = "managed", type = "aws_iam_role", name = "r", expressions = {} },
        { address = "aws_iam_role_policy.p", mode = "managed", type = "aws_iam_role_policy", name = "p",
          expressions = { role = { references = { "aws_iam_role.r", "count.index" } } } } } } } }
  end

  it("links each counted instance to the role of its own key", function()
    local dir = cli.tmpdir()
    local f = assert(io.open(dir .. "/plan.json", "wb"))
    f:write(counted_plan())
    f:close()
    local items = inputs.load(dir .. "/plan.json")
    cli.rm(dir)
    assert.equal(2, #items)
    for i, item in ipairs(items) do
      assert.equal("role-" .. (i - 1), item.name)
      assert.equal(1, #item.policies)
      assert.equal("arn:aws:s3:::b" .. (i - 1) .. "/*", item.policies[1].document.Statement[1].Resource[1])
    end
  end)
end)

describe("the plan fixtures", function()
  it("are what terraform makes (LEASTPRIV_TF_FIXTURES=1: regenerates them, ~30 s)", function()
    if os.getenv("LEASTPRIV_TF_FIXTURES") ~= "1" then
      return pending("set LEASTPRIV_TF_FIXTURES=1 to replan the fixtures with terraform and compare")
    end
    local tf = require "fixtures.hcl.tf"
    local mirror = tf.aws_mirror()
    if not mirror or not os.execute("terraform version >/dev/null 2>&1") then
      return pending("terraform or the aws provider mirror not found: fixtures not replanned")
    end
    local dir = cli.tmpdir()
    assert.truthy(os.execute(P .. "make.sh '" .. mirror .. "' '" .. dir .. "' >/dev/null 2>&1"))
    -- the same resources, values and unknowns (references in any order)
    local function shape(path)
      local plan = cjson.decode(cli.read(path))
      local out = {}
      for _, rc in ipairs(plan.resource_changes) do
        out[rc.address] = { after = rc.change.after, unknown = rc.change.after_unknown }
      end
      return out
    end
    for _, name in ipairs { "seed.json", "unknown.json" } do
      assert.same(shape(P .. name), shape(dir .. "/" .. name), name)
    end
    cli.rm(dir)
  end)
end)
