-- What AWS decides beyond the policies (csrc/eval_rules.c, csrc/eval.c):
-- sts:GetCallerIdentity, KMS key policies, Allow with NotPrincipal,
-- requests AWS refuses for everyone, and the caller's own boundary and
-- session policy on its sts:AssumeRole.
local lp = require "leastpriv"
local core = require "leastpriv.core"

local A, B = "111111111111", "222222222222"
local SESSION = ("arn:aws:sts::%s:assumed-role/app/s1"):format(A)
local ROLE = ("arn:aws:iam::%s:role/app"):format(A)
local USER = ("arn:aws:iam::%s:user/alice"):format(A)
local KEY = ("arn:aws:kms:us-east-1:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab"):format(A)

local function stmt(effect, action, resource, extra)
  local s = { Effect = effect, Action = action or "*", Resource = resource or "*" }
  for k, v in pairs(extra or {}) do s[k] = v end
  return { Version = "2012-10-17", Statement = { s } }
end
local function allow(a, r, x) return stmt("Allow", a, r, x) end
local function deny(a, r, x) return stmt("Deny", a, r, x) end

local function why(req, groups)
  local d, e = lp.simulate(req, groups, { explain = true })
  return d, e
end

describe("sts:GetCallerIdentity", function()
  -- "No permissions are required to perform this operation. If an
  -- administrator attaches a policy to your identity that explicitly denies
  -- access to the sts:GetCallerIdentity action, you can still perform this
  -- operation." (STS API Reference, GetCallerIdentity)
  local req = { action = "sts:GetCallerIdentity", resource = "*", principal = SESSION }
  it("is allowed without any Allow", function()
    local d, e = why(req, { identity = allow("s3:GetObject") })
    assert.equal("allow", d)
    assert.equal("aws", e.decided_by)
    assert.matches("needs no permission", e.reason)
  end)
  it("cannot be denied by an identity, session, boundary or SCP Deny", function()
    assert.equal("allow", lp.simulate(req, { identity = deny("sts:*") }))
    assert.equal("allow", lp.simulate(req, { identity = allow(), session = deny() }))
    assert.equal("allow", lp.simulate(req, { identity = allow(), boundary = deny() }))
    assert.equal("allow", lp.simulate(req, { identity = allow(), scp = { deny() } }))
  end)
  it("still needs credentials: an anonymous caller is not allowed", function()
    assert.equal("implicit_deny", lp.simulate({ action = "sts:GetCallerIdentity", resource = "*",
      principal = "anonymous" }, { identity = allow() }))
  end)
  it("is in every lp.effective list on *", function()
    local list = lp.effective({ identity = allow("s3:GetObject", "arn:aws:s3:::b/*") }, "*")
    assert.same({ "sts:GetCallerIdentity" }, list)
  end)
end)

