-- lp.validate and the table of checks: every check has a policy that
-- triggers it (bad) and a near miss that does not (good), run here from
-- lua/leastpriv/check/checks.lua; the C core reports only codes the table
-- describes; findings have the documented shape and never raise.
local lp = require "leastpriv"
local checks = require "leastpriv.check.checks"
local engine = require "leastpriv.check.engine"
local inputs = require "leastpriv.check.inputs"
local validate = require "leastpriv.validate"

-- Findings of example text (its format) with the check's options.
local function run_example(c, text)
  local opts = {}
  for k, v in pairs(c.opts or {}) do opts[k] = v end
  opts.type = c.type
  if c.format == "lua" or c.format == "tf" then
    local path = os.tmpname() .. "." .. c.format
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
    local run = engine.new(opts)
    validate.check(run, inputs.load(run, path, {}))
    os.remove(path)
    return run:result()
  end
  return lp.validate(text, opts)
end

local function codes(findings)
  local set = {}
  for _, f in ipairs(findings) do set[f.code] = (set[f.code] or 0) + 1 end
  return set
end

-- A policy document (JSON text) of these statements.
local function doc(...)
  return '{"Version": "2012-10-17", "Statement": [' .. table.concat({ ... }, ", ") .. "]}"
end

-- Does lp.validate(text, opts) report code?
local function has(text, code, opts)
  for _, f in ipairs(lp.validate(text, opts)) do if f.code == code then return true end end
  return false
end

describe("the table of checks", function()
  it("has unique codes, known severities and categories, and both examples", function()
    local seen, cats = {}, {}
    for _, c in ipairs(checks.categories) do cats[c.name] = true end
    for _, c in ipairs(checks.list) do
      assert.is_nil(seen[c.code], c.code)
      seen[c.code] = true
      assert.truthy(c.code:match("^[A-Z][A-Z0-9_]+$"), c.code)
      assert.truthy(checks.rank[c.severity], c.code)
      assert.truthy(cats[c.category], c.code)
      assert.is_string(c.title, c.code)
      assert.is_string(c.description, c.code)
      assert.is_string(c.bad, c.code)
      assert.is_string(c.good, c.code)
    end
  end)

  it("describes every code the C core can report", function()
    for _, code in ipairs(lp.core.validate_codes()) do
      assert.truthy(checks.by_code[code], code .. " is reported but not described")
    end
  end)
end)

for _, c in ipairs(checks.list) do
  describe(c.code, function()
    it("is reported on its bad example, with its severity", function()
      local found
      for _, f in ipairs(run_example(c, c.bad)) do
        if f.code == c.code then found = f end
      end
      assert.truthy(found, c.code .. " not reported")
      assert.equal(c.severity, found.severity)
      assert.is_string(found.message)
    end)

    it("is not reported on its near miss", function()
      assert.is_nil(codes(run_example(c, c.good))[c.code])
    end)
  end)
end

