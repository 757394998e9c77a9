-- The catalog read as AWS's Service Authorization Reference documents it
-- (issue 13, "Catalog reading"): each class was a false finding on AWS's
-- own managed policies.
local lp = require "leastpriv"

local function doc(...)
  return '{"Version": "2012-10-17", "Statement": [' .. table.concat({ ... }, ", ") .. "]}"
end

local function codes_of(text, opts)
  local set = {}
  for _, f in ipairs(lp.validate(text, opts)) do set[f.code] = (set[f.code] or 0) + 1 end
  return set
end

describe("condition keys of resource types", function()
  -- Service Authorization Reference, "The resource types table": "The
  -- Condition keys column specifies condition context keys that you can
  -- include in an IAM policy statement only when both this resource and a
  -- supporting action from the table above are included in the statement."
  -- (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
  it("apply to every action on that type", function()
    local rec = lp.actions.get("sagemaker:DescribeDomain")
    assert.equal("String", rec.condition_key_types["aws:ResourceTag/${TagKey}"])
    assert.equal("String", rec.condition_key_types["sagemaker:ResourceTag/${TagKey}"])
    local keys = {}
    for _, k in ipairs(rec.resource_types[1].condition_keys) do keys[k] = true end
    assert.is_true(keys["aws:ResourceTag/${TagKey}"])
    local key = lp.catalog.condition_keys.get("sagemaker:ResourceTag/x")
    local listed = false
    for _, a in ipairs(key.actions) do listed = listed or a == "sagemaker:DescribeDomain" end
    assert.is_true(listed)
  end)

  it("are not reported as keys the action ignores (SageMakerStudioProjectRoleMachineLearningPolicy)", function()
    local text = doc('{"Effect": "Allow", "Action": "sagemaker:DescribeDomain", '
      .. '"Resource": "arn:aws:sagemaker:*:*:domain/*", '
      .. '"Condition": {"StringEquals": {"aws:ResourceTag/AmazonDataZoneProject": "p1"}}}')
    local c = codes_of(text)
    assert.is_nil(c.ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE)
    assert.is_nil(c.UNSUPPORTED_ACTION_FOR_CONDITION_KEY)
    local deny = text:gsub('"Allow"', '"Deny"')
    assert.is_nil(codes_of(deny).DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE)
  end)

  it("still leave out actions none of whose resource types carry the key", function()
    -- sagemaker:ListDomains has no resource type: the tag key is ignored
    local text = doc('{"Effect": "Allow", "Action": "sagemaker:ListDomains", "Resource": "*", '
      .. '"Condition": {"StringEquals": {"aws:ResourceTag/team": "ml"}}}')
    assert.truthy(codes_of(text).ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE)
  end)
end)

describe("service tag keys spelt with a literal tag-key", function()
  -- The reference lists "secretsmanager:ResourceTag/tag-key" ("Filters
  -- access by a tag key and value pair"): tag-key names any tag key, as
  -- in the global aws:ResourceTag/tag-key.
  it("are templates", function()
    local k = assert(lp.catalog.condition_keys.get("secretsmanager:ResourceTag/aws:secretsmanager:owningService"))
    assert.equal("secretsmanager:ResourceTag/${TagKey}", k.name)
    assert.is_true(k.template)
    assert.truthy(lp.catalog.condition_keys.get("glacier:ResourceTag/project"))
    assert.truthy(lp.catalog.condition_keys.get("ssm:resourceTag/team"))
  end)

  it("are valid in a condition", function()
    local text = doc('{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", '
      .. '"Resource": "arn:aws:secretsmanager:*:*:secret:*", "Condition": {"StringEquals": '
      .. '{"secretsmanager:ResourceTag/aws:secretsmanager:owningService": "rds"}}}')
    local c = codes_of(text)
    assert.is_nil(c.INVALID_SERVICE_CONDITION_KEY)
    assert.is_nil(c.UNSUPPORTED_ACTION_FOR_CONDITION_KEY)
    local bad = text:gsub("ResourceTag/aws:secretsmanager:owningService", "ResourceTags")
    assert.truthy(codes_of(bad).INVALID_SERVICE_CONDITION_KEY)
  end)
end)

describe("AWS-owned resources", function()
  -- Systems Manager User Guide: documents owned by Amazon are shared by
  -- AWS, e.g. "arn:aws:ssm:us-east-2::document/AWS-RunShellScript"; public
  -- parameters live at arn:aws:ssm:REGION::parameter/aws/service/....
  local function run(service_actions, resource)
    return codes_of(doc(('{"Effect": "Allow", "Action": "%s", "Resource": "%s"}')
      :format(service_actions, resource)))
  end

  it("have ARNs with an empty account: not MISSING_ARN_ACCOUNT", function()
    for _, case in ipairs {
      { "ssm:SendCommand", "arn:aws:ssm:*::document/AWS-*" },
      { "ssm:StartAutomationExecution", "arn:aws:ssm:*::automation-definition/AWS-*:*" },
      { "ssm:GetParameter", "arn:aws:ssm:*::parameter/aws/service/*" },
      { "resource-explorer-2:Search", "arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignals/service-view" },
    } do
      local c = run(case[1], case[2])
      assert.is_nil(c.MISSING_ARN_ACCOUNT, case[2])
      assert.is_nil(c.RESOURCE_MISMATCH, case[2])
    end
  end)

  it("are data with the reason per type", function()
    local rt = lp.catalog.resource_types.get("ssm", "document")
    assert.matches("owned by Amazon", rt.aws_owned)
    assert.is_nil(lp.catalog.resource_types.get("kms", "key").aws_owned)
    assert.is_nil(lp.catalog.resource_types.get("ssm", "association").aws_owned)
  end)

  it("do not excuse types that AWS never owns: a KMS key without an account", function()
    assert.truthy(run("kms:Decrypt", "arn:aws:kms:*::*").MISSING_ARN_ACCOUNT)
    assert.truthy(run("kms:Decrypt", "arn:aws:kms:*::key/*").MISSING_ARN_ACCOUNT)
    assert.is_nil(run("kms:Decrypt", "arn:aws:kms:*:*:key/*").MISSING_ARN_ACCOUNT)
  end)
end)

describe("templates whose service and resource part start with a placeholder", function()
  -- AWS Backup's recovery point: "arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId}"
  -- (Service Authorization Reference, AWS Backup, resource types).
  it("admit a concrete recovery point ARN", function()
    for _, arn in ipairs {
      "arn:aws:backup:*:*:recovery-point:*",
      "arn:aws:backup:us-east-1:111122223333:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45",
    } do
      local c = codes_of(doc(('{"Effect": "Allow", "Action": "backup:DescribeRecoveryPoint", "Resource": "%s"}'):format(arn)))
      assert.is_nil(c.INVALID_ARN_RESOURCE, arn)
      assert.is_nil(c.RESOURCE_MISMATCH, arn)
    end
  end)
  it("still need the template's shape (TYPE:ID)", function()
    local c = codes_of(doc('{"Effect": "Allow", "Action": "backup:DescribeRecoveryPoint", '
      .. '"Resource": "arn:aws:backup:*:*:bogus"}'))
    assert.truthy(c.RESOURCE_MISMATCH)
  end)
end)

describe("a condition value with a policy variable", function()
  -- IAM User Guide, policy variables: "When the policy is evaluated, the
  -- policy variables are replaced with values that come from the
  -- conditional context keys passed in the request."
  it("is not a constant: a same-account test is relevant", function()
    local same = doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", '
      .. '"Condition": {"StringEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}}')
    assert.is_nil(codes_of(same).IRRELEVANT_CONDITION_KEY_IN_POLICY)
    local constant = doc('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", '
      .. '"Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}')
    assert.truthy(codes_of(constant).IRRELEVANT_CONDITION_KEY_IN_POLICY)
  end)
end)

describe("iam:AWSServiceName with a wildcard", function()
  -- Access Analyzer, "General Warning – Create SLR with star in resource":
  -- the check wants the service named in iam:AWSServiceName; "*" or
  -- "*a4b.amazonaws.com" under StringLike names every (or many) service.
  local function slr(op, value)
    return doc(('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", '
      .. '"Condition": {"%s": {"iam:AWSServiceName": "%s"}}}'):format(op, value))
  end
  it("does not pin the service (AlexaForBusinessFullAccess)", function()
    assert.truthy(codes_of(slr("StringLike", "*a4b.amazonaws.com")).CREATE_SLR_WITH_STAR_IN_RESOURCE)
    assert.truthy(codes_of(slr("StringLike", "*")).CREATE_SLR_WITH_STAR_IN_RESOURCE)
    assert.truthy(codes_of(slr("StringEqualsIfExists", "sagemaker.amazonaws.com")).CREATE_SLR_WITH_STAR_IN_RESOURCE)
  end)
  it("is satisfied by a named service", function()
    assert.is_nil(codes_of(slr("StringLike", "sagemaker.amazonaws.com")).CREATE_SLR_WITH_STAR_IN_RESOURCE)
    assert.is_nil(codes_of(slr("StringEquals", "sagemaker.amazonaws.com")).CREATE_SLR_WITH_STAR_IN_RESOURCE)
  end)
end)

describe("PASS_ROLE_WITH_STAR_IN_RESOURCE", function()
  -- Access Analyzer, "Security Warning – Pass role with star in resource":
  -- "...we recommend that you use the iam:PassedToService condition key"
  -- and the finding is not reported once the statement has it.
  local function pass(cond)
    return doc('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"' .. (cond or "") .. '}')
  end
  it("follows Access Analyzer: not reported with iam:PassedToService (any case)", function()
    local c = codes_of(pass(', "Condition": {"StringEquals": {"IAM:passedtoservice": "sagemaker.amazonaws.com"}}'))
    assert.is_nil(c.PASS_ROLE_WITH_STAR_IN_RESOURCE)
    assert.truthy(c.PASS_ROLE_TO_ANY_ROLE)
  end)
  it("is reported without it, or with only ...IfExists", function()
    assert.truthy(codes_of(pass()).PASS_ROLE_WITH_STAR_IN_RESOURCE)
    local c = codes_of(pass(', "Condition": {"StringEqualsIfExists": {"iam:PassedToService": "sagemaker.amazonaws.com"}}'))
    assert.truthy(c.PASS_ROLE_WITH_STAR_IN_RESOURCE)
    assert.is_nil(c.PASS_ROLE_TO_ANY_ROLE)
  end)
end)
