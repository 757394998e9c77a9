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
