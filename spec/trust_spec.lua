local lp = require "leastpriv"

describe("lp.trust", function()
  it("trusts a service, with confused-deputy conditions", function()
    local s = lp.trust.service("sagemaker.amazonaws.com", {
      source_account = "123456789012",
      source_arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/*" })
    assert.same({ Service = { "sagemaker.amazonaws.com" } }, s.Principal)
    assert.same({ "sts:AssumeRole" }, s.Action)
    assert.same({ "123456789012" }, s.Condition.StringEquals["aws:SourceAccount"])
    assert.same({ "arn:aws:sagemaker:us-east-1:123456789012:training-job/*" }, s.Condition.ArnLike["aws:SourceArn"])
  end)

  it("has no condition when none is asked for", function()
    assert.is_nil(lp.trust.service("ec2.amazonaws.com").Condition)
  end)

  it("trusts AWS principals with an ExternalId and MFA", function()
    local s = lp.trust.aws("111122223333", { external_id = "partner-42", mfa = true })
    assert.same({ "111122223333" }, s.Principal.AWS)
    assert.same({ "partner-42" }, s.Condition.StringEquals["sts:ExternalId"])
    assert.same({ "true" }, s.Condition.Bool["aws:MultiFactorAuthPresent"])
  end)

  it("trusts an OIDC provider, StringLike only for wildcard subjects", function()
    local arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    local s = lp.trust.oidc(arn, { audience = "sts.amazonaws.com", subject = "repo:org/app:ref:refs/heads/main" })
    assert.same({ "sts:AssumeRoleWithWebIdentity" }, s.Action)
    assert.same({ arn }, s.Principal.Federated)
    assert.same({ "sts.amazonaws.com" }, s.Condition.StringEquals["token.actions.githubusercontent.com:aud"])
    assert.same({ "repo:org/app:ref:refs/heads/main" },
      s.Condition.StringEquals["token.actions.githubusercontent.com:sub"])
    s = lp.trust.oidc(arn, { audience = "sts.amazonaws.com", subject = "repo:org/app:*" })
    assert.same({ "repo:org/app:*" }, s.Condition.StringLike["token.actions.githubusercontent.com:sub"])
  end)

  it("trusts a SAML provider", function()
    local s = lp.trust.saml("arn:aws:iam::123456789012:saml-provider/okta")
    assert.same({ "sts:AssumeRoleWithSAML" }, s.Action)
    assert.same({ "https://signin.aws.amazon.com/saml" }, s.Condition.StringEquals["SAML:aud"])
  end)

  it("adds session tags, extra conditions, a sid, or other actions", function()
    local s = lp.trust.service("ecs-tasks.amazonaws.com", { session_tags = true, sid = "Ecs",
      condition = { StringEquals = { ["aws:SourceAccount"] = "123456789012" } } })
    assert.same({ "sts:AssumeRole", "sts:TagSession" }, s.Action)
    assert.equal("Ecs", s.Sid)
    assert.same({ "123456789012" }, s.Condition.StringEquals["aws:SourceAccount"])
  end)

  local function fails(fn, pattern)
    local ok, err = pcall(fn)
    assert.is_false(ok)
    assert.matches("trust_spec.lua:%d+: lp.trust", err)
    assert.matches(pattern, err)
  end

  it("rejects malformed principals and options", function()
    fails(function() local r = lp.trust.service("sagemaker"); return r end, "must look like name.amazonaws.com")
    fails(function() local r = lp.trust.service("sagemaker.amazonaws.com", { source_acount = "1" }); return r end,
      "unknown option 'source_acount' %(did you mean 'source_account'%?%)")
    fails(function() local r = lp.trust.aws("1234"); return r end, "12%-digit account ID or an IAM ARN")
    fails(function() local r = lp.trust.aws("123456789012", { external_id = "x" }); return r end, "external_id")
    fails(function() local r = lp.trust.oidc("token.actions.githubusercontent.com", { audience = "a" }); return r end,
      "oidc%-provider")
    fails(function() local r = lp.trust.oidc("arn:aws:iam::1:oidc-provider/h"); return r end, "give audience")
    fails(function() local r = lp.trust.saml("arn:aws:iam::1:role/x"); return r end, "saml%-provider")
  end)
end)

describe("lp.trust.github", function()
  require "leastpriv.busted"
  local HOST = "token.actions.githubusercontent.com"
  local PROVIDER = "arn:aws:iam::123456789012:oidc-provider/" .. HOST
  local ROLE = "arn:aws:iam::123456789012:role/deploy"

  local function role(opts)
    return lp.role { name = "deploy", trust = lp.trust.github(opts) }
  end
  -- The request GitHub's token makes: its aud and sub claims.
  local function as(sub, aud)
    return { principal = { federated = PROVIDER },
             context = { [HOST .. ":aud"] = aud or "sts.amazonaws.com", [HOST .. ":sub"] = sub } }
  end

  it("pins the audience and one branch of one repository (GitHub's subject forms)", function()
    local r = role { repo = "acme/site", branch = "main", account = "123456789012" }
    assert.allows(r, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:ref:refs/heads/main"))
    assert.denies(r, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:ref:refs/heads/dev"))
    assert.denies(r, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:pull_request"))
    assert.denies(r, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/other:ref:refs/heads/main"))
    assert.denies(r, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:ref:refs/heads/main", "other"))
    local st = r.trust.Statement[1]
    assert.same({ "sts:AssumeRoleWithWebIdentity" }, st.Action)
    assert.same({ Federated = { PROVIDER } }, st.Principal)
  end)

  it("takes tags, environments, pull requests and branch patterns", function()
    local r = role { repo = "acme/site", tag = "v*", account = "123456789012" }
    assert.allows(r, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:ref:refs/tags/v1.2.0"))
    assert.denies(r, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:ref:refs/heads/v1"))
    local e = role { repo = "acme/site", environment = "production", account = "123456789012" }
    assert.allows(e, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:environment:production"))
    assert.denies(e, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:environment:staging"))
    local pr = role { repo = "acme/site", pull_request = true, account = "123456789012" }
    assert.allows(pr, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:pull_request"))
    local b = role { repo = "acme/site", branch = { "main", "release/*" }, account = "123456789012" }
    assert.allows(b, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:ref:refs/heads/release/2.0"))
    assert.denies(b, "sts:AssumeRoleWithWebIdentity", ROLE, as("repo:acme/site:ref:refs/heads/feature/x"))
  end)

  it("refuses trusts that would admit more than one place of one repository", function()
    local function fails(opts, pattern)
      local ok, err = pcall(lp.trust.github, opts)
      assert.is_false(ok)
      assert.matches(pattern, err)
    end
    fails({ repo = "acme/*", branch = "main", account = "123456789012" }, "repo must be OWNER/NAME")
    fails({ repo = "acme/site", account = "123456789012" }, "give branch, tag, environment or pull_request")
    fails({ repo = "acme/site", branch = "*", account = "123456789012" }, "admits every branch")
    fails({ repo = "acme/site", branch = "main" }, "give account")
    fails({ repo = "acme/site", branch = "main", account = "1", brnach = "x" }, "did you mean 'branch'")
  end)

  it("checks clean", function()
    assert.same({}, lp.validate(role { repo = "acme/site", branch = "main", account = "123456789012" }))
  end)
end)
