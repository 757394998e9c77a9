-- Policy variables (csrc/variables.c): in the resource part of Resource
-- and in String and ARN condition values; defaults, escapes, the 2008
-- version, unresolved variables.
local lp = require "leastpriv"

local USER = "arn:aws:iam::123456789012:user/division/alice"

local function doc(stmt, version)
  stmt.Effect = stmt.Effect or "Allow"
  stmt.Action = stmt.Action or "s3:GetObject"
  return { Version = version or "2012-10-17", Statement = { stmt } }
end

local function decide(d, resource, ctx, principal)
  return lp.simulate({ action = "s3:GetObject", resource = resource, context = ctx,
                       principal = principal }, d)
end

describe("policy variables", function()
  local home = doc { Resource = "arn:aws:s3:::home/${aws:username}/*" }

  it("${aws:username} comes from the context", function()
    assert.equal("allow", decide(home, "arn:aws:s3:::home/alice/x", { ["aws:username"] = "alice" }))
    assert.equal("implicit_deny", decide(home, "arn:aws:s3:::home/bob/x", { ["aws:username"] = "alice" }))
  end)

  it("${aws:username} is derived from an IAM user principal", function()
    assert.equal("allow", decide(home, "arn:aws:s3:::home/alice/x", nil, USER))
    assert.equal("implicit_deny", decide(home, "arn:aws:s3:::home/bob/x", nil, USER))
  end)

  it("an unresolved variable makes the Resource entry match nothing", function()
    -- a role session has no aws:username
    assert.equal("implicit_deny", decide(home, "arn:aws:s3:::home/${aws:username}/x", nil,
      "arn:aws:sts::123456789012:assumed-role/r/s"))
    local both = doc { Resource = { "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::public/*" } }
    assert.equal("allow", decide(both, "arn:aws:s3:::public/x", {}))
  end)

  it("key names of variables ignore case", function()
    assert.equal("allow", decide(doc { Resource = "arn:aws:s3:::home/${AWS:UserName}/*" },
      "arn:aws:s3:::home/alice/x", { ["aws:username"] = "alice" }))
  end)

  it("tag variables: ${aws:PrincipalTag/team}", function()
    local d = doc { Resource = "arn:aws:s3:::teams/${aws:PrincipalTag/team}/*" }
    assert.equal("allow", decide(d, "arn:aws:s3:::teams/ml/x", { ["aws:PrincipalTag/team"] = "ml" }))
    assert.equal("implicit_deny", decide(d, "arn:aws:s3:::teams/web/x", { ["aws:PrincipalTag/team"] = "ml" }))
  end)

  it("defaults: ${key, 'default'} when the key is absent", function()
    local d = doc { Resource = "arn:aws:s3:::teams/${aws:PrincipalTag/team, 'company-wide'}/*" }
    assert.equal("allow", decide(d, "arn:aws:s3:::teams/company-wide/x", {}))
    assert.equal("allow", decide(d, "arn:aws:s3:::teams/ml/x", { ["aws:PrincipalTag/team"] = "ml" }))
    assert.equal("implicit_deny", decide(d, "arn:aws:s3:::teams/company-wide/x",
      { ["aws:PrincipalTag/team"] = "ml" }))
  end)

  it("escapes ${*} ${?} ${$} are literal characters", function()
    local d = doc { Resource = "arn:aws:s3:::b/${*}${?}${$}/*" }
    assert.equal("allow", decide(d, "arn:aws:s3:::b/*?$/x", {}))
    assert.equal("implicit_deny", decide(d, "arn:aws:s3:::b/ab$/x", {}))
  end)

  it("a substituted value is literal: its * is no wildcard", function()
    assert.equal("implicit_deny", decide(home, "arn:aws:s3:::home/anything/x", { ["aws:username"] = "*" }))
    assert.equal("allow", decide(home, "arn:aws:s3:::home/*/x", { ["aws:username"] = "*" }))
  end)

  it("a multivalued key is not a variable", function()
    assert.equal("implicit_deny", decide(home, "arn:aws:s3:::home/a/x", { ["aws:username"] = { "a", "b" } }))
  end)

  it("is literal text under Version 2008-10-17", function()
    local old = doc({ Resource = "arn:aws:s3:::home/${aws:username}/*" }, "2008-10-17")
    assert.equal("implicit_deny", decide(old, "arn:aws:s3:::home/alice/x", { ["aws:username"] = "alice" }))
    assert.equal("allow", decide(old, "arn:aws:s3:::home/${aws:username}/x", { ["aws:username"] = "alice" }))
    local none = { Statement = { { Effect = "Allow", Action = "s3:GetObject",
                                   Resource = "arn:aws:s3:::home/${aws:username}/*" } } }
    assert.equal("implicit_deny", decide(none, "arn:aws:s3:::home/alice/x", { ["aws:username"] = "alice" }))
  end)

  it("is substituted only in the resource part of an ARN", function()
    local d = doc { Action = "s3:ListBucket", Resource = "arn:aws:s3:::${aws:username}" }
    assert.equal("allow", lp.simulate({ action = "s3:ListBucket", resource = "arn:aws:s3:::alice",
      context = { ["aws:username"] = "alice" } }, d))
    local acct = doc { Action = "sqs:SendMessage", Resource = "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q" }
    assert.equal("implicit_deny", lp.simulate({ action = "sqs:SendMessage",
      resource = "arn:aws:sqs:us-east-1:123456789012:q", context = { ["aws:PrincipalAccount"] = "123456789012" } }, acct))
  end)

  describe("in conditions", function()
    local function cond(op, value, ctx)
      return decide(doc { Resource = "*", Condition = { [op] = { ["s3:prefix"] = value } } }, "*", ctx)
    end
    it("String operators substitute", function()
      local ctx = { ["aws:username"] = "alice", ["s3:prefix"] = "home/alice/" }
      assert.equal("allow", cond("StringEquals", "home/${aws:username}/", ctx))
      assert.equal("allow", cond("StringLike", "home/${aws:username}/*", ctx))
      assert.equal("implicit_deny", cond("StringEquals", "home/${aws:username}/",
        { ["aws:username"] = "bob", ["s3:prefix"] = "home/alice/" }))
    end)
    it("unresolved: StringEquals/StringLike do not match, the negated ones do", function()
      local ctx = { ["s3:prefix"] = "home/alice/" }
      assert.equal("implicit_deny", cond("StringEquals", "home/${aws:username}/", ctx))
      assert.equal("implicit_deny", cond("StringLike", "home/${aws:username}/*", ctx))
      assert.equal("allow", cond("StringNotEquals", "home/${aws:username}/", ctx))
      assert.equal("allow", cond("StringNotLike", "home/${aws:username}/*", ctx))
    end)
    it("ARN operators substitute", function()
      local d = doc { Resource = "*", Condition = { ArnLike = {
        ["aws:SourceArn"] = "arn:aws:sagemaker:*:${aws:PrincipalAccount}:training-job/*" } } }
      local arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/j"
      assert.equal("allow", decide(d, "*", { ["aws:SourceArn"] = arn, ["aws:PrincipalAccount"] = "123456789012" }))
      assert.equal("implicit_deny", decide(d, "*", { ["aws:SourceArn"] = arn, ["aws:PrincipalAccount"] = "999999999999" }))
    end)
    it("Numeric operators do not substitute", function()
      local d = doc { Resource = "*", Condition = { NumericEquals = { ["s3:max-keys"] = "${k:n}" } } }
      assert.equal("implicit_deny", decide(d, "*", { ["k:n"] = "5", ["s3:max-keys"] = "5" }))
    end)
  end)
end)
