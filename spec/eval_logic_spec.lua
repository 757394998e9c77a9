-- The evaluation order (csrc/eval.c): explicit deny, RCPs, SCPs by level,
-- resource policies (direct, role, account principals), identity policies,
-- permissions boundary, session policy, cross-account, trust policies.
local lp = require "leastpriv"

local A, B = "111111111111", "222222222222"
local SESSION = ("arn:aws:sts::%s:assumed-role/app/s1"):format(A)
local ROLE = ("arn:aws:iam::%s:role/team/app"):format(A)
local USER = ("arn:aws:iam::%s:user/alice"):format(A)
local OBJ = "arn:aws:s3:::data/k"
local Q = ("arn:aws:sqs:us-east-1:%s:q"):format(A)
local QB = ("arn:aws:sqs:us-east-1:%s:q"):format(B)

local function allow(action, resource, extra)
  local s = { Effect = "Allow", Action = action or "*", Resource = resource or "*" }
  for k, v in pairs(extra or {}) do s[k] = v end
  return { Version = "2012-10-17", Statement = { s } }
end
local function deny(action, resource, extra)
  local d = allow(action, resource, extra)
  d.Statement[1].Effect = "Deny"
  return d
end
local function rp(principal, action, resource, effect)
  local d = allow(action or "*", resource or "*", { Principal = principal })
  d.Statement[1].Effect = effect or "Allow"
  return d
end

local function decide(groups, req)
  req.action = req.action or "sqs:SendMessage"
  req.resource = req.resource or Q
  req.principal = req.principal or SESSION
  return lp.simulate(req, groups)
end

