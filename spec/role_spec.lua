local lp = require "leastpriv"

local function trust() return lp.trust.service("sagemaker.amazonaws.com") end
local function doc() return lp.policy { lp.allow { action = "s3:GetObject", resource = "*" } } end

describe("lp.role", function()
  it("builds the canonical role", function()
    local r = lp.role {
      name = "trainer", path = "/ml/", description = "d", max_session_duration = 7200,
      tags = { team = "ml" }, permissions_boundary = "arn:aws:iam::123456789012:policy/boundary",
      managed_policies = { "arn:aws:iam::aws:policy/ReadOnlyAccess" },
      trust = trust(), policies = { b = doc(), a = doc() },
    }
    assert.equal("role", r.kind)
    assert.equal("trainer", r.name)
    assert.equal("/ml/", r.path)
    assert.equal(7200, r.max_session_duration)
    assert.same({ team = "ml" }, r.tags)
    assert.same({ "arn:aws:iam::aws:policy/ReadOnlyAccess" }, r.managed_policy_arns)
    assert.equal("sts:AssumeRole", r.trust.Statement[1].Action[1])
    assert.equal("a", r.policies[1].name)    -- sorted by name
    assert.equal("b", r.policies[2].name)
  end)

  it("accepts inline policies as an ordered list", function()
    local r = lp.role { name = "x", trust = trust(),
                        policies = { { name = "z", document = doc() }, { name = "a", document = doc() } } }
    assert.equal("z", r.policies[1].name)
  end)

  it("accepts a trust policy document or a list of statements", function()
    local r = lp.role { name = "x", trust = lp.policy { trust() } }
    assert.equal(1, #r.trust.Statement)
    r = lp.role { name = "x", trust = { trust(), lp.trust.aws("123456789012") } }
    assert.equal(2, #r.trust.Statement)
  end)

  local function fails(t, pattern)
    local ok, err = pcall(function() local r = lp.role(t); return r end)
    assert.is_false(ok)
    assert.matches(pattern, err)
    assert.matches("role_spec.lua:%d+: lp.role: ", err)
  end

  it("rejects a misspelt field with a suggestion", function()
    fails({ name = "x", trust = trust(), polices = {} }, "unknown field 'polices' %(did you mean 'policies'%?%)")
  end)

  it("rejects bad names, paths and durations", function()
    fails({ name = "bad name", trust = trust() }, "name must be 1%-64")
    fails({ name = string.rep("x", 65), trust = trust() }, "name must be 1%-64")
    fails({ name = "x", path = "ml", trust = trust() }, "path must be")
    fails({ name = "x", max_session_duration = 60, trust = trust() }, "3600 to 43200")
    fails({ name = "x", description = 1, trust = trust() }, "description")
  end)

  it("rejects bad tags", function()
    fails({ name = "x", trust = trust(), tags = { team = 1 } }, "tags must map strings")
    fails({ name = "x", trust = trust(), tags = { ["aws:x"] = "y" } }, "reserved")
  end)

  it("rejects invalid ARNs in managed policies and the boundary", function()
    fails({ name = "x", trust = trust(), managed_policies = { "ReadOnlyAccess" } }, "managed_policies%[1%]")
    fails({ name = "x", trust = trust(), permissions_boundary = "arn:aws:iam" }, "permissions_boundary")
  end)

  it("needs a trust policy naming a principal, without Resource", function()
    fails({ name = "x" }, "needs trust")
    fails({ name = "x", trust = lp.allow { action = "sts:AssumeRole" } }, "names no principal")
    fails({ name = "x", trust = lp.allow { action = "sts:AssumeRole", resource = "*",
                                            principal = { service = "ec2.amazonaws.com" } } },
      "trust policies have none")
  end)

  it("rejects bad inline policies", function()
    fails({ name = "x", trust = trust(), policies = { ["bad name"] = doc() } }, "inline policy name")
    fails({ name = "x", trust = trust(), policies = { p = "x" } }, "must be a document")
    fails({ name = "x", trust = trust(), policies = { { name = "A", document = doc() },
                                                       { name = "a", document = doc() } } }, "two inline policies")
  end)
end)
