local lp = require "leastpriv"

local aws = lp.scope { account = "123456789012", region = "us-east-1" }

-- Every catalog action of service s at one of levels that applies to type t.
local function expected(service, rtype, levels)
  local out = {}
  for _, name in ipairs(lp.actions.list { service = service }) do
    local rec = lp.actions.get(name)
    local level_ok = false
    for _, l in ipairs(rec.access_levels) do
      for _, want in ipairs(levels) do
        if l == want then level_ok = true end
      end
    end
    local type_ok = false
    for _, rt in ipairs(rec.resource_types) do
      if rt.name == rtype then type_ok = true end
    end
    if level_ok and type_ok and not rec.wildcard_only then out[#out + 1] = rec.name end
  end
  table.sort(out)
  return out
end

describe("lp.grant", function()
  it("allows exactly the catalog's actions of the levels that apply to the resource type", function()
    local s = lp.grant(aws.s3.objects("data", "in/"), "read")
    assert.equal(1, #s)
    assert.same(expected("s3", "object", { "Read" }), s[1].Action)
    assert.same({ "arn:aws:s3:::data/in/*" }, s[1].Resource)
    assert.truthy(#s[1].Action > 5)
  end)

  it("combines levels", function()
    local s = lp.grant(aws.sagemaker.training_job("*"), "read", "write")
    assert.same(expected("sagemaker", "training-job", { "Read", "Write" }), s[1].Action)
  end)

  it("adds the service's wildcard-only actions of those levels on * when asked", function()
    local s = lp.grant(aws.s3.bucket("data"), "list", { wildcard_only = true, sid = "List" })
    assert.equal(2, #s)
    assert.same({ "*" }, s[2].Resource)
    assert.equal("ListUnscoped", s[2].Sid)
    for _, a in ipairs(s[2].Action) do
      assert.is_true(lp.actions.get(a).wildcard_only, a)
    end
    assert.truthy(#lp.grant(aws.s3.bucket("data"), "list") == 1)
  end)

  it("composes with conditions and Deny", function()
    local s = lp.grant(aws.s3.bucket("data"), "write",
      { effect = "Deny", condition = { Bool = { ["aws:SecureTransport"] = "false" } } })
    assert.equal("Deny", s[1].Effect)
    assert.same({ "false" }, s[1].Condition.Bool["aws:SecureTransport"])
    assert.equal(2, #lp.policy { s, lp.allow { action = "s3:GetObject", resource = "*" } }.Statement)
  end)

  local function fails(fn, pattern)
    local ok, err = pcall(fn)
    assert.is_false(ok)
    assert.matches("grant_spec.lua:%d+: lp.", err)
    assert.matches(pattern, err)
  end

  it("rejects unknown levels and options, \"*\", and ARNs of no known type", function()
    fails(function() local r = lp.grant(aws.s3.bucket("d"), "reed"); return r end, 'unknown access level "reed"')
    fails(function() local r = lp.grant(aws.s3.bucket("d")); return r end, "at least one access level")
    fails(function() local r = lp.grant(aws.s3.bucket("d"), "read", { wildcard = true }); return r end,
      "unknown option 'wildcard'")
    fails(function() local r = lp.grant("*", "read"); return r end, "must be ARNs")
    fails(function() local r = lp.grant("arn:aws:s3:us-east-1:123456789012:nothing", "read"); return r end,
      "matches no resource type")
  end)
end)

describe("lp.needs", function()
  it("groups actions with the same resources into one statement", function()
    local s = lp.needs {
      { "s3:GetObject", aws.s3.objects("d", "a/") },
      { "s3:PutObject", aws.s3.objects("d", "b/") },
      { "s3:GetObjectTagging", aws.s3.objects("d", "a/") },
      { "ecr:GetAuthorizationToken", "*" },
    }
    assert.equal(3, #s)
    assert.same({ "s3:GetObject", "s3:GetObjectTagging" }, s[1].Action)
    assert.same({ "arn:aws:s3:::d/a/*" }, s[1].Resource)
    assert.same({ "s3:PutObject" }, s[2].Action)
    assert.same({ "*" }, s[3].Resource)
  end)

  it("uses canonical action names and drops repeats", function()
    local s = lp.needs { { "S3:getobject", "arn:aws:s3:::d/k" }, { "s3:GetObject", "arn:aws:s3:::d/k" } }
    assert.same({ "s3:GetObject" }, s[1].Action)
    assert.same({ "arn:aws:s3:::d/k" }, s[1].Resource)
  end)

  it("rejects requests that can never be valid, naming the ARN the action needs", function()
    local ok, err = pcall(lp.needs, { { "s3:ListBucket", "arn:aws:s3:::d/*" } })
    assert.is_false(ok)
    assert.matches("does not apply to arn:aws:s3:::d/%*", err)
    assert.matches("arn:${Partition}:s3:::${BucketName}", err, 1, true)
    assert.has_error(function() lp.needs { { "s3:GetObject", "*" } } end)
    assert.has_error(function() lp.needs { { "ecr:GetAuthorizationToken", aws.ecr.repository("x") } } end)
    assert.has_error(function() lp.needs { { "s3:GetObjekt", "*" } } end)
    assert.has_error(function() lp.needs {} end)
  end)
end)
