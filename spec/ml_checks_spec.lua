-- The checks that ML roles need (issue 13): each class failed only at run
-- time on real roles.
local lp = require "leastpriv"

local function doc(...)
  return '{"Version": "2012-10-17", "Statement": [' .. table.concat({ ... }, ", ") .. "]}"
end

local function codes_of(text, opts)
  local set = {}
  for _, f in ipairs(lp.validate(text, opts)) do set[f.code] = f end
  return set
end

local SUBNET = "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc"
local SG = "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc"

describe("required resource types", function()
  -- Service Authorization Reference, the actions table: "Required
  -- resources are indicated in the table with an asterisk (*). If you
  -- specify a resource-level permission ARN in a statement using this
  -- action, then it must be of this type."  ec2:CreateNetworkInterface
  -- marks network-interface* and subnet*.
  local function eni(resources, more)
    return doc(('{"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": ["%s"]}')
      :format(table.concat(resources, '", "')), more)
  end

  it("reports an Allow on the subnet and security group but no network interface", function()
    local f = codes_of(eni { SUBNET, SG }).MISSING_REQUIRED_RESOURCE_TYPE
    assert.truthy(f)
    assert.equal("warning", f.severity)
    assert.matches("network%-interface", f.hint)
    assert.equal("Statement[0].Action", f.path)
  end)

  it("is satisfied by the type in the statement, in another Allow, or by *", function()
    assert.is_nil(codes_of(eni { SUBNET, SG, "arn:aws:ec2:us-east-1:111122223333:network-interface/*" })
      .MISSING_REQUIRED_RESOURCE_TYPE)
    assert.is_nil(codes_of(eni({ SUBNET, SG }, '{"Effect": "Allow", "Action": "ec2:Create*", '
      .. '"Resource": "arn:aws:ec2:*:*:network-interface/*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
    assert.is_nil(codes_of(eni({ SUBNET }, '{"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", '
      .. '"Resource": "*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
    -- a Deny does not give it
    assert.truthy(codes_of(eni({ SUBNET, SG }, '{"Effect": "Deny", "Action": "ec2:CreateNetworkInterface", '
      .. '"Resource": "arn:aws:ec2:*:*:network-interface/*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
  end)

  it("counts a kind of the type (application-inference-profile), and leaves scenarios alone", function()
    assert.is_nil(codes_of(doc('{"Effect": "Allow", "Action": "bedrock:GetInferenceProfile", '
      .. '"Resource": "arn:aws:bedrock:*:*:application-inference-profile/*"}')).MISSING_REQUIRED_RESOURCE_TYPE)
    assert.is_nil(codes_of(doc(('{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "%s"}')
      :format(SUBNET))).MISSING_REQUIRED_RESOURCE_TYPE)
  end)

  it("lp.needs adds the resource a request also names", function()
    local s = lp.needs { { "ec2:CreateNetworkInterface", SUBNET }, { "ec2:CreateNetworkInterface", SG } }
    assert.equal(1, #s)
    assert.same({ "arn:aws:ec2:us-east-1:111122223333:network-interface/*", SG, SUBNET }, s[1].Resource)
    local text = lp.json(lp.policy(s))
    assert.is_nil(codes_of(text).MISSING_REQUIRED_RESOURCE_TYPE)
  end)

  it("lp.grant adds a statement for the resources its actions are named after", function()
    local s = lp.grant(SUBNET, "write")
    local found
    for _, st in ipairs(s) do
      local r = type(st.Resource) == "table" and st.Resource or { st.Resource }
      if r[1] == "arn:aws:ec2:us-east-1:111122223333:network-interface/*" then found = st end
    end
    assert.truthy(found, "a statement on network-interface/*")
    local text = lp.json(lp.policy(s))
    assert.is_nil(codes_of(text).MISSING_REQUIRED_RESOURCE_TYPE)
  end)
end)

describe("role pairs: a PassRole ARN without the role's path", function()
  -- IAM User Guide, IAM identifiers: a role ARN holds its path
  -- ("arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access"),
  -- and role names are unique within an account whatever their path.
  local function dump(pass_arn, role_path)
    local trust = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
      .. '{"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": '
      .. '{"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}'
    local caller_trust = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
      .. '{"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}'
    local pass = doc(('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "%s", '
      .. '"Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}'):format(pass_arn))
    return ('{"RoleDetailList": [{"RoleName": "ml-caller", "Path": "/", "Arn": '
      .. '"arn:aws:iam::111122223333:role/ml-caller", "AssumeRolePolicyDocument": %s, '
      .. '"RolePolicyList": [{"PolicyName": "pass", "PolicyDocument": %s}], "AttachedManagedPolicies": []}, '
      .. '{"RoleName": "ml-train-exec", "Path": "%s", "Arn": "arn:aws:iam::111122223333:role%sml-train-exec", '
      .. '"AssumeRolePolicyDocument": %s, "RolePolicyList": [], "AttachedManagedPolicies": []}], '
      .. '"Policies": []}'):format(caller_trust, pass, role_path, role_path, trust)
  end

  it("is reported, naming both", function()
    local f = codes_of(dump("arn:aws:iam::111122223333:role/ml-train-exec", "/service-role/"))
      .PASS_ROLE_PATH_MISMATCH
    assert.truthy(f)
    assert.equal("error", f.severity)
    assert.matches("role/ml%-train%-exec", f.message)
    assert.matches("role/service%-role/ml%-train%-exec", f.message)
  end)
  it("is not reported when the ARN matches, by path or by pattern", function()
    assert.is_nil(codes_of(dump("arn:aws:iam::111122223333:role/service-role/ml-train-exec", "/service-role/"))
      .PASS_ROLE_PATH_MISMATCH)
    assert.is_nil(codes_of(dump("arn:aws:iam::111122223333:role/*ml-train-exec", "/service-role/"))
      .PASS_ROLE_PATH_MISMATCH)
    assert.is_nil(codes_of(dump("arn:aws:iam::111122223333:role/ml-train-exec", "/"))
      .PASS_ROLE_PATH_MISMATCH)
    -- another account's role of the same name is another role
    assert.is_nil(codes_of(dump("arn:aws:iam::444455556666:role/ml-train-exec", "/service-role/"))
      .PASS_ROLE_PATH_MISMATCH)
  end)
end)

describe("trust policies that can never work", function()
  local function trust(principal, cond)
    return doc(('{"Effect": "Allow", "Principal": %s, "Action": "%s", "Condition": %s}'):format(
      principal, principal:find("Federated") and "sts:AssumeRoleWithWebIdentity" or "sts:AssumeRole", cond))
  end
  local SM = '{"Service": "sagemaker.amazonaws.com"}'
  -- IAM User Guide, aws:SourceArn: "Use this key to compare the Amazon
  -- Resource Name (ARN) of the resource making a service-to-service request
  -- with the ARN that you specify in the policy" -- a resource of the
  -- calling service, in the account of aws:SourceAccount.
  it("aws:SourceArn of another service than the trusted principal", function()
    local c = codes_of(trust(SM, '{"ArnLike": {"aws:SourceArn": '
      .. '"arn:aws:bedrock:us-east-1:111122223333:model-customization-job/*"}}'), { type = "trust" })
    assert.truthy(c.TRUST_SOURCE_ARN_OTHER_SERVICE)
    assert.equal("error", c.TRUST_SOURCE_ARN_OTHER_SERVICE.severity)
    assert.is_nil(codes_of(trust(SM, '{"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:111122223333:training-job/*"}}'),
      { type = "trust" }).TRUST_SOURCE_ARN_OTHER_SERVICE)
    -- either principal of the statement may own it; aliases (ecs-tasks acts for ecs)
    assert.is_nil(codes_of(trust('{"Service": ["sagemaker.amazonaws.com", "bedrock.amazonaws.com"]}',
      '{"ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:model-customization-job/*"}}'),
      { type = "trust" }).TRUST_SOURCE_ARN_OTHER_SERVICE)
    assert.is_nil(codes_of(trust('{"Service": "ecs-tasks.amazonaws.com"}',
      '{"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"}}'),
      { type = "trust" }).TRUST_SOURCE_ARN_OTHER_SERVICE)
  end)
  it("aws:SourceAccount that differs from the account in aws:SourceArn", function()
    local c = codes_of(trust(SM, '{"StringEquals": {"aws:SourceAccount": "111122223333"}, '
      .. '"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:444455556666:training-job/*"}}'), { type = "trust" })
    assert.truthy(c.TRUST_SOURCE_ACCOUNT_MISMATCH)
    c = codes_of(trust(SM, '{"StringEquals": {"aws:SourceAccount": ["111122223333", "444455556666"]}, '
      .. '"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:444455556666:training-job/*"}}'), { type = "trust" })
    assert.is_nil(c.TRUST_SOURCE_ACCOUNT_MISMATCH)
    c = codes_of(trust(SM, '{"StringEquals": {"aws:SourceAccount": "111122223333"}, '
      .. '"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:*:training-job/*"}}'), { type = "trust" })
    assert.is_nil(c.TRUST_SOURCE_ACCOUNT_MISMATCH)
  end)
  -- GitHub's OIDC guide for AWS: the audience is "sts.amazonaws.com" and the
  -- subject names the repository and the ref ("repo:octo-org/octo-repo:ref:refs/heads/main").
  local GH = '{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}'
  it("a GitHub OIDC trust without aud, or with a subject for any ref", function()
    local c = codes_of(trust(GH, '{"StringLike": {"token.actions.githubusercontent.com:sub": '
      .. '"repo:org/repo:ref:refs/heads/main"}}'), { type = "trust" })
    assert.truthy(c.GITHUB_OIDC_MISSING_AUDIENCE)
    c = codes_of(trust(GH, '{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, '
      .. '"StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/repo:*"}}'), { type = "trust" })
    assert.is_nil(c.GITHUB_OIDC_MISSING_AUDIENCE)
    assert.truthy(c.GITHUB_SUBJECT_ANY_REF)
    c = codes_of(trust(GH, '{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, '
      .. '"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:org/repo:ref:refs/heads/main", '
      .. '"repo:org/repo:environment:prod"]}}'), { type = "trust" })
    assert.is_nil(c.GITHUB_SUBJECT_ANY_REF)
    assert.is_nil(c.GITHUB_OIDC_MISSING_AUDIENCE)
  end)
end)

describe("KMS aliases are not key IDs", function()
  -- AWS KMS Developer Guide, key identifiers: a key ARN is
  -- "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  -- an alias has its own ARN (alias/ExampleAlias), and kms:ResourceAliases
  -- controls access to keys by their aliases.
  it("aws.kms.key refuses an alias, naming the idioms", function()
    local aws = lp.scope { account = "111122223333", region = "us-east-1" }
    local ok, err = pcall(aws.kms.key, "alias/my-key")
    assert.is_false(ok)
    assert.matches("kms:ResourceAliases", err)
    assert.matches("key's ID or ARN", err)
    assert.not_matches("scope%.lua", err)
    assert.equal("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      aws.kms.key("1234abcd-12ab-34cd-56ef-1234567890ab"))
    assert.is_false((pcall(aws.arn, "kms", "key", { KeyId = "ALIAS/x" })))
  end)
  it("check reports key/alias/ in a key ARN", function()
    local c = codes_of(doc('{"Effect": "Allow", "Action": "kms:Decrypt", '
      .. '"Resource": "arn:aws:kms:us-east-1:111122223333:key/alias/my-key"}'))
    assert.truthy(c.KMS_ALIAS_IN_KEY_ARN)
    assert.equal("error", c.KMS_ALIAS_IN_KEY_ARN.severity)
    assert.is_nil(codes_of(doc('{"Effect": "Allow", "Action": "kms:Decrypt", '
      .. '"Resource": "arn:aws:kms:us-east-1:111122223333:alias/my-key"}')).KMS_ALIAS_IN_KEY_ARN)
  end)
end)

describe("role descriptions", function()
  -- IAM API Reference, CreateRole, Description: "Maximum length of 1000.
  -- Pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*"
  local function role(description)
    return lp.role { name = "trainer", description = description,
      trust = lp.trust.service("sagemaker.amazonaws.com", { source_account = "111122223333" }) }
  end
  it("lp.role counts characters, not bytes, and checks the set", function()
    assert.truthy(role(("é"):rep(1000)))                 -- 2,000 bytes, 1,000 characters
    assert.has_error(function() role(("é"):rep(1001)) end)
    assert.has_error(function() role("trains \226\128\148 nightly") end)   -- U+2014
    assert.has_error(function() role("bell \7") end)
    assert.truthy(role("tab\tnew line\n"))
  end)
  it("check reports it on plans and dumps", function()
    local dump = '{"RoleDetailList": [{"RoleName": "t", "Path": "/", "Arn": "arn:aws:iam::111122223333:role/t", '
      .. '"Description": "%s", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}, '
      .. '"RolePolicyList": [], "AttachedManagedPolicies": []}], "Policies": []}'
    assert.truthy(codes_of(dump:format("emoji \\ud83d\\ude80")).INVALID_ROLE_DESCRIPTION)
    assert.truthy(codes_of(dump:format(("x"):rep(1001))).INVALID_ROLE_DESCRIPTION)
    assert.is_nil(codes_of(dump:format(("\\u00e9"):rep(1000))).INVALID_ROLE_DESCRIPTION)
  end)
end)