describe("evaluation order", function()
  it("denies implicitly by default", function()
    assert.equal("implicit_deny", decide({ identity = allow("s3:GetObject") }, {}))
  end)

  it("allows with an identity Allow", function()
    assert.equal("allow", decide({ identity = allow() }, {}))
  end)

  it("an explicit Deny anywhere wins, whatever the order", function()
    local id = { allow(), deny("sqs:*") }
    assert.equal("explicit_deny", decide({ identity = id }, {}))
    assert.equal("explicit_deny", decide({ identity = allow(), boundary = { allow(), deny("sqs:Send*") } }, {}))
    assert.equal("explicit_deny", decide({ identity = allow(), session = deny() }, {}))
    assert.equal("explicit_deny", decide({ identity = allow(), resource = rp("*", "*", "*", "Deny") }, {}))
    assert.equal("explicit_deny", decide({ identity = allow(), scp = { { allow(), deny("sqs:*") } } }, {}))
    assert.equal("explicit_deny", decide({ identity = allow(), rcp = { rp("*", "sqs:*", "*", "Deny") } }, {}))
  end)

  describe("SCPs", function()
    it("need an Allow at every level of the organisation path", function()
      assert.equal("allow", decide({ identity = allow(), scp = { allow(), { allow("sqs:*") }, allow() } }, {}))
      assert.equal("implicit_deny", decide({ identity = allow(), scp = { allow(), allow("s3:*"), allow() } }, {}))
    end)
    it("never grant", function()
      assert.equal("implicit_deny", decide({ scp = { allow() } }, {}))
    end)
    it("do not apply to service principals", function()
      local g = { resource = rp({ Service = "sns.amazonaws.com" }), scp = { allow("s3:*") } }
      assert.equal("allow", decide(g, { principal = "sns.amazonaws.com" }))
    end)
  end)

  describe("RCPs", function()
    it("need an Allow at every level", function()
      assert.equal("allow", decide({ identity = allow(), rcp = { { rp("*") }, { rp("*", "sqs:*") } } }, {}))
      assert.equal("implicit_deny", decide({ identity = allow(), rcp = { { rp("*") }, { rp("*", "s3:*") } } }, {}))
    end)
  end)

  describe("resource policies in the same account", function()
    it("naming the session directly allows on its own, despite boundary and session", function()
      local g = { resource = rp({ AWS = SESSION }), boundary = allow("s3:*"), session = allow("s3:*") }
      assert.equal("allow", decide(g, {}))
    end)
    it("naming the user directly allows on its own", function()
      assert.equal("allow", decide({ resource = rp({ AWS = USER }) }, { principal = USER }))
      assert.equal("implicit_deny", decide({ resource = rp({ AWS = USER }) },
        { principal = ("arn:aws:iam::%s:user/bob"):format(A) }))
    end)
    it("naming the role ARN allows without an identity policy", function()
      assert.equal("allow", decide({ resource = rp({ AWS = ROLE }) }, {}))
    end)
    it("naming the role ARN is still capped by the boundary and the session policy", function()
      assert.equal("implicit_deny", decide({ resource = rp({ AWS = ROLE }), boundary = allow("s3:*") }, {}))
      assert.equal("implicit_deny", decide({ resource = rp({ AWS = ROLE }), session = allow("s3:*") }, {}))
      assert.equal("allow", decide({ resource = rp({ AWS = ROLE }), boundary = allow("sqs:*") }, {}))
    end)
    it("naming the account only delegates: an identity Allow is needed", function()
      assert.equal("implicit_deny", decide({ resource = rp({ AWS = A }) }, {}))
      assert.equal("implicit_deny", decide({ resource = rp({ AWS = ("arn:aws:iam::%s:root"):format(A) }) }, {}))
      assert.equal("allow", decide({ resource = rp({ AWS = A }), identity = allow() }, {}))
    end)
    it("an identity Allow alone suffices when the resource policy is silent", function()
      assert.equal("allow", decide({ resource = rp({ AWS = B }), identity = allow() }, {}))
    end)
  end)

  describe("permissions boundary", function()
    it("caps identity policies", function()
      assert.equal("allow", decide({ identity = allow(), boundary = allow("sqs:*") }, {}))
      assert.equal("implicit_deny", decide({ identity = allow(), boundary = allow("s3:*") }, {}))
    end)
    it("never grants", function()
      assert.equal("implicit_deny", decide({ boundary = allow() }, {}))
    end)
  end)

  describe("session policy", function()
    it("caps the session when present", function()
      assert.equal("allow", decide({ identity = allow(), session = allow("sqs:*") }, {}))
      assert.equal("implicit_deny", decide({ identity = allow(), session = allow("s3:*") }, {}))
    end)
    it("a federated user session without a session policy has no permissions", function()
      local fed = ("arn:aws:sts::%s:federated-user/carol"):format(A)
      assert.equal("implicit_deny", decide({ identity = allow() }, { principal = fed }))
      assert.equal("allow", decide({ identity = allow(), session = allow() }, { principal = fed }))
      assert.equal("implicit_deny", decide({ identity = allow(), federation = true }, {}))
    end)
  end)

  describe("cross-account", function()
    it("needs both the identity policy and the resource policy", function()
      local other = ("arn:aws:sts::%s:assumed-role/app/s1"):format(B)
      assert.equal("allow", decide({ identity = allow(), resource = rp({ AWS = B }) }, { principal = other }))
      assert.equal("implicit_deny", decide({ identity = allow() }, { principal = other }))
      assert.equal("implicit_deny", decide({ resource = rp({ AWS = other }) }, { principal = other }))
    end)
    it("takes the resource account from the ARN or request.resource_account", function()
      assert.equal("implicit_deny", decide({ identity = allow() }, { resource = QB }))
      assert.equal("implicit_deny", decide({ identity = allow() },
        { action = "s3:GetObject", resource = OBJ, resource_account = B }))
      assert.equal("allow", decide({ identity = allow() }, { action = "s3:GetObject", resource = OBJ }))
    end)
    it("an explicit Deny on either side wins", function()
      local other = ("arn:aws:sts::%s:assumed-role/app/s1"):format(B)
      assert.equal("explicit_deny", decide({ identity = { allow(), deny("sqs:*") }, resource = rp({ AWS = B }) },
        { principal = other }))
    end)
  end)

  describe("anonymous requests", function()
    it("only a resource policy allowing * lets them in", function()
      assert.equal("allow", decide({ resource = rp("*") }, { principal = "anonymous" }))
      assert.equal("implicit_deny", decide({ resource = rp({ AWS = A }), identity = allow() }, { principal = "anonymous" }))
    end)
  end)

  describe("trust policies", function()
    local role = lp.role { name = "r", trust = {
      { Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" },
      { Effect = "Allow", Principal = { AWS = A }, Action = "sts:AssumeRole" },
      { Effect = "Allow", Principal = { AWS = ("arn:aws:iam::%s:role/ci"):format(B) }, Action = "sts:AssumeRole" },
    }, policies = { p = lp.policy { lp.allow { action = "sts:AssumeRole", resource = "*" } } } }

    it("act as the resource policy of sts:AssumeRole", function()
      assert.equal("allow", lp.simulate({ action = "sts:AssumeRole", principal = "sagemaker.amazonaws.com" }, role))
      assert.equal("implicit_deny", lp.simulate({ action = "sts:AssumeRole", principal = "ec2.amazonaws.com" }, role))
    end)
    it("naming only the account needs the caller's identity Allow too", function()
      local req = { action = "sts:AssumeRole", principal = SESSION }
      assert.equal("implicit_deny", lp.simulate(req, role))
      assert.equal("allow", lp.simulate(req, { role = role, caller = allow("sts:AssumeRole") }))
    end)
    it("cross-account: the trust names the caller and the caller's policy allows", function()
      local ci = ("arn:aws:sts::%s:assumed-role/ci/run"):format(B)
      local req = { action = "sts:AssumeRole", principal = ci, resource_account = A }
      assert.equal("implicit_deny", lp.simulate(req, role))
      assert.equal("allow", lp.simulate(req, { role = role, caller = allow("sts:AssumeRole") }))
    end)
    it("the role's own policies do not let anyone assume it", function()
      assert.equal("implicit_deny", lp.simulate({ action = "sts:AssumeRole",
        principal = ("arn:aws:sts::%s:assumed-role/x/y"):format(B), resource_account = A }, role))
    end)
  end)
end)