describe("lp.validate", function()
  local DOC = [[{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": "s3:GetObjekt",
      "Resource": "arn:aws:s3:::my-bucket/*"
    }
  ]
}]]

  it("returns findings with code, severity, message, path, line, column, sid and hint", function()
    local f = lp.validate(DOC)
    assert.equal(1, #f)
    f = f[1]
    assert.equal("INVALID_ACTION", f.code)
    assert.equal("error", f.severity)
    assert.equal("Statement[0].Action", f.path)
    assert.equal(7, f.line)
    assert.equal(17, f.column)
    assert.equal("Read", f.sid)
    assert.equal("did you mean s3:GetObject?", f.hint)
    assert.matches("GetObjekt", f.message)
  end)

  it("takes a decoded document, and then has no positions", function()
    local f = lp.validate(lp.load_json(DOC))
    assert.equal("INVALID_ACTION", f[1].code)
    assert.is_nil(f[1].line)
  end)

  it("returns an empty list for a clean policy", function()
    assert.same({}, lp.validate([[{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}}]]))
  end)

  it("never raises on bad input: bad JSON is a finding with line and column", function()
    local f = lp.validate('{"Version": "2012-10-17",\n  "Statement": [}')
    assert.equal(1, #f)
    assert.equal("JSON_SYNTAX_ERROR", f[1].code)
    assert.equal(2, f[1].line)
    assert.equal(17, f[1].column)
  end)

  it("reports a duplicate key as a JSON error at its line", function()
    local f = lp.validate('{"Version": "2012-10-17",\n"Version": "2012-10-17", "Statement": []}')
    assert.equal("JSON_SYNTAX_ERROR", f[1].code)
    assert.equal(2, f[1].line)
    assert.matches("duplicate key", f[1].message)
  end)

  it("reports nesting deeper than the limit, invalid UTF-8 and oversize documents as JSON errors", function()
    local deep = string.rep("[", 100) .. string.rep("]", 100)
    assert.equal("JSON_SYNTAX_ERROR", lp.validate(deep)[1].code)
    assert.equal("JSON_SYNTAX_ERROR", lp.validate('{"Version": "\255"}')[1].code)
    local big = '{"Id": "' .. string.rep("x", 17 * 1024 * 1024) .. '"}'
    local f = lp.validate(big)
    assert.equal("JSON_SYNTAX_ERROR", f[1].code)
    assert.matches("MiB", f[1].message)
  end)

  it("never raises on policies of the wrong shape", function()
    for _, x in ipairs { "[]", "42", '"x"', "null", '{"Statement": 1}', '{"Statement": [1, null]}',
                         '{"Statement": [{"Effect": {}, "Action": [[]], "Resource": {}, "Principal": 7,'
                         .. ' "Condition": {"StringEquals": {"a:b": {}}}}]}' } do
      local f = lp.validate(x)
      assert.is_true(#f > 0, x)
    end
    assert.is_true(#lp.validate({ Statement = { { Effect = true } } }) > 0)
  end)

  it("infers the policy type, and takes it from opts.type", function()
    local trust = [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}]]
    assert.equal(1, codes(lp.validate(trust)).RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL)
    assert.equal(1, codes(lp.validate(trust, { type = "identity" })).UNSUPPORTED_PRINCIPAL)
  end)

  it("leaves out disabled codes", function()
    local f = lp.validate(DOC, { disable = { "INVALID_ACTION" } })
    assert.same({}, f)
  end)

  it("checks a role built with the DSL: trust and inline policies", function()
    local role = lp.role {
      name = "trainer",
      trust = lp.trust.service("sagemaker.amazonaws.com"),
      policies = { data = lp.policy { lp.allow { action = "s3:GetObject", resource = "*" } } },
    }
    local f = codes(lp.validate(role))
    assert.equal(1, f.RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL)
    assert.equal(1, f.RESOURCE_STAR)
    assert.equal(1, f.DATA_EXFILTRATION)
  end)

  it("checks a list of roles together: PassRole against the trust policies", function()
    local aws = lp.scope { account = "111122223333", region = "us-east-1" }
    local exec = lp.role { name = "trainer",
      trust = lp.trust.service("lambda.amazonaws.com", { source_account = "111122223333" }),
      policies = { data = lp.policy { lp.allow { action = "s3:GetObject", resource = aws.s3.objects("b", "in/") } } } }
    local caller = lp.role { name = "caller", trust = lp.trust.aws("111122223333"),
      policies = { launch = lp.policy {
        lp.allow { action = "iam:PassRole", resource = aws.iam.role("trainer"),
                   condition = { StringEquals = { ["iam:PassedToService"] = "sagemaker.amazonaws.com" } } } } } }
    local f = codes(lp.validate { caller, exec })
    assert.equal(1, f.PASS_ROLE_TO_UNTRUSTED_SERVICE)
    assert.equal(1, f.EXECUTION_ROLE_TRUST_MISSING_SERVICE)
  end)

  it("raises on misuse, not on bad policies", function()
    assert.has_error(function() lp.validate(print) end)
    assert.equal("DATA_TYPE_MISMATCH", lp.validate(42)[1].code)      -- decoded JSON of the wrong type
    assert.has_error(function() lp.validate("{}", { type = "nope" }) end)
    assert.has_error(function() lp.validate("{}", { colour = 1 }) end)
    assert.has_error(function() lp.validate("{}", { profile = "nope" }) end)
  end)

  it("gives the same findings every time", function()
    local text = '{"Statement": [{"Effect": "allow", "Action": ["s3:Get*", "s3:GetObject", "x"],'
      .. ' "Resource": ["*", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "yes"},'
      .. ' "StringEquals": {"aws:SourceIp": "1.2.3.4", "s3:prefix": "a*"}}}]}'
    local a = lp.core.json_encode(lp.validate(text))
    for _ = 1, 5 do assert.equal(a, lp.core.json_encode(lp.validate(text))) end
  end)
end)