describe("KMS key policies", function()
  -- "Unless the key policy explicitly allows it, you cannot use IAM policies
  -- to allow access to a KMS key. Without permission from the key policy,
  -- IAM policies that allow permissions have no effect. (You can use an IAM
  -- policy to deny a permission to a KMS key without permission from a key
  -- policy.) The default key policy enables IAM policies." (KMS Developer
  -- Guide, Key policies in AWS KMS)
  local req = { action = "kms:Decrypt", resource = KEY, principal = SESSION }
  local function key_policy(principal)
    return stmt("Allow", "kms:*", "*", { Principal = { AWS = principal } })
  end

  it("an identity Allow alone does not grant a key whose key policy names another principal", function()
    local d, e = why(req, { identity = allow(), resource = key_policy("arn:aws:iam::" .. A .. ":role/other") })
    assert.equal("implicit_deny", d)
    assert.equal("resource", e.decided_by)
    assert.matches("IAM policies alone cannot allow access to a KMS key", e.reason)
  end)
  it("a key policy allowing the account lets IAM policies decide", function()
    local kp = key_policy("arn:aws:iam::" .. A .. ":root")
    assert.equal("allow", lp.simulate(req, { identity = allow(), resource = kp }))
    assert.equal("implicit_deny", lp.simulate(req, { identity = allow("s3:*"), resource = kp }))
  end)
  it("a key policy naming the principal allows without an IAM policy", function()
    assert.equal("allow", lp.simulate(req, { identity = allow("s3:*"), resource = key_policy(SESSION) }))
  end)
  it("an IAM Deny denies without the key policy's permission", function()
    assert.equal("explicit_deny", lp.simulate(req, { identity = { allow(), deny("kms:Decrypt") },
      resource = key_policy(SESSION) }))
  end)
  it("without a key policy, assumes the default one and says so", function()
    local d, e = why(req, { identity = allow() })
    assert.equal("allow", d)
    assert.matches("default key policy", e.assumed)
    assert.matches("assumed: no key policy was given", e.text, 1, true)
    assert.equal("implicit_deny", lp.simulate(req, { identity = allow("s3:*") }))
    -- the default key policy names only the key's own account
    local cross = { action = "kms:Decrypt", resource = KEY,
                    principal = ("arn:aws:sts::%s:assumed-role/app/s1"):format(B) }
    d, e = why(cross, { identity = allow() })
    assert.equal("implicit_deny", d)
    assert.truthy(e.assumed)
  end)
  it("the account's root user needs the key policy too", function()
    local root = { action = "kms:Decrypt", resource = KEY, principal = "arn:aws:iam::" .. A .. ":root" }
    assert.equal("implicit_deny", lp.simulate(root, { resource = key_policy(ROLE) }))
    assert.equal("allow", lp.simulate(root, {}))
  end)
  it("lp.effective on a key applies the key policy too", function()
    local list = lp.effective({ identity = allow(), resource = key_policy("arn:aws:iam::" .. A .. ":role/other") },
      KEY, nil, { principal = SESSION })
    -- other services' actions on a key (events:CreateArchive) are theirs to authorise
    for _, act in ipairs(list) do assert.falsy(act:match("^kms:"), act) end
    assert.truthy(#list > 0)
    list = lp.effective({ identity = allow("kms:Decrypt") }, KEY, nil, { principal = SESSION })
    assert.same({ "kms:Decrypt" }, list)
  end)
  it("the explanation of a request needing no permission lists no missing statement", function()
    local _, e = why({ action = "sts:GetCallerIdentity", resource = "*", principal = SESSION }, {})
    assert.falsy(e.text:find("no statement covers", 1, true))
  end)
    it("other KMS resources (aliases) and other services are unchanged", function()
    local alias = ("arn:aws:kms:us-east-1:%s:alias/app"):format(A)
    local d, e = why({ action = "kms:CreateAlias", resource = alias, principal = SESSION },
      { identity = allow(), resource = key_policy(ROLE) })
    assert.equal("allow", d)
    assert.falsy(e.assumed)
  end)
end)

describe("Allow with NotPrincipal", function()
  -- "We strongly recommend that you do not use NotPrincipal in the same
  -- policy statement as "Effect": "Allow". Doing so allows all principals
  -- except the one named in the NotPrincipal element." (IAM User Guide,
  -- NotPrincipal)
  local Q = ("arn:aws:sqs:us-east-1:%s:q"):format(A)
  local function np(effect, list)
    return stmt(effect, "sqs:*", "*", { NotPrincipal = { AWS = list } })
  end
  it("excludes a principal whose own ARN is listed, without its account", function()
    for _, p in ipairs { SESSION, USER, ROLE } do
      assert.equal("implicit_deny", lp.simulate({ action = "sqs:SendMessage", resource = Q, principal = p },
        { resource = np("Allow", { p }) }), p)
    end
  end)
  it("allows every principal not listed", function()
    assert.equal("allow", lp.simulate({ action = "sqs:SendMessage", resource = Q, principal = SESSION },
      { resource = np("Allow", { USER }) }))
  end)
  it("Deny keeps AWS's advice: a session is spared only with its role and account listed", function()
    -- "When you use NotPrincipal with Deny, you must also specify the account
    -- ARN of the principal that is not denied."
    local groups = function(list) return { identity = allow(), resource = { np("Deny", list), allow("sqs:*", "*",
      { Principal = { AWS = A } }) } } end
    local req = { action = "sqs:SendMessage", resource = Q, principal = SESSION }
    assert.equal("explicit_deny", lp.simulate(req, groups { SESSION }))
    assert.equal("allow", lp.simulate(req, groups { SESSION, ROLE, "arn:aws:iam::" .. A .. ":root" }))
  end)
