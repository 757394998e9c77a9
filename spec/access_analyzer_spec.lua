-- Access Analyzer's checks that leastpriv computes offline under AA's code,
-- type and meaning (issue 13, "Access Analyzer's checks").  The examples of
-- every code are in lua/leastpriv/check/checks.lua (run by validate_spec);
-- these pin the edges of the rules.
local lp = require "leastpriv"

local function doc(...)
  return '{"Version": "2012-10-17", "Statement": [' .. table.concat({ ... }, ", ") .. "]}"
end

local function findings(cond, action, resource)
  return lp.validate(doc(('{"Effect": "Allow", "Action": "%s", "Resource": "%s", "Condition": %s}')
    :format(action or "sqs:SendMessage", resource or "*", cond)))
end

local function codes(cond, action, resource)
  local set = {}
  for _, f in ipairs(findings(cond, action, resource)) do set[f.code] = f end
  return set
end

describe("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", function()
  -- IAM User Guide, condition operators: ArnLike is a "Case-sensitive match
  -- of the ARN. Each of the six colon-delimited components of the ARN is
  -- checked separately and each can include multi-character match
  -- wildcards (*) or single-character match wildcards (?)."  StringLike
  -- does not split the ARN.
  it("is a security warning on StringLike and StringNotLike over an ARN key", function()
    for _, op in ipairs { "StringLike", "StringNotLike", "ForAnyValue:StringLike", "StringLikeIfExists" } do
      local f = codes(('{"%s": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}'):format(op))
        .STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS
      assert.truthy(f, op)
      assert.equal("security", f.severity)
      assert.matches("Arn", f.hint)
    end
  end)
  it("is not reported for Arn operators, StringEquals, or String keys", function()
    local c = codes('{"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}')
    assert.is_nil(c.STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS)
    c = codes('{"StringEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}')
    assert.is_nil(c.STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS)
    c = codes('{"StringLike": {"aws:PrincipalTag/team": "ml-*"}}')
    assert.is_nil(c.STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS)
  end)
end)

describe("EQUIVALENT_TO_NULL_FALSE", function()
  -- IAM User Guide, Null condition operator: "Use a Null condition operator
  -- to check if a condition key is absent at the time of authorization."
  -- StringLike "*" matches any value of a present key: it is Null false.
  it("is a suggestion on StringLike whose only value is *", function()
    local f = codes('{"StringLike": {"aws:PrincipalTag/team": "*"}}').EQUIVALENT_TO_NULL_FALSE
    assert.truthy(f)
    assert.equal("suggestion", f.severity)
    assert.matches('"Null"', f.hint)
    assert.truthy(codes('{"StringLike": {"aws:PrincipalTag/team": ["*"]}}').EQUIVALENT_TO_NULL_FALSE)
  end)
  it("is not reported on other values, other operators, IfExists or set operators", function()
    for _, cond in ipairs {
      '{"StringLike": {"aws:PrincipalTag/team": ["*", "ml"]}}',
      '{"StringLike": {"aws:PrincipalTag/team": "ml*"}}',
      '{"StringNotLike": {"aws:PrincipalTag/team": "*"}}',
      '{"StringEquals": {"aws:PrincipalTag/team": "*"}}',
      '{"StringLikeIfExists": {"aws:PrincipalTag/team": "*"}}',
      '{"ForAnyValue:StringLike": {"aws:TagKeys": "*"}}',
    } do
      assert.is_nil(codes(cond).EQUIVALENT_TO_NULL_FALSE, cond)
    end
  end)
end)

describe("TYPE_MISMATCH", function()
  -- kms:EncryptionContext:${EncryptionContextKey} is a String key; AWS's
  -- own managed policies test kms:EncryptionContext:aws:s3:arn with
  -- ArnLike, which IAM accepts: ARN operators compare the ARN a String key
  -- holds.
  it("accepts ArnLike and ArnEquals on String keys that hold ARNs", function()
    for _, op in ipairs { "ArnLike", "ArnEquals", "ArnNotLike" } do
      local c = codes(('{"%s": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::my-bucket/*"}}'):format(op),
        "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/*")
      assert.is_nil(c.TYPE_MISMATCH, op)
    end
    assert.is_nil(codes('{"ArnLike": {"aws:RequestTag/owner": "arn:aws:iam::*:role/*"}}').TYPE_MISMATCH)
  end)
  it("still reports other mismatches", function()
    assert.truthy(codes('{"ArnLike": {"aws:SourceIp": "203.0.113.0/24"}}').TYPE_MISMATCH)
    assert.truthy(codes('{"StringEquals": {"aws:SourceIp": "203.0.113.7"}}').TYPE_MISMATCH)
    assert.truthy(codes('{"DateGreaterThan": {"aws:SourceArn": "2020-01-01T00:00:00Z"}}').TYPE_MISMATCH)
  end)
end)

describe("the table of Access Analyzer's checks (docs/checks.md)", function()
  local aa = require "leastpriv.check.access_analyzer"
  local checks = require "leastpriv.check.checks"
  it("names each code once, with a known finding type", function()
    local seen = {}
    for _, e in ipairs(aa.list) do
      assert.is_nil(seen[e[1]], e[1])
      seen[e[1]] = true
      assert.truthy(aa.severity_of[e[2]], e[1])
    end
  end)
  it("keeps AA's type for our code of the same name, or says how it differs", function()
    for _, e in ipairs(aa.list) do
      local ours = checks.by_code[e[1]]
      if ours and ours.severity ~= aa.severity_of[e[2]] then
        assert.is_string(e.differs, e[1] .. " is " .. ours.severity .. " here, " .. e[2] .. " in AA")
      end
    end
  end)
  it("maps a code we do not have to codes that exist, or says why not", function()
    for _, e in ipairs(aa.list) do
      if not checks.by_code[e[1]] then
        if e.via then
          for _, c in ipairs(e.via) do assert.truthy(checks.by_code[c], e[1] .. " -> " .. c) end
        else
          assert.is_true(type(e.missing) == "string" or type(e.offline) == "string", e[1])
        end
      end
    end
  end)
  it("covers the codes issue 13 names", function()
    local listed = {}
    for _, e in ipairs(aa.list) do listed[e[1]] = e end
    for _, code in ipairs { "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", "EQUIVALENT_TO_NULL_FALSE",
      "PASS_ROLE_WITH_STAR_IN_RESOURCE", "TYPE_MISMATCH" } do
      assert.truthy(listed[code], code)
      assert.truthy(checks.by_code[code], code)
    end
  end)
end)
