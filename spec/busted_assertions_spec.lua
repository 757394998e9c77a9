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
    assert.matches('assert.allows: s3:ListAllMyBuckets acts only on "*" (it has no resource type), '
      .. "not on arn:aws:s3:::data; the assertion could never fail", msg, 1, true)
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

  it("load also finds a path beside the calling spec file", function()
    -- spec/fixtures/scripts/one_policy.lua, named from spec/ (this file's folder)
    local doc = lpb.load("fixtures/scripts/one_policy.lua")
    assert.is_table(doc)
    -- the current directory comes first
    assert.is_table(lpb.load("spec/fixtures/scripts/one_policy.lua"))
    assert.has_error(function() lpb.load("fixtures/scripts/none.lua") end,
      "fixtures/scripts/none.lua: cannot read the file (nor spec/fixtures/scripts/none.lua, beside the spec)")
  end)

  it("load fills lp.var inputs, defaults or given values", function()
    local role = lpb.load("examples/sagemaker/execution_role.lua", { bucket_name = "other" })
    assert.allows(role, "s3:GetObject", "arn:aws:s3:::other/experiments/input/x")
    assert.has_error(function() lpb.load("examples/sagemaker/seed_module.lua") end)
  end)
end)

-- A test of a request AWS could never send could never fail: the
-- assertions fail it, negated or not, naming the problem and the closest
-- name in the catalog.
describe("leastpriv.busted strictness", function()
  local p = lp.policy {
    lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::data/*" },
    lp.allow { action = "s3:ListAllMyBuckets", resource = "*" },
  }

  local unpack_ = table.unpack or unpack

  -- msg fails both as the assertion and as its negation, naming problem
  local function both_fail(name, args, problem)
    local m1 = message(function() assert[name](unpack_(args)) end)
    assert.matches(problem, m1, 1, true)
    if name ~= "grants_only" then
      local negated = assert.is_not[name]
      local m2 = message(function() negated(unpack_(args)) end)
      assert.matches(problem, m2, 1, true)
    end
    return m1
  end

  it("fails on an action not in the catalog, with a did-you-mean", function()
    local msg = both_fail("denies", { p, "s3:PutObjekt", "arn:aws:s3:::data/x" },
      "s3:PutObjekt is not an action in the catalog (did you mean s3:PutObject?)")
    assert.matches("^.-assert.denies: ", msg)
    both_fail("allows", { p, "s33:GetObject", "arn:aws:s3:::data/x" }, "no service s33 (did you mean s3?)")
    both_fail("denies", { p, "GetObject", "*" }, "GetObject is not an action: actions look like service:ActionName")
    both_fail("denies", { p, "s3:Get*", "arn:aws:s3:::data/x" }, "s3:Get* is a pattern")
  end)

  it("fails on a malformed ARN", function()
    both_fail("denies", { p, "s3:GetObject", "arn:aws:s3:data" }, "malformed ARN: invalid ARN \"arn:aws:s3:data\"")
    both_fail("denies", { p, "s3:GetObject", "data/x" }, 'malformed ARN: invalid ARN "data/x": must start with "arn:"')
  end)

  it("fails on an ARN of a resource type the action does not act on", function()
    -- AWS: "the resource types that you can use with the action" (Service
    -- Authorization Reference); a bucket is not an object
    both_fail("denies", { p, "s3:GetObject", "arn:aws:s3:::data" },
      "s3:GetObject does not act on arn:aws:s3:::data (s3 bucket")
    -- actions that support no resource-level permissions take only "*"
    both_fail("allows", { p, "s3:ListAllMyBuckets", "arn:aws:s3:::data" }, 's3:ListAllMyBuckets acts only on "*"')
    assert.allows(p, "s3:ListAllMyBuckets", "*")
    both_fail("denies", { p, "s3:GetObject", "arn:aws:s4:::data/x" },
      "is not an ARN of any resource type in the catalog: no service s4 (did you mean s3?)")
  end)

  it("fails on a context key unknown to the catalog, tag-key forms and aws: globals included", function()
    local kms = lp.policy { lp.allow { action = "kms:Decrypt", resource = "*",
      condition = { StringEquals = { ["kms:ViaService"] = "s3.us-east-1.amazonaws.com" } } } }
    both_fail("denies", { kms, "kms:Decrypt", "*", { ["kms:ViaServce"] = "s3.us-east-1.amazonaws.com" } },
      "context key kms:ViaServce is not a condition key in the catalog (did you mean kms:ViaService?)")
    both_fail("denies", { p, "s3:GetObject", "arn:aws:s3:::data/x", { ["aws:SourceIpp"] = "10.0.0.1" } },
      "(did you mean aws:SourceIp?)")
    both_fail("denies", { p, "s3:GetObject", "arn:aws:s3:::data/x", { context = { ["aws:ResourceTagg/team"] = "ml" } } },
      "aws:ResourceTagg/team is not a condition key in the catalog (did you mean aws:ResourceTag/team?)")
    both_fail("denies", { p, "s3:GetObject", "arn:aws:s3:::data/x", { ["aws:PrincipalTag"] = "ml" } },
      "(did you mean aws:PrincipalTag/<tag-key>?)")
    -- an identity provider's keys: the standard claims, the catalog's claims of a
    -- known provider, any claim of a provider the catalog does not know
    both_fail("denies", { p, "s3:GetObject", "arn:aws:s3:::data/x",
      { ["token.actions.githubusercontent.com:repositry"] = "o/r" } },
      "(did you mean token.actions.githubusercontent.com:repository?)")
    assert.allows(p, "s3:GetObject", "arn:aws:s3:::data/x", { ["token.actions.githubusercontent.com:aud"] = "sts",
      ["token.actions.githubusercontent.com:repository"] = "o/r", ["idp.example.com:groups"] = "g" })
    -- known keys pass: globals, any case, tag keys of any name
    assert.allows(kms, "kms:Decrypt", "*", { ["kms:ViaService"] = "s3.us-east-1.amazonaws.com",
      ["AWS:SourceIP"] = "10.0.0.1", ["aws:PrincipalTag/any-team"] = "ml", ["aws:ResourceTag/x"] = "y" })
  end)

  it("grants_only fails on a pattern that matches nothing, an unknown action, a malformed or mistyped ARN", function()
    both_fail("grants_only", { p, { { "s3:GetObject", "arn:aws:s3:::data/*" }, { "s3:Get*Objekt", "*" } } },
      "entry 2: s3:Get*Objekt matches no action in the catalog (did you mean s3:GetObject?)")
    both_fail("grants_only", { p, { { "s3:GetObjekt", "*" } } }, "entry 1: s3:GetObjekt is not an action in the catalog")
    both_fail("grants_only", { p, { { "s33:*", "*" } } }, "no service s33 (did you mean s3?)")
    both_fail("grants_only", { p, { { "s3:GetObject", "arn:aws:s3" } } }, "entry 1: malformed ARN")
    both_fail("grants_only", { p, { { "s3:GetObject", "arn:aws:s3:::data" } } },
      "entry 1: s3:GetObject does not act on arn:aws:s3:::data")
    both_fail("grants_only", { p, { { "s3:GetObject*", "arn:aws:s3:::data" } } },
      "entry 1: no action matching s3:GetObject* acts on arn:aws:s3:::data")
    assert.grants_only(p, { { "s3:GetObject", "arn:aws:s3:::data/*" }, { "s3:List*", "*" } })
  end)

  it("is a failure of the test (a luassert failure), not an error of the spec", function()
    local ok, err = pcall(assert.denies, p, "s3:PutObjekt", "arn:aws:s3:::data/x")
    assert.is_false(ok)
    -- luassert raises a failure through the `error` busted gives it: a
    -- table with busted's failure metatable, or a string out of busted
    assert.truthy(type(err) == "string" or (getmetatable(err) or {}).__type == "failure")
  end)
end)

describe("lp.simulate { strict = true }", function()
  local p = lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::data/*" } }

  it("raises on a request AWS could never send, naming the problem", function()
    assert.has_error(function()
      lp.simulate({ action = "s3:GetObjekt", resource = "arn:aws:s3:::data/x" }, p, { strict = true })
    end, "lp.simulate: s3:GetObjekt is not an action in the catalog (did you mean s3:GetObject?)")
    assert.has_error(function()
      lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::data/x",
                    context = { ["aws:SourceIpp"] = "1.2.3.4" } }, p, { strict = true })
    end, "lp.simulate: context key aws:SourceIpp is not a condition key in the catalog (did you mean aws:SourceIp?)")
    assert.has_error(function()
      lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::data" }, p, { strict = true, explain = true })
    end, "lp.simulate: s3:GetObject does not act on arn:aws:s3:::data (s3 bucket, ssm bucket): "
      .. "it acts on accesspointobject, object")
    assert.has_error(function()
      lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3" }, p, { strict = true })
    end)
    assert.equal("allow", lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::data/x" }, p,
      { strict = true }))
    local d, e = lp.simulate({ action = "s3:GetObject", resource = "arn:aws:s3:::data/x" }, p,
      { strict = true, explain = true })
    assert.equal("allow", d)
    assert.is_string(e.text)
  end)

  it("is not strict unless asked", function()
    assert.equal("implicit_deny", lp.simulate({ action = "s3:GetObjekt", resource = "arn:aws:s3:::data/x" }, p))
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
