-- The luassert assertions of leastpriv.busted and their failure messages.
local lpb = require "leastpriv.busted"
local lp = require "leastpriv"

local function message(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok)
  return tostring(err)
end

describe("leastpriv.busted", function()
  local p = lp.policy {
    lp.allow { sid = "Read", action = "s3:GetObject", resource = "arn:aws:s3:::data/in/*" },
    lp.allow { sid = "Tagged", action = "s3:PutObject", resource = "arn:aws:s3:::data/out/*",
               condition = { StringEquals = { ["aws:PrincipalTag/team"] = "ml" } } },
    lp.deny { sid = "NoSecrets", action = "s3:*", resource = "arn:aws:s3:::data/in/secret/*" },
  }

  it("assert.allows passes on an allowed request", function()
    assert.allows(p, "s3:GetObject", "arn:aws:s3:::data/in/x")
  end)

  it("assert.allows takes the context as its fourth argument", function()
    assert.allows(p, "s3:PutObject", "arn:aws:s3:::data/out/x", { ["aws:PrincipalTag/team"] = "ml" })
  end)

  it("assert.allows takes a request table as its fourth argument", function()
    assert.allows(p, "s3:PutObject", "arn:aws:s3:::data/out/x",
      { context = { ["aws:PrincipalTag/team"] = "ml" },
        principal = "arn:aws:sts::123456789012:assumed-role/r/s" })
  end)

  it("assert.allows fails with the explanation", function()
    local msg = message(function()
      assert.allows(p, "s3:PutObject", "arn:aws:s3:::data/out/x", { ["aws:PrincipalTag/team"] = "web" })
    end)
    assert.matches("expected the policies to allow s3:PutObject on arn:aws:s3:::data/out/x, "
      .. "but the decision is implicit_deny", msg, 1, true)
    assert.matches("statement 2 Tagged (Allow): condition fails: StringEquals aws:PrincipalTag/team: "
      .. 'request has "web", policy wants "ml"', msg, 1, true)
  end)

  it("assert.allows names the explicit deny that wins", function()
    local msg = message(function() assert.allows(p, "s3:GetObject", "arn:aws:s3:::data/in/secret/k") end)
    assert.matches("but the decision is explicit_deny", msg, 1, true)
    assert.matches("statement 3 NoSecrets (Deny): applies", msg, 1, true)
  end)

  it("assert.allows reports a request that can never be valid", function()
    local msg = message(function() assert.allows(p, "s3:ListAllMyBuckets", "arn:aws:s3:::data") end)
    assert.matches("invalid request: s3:ListAllMyBuckets has no resource type", msg, 1, true)
  end)

  it("assert.denies passes on a denied request and fails on an allowed one", function()
    assert.denies(p, "s3:GetObject", "arn:aws:s3:::data/out/x")
    local msg = message(function() assert.denies(p, "s3:GetObject", "arn:aws:s3:::data/in/x") end)
    assert.matches("expected the policies to deny s3:GetObject on arn:aws:s3:::data/in/x, "
      .. "but the decision is allow", msg, 1, true)
    assert.matches("statement 1 Read (Allow): applies", msg, 1, true)
  end)

  it("negations work: assert.is_not.allows", function()
    assert.is_not.allows(p, "s3:GetObject", "arn:aws:s3:::data/out/x")
    local msg = message(function() assert.is_not.allows(p, "s3:GetObject", "arn:aws:s3:::data/in/x") end)
    assert.matches("expected the policies to not allow", msg, 1, true)
  end)

  it("assert.grants_only passes when the list covers every grant", function()
    assert.grants_only(p, {
      { "s3:GetObject", "arn:aws:s3:::data/in/*" },
      { "s3:PutObject", "arn:aws:s3:::data/*" },
    })
  end)

  it("assert.grants_only fails listing the excess", function()
    local msg = message(function()
      assert.grants_only(p, { { "s3:GetObject", "arn:aws:s3:::data/in/*" } })
    end)
    assert.matches("the policies grant 1 permission beyond the list:", msg, 1, true)
    assert.matches("s3:PutObject on arn:aws:s3:::data/out/* if its conditions hold (policy Tagged)",
      msg, 1, true)
  end)

  it("assert.grants_only expands wildcards over the catalog and resource types", function()
    local wide = lp.policy { lp.allow { action = "s3:Get*", resource = "arn:aws:s3:::b" } }
    local msg = message(function() assert.grants_only(wide, {}) end)
    -- bucket actions only: object actions cannot apply to a bucket ARN
    assert.matches("s3:GetBucketPolicy on arn:aws:s3:::b", msg, 1, true)
    assert.is_nil(msg:find("s3:GetObject on", 1, true))
  end)

  it("assert.grants_only counts NotAction as every other action", function()
    local na = lp.policy { lp.allow { not_action = "iam:*", resource = "*" } }
    assert.equal(0, #lpb.excess(na, { { "*", "*" } }))
    assert.is_true(#lpb.excess(na, { { "s3:*", "*" } }) > 1000)
  end)

  it("assert.grants_only leaves out what an unconditional Deny removes", function()
    local d = lp.policy {
      lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/*" },
      lp.deny { action = "s3:GetObject", resource = "arn:aws:s3:::b/*" },
    }
    assert.grants_only(d, {})
  end)

  it("misuse raises a plain error", function()
    assert.has_error(function() assert.allows(p, 42, "*") end,
      "assert.allows(role, action, resource [, context]): action must be a string")
    assert.has_error(function() assert.grants_only(p, "s3:*") end)
  end)

  it("load fills lp.var inputs, defaults or given values", function()
    local role = lpb.load("examples/sagemaker/execution_role.lua", { bucket_name = "other" })
    assert.allows(role, "s3:GetObject", "arn:aws:s3:::other/experiments/input/x")
    assert.has_error(function() lpb.load("examples/sagemaker/seed_module.lua") end)
  end)
end)

describe("lp.grants under a permissions boundary, session policies and SCPs", function()
  local wide = lp.policy { lp.allow { action = { "s3:GetObject", "iam:GetRole", "ec2:DescribeRegions" },
                                      resource = "*" } }
  local function actions(grants)
    local set = {}
    for _, g in ipairs(grants) do set[g.action] = true end
    return set
  end

  it("drops actions a boundary or a session policy never allows", function()
    local got = actions(lp.grants { identity = { wide },
      boundary = { lp.policy { lp.allow { action = { "s3:*", "ec2:Describe*" }, resource = "*" } } },
      session = { lp.policy { lp.allow { action = { "s3:GetObject", "iam:GetRole" }, resource = "*" } } } })
    assert.same({ ["s3:GetObject"] = true }, got)
  end)

  it("drops actions any SCP level denies or does not allow", function()
    local all = lp.policy { lp.allow { action = "*", resource = "*" } }
    local got = actions(lp.grants { identity = { wide }, scp = {
      { all, lp.policy { lp.deny { action = "iam:*", resource = "*" } } },
      { lp.policy { lp.allow { action = { "s3:*", "iam:*" }, resource = "*" } } } } })
    assert.same({ ["s3:GetObject"] = true }, got)
  end)

  it("keeps an action a boundary allows only on some resources or under a condition", function()
    local got = actions(lp.grants { identity = { wide }, boundary = { lp.policy {
      lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::data/*" },
      lp.allow { action = "iam:GetRole", resource = "*",
                 condition = { StringEquals = { ["aws:RequestedRegion"] = "us-east-1" } } },
      lp.deny { action = "ec2:*", resource = "*", condition = { Bool = { ["aws:SecureTransport"] = "false" } } },
      lp.allow { action = "ec2:*", resource = "*" } } } })
    assert.same({ ["s3:GetObject"] = true, ["iam:GetRole"] = true, ["ec2:DescribeRegions"] = true }, got)
  end)
end)