describe("examples", function()
  it("the SageMaker execution and caller roles pass clean, together", function()
    local run = engine.new({})
    local entities = {}
    for _, p in ipairs { "examples/sagemaker/execution_role.lua", "examples/sagemaker/caller_role.lua" } do
      for _, e in ipairs(inputs.load(run, p, {})) do entities[#entities + 1] = e end
    end
    validate.check(run, entities)
    assert.same({}, run:result())
  end)

  it("the seed module draws RESOURCE_STAR on its ECR pull and RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL on its trust", function()
    local run = engine.new({})
    validate.check(run, inputs.load(run, "examples/sagemaker/seed_module.lua", {}))
    local f = run:result()
    assert.equal(2, #f)
    assert.equal("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", f[1].code)
    assert.equal("sagemaker-execution-role/trust", f[1].document)
    assert.equal("RESOURCE_STAR", f[2].code)
    assert.equal("Statement[1].Resource[0]", f[2].path)
    assert.matches("ecr:BatchGetImage", f[2].message)
    assert.matches("repository/", f[2].hint)
  end)

  it("the seed module passes the seed review profile, the article's own rule", function()
    local run = engine.new({ profile = "seed-review" })
    validate.check(run, inputs.load(run, "examples/sagemaker/seed_module.lua", {}))
    for _, f in ipairs(run:result()) do
      assert.is_nil(f.code:match("^SEED_REVIEW"), f.message)
    end
  end)
end)

describe("lp.validate on one JSON document", function()
  it("gives what the general path gives, over the benchmark corpus", function()
    package.path = "bench/?.lua;" .. package.path
    local corpus = require "corpus"
    for i, p in ipairs(corpus.policies(400, 99)) do
      local fast = lp.validate(p.text, { type = p.type })
      local run = engine.new({ type = p.type })
      validate.check(run, validate.json_entities(run, p.text, {}, { type = p.type }))
      local slow = run:result()
      assert.equal(lp.core.json_encode(slow), lp.core.json_encode(fast), "policy " .. i .. ": " .. p.text)
    end
  end)
end)

describe("security checks judge what the policy really allows", function()
  local ESC = '{"Effect": "Allow", "Action": ["iam:PassRole", "sagemaker:CreateTrainingJob"], "Resource": "*"}'

  it("reports an escalation path granted on every resource", function()
    assert.is_true(has(doc(ESC), "PRIVILEGE_ESCALATION"))
  end)

  it("drops it when an unconditional Deny takes an action of the path back", function()
    assert.is_false(has(doc(ESC, '{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}'),
                        "PRIVILEGE_ESCALATION"))
  end)

  it("keeps it when the Deny is conditional (it does not remove the path)", function()
    assert.is_true(has(doc(ESC, '{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*", '
      .. '"Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}'), "PRIVILEGE_ESCALATION"))
  end)

  it("drops it when a condition constrains the statement, or the resources are named", function()
    assert.is_false(has(doc('{"Effect": "Allow", "Action": ["iam:PassRole", "sagemaker:CreateTrainingJob"], '
      .. '"Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "ml"}}}'), "PRIVILEGE_ESCALATION"))
    assert.is_false(has(doc('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/trainer"}',
      '{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "*"}'), "PRIVILEGE_ESCALATION"))
  end)

  it("keeps a PassRole path through the service iam:PassedToService names, and drops others", function()
    local to = function(svc)
      return doc('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": '
        .. '{"StringEquals": {"iam:PassedToService": "' .. svc .. '"}}}',
        '{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "*"}')
    end
    assert.is_true(has(to("sagemaker.amazonaws.com"), "PRIVILEGE_ESCALATION"))
    assert.is_false(has(to("lambda.amazonaws.com"), "PRIVILEGE_ESCALATION"))
  end)

  it("reports the SageMaker paths: processing jobs, notebooks, presigned notebook URLs", function()
    for _, actions in ipairs {
      '["iam:PassRole", "sagemaker:CreateProcessingJob"]',
      '["iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"]',
      '"sagemaker:CreatePresignedNotebookInstanceUrl"',
    } do
      assert.is_true(has(doc('{"Effect": "Allow", "Action": ' .. actions .. ', "Resource": "*"}'),
                         "PRIVILEGE_ESCALATION"), actions)
    end
  end)

  it("drops credentials exposure and data exfiltration under an unconditional Deny", function()
    local base = '{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "s3:GetObject"], "Resource": "*"}'
    assert.is_true(has(doc(base), "CREDENTIALS_EXPOSURE"))
    assert.is_true(has(doc(base), "DATA_EXFILTRATION"))
    local denied = doc(base, '{"Effect": "Deny", "Action": ["iam:*", "s3:Get*"], "Resource": "*"}')
    assert.is_false(has(denied, "CREDENTIALS_EXPOSURE"))
    assert.is_false(has(denied, "DATA_EXFILTRATION"))
  end)
end)

describe("condition keys in context", function()
  local TRUST = { type = "trust" }
  local CI = '"Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}'

  it("takes the companion action from any Allow statement of the trust policy", function()
    local tagged = '{"Effect": "Allow", ' .. CI .. ', "Action": "sts:AssumeRole", '
      .. '"Condition": {"StringEquals": {"aws:RequestTag/team": "ml"}}}'
    assert.is_true(has(doc(tagged), "MISSING_ACTION_FOR_CONDITION_KEY", TRUST))
    assert.is_false(has(doc(tagged, '{"Effect": "Allow", ' .. CI .. ', "Action": "sts:TagSession"}'),
                        "MISSING_ACTION_FOR_CONDITION_KEY", TRUST))
    assert.is_false(has(doc(tagged:gsub('"sts:AssumeRole"', '"sts:*"')), "MISSING_ACTION_FOR_CONDITION_KEY", TRUST))
  end)

  it("pairs each key with its own companion action, and skips tests that pass when absent", function()
    local function stmt(op, key, actions)
      return doc('{"Effect": "Allow", ' .. CI .. ', "Action": ' .. actions .. ', "Condition": {"'
        .. op .. '": {"' .. key .. '": "x"}}}')
    end
    assert.is_true(has(stmt("StringEquals", "sts:SourceIdentity", '["sts:AssumeRole", "sts:TagSession"]'),
                       "MISSING_ACTION_FOR_CONDITION_KEY", TRUST))
    assert.is_false(has(stmt("StringEquals", "sts:SourceIdentity", '["sts:AssumeRole", "sts:SetSourceIdentity"]'),
                        "MISSING_ACTION_FOR_CONDITION_KEY", TRUST))
    assert.is_false(has(stmt("StringEqualsIfExists", "aws:RequestTag/team", '"sts:AssumeRole"'),
                        "MISSING_ACTION_FOR_CONDITION_KEY", TRUST))
    assert.is_false(has(stmt("StringNotEquals", "aws:RequestTag/team", '"sts:AssumeRole"'),
                        "MISSING_ACTION_FOR_CONDITION_KEY", TRUST))
  end)

  it("reports aws:VpcSourceIp unpaired in an Allow and in a Deny carved out by NotIpAddress", function()
    local function st(effect, op, extra)
      return doc('{"Effect": "' .. effect .. '", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", '
        .. '"Condition": {"' .. op .. '": {"aws:VpcSourceIp": "10.0.0.0/16"}' .. (extra or "") .. '}}')
    end
    assert.is_true(has(st("Deny", "NotIpAddress"), "MISSING_PAIRED_CONDITION_KEYS"))
    assert.is_false(has(st("Deny", "IpAddress"), "MISSING_PAIRED_CONDITION_KEYS"))
    assert.is_false(has(st("Allow", "IpAddress", ', "StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}'),
                        "MISSING_PAIRED_CONDITION_KEYS"))
  end)

  it("reports keys that are constant in the policy type, and only there", function()
    local scp = doc('{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": '
      .. '{"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}')
    assert.is_true(has(scp, "IRRELEVANT_CONDITION_KEY_IN_POLICY", { type = "scp" }))
    assert.is_false(has(scp, "IRRELEVANT_CONDITION_KEY_IN_POLICY", { type = "rcp" }))
    local identity = doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", '
      .. '"Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}')
    assert.is_true(has(identity, "IRRELEVANT_CONDITION_KEY_IN_POLICY"))
    assert.is_false(has(identity:gsub("PrincipalAccount", "ResourceAccount"), "IRRELEVANT_CONDITION_KEY_IN_POLICY"))
  end)

  it("reports an Allow on BoolIfExists true for MFA, and not Bool true", function()
    local function st(op)
      return doc('{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*", "Condition": {"'
        .. op .. '": {"aws:MultiFactorAuthPresent": "true"}}}')
    end
    assert.is_true(has(st("BoolIfExists"), "BAD_PATTERN_FOR_MFA"))
    assert.is_false(has(st("Bool"), "BAD_PATTERN_FOR_MFA"))
  end)

  it("asks to confirm an OIDC audience under ForAnyValue, not a service key", function()
    local function st(key)
      return doc('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/'
        .. 'oidc.example.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": '
        .. '{"ForAnyValue:StringEquals": {"' .. key .. '": "x"}, "StringEquals": {"oidc.example.com:sub": "y"}}}')
    end
    assert.is_true(has(st("oidc.example.com:aud"), "CONFIRM_AUDIENCE_CLAIM_TYPE", TRUST))
    assert.is_false(has(st("oidc.example.com:amr"), "CONFIRM_AUDIENCE_CLAIM_TYPE", TRUST))
  end)

  it("tells Deny and Allow apart for NotAction with a tag key", function()
    local function st(effect)
      return doc('{"Effect": "' .. effect .. '", "NotAction": "iam:*", "Resource": "*", "Condition": '
        .. '{"StringEquals": {"aws:ResourceTag/env": "prod"}}}')
    end
    assert.is_true(has(st("Deny"), "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"))
    assert.is_false(has(st("Deny"), "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"))
    assert.is_true(has(st("Allow"), "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"))
  end)
end)

describe("resource policies of a known service", function()
  local BUCKET = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
    .. '"arn:aws:iam::111122223333:role/ci"}, "Action": ["s3:GetObject", "sqs:SendMessage", "s3:Get*"], '
    .. '"Resource": ["arn:aws:s3:::b/*", "arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:s3:::b"]}]}'
  local function by_code(list)
    local out = {}
    for _, f in ipairs(list) do out[f.code] = out[f.code] or {}; table.insert(out[f.code], f.path) end
    return out
  end

  it("flags the other service's actions and ARNs, each where it is", function()
    for _, service in ipairs { "s3", "AWS::S3::Bucket" } do
      local got = by_code(lp.validate(BUCKET, { service = service }))
      assert.same({ "Statement[0].Action[1]" }, got.UNSUPPORTED_ACTION_IN_POLICY, service)
      assert.same({ "Statement[0].Resource[1]" }, got.UNSUPPORTED_RESOURCE_ARN_IN_POLICY, service)
    end
  end)

  it("flags nothing of the kind without a service, or for a policy of the service's own", function()
    local got = by_code(lp.validate(BUCKET))
    assert.is_nil(got.UNSUPPORTED_ACTION_IN_POLICY)
    assert.is_nil(got.UNSUPPORTED_RESOURCE_ARN_IN_POLICY)
    local own = BUCKET:gsub('"sqs:SendMessage", ', ""):gsub('"arn:aws:sqs:us%-east%-1:111122223333:q", ', "")
    got = by_code(lp.validate(own, { service = "s3" }))
    assert.is_nil(got.UNSUPPORTED_ACTION_IN_POLICY)
    assert.is_nil(got.UNSUPPORTED_RESOURCE_ARN_IN_POLICY)
  end)

  it("raises on an unknown service or resource type, and on a type other than resource", function()
    assert.has_error(function() lp.validate(BUCKET, { service = "s4" }) end,
      'lp.validate: unknown service "s4" (did you mean s3?)')
    assert.error_matches(function() lp.validate(BUCKET, { service = "AWS::S3::Buckt" }) end,
      "unknown resource type AWS::S3::Buckt")
    assert.error_matches(function() lp.validate(BUCKET, { service = "s3", type = "identity" }) end,
      "service applies to resource policies")
    assert.error_matches(function() lp.validate(BUCKET, { service = 3 }) end,
      "service must be a string %(a service prefix such as s3%), not number")
  end)

  it("leaves a key policy granting kms:* to its own account's root alone", function()
    local key = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
      .. '"arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}'
    assert.same({}, lp.validate(key, { service = "kms", account = "111122223333" }))
    assert.truthy(by_code(lp.validate(key, { service = "kms", account = "444455556666" })).SERVICE_WILDCARD)
  end)
end)

describe("RESOURCE_STAR on actions whose resource types are all optional", function()
  local function message(action)
    local text = doc('{"Effect": "Allow", "Action": "' .. action .. '", "Resource": "*"}')
    for _, f in ipairs(lp.validate(text)) do if f.code == "RESOURCE_STAR" then return f.message end end
  end

  it("says that calls naming no resource need \"*\"", function()
    assert.matches("resource types are optional", message("cloudwatch:GetMetricData"))
    assert.is_nil(message("ecr:BatchGetImage"):find("optional", 1, true))
  end)
end)

describe("lp.validate places findings about a whole document", function()
  -- Found by the validate fuzz target: with the seed-review profile, the
  -- finding about the role count had no line and column for one JSON
  -- document (or a plan's data document), where every other finding had.
  local DOC = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    .. '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}'

  local function finding(res, code)
    for _, f in ipairs(res) do if f.code == code then return f end end
    error("no " .. code)
  end

  it("at the root of one JSON document", function()
    local f = finding(lp.validate("\n  " .. DOC, { profile = "seed-review" }), "SEED_REVIEW_ROLE_COUNT")
    assert.same({ 2, 3 }, { f.line, f.column })
  end)

  it("at the attribute that holds a plan's policy document", function()
    local plan = '{"format_version": "1.0", "planned_values": {"root_module": {"resources": [\n'
      .. '{"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document",\n'
      .. ' "values": {"json": ' .. ("%q"):format(DOC) .. '}}]}}}'
    local f = finding(lp.validate(plan, { profile = "seed-review" }), "SEED_REVIEW_ROLE_COUNT")
    assert.same({ 3, 21 }, { f.line, f.column })
  end)
end)
