-- Unknown context (lua/leastpriv/discover.lua): lp.simulate with
-- discover = true, `simulate --conditions`, assert.allows_when.
local lp = require "leastpriv"
local lpb = require "leastpriv.busted"
local cli = require "support.cli"

local function doc(...) return { Version = "2012-10-17", Statement = { ... } } end
local SESSION = "arn:aws:sts::111111111111:assumed-role/r/s"
local REQ = { action = "s3:GetObject", resource = "arn:aws:s3:::b/k", principal = SESSION }
local TEAM_TLS = doc({ Effect = "Allow", Action = "s3:GetObject", Resource = "*",
  Condition = { StringEquals = { ["aws:PrincipalTag/team"] = "ml" }, Bool = { ["aws:SecureTransport"] = "true" } } })

local function discover(req, p)
  local d, e = lp.simulate(req, p, { discover = true })
  return d, e.condition, e
end

describe("lp.simulate { discover = true }", function()
  it("gives the condition for an Allow over the keys not given", function()
    local d, c, e = discover(REQ, TEAM_TLS)
    assert.equal("conditional", d)
    assert.equal("aws:SecureTransport = true and aws:PrincipalTag/team = ml", c)
    assert.same({ "aws:PrincipalTag/team", "aws:SecureTransport" }, e.unknown)
    assert.matches("allowed when: ", e.text, 1, true)
  end)
  it("keys the context gives are known", function()
    local req = { action = REQ.action, resource = REQ.resource, principal = SESSION,
                  context = { ["aws:SecureTransport"] = "true" } }
    assert.equal("aws:PrincipalTag/team = ml", select(2, discover(req, TEAM_TLS)))
    req.context["aws:SecureTransport"] = "false"
    assert.equal("never", select(2, discover(req, TEAM_TLS)))
  end)
  it("always and never", function()
    local d, c = discover(REQ, doc({ Effect = "Allow", Action = "s3:*", Resource = "*" }))
    assert.equal("allow", d)
    assert.equal("always", c)
    d, c = discover(REQ, doc({ Effect = "Allow", Action = "ec2:*", Resource = "*" }))
    assert.equal("implicit_deny", d)
    assert.equal("never", c)
  end)
  it("Denies on unknown keys become what must not hold", function()
    local p = doc({ Effect = "Allow", Action = "s3:*", Resource = "*" },
      { Effect = "Deny", Action = "*", Resource = "*", Condition = { Bool = { ["aws:SecureTransport"] = "false" } } },
      { Effect = "Deny", Action = "*", Resource = "*", Condition = { NotIpAddress = { ["aws:SourceIp"] = "10.0.0.0/8" } } })
    assert.equal("aws:SecureTransport != false and aws:SourceIp in 10.0.0.0/8", select(2, discover(REQ, p)))
  end)
  it("alternatives are joined with or, several values with in", function()
    local p = doc(
      { Effect = "Allow", Action = "s3:GetObject", Resource = "*",
        Condition = { StringEquals = { ["aws:PrincipalTag/team"] = { "ml", "data" } } } },
      { Effect = "Allow", Action = "s3:GetObject", Resource = "*",
        Condition = { NumericLessThan = { ["aws:MultiFactorAuthAge"] = "3600" } } })
    assert.equal("aws:MultiFactorAuthAge < 3600 or aws:PrincipalTag/team in (ml, data)", select(2, discover(REQ, p)))
  end)
  it("the principal's implied keys are known", function()
    local p = doc({ Effect = "Allow", Action = "s3:GetObject", Resource = "*",
      Condition = { ArnLike = { ["aws:PrincipalArn"] = "arn:aws:iam::*:role/r" } } })
    assert.equal("always", select(2, discover(REQ, p)))
  end)
  it("IfExists and Null read as words", function()
    local p = doc({ Effect = "Allow", Action = "s3:GetObject", Resource = "*",
      Condition = { StringEqualsIfExists = { ["aws:RequestTag/env"] = "prod" }, Null = { ["aws:TokenIssueTime"] = "false" } } })
    assert.equal("aws:TokenIssueTime is present and aws:RequestTag/env = prod (or aws:RequestTag/env absent)",
      select(2, discover(REQ, p)))
  end)
  it("needs the policies, not a compiled Policy", function()
    assert.has_error(function() lp.simulate(REQ, lp.compile(TEAM_TLS), { discover = true }) end,
      "lp.simulate: discover needs the policies (a role, documents or groups), not a compiled Policy")
  end)
  it("works on the example roles", function()
    local role = lpb.load("examples/sagemaker/execution_role.lua")
    assert.equal("s3:prefix like experiments/input/*", select(2, discover(
      { action = "s3:ListBucket", resource = "arn:aws:s3:::my-ml-training-data" }, role)))
  end)
end)

describe("leastpriv simulate --conditions", function()
  local EXEC = "examples/sagemaker/execution_role.lua"
  it("prints the condition", function()
    local code, out = cli.run { "simulate", EXEC, "-a", "cloudwatch:PutMetricData", "-r", "*", "--conditions" }
    assert.equal(1, code)
    assert.equal("conditional: allowed when cloudwatch:namespace = /aws/sagemaker/TrainingJobs\n", out)
  end)
  it("prints always / never", function()
    local code, out = cli.run { "simulate", EXEC, "-a", "ecr:GetAuthorizationToken", "-r", "*", "--conditions" }
    assert.equal(0, code)
    assert.equal("always: allowed whatever the keys not given\n", out)
    code, out = cli.run { "simulate", EXEC, "-a", "s3:DeleteObject", "-r", "arn:aws:s3:::my-ml-training-data/x",
      "--conditions" }
    assert.equal(1, code)
    assert.equal("never: implicit_deny whatever the keys not given\n", out)
  end)
end)

describe("assert.allows_when", function()
  it("passes on the condition and fails naming the one found", function()
    assert.allows_when(TEAM_TLS, "s3:GetObject", "arn:aws:s3:::b/k",
      "aws:SecureTransport = true and aws:PrincipalTag/team = ml", { principal = SESSION })
    local ok, err = pcall(function()
      assert.allows_when(TEAM_TLS, "s3:GetObject", "arn:aws:s3:::b/k", "always", { principal = SESSION })
    end)
    assert.is_false(ok)
    assert.matches("but it is allowed when aws:SecureTransport = true", tostring(err), 1, true)
  end)
end)
