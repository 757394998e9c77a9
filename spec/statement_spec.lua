local lp = require "leastpriv"

describe("lp.allow / lp.deny", function()
  it("builds an IAM statement from lower-case fields", function()
    local s = lp.allow { sid = "Read", action = "s3:GetObject", resource = "arn:aws:s3:::b/*" }
    assert.same({ Sid = "Read", Effect = "Allow", Action = { "s3:GetObject" },
                  Resource = { "arn:aws:s3:::b/*" } }, s)
    assert.equal("Deny", lp.deny { action = "s3:*", resource = "*" }.Effect)
  end)

  it("flattens nested action lists", function()
    local s = lp.allow { action = { { "ecr:BatchGetImage" }, "ecr:GetDownloadUrlForLayer" }, resource = "*" }
    assert.same({ "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" }, s.Action)
  end)

  it("supports NotAction, NotResource, principals and conditions", function()
    local s = lp.deny { not_action = "iam:*", not_resource = "arn:aws:s3:::b",
                        principal = { aws = "123456789012", service = "s3.amazonaws.com" },
                        condition = { StringNotEqualsIfExists = { ["aws:SourceVpc"] = "vpc-1" } } }
    assert.same({ "iam:*" }, s.NotAction)
    assert.same({ "arn:aws:s3:::b" }, s.NotResource)
    assert.same({ AWS = { "123456789012" }, Service = { "s3.amazonaws.com" } }, s.Principal)
    assert.same({ "vpc-1" }, s.Condition.StringNotEqualsIfExists["aws:SourceVpc"])
  end)

  it("accepts every condition operator form", function()
    for _, op in ipairs { "ForAllValues:StringEquals", "ForAnyValue:StringLikeIfExists", "Null",
                          "DateGreaterThan", "IpAddress", "ArnNotLike", "BinaryEquals" } do
      assert.truthy(lp.allow { action = "s3:GetObject", resource = "*",
                               condition = { [op] = { ["aws:TagKeys"] = "x" } } })
    end
  end)

  local function line_of_error(fn)
    local ok, err = pcall(fn)
    assert.is_false(ok)
    return err
  end

  it("blames the caller's line for a misspelt field, with a suggestion", function()
    local err = line_of_error(function() local r = lp.allow { acton = "s3:GetObject", resource = "*" }; return r end)
    assert.matches("statement_spec.lua:%d+: lp.allow: unknown field 'acton' %(did you mean 'action'%?%)", err)
  end)

  it("rejects an unknown action with a suggestion", function()
    local err = line_of_error(function() local r = lp.allow { action = "s3:GetObjekt", resource = "*" }; return r end)
    assert.matches("did you mean s3:GetObject", err, 1, true)
    assert.matches("statement_spec.lua:%d+: ", err)
  end)

  it("rejects an action pattern that matches nothing", function()
    local err = line_of_error(function() local r = lp.allow { action = "s3:Fly*", resource = "*" }; return r end)
    assert.matches('action pattern "s3:Fly*" matches no AWS action', err, 1, true)
  end)

  it("rejects a malformed action", function()
    local err = line_of_error(function() local r = lp.allow { action = "GetObject", resource = "*" }; return r end)
    assert.matches("must look like service:ActionName", err)
  end)

  it("rejects an invalid ARN naming the bad part", function()
    local err = line_of_error(function()
      return lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:us-east-1a::b" }
    end)
    assert.matches('region "us-east-1a" is not a region code', err, 1, true)
  end)

  it("rejects wrong types and missing or doubled elements", function()
    assert.matches("action%[2%] must be a string",
      line_of_error(function() local r = lp.allow { action = { "s3:GetObject", 3 }, resource = "*" }; return r end))
    assert.matches("needs action", line_of_error(function() local r = lp.allow { resource = "*" }; return r end))
    assert.matches("action or not_action, not both", line_of_error(function()
      return lp.allow { action = "s3:GetObject", not_action = "s3:PutObject" } end))
    assert.matches("resource or not_resource, not both", line_of_error(function()
      return lp.allow { action = "s3:GetObject", resource = "*", not_resource = "*" } end))
    assert.matches("takes a table", line_of_error(function() return lp.allow "s3:GetObject" end))
    assert.matches("sid must be a string", line_of_error(function()
      return lp.allow { sid = 1, action = "s3:GetObject" } end))
  end)

  it("rejects unknown condition operators and malformed keys", function()
    assert.matches("unknown condition operator 'StringEqual' %(did you mean 'StringEquals'%?%)",
      line_of_error(function()
        return lp.allow { action = "s3:GetObject", condition = { StringEqual = { ["a:b"] = "x" } } } end))
    assert.matches("Null cannot take the IfExists suffix", line_of_error(function()
      return lp.allow { action = "s3:GetObject", condition = { NullIfExists = { ["a:b"] = "true" } } } end))
    assert.matches("must look like service:name", line_of_error(function()
      return lp.allow { action = "s3:GetObject", condition = { StringEquals = { prefix = "x" } } } end))
  end)

  it("rejects an unknown principal type", function()
    assert.matches("unknown principal type 'servce' %(did you mean 'service'%?%)", line_of_error(function()
      return lp.allow { action = "sts:AssumeRole", principal = { servce = "x.amazonaws.com" } } end))
  end)
end)

describe("lp.policy", function()
  it("builds a canonical document from statements, Version defaulting to 2012-10-17", function()
    local d = lp.policy { lp.allow { action = "s3:GetObject", resource = "*" } }
    assert.equal("2012-10-17", d.Version)
    assert.same({ "s3:GetObject" }, d.Statement[1].Action)
  end)

  it("flattens helpers that return several statements", function()
    local d = lp.policy { lp.scope { account = "123456789012", region = "us-east-1" }.ecr.pull("r") }
    assert.equal(2, #d.Statement)
  end)

  it("accepts raw IAM documents and raw statements", function()
    local d = lp.policy { Version = "2012-10-17", Statement = { Effect = "Allow", Action = "s3:GetObject", Resource = "*" } }
    assert.equal(1, #d.Statement)
    d = lp.policy { { Effect = "Deny", Action = "*", Resource = "*" }, version = "2012-10-17", id = "x" }
    assert.equal("x", d.Id)
  end)

  it("blames the caller for a bad raw document, with the path", function()
    local ok, err = pcall(function()
      local r = lp.policy { Statement = { { Effect = "allow", Action = "s3:GetObject" } } }
      return r
    end)
    assert.is_false(ok)
    assert.matches('statement_spec.lua:%d+: lp.policy: Statement%[0%].Effect: must be "Allow" or "Deny"', err)
  end)

  it("rejects unknown fields, non-statements and empty policies", function()
    assert.has_error(function() lp.policy { versoin = "2012-10-17", lp.allow { action = "s3:GetObject" } } end)
    assert.has_error(function() lp.policy { "s3:GetObject" } end)
    assert.has_error(function() lp.policy {} end)
  end)
end)

describe("lp.managed_policy", function()
  it("names a standalone policy", function()
    local p = lp.managed_policy { name = "read-data", description = "d",
                                  lp.allow { action = "s3:GetObject", resource = "*" } }
    assert.equal("policy", p.kind)
    assert.equal("read-data", p.name)
    assert.equal("s3:GetObject", p.document.Statement[1].Action[1])
  end)

  it("rejects a bad name or path", function()
    assert.has_error(function() lp.managed_policy { name = "bad name", lp.allow { action = "s3:GetObject" } } end)
    assert.has_error(function() lp.managed_policy { name = "x", path = "x", lp.allow { action = "s3:GetObject" } } end)
  end)
end)
