-- analysis.implies: does condition A imply condition B?  For each form:
-- narrower (yes), wider (no, with a context the engine checks), and where
-- it cannot be shown (unknown).  AWS semantics quoted from "IAM JSON policy
-- elements: Condition operators" and "Conditions with multiple context
-- keys or values" (docs.aws.amazon.com/IAM/latest/UserGuide/).
local implies = require "leastpriv.analysis.implies"

local function cond(op, key, ...)
  return { [op] = { [key] = { ... } } }
end

local function both(a, b)
  local out = {}
  for op, m in pairs(a) do out[op] = {} for k, v in pairs(m) do out[op][k] = v end end
  for op, m in pairs(b) do
    out[op] = out[op] or {}
    for k, v in pairs(m) do out[op][k] = v end
  end
  return out
end

-- A "no" must come with a context where A holds and B fails.
local function assert_wider(a, b)
  local answer, ctx = implies.implies(a, b)
  assert.equal("no", answer)
  assert.is_true(implies.holds(a, ctx))
  assert.is_false(implies.holds(b, ctx))
end

local function assert_narrower(a, b)
  assert.equal("yes", (implies.implies(a, b)))
end

describe("condition implication", function()
  describe("keys (\"multiple condition operators ... are evaluated using a logical AND\")", function()
    it("a condition implies no condition, and more keys imply fewer", function()
      local tag = cond("StringEquals", "aws:PrincipalTag/env", "prod")
      local tls = cond("Bool", "aws:SecureTransport", "true")
      assert_narrower(tag, nil)
      assert_narrower(both(tag, tls), tls)
      assert_narrower(both(tag, tls), tag)
    end)

    it("fewer keys do not imply more", function()
      assert_wider(nil, cond("Bool", "aws:SecureTransport", "true"))
      assert_wider(cond("Bool", "aws:SecureTransport", "true"),
        both(cond("Bool", "aws:SecureTransport", "true"), cond("StringEquals", "aws:PrincipalTag/env", "prod")))
    end)

    it("matches key names without case (\"Condition key names are not case-sensitive\")", function()
      assert_narrower(cond("StringEquals", "AWS:PrincipalTag/Env", "prod"),
                      cond("StringEquals", "aws:principaltag/env", "prod"))
    end)
  end)

  describe("StringEquals (\"multiple values for a context key ... logical OR\")", function()
    it("a subset of values is narrower, a superset wider", function()
      assert_narrower(cond("StringEquals", "aws:PrincipalTag/env", "prod"),
                      cond("StringEquals", "aws:PrincipalTag/env", "prod", "dev"))
      assert_wider(cond("StringEquals", "aws:PrincipalTag/env", "prod", "dev"),
                   cond("StringEquals", "aws:PrincipalTag/env", "prod"))
    end)

    it("is case-sensitive where StringEqualsIgnoreCase is not", function()
      assert_narrower(cond("StringEquals", "aws:PrincipalTag/env", "Prod"),
                      cond("StringEqualsIgnoreCase", "aws:PrincipalTag/env", "prod"))
      assert_wider(cond("StringEqualsIgnoreCase", "aws:PrincipalTag/env", "prod"),
                   cond("StringEquals", "aws:PrincipalTag/env", "prod"))
    end)

    it("a value among those a StringLike pattern covers is narrower", function()
      assert_narrower(cond("StringEquals", "s3:prefix", "home/alice/"),
                      cond("StringLike", "s3:prefix", "home/*"))
    end)
  end)

  describe("StringLike and ArnLike: patterns covered by patterns", function()
    it("a pattern inside another is narrower", function()
      assert_narrower(cond("StringLike", "s3:prefix", "home/alice/*"), cond("StringLike", "s3:prefix", "home/*"))
      assert_narrower(cond("StringLike", "s3:prefix", "a?c"), cond("StringLike", "s3:prefix", "a*"))
      assert_narrower(cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket-a"),
                      cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket-*"))
    end)

    it("a pattern reaching beyond is wider", function()
      assert_wider(cond("StringLike", "s3:prefix", "home/*"), cond("StringLike", "s3:prefix", "home/alice/*"))
      assert_wider(cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::*"),
                   cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket-*"))
    end)

    it("ArnLike matches part by part: a * in a part never crosses ':'", function()
      -- AWS: "Each of the six colon-delimited components of the ARN is checked separately"
      assert_narrower(cond("ArnLike", "aws:SourceArn", "arn:aws:sqs:us-east-1:111122223333:q*"),
                      cond("ArnLike", "aws:SourceArn", "arn:aws:sqs:*:111122223333:*"))
      assert.are_not.equal("yes", (implies.implies(
        cond("StringLike", "aws:SourceArn", "arn:aws:sqs:*"),
        cond("ArnLike", "aws:SourceArn", "arn:aws:sqs:*:111122223333:*"))))
    end)
  end)

  describe("negated operators (\"a single negated matching condition operator ... logical NOR\")", function()
    it("excluding more is narrower, excluding less wider", function()
      assert_narrower(cond("StringNotEquals", "aws:PrincipalTag/env", "dev", "test"),
                      cond("StringNotEquals", "aws:PrincipalTag/env", "dev"))
      assert_wider(cond("StringNotEquals", "aws:PrincipalTag/env", "dev"),
                   cond("StringNotEquals", "aws:PrincipalTag/env", "dev", "test"))
      assert_narrower(cond("StringNotLike", "s3:prefix", "secret/*"), cond("StringNotLike", "s3:prefix", "secret/a/*"))
    end)

    it("'?' is one character, also beyond ASCII", function()
      assert.are_not.equal("yes", (implies.implies(cond("StringLike", "s3:prefix", "?"),
                                                   cond("StringNotLike", "s3:prefix", "\195\169"))))
    end)

    it("a positive value outside the excluded ones is narrower", function()
      assert_narrower(cond("StringEquals", "aws:PrincipalTag/env", "prod"),
                      cond("StringNotEquals", "aws:PrincipalTag/env", "dev"))
      assert_narrower(cond("StringLike", "s3:prefix", "public/*"), cond("StringNotLike", "s3:prefix", "secret/*"))
      assert_wider(cond("StringLike", "s3:prefix", "*"), cond("StringNotLike", "s3:prefix", "secret/*"))
    end)
  end)

  describe("numbers and dates: ranges", function()
    it("a range inside another is narrower", function()
      assert_narrower(cond("NumericLessThan", "s3:max-keys", "10"), cond("NumericLessThanEquals", "s3:max-keys", "10"))
      assert_narrower(both(cond("NumericGreaterThan", "s3:max-keys", "2"), cond("NumericLessThan", "s3:max-keys", "5")),
                      cond("NumericNotEquals", "s3:max-keys", "7"))
      assert_narrower(cond("NumericEquals", "s3:max-keys", "3"), cond("NumericLessThan", "s3:max-keys", "10"))
      assert_narrower(cond("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"),
                      cond("DateLessThan", "aws:CurrentTime", "2021-01-01"))
      assert_narrower(cond("DateGreaterThan", "aws:CurrentTime", "2024-06-01T00:00:00Z"),
                      cond("DateGreaterThanEquals", "aws:CurrentTime", "2024-01-01T00:00:00+01:00"))
    end)

    it("a range reaching beyond is wider", function()
      assert_wider(cond("NumericLessThanEquals", "s3:max-keys", "10"), cond("NumericLessThan", "s3:max-keys", "10"))
      assert_wider(cond("DateLessThan", "aws:CurrentTime", "2022-01-01T00:00:00Z"),
                   cond("DateLessThan", "aws:CurrentTime", "2021-01-01"))
    end)
  end)

  describe("IpAddress: CIDR containment", function()
    it("a smaller network is narrower, a larger one wider", function()
      assert_narrower(cond("IpAddress", "aws:SourceIp", "10.1.0.0/16"), cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"))
      assert_narrower(cond("IpAddress", "aws:SourceIp", "10.1.2.3"), cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"))
      assert_wider(cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"), cond("IpAddress", "aws:SourceIp", "10.1.0.0/16"))
    end)

    it("NotIpAddress: a network disjoint from the excluded one is narrower", function()
      assert_narrower(cond("IpAddress", "aws:SourceIp", "192.168.0.0/16"), cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"))
      assert_narrower(cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"), cond("NotIpAddress", "aws:SourceIp", "10.1.0.0/16"))
      assert_wider(cond("NotIpAddress", "aws:SourceIp", "10.1.0.0/16"), cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"))
    end)
  end)

  describe("Bool and Null", function()
    it("Bool: the same value is implied, another is not", function()
      assert_narrower(cond("Bool", "aws:SecureTransport", "true"), cond("Bool", "aws:SecureTransport", "true"))
      assert_wider(cond("Bool", "aws:SecureTransport", "false"), cond("Bool", "aws:SecureTransport", "true"))
    end)

    it("Null false (the key is present) follows from a positive operator on the key", function()
      -- AWS: a positive operator on a key absent from the request is false
      assert_narrower(cond("StringEquals", "aws:PrincipalTag/env", "prod"), cond("Null", "aws:PrincipalTag/env", "false"))
      assert_wider(cond("StringNotEquals", "aws:PrincipalTag/env", "dev"), cond("Null", "aws:PrincipalTag/env", "false"))
      assert_wider(cond("Null", "aws:TokenIssueTime", "false"), cond("Null", "aws:TokenIssueTime", "true"))
    end)
  end)

  describe("...IfExists (\"If the key is not present, evaluate the condition element as true\")", function()
    it("the operator without IfExists implies it with IfExists, not the reverse", function()
      assert_narrower(cond("StringEquals", "aws:PrincipalTag/env", "prod"),
                      cond("StringEqualsIfExists", "aws:PrincipalTag/env", "prod"))
      assert_wider(cond("StringEqualsIfExists", "aws:PrincipalTag/env", "prod"),
                   cond("StringEquals", "aws:PrincipalTag/env", "prod"))
    end)

    it("IfExists with the key known present behaves as the plain operator", function()
      assert_narrower(both(cond("StringEqualsIfExists", "aws:PrincipalTag/env", "prod"),
                           cond("Null", "aws:PrincipalTag/env", "false")),
                      cond("StringEquals", "aws:PrincipalTag/env", "prod"))
    end)
  end)

  describe("ForAllValues and ForAnyValue (multivalued keys)", function()
    it("ForAllValues: fewer allowed values is narrower, more wider", function()
      assert_narrower(cond("ForAllValues:StringEquals", "aws:TagKeys", "a"),
                      cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"))
      assert_wider(cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"),
                   cond("ForAllValues:StringEquals", "aws:TagKeys", "a"))
    end)

    it("ForAnyValue: fewer values is narrower, more wider", function()
      assert_narrower(cond("ForAnyValue:StringEquals", "aws:TagKeys", "a"),
                      cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", "b"))
      assert_wider(cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", "b"),
                   cond("ForAnyValue:StringEquals", "aws:TagKeys", "a"))
    end)

    it("ForAllValues holds with no values: it does not imply ForAnyValue", function()
      -- AWS: ForAllValues "also returns true if there are no context keys in the request"
      assert_wider(cond("ForAllValues:StringEquals", "aws:TagKeys", "a"),
                   cond("ForAnyValue:StringEquals", "aws:TagKeys", "a"))
    end)

    it("a plain operator does not imply a set operator's several values", function()
      assert.equal("yes", (implies.implies(cond("StringEquals", "aws:TagKeys", "a"),
                                           cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"))))
      assert.are_not.equal("yes", (implies.implies(cond("ForAnyValue:StringEquals", "aws:TagKeys", "a"),
                                                   cond("StringEquals", "aws:TagKeys", "a"))))
    end)
  end)

  describe("what cannot be shown", function()
    it("policy variables are compared as written", function()
      local same = cond("StringEquals", "s3:prefix", "home/${aws:username}/")
      assert_narrower(same, same)
      local answer = implies.implies(same, cond("StringEquals", "s3:prefix", "home/${aws:userid}/"))
      assert.are_not.equal("yes", answer)
    end)

    it("is unknown, not yes, where no proof and no witness is found", function()
      -- "*?" and "?*" match the same strings; the containment test is sound, not complete
      local answer, why = implies.implies(cond("StringLike", "s3:prefix", "?*"), cond("StringLike", "s3:prefix", "*?"))
      assert.equal("unknown", answer)
      assert.matches("not proven narrower", why)
    end)

    it("an operator it does not know is unknown", function()
      local answer, why = implies.implies({ StringSomething = { k = { "v" } } }, cond("StringEquals", "k", "v"))
      assert.equal("unknown", answer)
      assert.matches("StringSomething", why)
    end)
  end)

  describe("split", function()
    it("splits a positive operator's values into one condition each", function()
      local parts = implies.split(cond("StringEquals", "aws:PrincipalTag/env", "prod", "dev"))
      assert.equal(2, #parts)
      assert.same({ "prod" }, parts[1].StringEquals["aws:PrincipalTag/env"])
    end)

    it("does not split negated operators (their values are a NOR)", function()
      assert.equal(1, #implies.split(cond("StringNotEquals", "aws:PrincipalTag/env", "prod", "dev")))
    end)
  end)
end)

describe("pattern containment (core)", function()
  local core = require "leastpriv.core"

  it("glob_contains: a '*' of the inner pattern needs a '*' of the outer", function()
    assert.is_true(core.glob_contains("a*", "abc"))
    assert.is_true(core.glob_contains("a*", "a?"))
    assert.is_false(core.glob_contains("a?", "a*"))
    assert.is_true(core.glob_contains("a*b*", "a*b"))
    assert.is_false(core.glob_contains("a*", "b*"))
    assert.is_true(core.glob_contains("?", "é"))
    assert.is_false(core.glob_contains("ABC", "abc"))
    assert.is_true(core.glob_contains("ABC", "abc", true))
    assert.is_false(core.glob_contains("*", ("x"):rep(2000)))    -- too long to decide: not shown
    assert.is_false(core.glob_contains("*", "\226s*"))           -- malformed UTF-8: not shown
  end)

  it("arn_contains: Resource semantics, part by part", function()
    assert.is_true(core.arn_contains("arn:aws:s3:::b/*", "arn:aws:s3:::b/in/*"))
    assert.is_false(core.arn_contains("arn:aws:s3:::b/?", "arn:aws:s3:::b/*"))
    assert.is_false(core.arn_contains("arn:aws:s3:::b*", "arn:aws:s3:::*"))
    assert.is_true(core.arn_contains("arn:aws:*", "arn:aws:s3:::x"))
    assert.is_true(core.arn_contains("arn:AWS:s3:::b", "arn:aws:s3:::b"))   -- first five parts without case
    assert.is_false(core.arn_contains("arn:aws:s3:::B", "arn:aws:s3:::b"))
  end)
end)
