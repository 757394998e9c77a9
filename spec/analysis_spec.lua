local lp = require "leastpriv"
local analysis = require "leastpriv.analysis"
local core = require "leastpriv.core"

local aws = lp.scope { account = "123456789012", region = "us-east-1" }

local function role(statements, trust)
  return lp.role { name = "r", trust = trust or lp.trust.service("ec2.amazonaws.com"),
                   policies = { p = lp.policy(statements) } }
end

describe("which actions a resource pattern applies to", function()
  local applies = core.eval_applies

  it("lets a pattern reach every type its wildcard can match", function()
    -- "*" crosses ':', so a group pattern also covers the groups' streams
    assert.is_true(applies("logs:PutLogEvents", "arn:aws:logs:*:*:log-group:/aws/sagemaker/*"))
    assert.is_true(applies("logs:CreateLogGroup", "arn:aws:logs:*:*:log-group:/aws/sagemaker/*"))
    assert.is_true(applies("s3:GetObject", "arn:aws:s3:::data*"))
    assert.is_true(applies("dynamodb:Query", "arn:aws:dynamodb:us-east-1:1:table/orders/index/*"))
  end)

  it("does not let a container's name swallow its children's separators", function()
    assert.is_false(applies("s3:ListBucket", "arn:aws:s3:::data/*"))
    assert.is_false(applies("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/orders/index/*"))
    assert.is_false(applies("logs:CreateLogGroup", "arn:aws:logs:*:*:log-group:g:log-stream:*"))
  end)

  it("keeps actions off resources of other services and wildcard-only actions off ARNs", function()
    assert.is_false(applies("ec2:RunInstances", "arn:aws:s3:::*"))
    assert.is_false(applies("ecr:GetAuthorizationToken", "arn:aws:ecr:*:*:repository/*"))
  end)
end)