end)

describe("requests AWS refuses whatever the policies say", function()
  local admin = { identity = allow(), resource = allow("*", "*", { Principal = "*" }) }
  local function refused(action, resource, principal)
    local d, e = why({ action = action, resource = resource, principal = principal or SESSION }, admin)
    return d, e
  end
  it("writes to AWS managed policies", function()
    -- "You cannot change the permissions defined in AWS managed policies."
    for _, a in ipairs { "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
                         "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy" } do
      local d, e = refused(a, "arn:aws:iam::aws:policy/AdministratorAccess")
      assert.equal("explicit_deny", d, a)
      assert.equal("aws", e.decided_by)
      assert.equal("aws-managed-policy", e.refused.id)
      assert.matches("refused by AWS", e.text)
    end
    assert.equal("allow", (refused("iam:CreatePolicyVersion", "arn:aws:iam::" .. A .. ":policy/mine")))
    assert.equal("allow", (refused("iam:GetPolicy", "arn:aws:iam::aws:policy/AdministratorAccess")))
  end)
  it("changes to roles IAM Identity Center created, except by Identity Center itself", function()
    local sso = "arn:aws:iam::" .. A .. ":role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123"
    for _, a in ipairs { "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole",
                         "iam:UpdateAssumeRolePolicy", "iam:TagRole" } do
      assert.equal("explicit_deny", (refused(a, sso)), a)
    end
    assert.equal("allow", (refused("iam:GetRole", sso)))
    assert.equal("allow", (refused("iam:PutRolePolicy", sso,
      "arn:aws:sts::" .. A .. ":assumed-role/AWSServiceRoleForSSO/sso")))
  end)
  it("creating, updating or deleting KMS aliases under alias/aws/", function()
    -- "The alias/aws/ prefix is reserved for AWS managed key."
    local reserved = ("arn:aws:kms:us-east-1:%s:alias/aws/s3"):format(A)
    for _, a in ipairs { "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias" } do
      assert.equal("explicit_deny", (refused(a, reserved)), a)
    end
    assert.equal("allow", (refused("kms:CreateAlias", ("arn:aws:kms:us-east-1:%s:alias/app"):format(A))))
  end)
  it("keeps the rules as data, each with its source", function()
    local rules = core.eval_refusals()
    assert.equal(3, #rules)
    for _, r in ipairs(rules) do
      assert.matches("^https://docs%.aws%.amazon%.com/", r.source)
      assert.truthy(#r.quote > 20 and #r.actions > 0 and r.resource:match("^arn:"))
    end
  end)
end)

describe("the caller's own boundary and session policy on sts:AssumeRole", function()
  -- An AssumeRole call is a call the caller makes: its permissions boundary
  -- and session policy cap its identity policies there as everywhere.
  local trust = stmt("Allow", "sts:AssumeRole", nil, { Principal = { AWS = A } })
  trust.Statement[1].Resource = nil
  local req = { action = "sts:AssumeRole", principal = SESSION }
  it("a caller boundary that does not allow sts:AssumeRole denies", function()
    local d, e = why(req, { trust = trust, caller = allow(), caller_boundary = allow("s3:*") })
    assert.equal("implicit_deny", d)
    assert.equal("caller_boundary", e.decided_by)
    assert.matches("caller's permissions boundary", e.reason)
    assert.equal("allow", lp.simulate(req, { trust = trust, caller = allow(), caller_boundary = allow("sts:*") }))
  end)
  it("a caller session policy caps and denies", function()
    assert.equal("implicit_deny", lp.simulate(req, { trust = trust, caller = allow(), caller_session = allow("s3:*") }))
    assert.equal("explicit_deny", lp.simulate(req, { trust = trust, caller = allow(), caller_session = deny() }))
  end)
  it("the role's own boundary and session policy still do not apply", function()
    assert.equal("allow", lp.simulate(req, { trust = trust, caller = allow(), boundary = deny(), session = deny() }))
  end)
end)