describe("analysis.diff", function()
  local old = role { lp.allow { action = "s3:GetObject", resource = aws.s3.objects("b", "in/") } }

  it("reports new access: a wider resource, a new action", function()
    local new = role { lp.allow { action = { "s3:GetObject", "s3:PutObject" }, resource = aws.s3.objects("b") } }
    local r = analysis.diff({ old }, { new })
    assert.is_true(r.new_access)
    local added = {}
    for _, g in ipairs(r.entries[1].added) do added[#added + 1] = g.action .. " " .. g.resource end
    assert.same({ "s3:GetObject arn:aws:s3:::b/*", "s3:PutObject arn:aws:s3:::b/*" }, added)
  end)

  it("reports narrowing as removed, and no new access", function()
    local new = role { lp.allow { action = "s3:GetObject", resource = aws.s3.objects("b", "in/x/") } }
    local r = analysis.diff({ old }, { new })
    assert.is_false(r.new_access)
    assert.equal(1, #r.entries[1].removed)
    assert.equal(0, #r.entries[1].added)
  end)

  it("sees no change when only the text changes", function()
    local new = lp.role { name = "r", trust = lp.trust.service("ec2.amazonaws.com"), policies = {
      renamed = lp.policy { lp.allow { sid = "Other", action = "S3:getobject", resource = aws.s3.objects("b", "in/") } } } }
    local r = analysis.diff({ old }, { new })
    assert.is_false(r.new_access)
    assert.equal(0, #r.entries[1].removed)
    assert.equal(1, r.entries[1].unchanged)
  end)

  it("treats a dropped condition as new access, and an added one as removed access", function()
    local cond = { Bool = { ["aws:SecureTransport"] = "true" } }
    local with = role { lp.allow { action = "s3:GetObject", resource = aws.s3.objects("b", "in/"), condition = cond } }
    assert.is_true(analysis.diff({ with }, { old }).new_access)
    local r = analysis.diff({ old }, { with })
    assert.is_false(r.new_access)
    assert.equal(1, #r.entries[1].removed)
  end)

  it("reports trust changes: a new principal is new access", function()
    local wider = role({ lp.allow { action = "s3:GetObject", resource = aws.s3.objects("b", "in/") } },
      { lp.trust.service("ec2.amazonaws.com"), lp.trust.aws("111122223333") })
    local r = analysis.diff({ old }, { wider })
    assert.is_true(r.new_access)
    assert.equal("AWS:111122223333", r.entries[1].trust_added[1].principal)
  end)

  it("pairs roles by name: a new role is all new access", function()
    local other = lp.role { name = "other", trust = lp.trust.service("ec2.amazonaws.com"),
                            policies = { p = lp.policy { lp.allow { action = "s3:GetObject", resource = "*" } } } }
    local r = analysis.diff({ old }, { old, other })
    assert.is_true(r.new_access)
    assert.is_true(r.entries[1].only_new)
  end)
end)

describe("analysis.minimize", function()
  -- a large policy: read, write and list on many buckets and their objects
  local statements = {}
  for i = 1, 12 do
    for _, s in ipairs(lp.grant(aws.s3.bucket("bucket-" .. i), "list", "read", "write")) do statements[#statements + 1] = s end
    for _, s in ipairs(lp.grant(aws.s3.objects("bucket-" .. i), "read", "write")) do statements[#statements + 1] = s end
  end
  local big = lp.policy(statements)

  it("shrinks a large policy below the inline quota, allowing exactly the same", function()
    local small, sizes = analysis.minimize(big)
    assert.truthy(sizes.before > 10240)
    assert.truthy(sizes.after < 10240)
    assert.truthy(#small.Statement < #big.Statement)
    -- the engine agrees request by request
    for _, probe in ipairs {
      { "s3:GetObject", "arn:aws:s3:::bucket-7/a/b" }, { "s3:ListBucket", "arn:aws:s3:::bucket-3" },
      { "s3:PutBucketPolicy", "arn:aws:s3:::bucket-12" }, { "s3:DeleteObject", "arn:aws:s3:::bucket-1/x" },
      { "s3:GetObject", "arn:aws:s3:::bucket-13/x" }, { "s3:ListAllMyBuckets", "*" },
    } do
      local req = { action = probe[1], resource = probe[2] }
      assert.equal(lp.simulate(req, big), lp.simulate(req, small), probe[1] .. " " .. probe[2])
    end
  end)

  it("uses wildcards only where they expand to exactly the listed actions", function()
    local small = analysis.minimize(big)
    local listed = {}
    for _, s in ipairs(big.Statement) do
      for _, a in ipairs(s.Action) do listed[a] = true end
    end
    for _, s in ipairs(small.Statement) do
      for _, a in ipairs(s.Action) do
        for _, e in ipairs(lp.actions.expand(a)) do assert.truthy(listed[e], a .. " adds " .. e) end
      end
    end
  end)

  it("keeps Deny statements and distinct conditions apart", function()
    local doc = lp.policy {
      lp.allow { action = "s3:GetObject", resource = aws.s3.objects("a") },
      lp.allow { action = "s3:GetObject", resource = aws.s3.objects("b"),
                 condition = { Bool = { ["aws:SecureTransport"] = "true" } } },
      lp.deny { action = "s3:GetObject", resource = aws.s3.objects("a", "secret/") },
      lp.allow { action = "s3:PutObject", resource = aws.s3.objects("a") },
    }
    local small = analysis.minimize(doc)
    assert.equal(3, #small.Statement)
    assert.equal("Deny", small.Statement[3].Effect)
  end)
end)

describe("analysis.overgrant", function()
  it("lists what a role allows beyond its needs, riskiest first", function()
    local r = role { lp.allow { action = { "s3:GetObject", "s3:PutObject", "s3:PutObjectAcl" },
                                resource = aws.s3.objects("b") } }
    local over = analysis.overgrant(r, { { "s3:GetObject", aws.s3.objects("b", "in/") } })
    local got = {}
    for _, g in ipairs(over) do got[#got + 1] = g.level .. " " .. g.action end
    assert.same({ "Permissions management s3:PutObjectAcl", "Write s3:PutObject", "Read s3:GetObject" }, got)
  end)

  it("is empty when the role is exactly its needs", function()
    local r = role { lp.allow { action = "s3:GetObject", resource = aws.s3.objects("b", "in/") } }
    assert.same({}, analysis.overgrant(r, { { "s3:GetObject", aws.s3.objects("b", "in/") } }))
  end)
end)
