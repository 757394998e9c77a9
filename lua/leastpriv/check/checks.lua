-- luacheck: no max line length
-- The checks of `leastpriv check`: the one table that gives every code its
-- severity, title and description, with a policy that triggers it (bad)
-- and a near miss that does not (good).  The checker takes severities from
-- here; tools/gen-checks-doc.lua writes docs/checks.md from it; the specs
-- run every example.  Codes follow IAM Access Analyzer's where the meaning
-- is the same.
--
-- An entry: { code, severity, category, title, description, bad, good,
--   format = "policy" (default) | "account" (get-account-authorization-details
--   output) | "text" (raw input) | "lua" (a role script),
--   type = policy type for policy examples, opts = extra lp.validate options }
local M = {}

-- Severity names, most severe first.
M.severities = { "error", "security", "warning", "suggestion" }
M.rank = { error = 4, security = 3, warning = 2, suggestion = 1 }

M.categories = {
  { name = "input", title = "Reading the input" },
  { name = "grammar", title = "Policy grammar" },
  { name = "catalog", title = "Actions and resources against the AWS catalog" },
  { name = "condition", title = "Conditions and policy variables" },
  { name = "security", title = "Security" },
  { name = "trust", title = "Trust policies" },
  { name = "suggestion", title = "Suggestions" },
  { name = "quota", title = "Quotas and names" },
  { name = "role", title = "Roles as a whole" },
}

-- A policy document with these statements (JSON text).
local function D(...)
  return '{"Version": "2012-10-17", "Statement": [' .. table.concat({ ... }, ", ") .. "]}"
end

-- An account dump (aws iam get-account-authorization-details) of roles.
local function A(...)
  return '{"RoleDetailList": [' .. table.concat({ ... }, ", ") .. '], "Policies": []}'
end

local SAGEMAKER_TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
  .. '{"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": '
  .. '{"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}'
local LAMBDA_TRUST = SAGEMAKER_TRUST:gsub("sagemaker", "lambda")
local PEOPLE_TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
  .. '{"AWS": "arn:aws:iam::111122223333:role/ml-engineers"}, "Action": "sts:AssumeRole"}]}'

local function role(name, trust, policies, managed)
  local inline = {}
  for pname, doc in pairs(policies or {}) do
    inline[#inline + 1] = ('{"PolicyName": "%s", "PolicyDocument": %s}'):format(pname, doc)
  end
  table.sort(inline)
  local attached = {}
  for _, arn in ipairs(managed or {}) do
    attached[#attached + 1] = ('{"PolicyName": "%s", "PolicyArn": "%s"}'):format(arn:match("[^/]+$"), arn)
  end
  return ('{"RoleName": "%s", "Path": "/", "Arn": "arn:aws:iam::111122223333:role/%s", '
    .. '"AssumeRolePolicyDocument": %s, "RolePolicyList": [%s], "AttachedManagedPolicies": [%s]}')
    :format(name, name, trust, table.concat(inline, ", "), table.concat(attached, ", "))
end

local function pass_policy(resource, service)
  return D(('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "%s", "Condition": '
    .. '{"StringEquals": {"iam:PassedToService": "%s"}}}'):format(resource, service),
    '{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": '
    .. '"arn:aws:sagemaker:us-east-1:111122223333:training-job/*"}')
end

local S3_READ = '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'

M.list = {
  -- ---------------------------------------------------------------- input
  { code = "JSON_SYNTAX_ERROR", severity = "error", category = "input",
    title = "The input is not valid JSON",
    description = "The file cannot be read as strict JSON (RFC 8259): a syntax error, a "
      .. "duplicate key (IAM rejects them; most JSON parsers silently keep the last one), "
      .. "invalid UTF-8, nesting deeper than 64 levels or a document over 16 MiB. The "
      .. "finding names the line and column.",
    format = "text",
    bad = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny"}]}',
    good = D(S3_READ) },
  { code = "SCRIPT_ERROR", severity = "error", category = "input",
    title = "The role script fails",
    description = "The role script raised an error (a Lua error, or a DSL misuse such as an "
      .. "unknown field or action) or returned something that is not a role or a policy. "
      .. "The finding names the script's line.",
    format = "lua",
    bad = 'local lp = require "leastpriv"\nreturn lp.policy { lp.allow { acton = "s3:GetObject", resource = "*" } }\n',
    good = 'local lp = require "leastpriv"\nreturn lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::my-bucket/*" } }\n' },

  { code = "POLICY_UNKNOWN_UNTIL_APPLY", severity = "error", category = "input",
    title = "A policy in the plan is known only after apply: not checked",
    description = "In a `terraform show -json` plan, a policy whose JSON Terraform computes at "
      .. "apply (it refers to a resource created in the same plan, such as "
      .. "`\"${aws_s3_bucket.new.arn}/*\"`) is absent from the plan and marked in the change's "
      .. "after_unknown. It cannot be checked, so it is reported instead of passing unseen: "
      .. "the gate fails closed. The message names what the policy refers to (from the plan's "
      .. "configuration). `leastpriv diff` counts such a policy as possibly new access. Check it "
      .. "after apply, or accept it with --disable POLICY_UNKNOWN_UNTIL_APPLY.",
    format = "plan",
    bad = [[{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_iam_role_policy.data", "mode": "managed", "type": "aws_iam_role_policy", "name": "data", "values": {"name": "data", "role": "app"}}]}}, "resource_changes": [{"address": "aws_iam_role_policy.data", "mode": "managed", "type": "aws_iam_role_policy", "name": "data", "change": {"actions": ["create"], "after_unknown": {"id": true, "policy": true}}}], "configuration": {"root_module": {"resources": [{"address": "aws_iam_role_policy.data", "mode": "managed", "type": "aws_iam_role_policy", "name": "data", "expressions": {"name": {"constant_value": "data"}, "role": {"constant_value": "app"}, "policy": {"references": ["aws_s3_bucket.new.arn", "aws_s3_bucket.new"]}}}]}}}]],
    good = [[{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_iam_role_policy.data", "mode": "managed", "type": "aws_iam_role_policy", "name": "data", "values": {"name": "data", "role": "app", "policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::my-bucket/*\"}]}"}}]}}, "resource_changes": [{"address": "aws_iam_role_policy.data", "mode": "managed", "type": "aws_iam_role_policy", "name": "data", "change": {"actions": ["create"], "after_unknown": {"id": true}}}]}]] },
  { code = "TERRAFORM_SYNTAX_ERROR", severity = "error", category = "input",
    title = "A .tf file is not valid Terraform (HCL native syntax)",
    description = "The Terraform source could not be read: a syntax error, at its line and "
      .. "column. Nothing in the file is checked until it reads.",
    format = "tf",
    bad = 'resource "aws_iam_role" "exec" {\n  name = "exec"\n',
    good = 'resource "aws_iam_role" "exec" {\n  name = "exec"\n}\n' },
  { code = "TERRAFORM_VALUE_UNKNOWN", severity = "error", category = "input",
    title = "A value in Terraform source cannot be known offline: not checked",
    description = "Read from .tf source, a policy (or the count, for_each or module that "
      .. "holds it) depends on something nothing offline can know: data from a program "
      .. "(data \"external\"), a function of the outside world, a remote module. It is "
      .. "reported at its line instead of passing unseen: the gate fails closed. A reference "
      .. "to what the same configuration creates (aws_s3_bucket.data.arn) is not unknown: it is "
      .. "one exact value, named by its address.",
    format = "tf",
    bad = 'data "external" "p" {\n  program = ["./policy.sh"]\n}\n\nresource "aws_iam_policy" "p" {\n'
      .. '  name   = "p"\n  policy = data.external.p.result.json\n}\n',
    good = 'resource "aws_s3_bucket" "data" {\n  bucket = "my-bucket"\n}\n\nresource "aws_iam_policy" "p" {\n'
      .. '  name   = "p"\n  policy = jsonencode({\n    Version   = "2012-10-17"\n'
      .. '    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.data.arn}/*" }]\n'
      .. '  })\n}\n' },

  -- ---------------------------------------------------------------- grammar
  { code = "DATA_TYPE_MISMATCH", severity = "error", category = "grammar",
    title = "An element has the wrong JSON type",
    description = "An element holds a JSON type IAM does not accept there: Action, Resource "
      .. "and principal values are strings or arrays of strings, Statement is an object or an "
      .. "array of objects, condition values are strings, numbers or booleans.",
    bad = D('{"Effect": "Allow", "Action": 42, "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}') },
  { code = "INVALID_CHARACTER", severity = "error", category = "grammar",
    title = "A character IAM does not accept",
    description = "IAM accepts only tab, line feed, carriage return and the characters "
      .. "U+0020 to U+00FF in a policy.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/€/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/é/*"}') },
  { code = "INVALID_POLICY_ELEMENT", severity = "error", category = "grammar",
    title = "An element that is not part of the policy grammar",
    description = "The policy or a statement holds an element IAM does not know. Element "
      .. "names are case-sensitive; the finding suggests the closest one.",
    bad = D('{"Efect": "Allow", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "MISSING_STATEMENT", severity = "error", category = "grammar",
    title = "The policy has no statement",
    description = "Statement is required and may not be an empty array.",
    bad = '{"Version": "2012-10-17", "Statement": []}',
    good = D(S3_READ) },
  { code = "MISSING_EFFECT", severity = "error", category = "grammar",
    title = "A statement without Effect",
    description = "Every statement needs \"Effect\": \"Allow\" or \"Deny\".",
    bad = D('{"Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "MISSING_ACTION", severity = "error", category = "grammar",
    title = "A statement without Action or NotAction",
    description = "Every statement needs Action or NotAction.",
    bad = D('{"Effect": "Allow", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "MISSING_RESOURCE", severity = "error", category = "grammar",
    title = "A statement without Resource or NotResource",
    description = "Identity policies, permissions boundaries, session policies, SCPs, RCPs "
      .. "and most resource-based policies need Resource or NotResource in every statement.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject"}'),
    good = D(S3_READ) },
  { code = "MISSING_PRINCIPAL", severity = "error", category = "grammar",
    title = "A resource-based or trust policy statement without Principal",
    description = "Resource-based policies and role trust policies must say whom a statement "
      .. "applies to.",
    type = "resource",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "INVALID_EFFECT", severity = "error", category = "grammar",
    title = "Effect is not Allow or Deny",
    description = "Effect is case-sensitive: exactly \"Allow\" or \"Deny\".",
    bad = D('{"Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "INVALID_VERSION", severity = "error", category = "grammar",
    title = "Version is not a policy language version",
    description = "Version must be \"2012-10-17\" (or the old \"2008-10-17\", which has no "
      .. "policy variables). Managed policies must use 2012-10-17.",
    bad = '{"Version": "2012-10-18", "Statement": [' .. S3_READ .. ']}',
    good = D(S3_READ) },
  { code = "MISSING_VERSION", severity = "warning", category = "grammar",
    title = "The policy has no Version",
    description = "Without Version IAM reads the policy in the 2008 language, where policy "
      .. "variables such as ${aws:username} are plain text.",
    bad = '{"Statement": [' .. S3_READ .. ']}',
    good = D(S3_READ) },
  { code = "UNIQUE_SIDS_REQUIRED", severity = "error", category = "grammar",
    title = "Two statements share a Sid",
    description = "IAM policies (identity, trust, boundaries, SCPs, RCPs) need unique Sids.",
    bad = D('{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}',
            '{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}'),
    good = D('{"Sid": "ReadA", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}',
             '{"Sid": "ReadB", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}') },
  { code = "UNIQUE_SIDS_RECOMMENDED", severity = "warning", category = "grammar",
    title = "Two statements of a resource-based policy share a Sid",
    description = "Some resource-based policies accept duplicate Sids, but tools and people "
      .. "refer to statements by Sid: keep them unique.",
    type = "resource",
    bad = D('{"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}',
            '{"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}'),
    good = D('{"Sid": "ReadA", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}',
             '{"Sid": "ReadB", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}') },
  { code = "UNSUPPORTED_SID", severity = "error", category = "grammar",
    title = "A Sid with characters IAM does not accept",
    description = "IAM Sids are letters and digits only (some resource-based policies also "
      .. "accept spaces, '-', '_' and '.').",
    bad = D('{"Sid": "Read data", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Sid": "ReadData", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "EMPTY_SID_VALUE", severity = "suggestion", category = "grammar",
    title = "An empty Sid",
    description = "An empty Sid names nothing: remove it or name the statement.",
    bad = D('{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "UNSUPPORTED_ELEMENT_COMBINATION", severity = "error", category = "grammar",
    title = "Exclusive elements together",
    description = "A statement may have Action or NotAction, Resource or NotResource, "
      .. "Principal or NotPrincipal, never both of a pair.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "UNSUPPORTED_PRINCIPAL", severity = "error", category = "grammar",
    title = "A principal in an identity policy",
    description = "Identity policies, permissions boundaries and session policies apply to "
      .. "whoever they are attached to: they cannot name a principal.",
    type = "identity",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "INVALID_PRINCIPAL_FORMAT", severity = "error", category = "grammar",
    title = "A principal that is not an account, IAM identity or session",
    description = "An AWS principal is \"*\", a 12-digit account ID, or the ARN of an IAM "
      .. "user, role, assumed-role session or federated user; a canonical user ID is 64 hex "
      .. "digits; a bare Principal string can only be \"*\".",
    type = "resource",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "bob"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "INVALID_PRINCIPAL_KEY", severity = "error", category = "grammar",
    title = "An unknown principal type",
    description = "Principal types are AWS, Service, Federated and CanonicalUser "
      .. "(case-sensitive).",
    type = "resource",
    bad = D('{"Effect": "Allow", "Principal": {"Aws": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "INVALID_SERVICE_PRINCIPAL_FORMAT", severity = "error", category = "grammar",
    title = "A service principal that is not NAME.amazonaws.com",
    description = "Service principals are host names such as sagemaker.amazonaws.com.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Service": "sagemaker"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}') },
  { code = "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", severity = "error", category = "grammar",
    title = "A partial wildcard in a principal",
    description = "Principals accept \"*\" alone, never a pattern such as role/*. Use \"*\" "
      .. "with an ArnLike condition on aws:PrincipalArn.",
    type = "resource",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}}') },
  { code = "FEDERATED_PRINCIPAL_NOT_SUPPORTED", severity = "error", category = "grammar",
    title = "A federated principal outside a trust policy",
    description = "Only role trust policies can name a Federated principal.",
    type = "resource",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "INVALID_ROLE_REFERENCE", severity = "warning", category = "grammar",
    title = "A role's unique ID where its ARN belongs",
    description = "IAM shows a role's unique ID (AROA...) in a policy when the role it named "
      .. "was deleted; a new role with the same name is not trusted. Name the role by ARN.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "AROAEXAMPLEID1234567"}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole"}') },
  { code = "INVALID_USER_REFERENCE", severity = "warning", category = "grammar",
    title = "A user's unique ID where its ARN belongs",
    description = "IAM shows a user's unique ID (AIDA...) in a policy when the user it named "
      .. "was deleted. Name the user by ARN.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "AIDAEXAMPLEID1234567"}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}') },
  { code = "EMPTY_ARRAY_ACTION", severity = "suggestion", category = "grammar",
    title = "An empty Action array",
    description = "An empty Action list matches no action: the statement does nothing.",
    bad = D('{"Effect": "Allow", "Action": [], "Resource": "arn:aws:s3:::my-bucket/*"}', S3_READ),
    good = D(S3_READ) },
  { code = "EMPTY_ARRAY_RESOURCE", severity = "suggestion", category = "grammar",
    title = "An empty Resource array",
    description = "An empty Resource list matches no resource: the statement does nothing.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": []}', S3_READ),
    good = D(S3_READ) },
  { code = "EMPTY_ARRAY_PRINCIPAL", severity = "suggestion", category = "grammar",
    title = "An empty principal array",
    description = "An empty principal list names nobody.",
    type = "resource",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": []}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": ["111122223333"]}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "EMPTY_OBJECT_PRINCIPAL", severity = "suggestion", category = "grammar",
    title = "An empty Principal object",
    description = "An empty Principal object names nobody.",
    type = "resource",
    bad = D('{"Effect": "Allow", "Principal": {}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "EMPTY_OBJECT_CONDITION", severity = "suggestion", category = "grammar",
    title = "An empty Condition or operator object",
    description = "An empty condition block tests nothing: remove it.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {}}'),
    good = D(S3_READ) },

  -- ARNs
  { code = "INVALID_ARN_PREFIX", severity = "error", category = "grammar",
    title = "A resource that is neither \"*\" nor an ARN",
    description = "Resource entries are \"*\" or ARNs (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE).",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "MISSING_ARN_FIELD", severity = "error", category = "grammar",
    title = "An ARN with missing parts",
    description = "An ARN has six parts separated by five colons (empty region or account "
      .. "still keep their colons).",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:my-bucket"}'),
    good = D(S3_READ) },
  { code = "INVALID_PARTITION", severity = "error", category = "grammar",
    title = "An ARN with an unknown partition",
    description = "Partitions are aws, aws-cn, aws-us-gov and the isolated ones (aws-iso...).",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:amazon:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "INVALID_ARN_SERVICE", severity = "error", category = "grammar",
    title = "An ARN whose service is a pattern or malformed",
    description = "The service part of a resource ARN must be spelled out: lower-case "
      .. "letters, digits and '-', no wildcards.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s*:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "INVALID_ARN_SERVICE_CASE", severity = "error", category = "grammar",
    title = "An ARN whose service is not lower case",
    description = "Service names in ARNs are lower case.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:S3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "INVALID_ARN_REGION", severity = "error", category = "grammar",
    title = "An ARN whose region is malformed",
    description = "Regions look like us-east-1 (or are empty, or a wildcard pattern).",
    bad = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:useast1:111122223333:table/orders"}'),
    good = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}') },
  { code = "MISSING_ARN_REGION", severity = "error", category = "grammar",
    title = "An ARN without the region its resources have",
    description = "The service's resources of this type live in a region: name it or use *.",
    bad = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb::111122223333:table/orders"}'),
    good = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:111122223333:table/orders"}') },
  { code = "ARN_REGION_NOT_ALLOWED", severity = "error", category = "grammar",
    title = "An ARN with a region its resources do not have",
    description = "IAM resources, S3 buckets and objects and other global resources have an "
      .. "empty region part; an ARN that names one matches nothing.",
    bad = D('{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/ci"}'),
    good = D('{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:role/ci"}') },
  { code = "INVALID_ARN_ACCOUNT", severity = "error", category = "grammar",
    title = "An ARN whose account is not 12 digits",
    description = "Accounts are 12-digit IDs (or empty, \"aws\" for AWS managed policies, or "
      .. "a wildcard pattern).",
    bad = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:1111:table/orders"}'),
    good = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}') },
  { code = "MISSING_ARN_ACCOUNT", severity = "error", category = "grammar",
    title = "An ARN without the account its resources have",
    description = "The service's resources of this type belong to an account: name it or use *.",
    bad = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1::table/orders"}'),
    good = D('{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:*:table/orders"}') },
  { code = "ARN_ACCOUNT_NOT_ALLOWED", severity = "error", category = "grammar",
    title = "An ARN with an account its resources do not have",
    description = "S3 bucket and object ARNs (and a few others) have an empty account part; "
      .. "an ARN that names one matches nothing.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3::111122223333:my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "INVALID_ARN_RESOURCE", severity = "error", category = "grammar",
    title = "An ARN whose resource part names no resource type",
    description = "The resource part must start with one of the service's resource-type "
      .. "words (role/, user/, table/, ...), as the AWS catalog's ARN templates spell them.",
    bad = D('{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:roles/ci"}'),
    good = D('{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:role/ci"}') },

  { code = "INVALID_SERVICE", severity = "error", category = "grammar",
    title = "An ARN of a service that does not exist",
    description = "No ARN template of the catalog has this service part; the finding offers "
      .. "the closest service.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s4:::my-bucket/*"}'),
    good = D(S3_READ) },

  -- variables
  { code = "VARIABLE_UNSUPPORTED_IN_ELEMENT", severity = "error", category = "condition",
    title = "A policy variable where IAM does not substitute one",
    description = "Policy variables work in the resource part of Resource ARNs and in "
      .. "condition values, not in Action, Principal, condition keys or the first five parts "
      .. "of an ARN.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalTag/${aws:username}": "x"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:username}/*"}') },
  { code = "VARIABLE_UNSUPPORTED_IN_VERSION", severity = "error", category = "condition",
    title = "A policy variable in a 2008-10-17 policy",
    description = "Policy variables need Version 2012-10-17; in older policies ${...} is "
      .. "plain text.",
    bad = '{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:username}/*"}]}',
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:username}/*"}') },
  { code = "MISSING_BRACE_IN_VARIABLE", severity = "error", category = "condition",
    title = "A policy variable that never closes",
    description = "A policy variable is ${key}: the closing brace is missing.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:username/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:username}/*"}') },
  { code = "MISSING_QUOTE_IN_VARIABLE", severity = "error", category = "condition",
    title = "A policy variable default without quotes",
    description = "A default value is written ${key, 'default'}, in single quotes.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:PrincipalTag/team, shared}/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:PrincipalTag/team, \'shared\'}/*"}') },
  { code = "UNSUPPORTED_SPACE_IN_VARIABLE", severity = "error", category = "condition",
    title = "A space inside a policy variable's name",
    description = "Variable names cannot hold spaces: ${aws:username}, not ${ aws:username }.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${ aws:username}/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:username}/*"}') },
  { code = "EMPTY_VARIABLE", severity = "error", category = "condition",
    title = "An empty policy variable",
    description = "${} names no key.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${}/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/${aws:username}/*"}') },

  -- trust grammar
  { code = "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", severity = "error", category = "trust",
    title = "NotPrincipal in a trust policy",
    description = "Role trust policies cannot use NotPrincipal.",
    type = "trust",
    bad = D('{"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x7Kq2"}}}') },
  { code = "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", severity = "error", category = "trust",
    title = "\"Principal\": \"*\" in a trust policy",
    description = "Role trust policies cannot use the bare \"*\" principal.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}') },
  { code = "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", severity = "error", category = "trust",
    title = "Resource in a trust policy",
    description = "The role is the resource of its trust policy: it has no Resource element.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}') },
  { code = "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", severity = "error", category = "trust",
    title = "A malformed federated principal",
    description = "Federated principals are identity-provider ARNs "
      .. "(arn:aws:iam::ACCOUNT:oidc-provider/HOST or saml-provider/NAME) or "
      .. "cognito-identity.amazonaws.com, www.amazon.com, graph.facebook.com, accounts.google.com.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}') },
  { code = "MISMATCHED_ACTION_FOR_PRINCIPAL", severity = "error", category = "trust",
    title = "A principal that cannot use the statement's action",
    description = "SAML providers assume roles with sts:AssumeRoleWithSAML, OIDC and web "
      .. "identity providers with sts:AssumeRoleWithWebIdentity, AWS and service principals "
      .. "with sts:AssumeRole.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp"}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}') },
  { code = "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", severity = "error", category = "trust",
    title = "Roles Anywhere without the actions it needs",
    description = "IAM Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and "
      .. "sts:TagSession.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/a1"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"], "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/a1"}}}') },
  { code = "UNSUPPORTED_ACTION_IN_POLICY", severity = "error", category = "grammar",
    title = "An action this policy type cannot hold",
    description = "Trust policies hold only sts:AssumeRole, sts:AssumeRoleWithSAML, "
      .. "sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity and "
      .. "sts:SetContext; resource control policies only actions of the services that support RCPs; "
      .. "a resource policy of a known service (`--service s3`, or a Terraform "
      .. "aws_s3_bucket_policy) only that service's actions.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": ["sts:AssumeRole", "s3:GetObject"]}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole"}') },
  { code = "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", severity = "error", category = "grammar",
    title = "A resource policy naming another service's resource",
    description = "A resource policy governs the resource it is attached to: its Resource "
      .. "ARNs must be that service's.  Known when the service is given (`--service s3` or "
      .. "`AWS::S3::Bucket`, opts.service) or the policy comes from a Terraform resource "
      .. "such as aws_s3_bucket_policy.",
    type = "resource", opts = { service = "s3" },
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::my-bucket/*", "arn:aws:sqs:us-east-1:111122223333:jobs"]}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },

  { code = "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", severity = "error", category = "trust",
    title = "A condition on a key service principals never carry",
    description = "Requests from a service principal carry no aws:PrincipalArn, "
      .. "aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalTag/..., aws:userid, MFA keys: "
      .. "a statement whose only principals are services and that tests them never applies. "
      .. "Test aws:SourceAccount or aws:SourceArn instead.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}') },

  -- SCP / RCP
  { code = "SCP_SYNTAX_ERROR_PRINCIPAL", severity = "error", category = "grammar",
    title = "A principal in a service control policy",
    description = "SCPs apply to the accounts they are attached to: no Principal or NotPrincipal.",
    type = "scp",
    bad = D('{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:DeleteBucket", "Resource": "*"}'),
    good = D('{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}') },
  { code = "SCP_SYNTAX_ERROR_NOTRESOURCE", severity = "warning", category = "grammar",
    title = "NotResource in a service control policy",
    description = "The original SCP language has no NotResource. AWS Organizations has since "
      .. "widened the SCP language, so this is a warning: it matters where tools or "
      .. "organizations still hold SCPs to the original grammar.",
    type = "scp",
    bad = D('{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::logs/*"}'),
    good = D('{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}') },
  { code = "SCP_SYNTAX_ERROR_ALLOW_CONDITION", severity = "warning", category = "grammar",
    title = "A condition on an Allow of a service control policy",
    description = "In the original SCP language an Allow cannot have a Condition (see "
      .. "SCP_SYNTAX_ERROR_NOTRESOURCE on why this is a warning).",
    type = "scp",
    bad = D('{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}'),
    good = D('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}') },
  { code = "SCP_SYNTAX_ERROR_ALLOW_NOTACTION", severity = "warning", category = "grammar",
    title = "NotAction on an Allow of a service control policy",
    description = "In the original SCP language an Allow cannot use NotAction.",
    type = "scp",
    bad = D('{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}'),
    good = D('{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}') },
  { code = "SCP_SYNTAX_ERROR_ALLOW_RESOURCE", severity = "warning", category = "grammar",
    title = "A specific resource on an Allow of a service control policy",
    description = "In the original SCP language an Allow must use \"Resource\": \"*\".",
    type = "scp",
    bad = D('{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::my-bucket"}'),
    good = D('{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}') },
  { code = "SCP_SYNTAX_ERROR_ACTION_WILDCARD", severity = "warning", category = "grammar",
    title = "A wildcard inside an SCP action",
    description = "In the original SCP language a wildcard may only end an action (s3:Get*, "
      .. "not s3:*Object).",
    type = "scp",
    bad = D('{"Effect": "Deny", "Action": "s3:*Object", "Resource": "*"}'),
    good = D('{"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}') },
  { code = "RCP_SYNTAX_ERROR_PRINCIPAL", severity = "error", category = "grammar",
    title = "A resource control policy principal other than \"*\"",
    description = "RCPs must have \"Principal\": \"*\"; narrow them with conditions on "
      .. "aws:PrincipalArn or aws:PrincipalOrgID.",
    type = "rcp",
    bad = D('{"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}'),
    good = D('{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}}') },
  { code = "RCP_SYNTAX_ERROR_NOTPRINCIPAL", severity = "error", category = "grammar",
    title = "NotPrincipal in a resource control policy",
    description = "RCPs cannot use NotPrincipal.",
    type = "rcp",
    bad = D('{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}'),
    good = D('{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}') },
  { code = "RCP_SYNTAX_ERROR_ALLOW", severity = "error", category = "grammar",
    title = "An Allow in a resource control policy",
    description = "Custom RCPs can only Deny (the managed RCPFullAWSAccess allows).",
    type = "rcp",
    bad = D('{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}'),
    good = D('{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}') },
  { code = "RCP_SYNTAX_ERROR_VERSION", severity = "error", category = "grammar",
    title = "A resource control policy in the 2008 language",
    description = "RCPs must be Version 2012-10-17.",
    type = "rcp",
    bad = '{"Version": "2008-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}',
    good = D('{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}') },

  { code = "ENDPOINT_POLICY_WILDCARD_ON_ID_KEY", severity = "error", category = "grammar",
    title = "A wildcard or numeric operator on an identifier key in an endpoint policy",
    description = "VPC endpoint policies cannot use wildcards (* or ?) or numeric operators with global "
      .. "keys that hold identifiers AWS generates (aws:PrincipalAccount, aws:SourceVpc, ...).",
    type = "endpoint",
    bad = D('{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalAccount": "1111*"}}}'),
    good = D('{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}') },
  { code = "ENDPOINT_POLICY_SHORT_WILDCARD", severity = "error", category = "grammar",
    title = "A string condition wildcard without six characters next to it in an endpoint policy",
    description = "In a VPC endpoint policy each wildcard of a string condition value needs at least "
      .. "six consecutive characters before or after it.",
    type = "endpoint",
    bad = D('{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/team": "ml*"}}}'),
    good = D('{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/team": "ml-team-*"}}}') },
  { code = "ENDPOINT_POLICY_ACCOUNT_WILDCARD", severity = "error", category = "grammar",
    title = "An ARN account that mixes digits and a wildcard in an endpoint policy",
    description = "In a VPC endpoint policy the account part of an ARN (in Resource or a condition) is "
      .. "an account id or a wildcard, not both.",
    type = "endpoint",
    bad = D('{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1111*:q"}'),
    good = D('{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:q"}') },

  -- ---------------------------------------------------------------- catalog
  { code = "INVALID_ACTION", severity = "error", category = "catalog",
    title = "An action the catalog does not have",
    description = "The action (or pattern) names no AWS action; the finding offers the "
      .. "closest names. Actions are SERVICE:Name, one per string.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "INVALID_SERVICE_IN_ACTION", severity = "error", category = "catalog",
    title = "An action of a service that does not exist",
    description = "The action's service prefix is not in the catalog.",
    bad = D('{"Effect": "Allow", "Action": "s4:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "WILDCARD_IN_SERVICE_NAME", severity = "suggestion", category = "catalog",
    title = "A wildcard in an action's service prefix",
    description = "A pattern such as s*:Get* matches services you did not mean, today or "
      .. "when AWS adds them.",
    bad = D('{"Effect": "Allow", "Action": "s*:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "RESOURCE_MISMATCH", severity = "warning", category = "catalog",
    title = "An action that applies to none of the statement's resources",
    description = "No resource of the statement can be a resource the action acts on, so "
      .. "the statement does not grant it. The finding names the ARN template the action "
      .. "needs (s3:ListBucket acts on the bucket, s3:GetObject on objects).",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}') },
  { code = "KMS_ALIAS_IN_KEY_ARN", severity = "error", category = "catalog",
    title = "A KMS alias where a key ARN holds the key ID",
    description = "arn:aws:kms:REGION:ACCOUNT:key/alias/NAME fits the key template but names no "
      .. "key: a key ARN holds the key ID. Name the key by its ID, or grant on key/* with a "
      .. "kms:ResourceAliases condition (ForAnyValue:StringEquals \"alias/NAME\"); the alias "
      .. "ARN (alias/NAME) is for the alias actions. aws.kms.key(\"alias/NAME\") refuses it.",
    bad = D('{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/alias/training-data"}'),
    good = D('{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*", "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/training-data"}}}') },
  { code = "MISSING_REQUIRED_RESOURCE_TYPE", severity = "warning", category = "catalog",
    title = "An action granted on some of its resources but not on the one it is named after",
    description = "The Service Authorization Reference marks resource types required (*) "
      .. "for an action: a call names a resource of that type and IAM authorizes the action "
      .. "on it. ec2:CreateNetworkInterface granted on the subnet and the security group, but "
      .. "on no network interface, is denied at run time. Reported when no Allow of the "
      .. "document gives the action a resource of the required type it is named after "
      .. "(\"*\", NotResource and placeholders count as giving it one); types that are "
      .. "kinds of it (application-inference-profile for inference-profile) count too, and "
      .. "actions with alternative scenarios (ec2:RunInstances) are left alone. lp.needs "
      .. "and lp.grant add what is missing.",
    bad = D('{"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": ["arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc", "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc"]}'),
    good = D('{"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": ["arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc", "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc", "arn:aws:ec2:us-east-1:111122223333:network-interface/*"]}') },
  { code = "ACTION_NEEDS_STAR_RESOURCE", severity = "warning", category = "catalog",
    title = "An action without resource types given a specific ARN",
    description = "The action supports no resource-level permissions, so only "
      .. "\"Resource\": \"*\" grants it.",
    bad = D('{"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetAuthorizationToken"], "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/trainer"}'),
    good = D('{"Effect": "Allow", "Action": "ecr:BatchGetImage", "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/trainer"}',
             '{"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}') },

  -- ---------------------------------------------------------------- conditions
  { code = "INVALID_CONDITION_OPERATOR", severity = "error", category = "condition",
    title = "An unknown condition operator",
    description = "The operator is not one of IAM's (String*, Numeric*, Date*, Bool, "
      .. "BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, with IfExists, ForAllValues:, "
      .. "ForAnyValue:). Operators are case-sensitive.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEqual": {"aws:PrincipalTag/team": "ml"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ml"}}}') },
  { code = "NULL_WITH_IF_EXISTS", severity = "error", category = "condition",
    title = "Null with IfExists",
    description = "Null already tests whether a key exists: it takes no IfExists.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"NullIfExists": {"aws:PrincipalTag/team": "false"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"Null": {"aws:PrincipalTag/team": "false"}}}') },
  { code = "NULL_WITH_QUALIFIER", severity = "suggestion", category = "condition",
    title = "Null with a set qualifier",
    description = "ForAllValues:Null and ForAnyValue:Null only test whether the key exists.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"ForAnyValue:Null": {"aws:TagKeys": "false"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"Null": {"aws:PrincipalTag/team": "false"}}}') },
  { code = "INVALID_CONDITION_KEY_FORMAT", severity = "error", category = "condition",
    title = "A condition key that is not PREFIX:name",
    description = "Condition keys look like aws:SourceArn or s3:prefix.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"SourceIp": "203.0.113.0/24"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}') },
  { code = "INVALID_GLOBAL_CONDITION_KEY", severity = "error", category = "condition",
    title = "An aws: condition key that does not exist",
    description = "The key starts with aws: but is not a global condition key; the finding "
      .. "offers the closest one.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIpAddress": "203.0.113.0/24"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}') },
  { code = "UNSUPPORTED_GLOBAL_CONDITION_KEY", severity = "error", category = "condition",
    title = "aws:ARN in a condition",
    description = "aws:ARN is not supported in conditions: use aws:PrincipalArn.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/ci"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci"}}}') },
  { code = "INVALID_SERVICE_CONDITION_KEY", severity = "error", category = "condition",
    title = "A service condition key that does not exist",
    description = "The key names a service that does not exist, or a key the service does "
      .. "not have; the finding offers the closest one.",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefixes": "in/*"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefix": "in/*"}}}') },
  { code = "MISSING_TAG_KEY_IN_CONDITION", severity = "error", category = "condition",
    title = "A tag condition key without the tag's name",
    description = "aws:ResourceTag/, aws:RequestTag/ and aws:PrincipalTag/ need the tag key "
      .. "after the slash.",
    bad = D('{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/": "ml"}}}'),
    good = D('{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "ml"}}}') },
  { code = "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", severity = "error", category = "condition",
    title = "Two condition keys that differ only in case",
    description = "Condition keys are case-insensitive: the two entries are one key. Merge "
      .. "their values.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ml", "aws:principaltag/team": "data"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["ml", "data"]}}}') },
  { code = "INVALID_CONDITION_DATA_TYPE", severity = "error", category = "condition",
    title = "Condition values of mixed JSON types",
    description = "The values of one key mix strings, numbers and booleans.",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"NumericLessThanEquals": {"s3:max-keys": ["10", 20]}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"}}}') },
  { code = "INVALID_CONDITION_MULTIPLE_BOOLEAN", severity = "error", category = "condition",
    title = "A boolean key tested against both true and false",
    description = "A key tested against true and false matches whenever it is present.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"Bool": {"aws:SecureTransport": ["true", "false"]}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}') },
  { code = "MISSING_QUALIFIER", severity = "error", category = "condition",
    title = "A multivalued key with a plain operator",
    description = "Multivalued keys (aws:TagKeys, sagemaker:VpcSubnets, ...) need "
      .. "ForAllValues: or ForAnyValue:; a plain operator never matches a request with several "
      .. "values.",
    bad = D('{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": "team"}}}'),
    good = D('{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "team"}}}') },
  { code = "FORALLVALUES_WITH_SINGLE_VALUED_KEY", severity = "security", category = "condition",
    title = "ForAllValues: on a single-valued key",
    description = "ForAllValues: is true when the key is absent, so on a single-valued key an "
      .. "Allow also matches requests without the key.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}') },
  { code = "FORANYVALUE_WITH_SINGLE_VALUED_KEY", severity = "suggestion", category = "condition",
    title = "ForAnyValue: on a single-valued key",
    description = "On a single-valued key ForAnyValue: adds nothing but confusion.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}') },
  { code = "TYPE_MISMATCH", severity = "warning", category = "condition",
    title = "An operator of the wrong type for the key",
    description = "The operator compares another type than the key holds (a String operator "
      .. "on an IP address key, a Date operator on a string, ...). As in IAM, an Arn operator "
      .. "on a String key is accepted: such keys often hold ARNs "
      .. "(kms:EncryptionContext:aws:s3:arn, tag values).",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:SourceIp": "203.0.113.7"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.7/32"}}}') },
  { code = "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", severity = "security", category = "condition",
    title = "StringLike or StringNotLike on a key that holds ARNs",
    description = "A String wildcard is not an ARN wildcard: in \"arn:aws:iam::*:role/app\" "
      .. "under StringLike the '*' also spans ':', so more ARNs match than the parts suggest. "
      .. "Use ArnLike or ArnNotLike, which match each part of the ARN on its own.",
    bad = D('{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:*"}}}'),
    good = D('{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:*"}}}') },
  { code = "EQUIVALENT_TO_NULL_FALSE", severity = "suggestion", category = "condition",
    title = "StringLike \"*\" only tests that the key is present",
    description = "A StringLike whose only value is \"*\" matches every request that carries "
      .. "the key, whatever its value: it means Null false, and Null says so.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"Null": {"aws:PrincipalTag/team": "false"}}}') },
  { code = "TYPE_MISMATCH_BOOLEAN", severity = "warning", category = "condition",
    title = "Bool or Null given something other than true or false",
    description = "Bool and Null take true or false.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"Bool": {"aws:SecureTransport": "yes"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}') },
  { code = "TYPE_MISMATCH_NUMBER", severity = "warning", category = "condition",
    title = "A Numeric operator given something other than a number",
    description = "Numeric operators take integers or decimals.",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"NumericLessThanEquals": {"s3:max-keys": "ten"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"}}}') },
  { code = "TYPE_MISMATCH_IP_RANGE", severity = "warning", category = "condition",
    title = "An IP operator given something other than an address or CIDR",
    description = "IpAddress and NotIpAddress take IPv4 or IPv6 addresses or CIDR ranges.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}') },
  { code = "INVALID_DATE_VALUE", severity = "warning", category = "condition",
    title = "A Date operator given something other than a date",
    description = "Date operators take ISO 8601 dates (2026-01-31T12:00:00Z) or epoch seconds.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"DateLessThan": {"aws:CurrentTime": "31/01/2026"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2026-01-31T00:00:00Z"}}}') },
  { code = "INVALID_VARIABLE_FOR_OPERATOR", severity = "error", category = "condition",
    title = "A policy variable in a value the operator does not substitute",
    description = "Only String and Arn operators (and Bool) substitute policy variables; "
      .. "Numeric, Date, IP, Binary and Null compare ${...} as written.",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/max}"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}}') },
  { code = "WILDCARD_WITHOUT_LIKE_OPERATOR", severity = "warning", category = "condition",
    title = "A wildcard in a value compared literally",
    description = "StringEquals and friends compare * and ? literally: use StringLike.",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringEquals": {"s3:prefix": "in/*"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefix": "in/*"}}}') },
  { code = "INVALID_REGION", severity = "error", category = "condition",
    title = "aws:RequestedRegion compared with something that is not a region",
    description = "The value is not an AWS region code.",
    bad = D('{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east"}}}'),
    good = D('{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}') },
  { code = "INVALID_VPC_FORMAT", severity = "error", category = "condition",
    title = "aws:SourceVpc compared with something that is not a VPC ID",
    description = "VPC IDs look like vpc-0abc1234 (8 or 17 hex digits).",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:SourceVpc": "my-vpc"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-0a1b2c3d"}}}') },
  { code = "INVALID_VPCE_FORMAT", severity = "error", category = "condition",
    title = "aws:SourceVpce compared with something that is not a VPC endpoint ID",
    description = "VPC endpoint IDs look like vpce-0abc1234 (8 or 17 hex digits).",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpc-0a1b2c3d"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d"}}}') },
  { code = "INVALID_SESSION_NAME", severity = "error", category = "condition",
    title = "sts:RoleSessionName compared with an impossible session name",
    description = "Role session names are 2 to 64 letters, digits and _+=,.@- .",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:RoleSessionName": "deploy job"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:RoleSessionName": "deploy-job"}}}') },
  { code = "PRIVATE_IP_ADDRESS", severity = "error", category = "condition",
    title = "IpAddress on aws:SourceIp with private ranges only",
    description = "aws:SourceIp is the public address a request comes from; requests from "
      .. "private networks reach AWS through VPC endpoints, where aws:SourceIp is absent. "
      .. "IpAddress on private ranges never matches.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}') },
  { code = "PRIVATE_NOTIPADDRESS", severity = "error", category = "condition",
    title = "NotIpAddress on aws:SourceIp with private ranges only",
    description = "NotIpAddress on private ranges always matches (see PRIVATE_IP_ADDRESS).",
    bad = D('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "192.168.0.0/16"}}}'),
    good = D('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}}') },
  { code = "PRIVATE_IP_ADDRESS_SUBSET", severity = "suggestion", category = "condition",
    title = "IpAddress on aws:SourceIp mixing private and public ranges",
    description = "The private ranges never match (see PRIVATE_IP_ADDRESS).",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}}') },
  { code = "PRIVATE_NOTIPADDRESS_SUBSET", severity = "suggestion", category = "condition",
    title = "NotIpAddress on aws:SourceIp mixing private and public ranges",
    description = "The private ranges have no effect (see PRIVATE_IP_ADDRESS).",
    bad = D('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["198.51.100.0/24", "172.16.0.0/12"]}}}'),
    good = D('{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}}') },
  { code = "IMPROVE_IP_RANGE", severity = "suggestion", category = "condition",
    title = "A CIDR with host bits set",
    description = "203.0.113.7/24 means 203.0.113.0/24: write the network address.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}') },
  { code = "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", severity = "security", category = "condition",
    title = "A Deny on a tag key that some of its actions ignore",
    description = "Some of the statement's actions never see the tag key "
      .. "(aws:ResourceTag/..., aws:RequestTag/..., aws:TagKeys), so a Deny conditioned on it "
      .. "silently does not apply to them.",
    bad = D('{"Effect": "Deny", "Action": ["ec2:TerminateInstances", "s3:ListAllMyBuckets"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}'),
    good = D('{"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}') },
  { code = "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", severity = "suggestion", category = "condition",
    title = "An Allow on a tag key that some of its actions ignore",
    description = "Some of the statement's actions never see the tag key, so an Allow "
      .. "conditioned on it never grants them.",
    bad = D('{"Effect": "Allow", "Action": ["ec2:StartInstances", "s3:ListAllMyBuckets"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "ml"}}}'),
    good = D('{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "ml"}}}') },
  { code = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", severity = "error", category = "condition",
    title = "A condition key none of the statement's actions sees",
    description = "The catalog lists the service condition key for none of the statement's "
      .. "actions (nor their resource types): the request never carries it, so a positive "
      .. "operator never matches.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringLike": {"s3:prefix": "in/*"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefix": "in/*"}}}') },
  { code = "MISSING_ACTION_FOR_CONDITION_KEY", severity = "error", category = "condition",
    title = "A trust condition on a value only a companion action sets",
    description = "Session tags (aws:RequestTag/..., aws:TagKeys, sts:TransitiveTagKeys) reach "
      .. "a trust policy only when sts:TagSession is allowed, a source identity "
      .. "(sts:SourceIdentity) only with sts:SetSourceIdentity, trusted context "
      .. "(sts:RequestContext/...) only with sts:SetContext.  Without the companion action "
      .. "allowed, a positive test on the key never matches and the statement never applies.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:RequestTag/team": "ml"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"StringEquals": {"aws:RequestTag/team": "ml"}}}') },
  { code = "MISSING_PAIRED_CONDITION_KEYS", severity = "security", category = "condition",
    title = "aws:VpcSourceIp without the VPC it belongs to",
    description = "Private addresses repeat across VPCs: aws:VpcSourceIp alone also matches "
      .. "requests from other accounts' VPCs that use the same range.  Test aws:SourceVpc or "
      .. "aws:SourceVpce in the same statement.  Reported on an Allow that trusts a match and "
      .. "on a Deny carved out by a non-match.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}, "StringEquals": {"aws:SourceVpc": "vpc-0123456789abcdef0"}}}') },
  { code = "IRRELEVANT_CONDITION_KEY_IN_POLICY", severity = "suggestion", category = "condition",
    title = "A condition key that is constant in this policy type",
    description = "The key has one value for every request the policy can see, so the test is "
      .. "always true or always false: aws:ResourceAccount, aws:ResourceOrgID and "
      .. "aws:ResourceOrgPaths in resource and trust policies (the resource is the one the "
      .. "policy is attached to), aws:PrincipalOrgID in an SCP, aws:ResourceOrgID in an RCP, "
      .. "aws:PrincipalAccount in identity, boundary and session policies.",
    type = "resource",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}') },
  { code = "BAD_PATTERN_FOR_MFA", severity = "security", category = "condition",
    title = "An MFA test that misses long-term access keys",
    description = "Requests signed with long-term access keys carry no "
      .. "aws:MultiFactorAuthPresent.  A Deny on Bool \"false\" therefore never applies to "
      .. "them (use BoolIfExists), and an Allow on BoolIfExists \"true\" lets them in "
      .. "without MFA (use Bool).",
    bad = D('{"Effect": "Deny", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}'),
    good = D('{"Effect": "Deny", "Action": "iam:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}') },
  { code = "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", severity = "security", category = "condition",
    title = "A Deny with NotAction on a tag key",
    description = "NotAction covers the actions of every other service, many of which never "
      .. "see aws:ResourceTag/..., aws:RequestTag/... or aws:TagKeys: the Deny silently does "
      .. "not apply to them.",
    bad = D('{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}'),
    good = D('{"Effect": "Deny", "Action": ["ec2:TerminateInstances", "ec2:StopInstances"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}') },
  { code = "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", severity = "suggestion", category = "condition",
    title = "An Allow with NotAction on a tag key",
    description = "NotAction covers the actions of every other service, many of which never "
      .. "see the tag key: the Allow never grants them.",
    bad = D('{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "ml"}}}'),
    good = D('{"Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "ml"}}}') },
  { code = "REDUNDANT_CONDITION_VALUE", severity = "suggestion", category = "condition",
    title = "A condition value another value already covers",
    description = "The value repeats another, or a wildcard value of a Like operator already "
      .. "matches it (a value P next to P* is left alone: it names the prefix itself, as "
      .. "s3:prefix conditions often do).",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefix": ["in/*", "in/2026/*"]}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefix": ["in/*", "out/*"]}}}') },
  { code = "REDUNDANT_CONDITION_VALUE_NUM", severity = "suggestion", category = "condition",
    title = "Several values for a Numeric comparison",
    description = "NumericLessThan with several values matches below the largest one: the "
      .. "others say nothing (and the smallest for GreaterThan).",
    bad = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"NumericLessThanEquals": {"s3:max-keys": ["10", "100"]}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"NumericLessThanEquals": {"s3:max-keys": "100"}}}') },
  { code = "EMPTY_ARRAY_CONDITION", severity = "suggestion", category = "condition",
    title = "A condition key with no values",
    description = "A key with an empty value list never matches.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": []}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["ml"]}}}') },
  { code = "EMPTY_ARRAY_CONDITION_FORALLVALUES", severity = "suggestion", category = "condition",
    title = "ForAllValues: with no values",
    description = "ForAllValues: with an empty list matches only requests without the key.",
    bad = D('{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": []}}}'),
    good = D('{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}') },
  { code = "EMPTY_ARRAY_CONDITION_FORANYVALUE", severity = "suggestion", category = "condition",
    title = "ForAnyValue: with no values",
    description = "ForAnyValue: with an empty list never matches.",
    bad = D('{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": []}}}'),
    good = D('{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}}') },
  { code = "EMPTY_ARRAY_CONDITION_IFEXISTS", severity = "suggestion", category = "condition",
    title = "...IfExists with no values",
    description = "An IfExists operator with an empty list matches only requests without the key.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEqualsIfExists": {"aws:PrincipalTag/team": []}}}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {"StringEqualsIfExists": {"aws:PrincipalTag/team": "ml"}}}') },

  -- ---------------------------------------------------------------- security
  { code = "PASS_ROLE_WITH_STAR_IN_RESOURCE", severity = "security", category = "security",
    title = "iam:PassRole on any role",
    description = "iam:PassRole on \"*\" (or on every role, role/*) lets the holder hand any "
      .. "role in reach to a service, and run code with its permissions. Name the roles, "
      .. "and the service with iam:PassedToService. As in Access Analyzer, the PASS_ROLE_WITH_* "
      .. "codes are not reported when the statement tests iam:PassedToService (any case, "
      .. "not ...IfExists): leastpriv reports that case as PASS_ROLE_TO_ANY_ROLE.",
    bad = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/trainer", "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}') },
  { code = "PASS_ROLE_WITH_NOTRESOURCE", severity = "security", category = "security",
    title = "iam:PassRole with NotResource",
    description = "iam:PassRole on every role but those listed.",
    bad = D('{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
    good = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/trainer", "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}') },
  { code = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", severity = "security", category = "security",
    title = "iam:PassRole through an action wildcard on any role",
    description = "An action pattern (iam:*, iam:Pass*, *) grants iam:PassRole on every role.",
    bad = D('{"Effect": "Allow", "Action": "iam:Pass*", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}') },
  { code = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE", severity = "security", category = "security",
    title = "iam:PassRole through an action wildcard with NotResource",
    description = "An action pattern grants iam:PassRole on every role but those listed.",
    bad = D('{"Effect": "Allow", "Action": "iam:*", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
    good = D('{"Effect": "Allow", "Action": "iam:Get*", "NotResource": "arn:aws:iam::111122223333:role/admin"}') },
  { code = "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE", severity = "security", category = "security",
    title = "iam:PassRole through NotAction with NotResource",
    description = "NotAction leaves iam:PassRole allowed, on every role but those listed.",
    bad = D('{"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
    good = D('{"Effect": "Allow", "NotAction": ["s3:*", "iam:*"], "NotResource": "arn:aws:iam::111122223333:role/admin"}') },
  { code = "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION", severity = "security", category = "security",
    title = "iam:PassRole through NotAction on any role",
    description = "NotAction leaves iam:PassRole allowed, on \"*\".",
    bad = D('{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "NotAction": ["s3:*", "iam:*"], "Resource": "*"}') },
  { code = "PASS_ROLE_WITHOUT_PASSED_TO_SERVICE", severity = "security", category = "security",
    title = "iam:PassRole without iam:PassedToService",
    description = "Without an iam:PassedToService condition the roles can be passed to any "
      .. "service that accepts a role (EC2, Lambda, Glue, ...), not only the one meant.",
    bad = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/trainer"}'),
    good = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/trainer", "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}') },
  { code = "PASS_ROLE_TO_ANY_ROLE", severity = "security", category = "security",
    title = "iam:PassRole on any role, even if only to the services named",
    description = "leastpriv's stricter view of PASS_ROLE_WITH_STAR_IN_RESOURCE and its "
      .. "kin: with an iam:PassedToService condition Access Analyzer is satisfied, but the "
      .. "holder can still pass every role in reach (an administrator's too) to that "
      .. "service, and run code with it. Name the roles.",
    bad = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}'),
    good = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/trainer", "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}') },
  { code = "CREATE_SLR_WITH_STAR_IN_RESOURCE", severity = "warning", category = "security",
    title = "iam:CreateServiceLinkedRole for any service",
    description = "iam:CreateServiceLinkedRole on \"*\" without an iam:AWSServiceName condition can create the service-linked role of any service. Name the services with iam:AWSServiceName.",
    bad = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}}') },
  { code = "CREATE_SLR_WITH_NOTRESOURCE", severity = "warning", category = "security",
    title = "iam:CreateServiceLinkedRole with NotResource",
    description = "iam:CreateServiceLinkedRole on every role outside NotResource, without iam:AWSServiceName.",
    bad = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
    good = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}}') },
  { code = "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", severity = "warning", category = "security",
    title = "iam:CreateServiceLinkedRole through an action wildcard on \"*\"",
    description = "An action pattern (iam:*, iam:Create*, *) grants iam:CreateServiceLinkedRole on \"*\" without iam:AWSServiceName.",
    bad = D('{"Effect": "Allow", "Action": "iam:CreateService*", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}}') },
  { code = "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE", severity = "warning", category = "security",
    title = "iam:CreateServiceLinkedRole through an action wildcard with NotResource",
    description = "An action pattern grants iam:CreateServiceLinkedRole on every role outside NotResource.",
    bad = D('{"Effect": "Allow", "Action": "iam:CreateService*", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
    good = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}}') },
  { code = "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE", severity = "warning", category = "security",
    title = "iam:CreateServiceLinkedRole through NotAction with NotResource",
    description = "NotAction leaves iam:CreateServiceLinkedRole allowed on every role outside NotResource.",
    bad = D('{"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:iam::111122223333:role/admin"}'),
    good = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}}') },
  { code = "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION", severity = "warning", category = "security",
    title = "iam:CreateServiceLinkedRole through NotAction on \"*\"",
    description = "NotAction leaves iam:CreateServiceLinkedRole allowed on \"*\".",
    bad = D('{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}}}') },
  { code = "RESOURCE_STAR", severity = "security", category = "security",
    title = "\"*\" where the actions could name their resources",
    description = "The actions support resource-level permissions, but the statement grants "
      .. "them on \"*\" without conditions: every resource of the account is in reach. The "
      .. "finding shows an ARN template to use instead. Actions without resource types "
      .. "(ecr:GetAuthorizationToken) are not counted: they need \"*\".",
    bad = D('{"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken"], "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/trainer"}',
             '{"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}') },
  { code = "RESOURCE_EFFECTIVELY_STAR", severity = "security", category = "security",
    title = "A wildcard ARN as wide as \"*\"",
    description = "The ARN is only wildcards after its resource-type word, in any account "
      .. "and region (arn:aws:s3:::*, arn:aws:s3:::*/*, arn:aws:iam::*:role/*): for the "
      .. "statement's actions of that service it reaches every resource, as \"*\" would, "
      .. "while looking scoped.  An ARN pinned to an account and region "
      .. "(training-job/* of 111122223333 in us-east-1) is not reported.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "SERVICE_WILDCARD", severity = "security", category = "security",
    title = "Every action of a service",
    description = "SERVICE:* allows every action of the service, including the ones AWS adds "
      .. "later.  Not reported in a resource policy that grants it to its own account's root "
      .. "(the default KMS key policy): that hands the decision to the account's IAM policies.",
    bad = D('{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "GLOBAL_ACTION_WILDCARD", severity = "security", category = "security",
    title = "\"Action\": \"*\"",
    description = "Every action of every service; on \"*\" without conditions it is "
      .. "administrator access.",
    bad = D('{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D(S3_READ) },
  { code = "ALLOW_WITH_NOTACTION", severity = "security", category = "security",
    title = "Allow with NotAction",
    description = "Allow with NotAction grants every action not listed, in every service, "
      .. "including ones AWS adds later.",
    bad = D('{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}', S3_READ) },
  { code = "ALLOW_WITH_NOTRESOURCE", severity = "security", category = "security",
    title = "Allow with NotResource",
    description = "Allow with NotResource grants every resource not listed, in every service.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"}'),
    good = D('{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::my-bucket/*"}', S3_READ) },
  { code = "ALLOW_WITH_NOTPRINCIPAL", severity = "security", category = "security",
    title = "Allow with NotPrincipal",
    description = "Allow with NotPrincipal grants access to every principal not listed, "
      .. "anonymous ones included.",
    type = "resource",
    bad = D('{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/ci", "111122223333"]}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "PRIVILEGE_ESCALATION", severity = "security", category = "security",
    title = "Actions that together let the holder gain more permissions",
    description = "The policy grants, on every resource and without conditions, a known "
      .. "privilege-escalation path: changing IAM policies or credentials, or passing any "
      .. "role to a service that runs the holder's code (EC2, Lambda, Glue, CloudFormation, "
      .. "Data Pipeline, CodeBuild, ECS, SageMaker training and processing jobs and "
      .. "notebooks), opening any SageMaker notebook, running commands on instances. "
      .. "Each path is judged on what the policy allows: an unconditional Deny, named "
      .. "resources, or conditions remove it (iam:PassedToService only keeps the paths "
      .. "through the services it names).",
    bad = D('{"Effect": "Allow", "Action": ["iam:PassRole", "sagemaker:CreateTrainingJob"], "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/trainer", "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}}',
             '{"Effect": "Allow", "Action": "sagemaker:CreateTrainingJob", "Resource": "arn:aws:sagemaker:us-east-1:111122223333:training-job/*"}') },
  { code = "CREDENTIALS_EXPOSURE", severity = "security", category = "security",
    title = "APIs that hand out other identities' credentials",
    description = "The policy grants, on every resource and without conditions, an API that "
      .. "returns credentials or secrets of other identities (access keys, console "
      .. "passwords, database credentials, instance passwords, presigned notebook URLs, "
      .. "role sessions).",
    bad = D('{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::111122223333:user/${aws:username}"}') },
  { code = "DATA_EXFILTRATION", severity = "security", category = "security",
    title = "Reads of any data",
    description = "The policy grants, on every resource and without conditions, a read that "
      .. "can take any data out: S3 objects, SSM parameters, Secrets Manager secrets.",
    bad = D('{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:trainer/*"}') },
  { code = "PERMISSIONS_MANAGEMENT_ACTIONS", severity = "security", category = "security",
    title = "Permissions management without constraints",
    description = "The policy grants, on every resource and without conditions, actions of "
      .. "the catalog's \"Permissions management\" access level: they change who can access "
      .. "what (IAM policies, resource policies, grants, shares).",
    bad = D('{"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "arn:aws:s3:::my-bucket"}') },

  -- trust risks
  { code = "TRUST_ANY_PRINCIPAL", severity = "security", category = "trust",
    title = "A role any AWS principal can assume",
    description = "The trust policy names \"*\" without a condition that pins who "
      .. "(aws:PrincipalOrgID, aws:PrincipalArn, aws:PrincipalAccount, ...).",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}') },
  { code = "TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID", severity = "security", category = "trust",
    title = "Another account trusted without an external ID or conditions",
    description = "A principal of another account can assume the role with no sts:ExternalId "
      .. "and no other condition (the confused-deputy risk of third parties). The role's own "
      .. "account comes from --account, the project config or the account dump.",
    type = "trust", opts = { account = "111122223333" },
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x7Kq2"}}}') },
  { code = "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", severity = "security", category = "trust",
    title = "A service principal without aws:SourceAccount or aws:SourceArn",
    description = "The service acts for any account's resources: without aws:SourceAccount "
      .. "or aws:SourceArn another customer's resource could make it use this role or "
      .. "resource (confused deputy).",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:111122223333:training-job/*"}}}') },
  { code = "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", severity = "security", category = "trust",
    title = "An OIDC trust without aud or sub conditions",
    description = "Every identity the provider issues tokens for can assume the role: test the "
      .. "provider's :aud and :sub keys.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}, "Action": "sts:AssumeRoleWithWebIdentity"}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ml:trainer"}}}') },
  { code = "MISSING_GITHUB_REPO_CONDITION_KEY", severity = "security", category = "trust",
    title = "A GitHub Actions trust without a repository condition",
    description = "Without token.actions.githubusercontent.com:sub every workflow of every "
      .. "GitHub repository can assume the role.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}') },
  { code = "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", severity = "warning", category = "trust",
    title = "A GitHub subject that lets every repository in",
    description = "A sub condition such as repo:my-org/* lets every repository of the owner "
      .. "(and every branch) assume the role: name the repository and branch.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/*"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}') },

  { code = "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", severity = "suggestion", category = "trust",
    title = "A service principal pinned only by aws:SourceOwner",
    description = "aws:SourceOwner is the legacy form of aws:SourceAccount that only some "
      .. "services set: pin a service principal with aws:SourceAccount and aws:SourceArn "
      .. "(or aws:SourceOrgID, aws:SourceOrgPaths).  Without any of them the finding is "
      .. "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL.",
    type = "resource", opts = { service = "sns" },
    bad = D('{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:111122223333:uploads", "Condition": {"StringEquals": {"aws:SourceOwner": "111122223333"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:111122223333:uploads", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::my-bucket"}}}') },
  -- trust policies that can never work, or admit more than meant (csrc/validate_trust.c)
  { code = "TRUST_SOURCE_ARN_OTHER_SERVICE", severity = "error", category = "trust",
    title = "aws:SourceArn of another service than the trusted service principal",
    description = "A service principal assumes a role for a resource of its own service: "
      .. "aws:SourceArn is that resource's ARN. A SageMaker principal with a Bedrock ARN can "
      .. "never match, so the role is never assumed that way (the job fails with an access "
      .. "error). Trust the service that owns the resource, or name its own resource.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:model-customization-job/*"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:model-customization-job/*"}}}') },
  { code = "TRUST_SOURCE_ACCOUNT_MISMATCH", severity = "error", category = "trust",
    title = "aws:SourceArn in another account than aws:SourceAccount",
    description = "Both conditions must hold, and a source resource lives in one account: an "
      .. "aws:SourceArn value whose account is none of the aws:SourceAccount values never "
      .. "matches.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:444455556666:training-job/*"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:111122223333:training-job/*"}}}') },
  { code = "GITHUB_OIDC_MISSING_AUDIENCE", severity = "security", category = "trust",
    title = "A GitHub OIDC trust that does not test the audience",
    description = "GitHub's OIDC tokens name their audience in the aud claim; for AWS it is "
      .. "sts.amazonaws.com. Without a token.actions.githubusercontent.com:aud condition, "
      .. "tokens minted for other audiences are accepted too.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}') },
  { code = "GITHUB_SUBJECT_ANY_REF", severity = "security", category = "trust",
    title = "A GitHub subject that admits any branch, tag or pull request",
    description = "repo:ORG/REPO:* matches every ref of the repository: any branch (a "
      .. "pull request's too), any tag, any environment. Name the ref "
      .. "(repo:ORG/REPO:ref:refs/heads/main) or the environment.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:*"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}') },
  { code = "CONFIRM_AUDIENCE_CLAIM_TYPE", severity = "suggestion", category = "trust",
    title = "An OIDC audience tested with a set operator",
    description = "Most identity providers send the aud claim as one string.  For a "
      .. "single-valued claim ForAnyValue: adds nothing and ForAllValues: also matches a "
      .. "token without the claim; keep the set operator only if the provider sends a list.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"ForAllValues:StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}}') },

  -- ---------------------------------------------------------------- suggestions
  { code = "REDUNDANT_ACTION", severity = "suggestion", category = "suggestion",
    title = "An action another entry of the statement covers",
    description = "The action repeats another, or a pattern of the same statement already "
      .. "matches it.",
    bad = D('{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*"], "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::my-bucket/*"}') },
  { code = "REDUNDANT_RESOURCE", severity = "suggestion", category = "suggestion",
    title = "A resource another entry of the statement covers",
    description = "The resource repeats another, or a pattern of the same statement already "
      .. "matches it.",
    bad = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::my-bucket/*", "arn:aws:s3:::my-bucket/in/*"]}'),
    good = D('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::my-bucket/in/*", "arn:aws:s3:::my-bucket/out/*"]}') },
  { code = "REDUNDANT_STATEMENT", severity = "suggestion", category = "suggestion",
    title = "A statement another statement covers",
    description = "Another statement with the same effect, principals and conditions already "
      .. "covers all of its actions and resources.",
    bad = D('{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::my-bucket/*"}',
            '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/in/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::my-bucket/*"}',
             '{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/out/*"}') },
  { code = "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", severity = "suggestion", category = "trust",
    title = "A trust principal inside an account the statement also names",
    description = "Naming an account already trusts every principal that account allows to "
      .. "assume the role.",
    type = "trust",
    bad = D('{"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:role/ci"]}, "Action": "sts:AssumeRole"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole"}') },

  -- ---------------------------------------------------------------- quotas and names
  { code = "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", severity = "error", category = "quota",
    title = "An identity policy over IAM's size quota",
    description = "IAM counts characters without whitespace: a managed policy (and a "
      .. "permissions boundary) holds at most 6,144; the inline policies of a role together "
      .. "10,240, of a user 2,048, of a group 5,120. Limits are options "
      .. "(managed_policy_size, role_inline_size, user_inline_size, group_inline_size); the "
      .. "example lowers one.",
    opts = { limits = { managed_policy_size = 150 } },
    bad = D(S3_READ, '{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Action": "s3:*Object", "Resource": "*"}') },
  { code = "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", severity = "error", category = "quota",
    title = "A trust policy over IAM's size quota",
    description = "A role trust policy holds at most 2,048 characters without whitespace by "
      .. "default; AWS raises this to 4,096 on request (option trust_policy_size).",
    type = "trust", opts = { limits = { trust_policy_size = 170 } },
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole"}') },
  { code = "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", severity = "error", category = "quota",
    title = "A resource-based policy over its size quota",
    description = "Resource-based policies have per-service quotas; the default checked here "
      .. "is S3's 20,480 bytes (option resource_policy_size).",
    type = "resource", opts = { limits = { resource_policy_size = 150 } },
    bad = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::my-bucket/*"}'),
    good = D('{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}') },
  { code = "POLICY_SIZE_EXCEEDS_SCP_QUOTA", severity = "error", category = "quota",
    title = "A service control policy over its size quota",
    description = "An SCP holds at most 5,120 characters, whitespace included "
      .. "(option scp_size).",
    type = "scp", opts = { limits = { scp_size = 100 } },
    bad = '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Deny",\n            "Action": "s3:DeleteBucket",\n            "Resource": "*"\n        }\n    ]\n}',
    good = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}' },
  { code = "POLICY_SIZE_EXCEEDS_RCP_QUOTA", severity = "error", category = "quota",
    title = "A resource control policy over its size quota",
    description = "An RCP holds at most 5,120 characters, whitespace included "
      .. "(option rcp_size).",
    type = "rcp", opts = { limits = { rcp_size = 160 } },
    bad = '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Deny",\n            "Principal": "*",\n            "Action": "s3:*",\n            "Resource": "*",\n            "Condition": {"Bool": {"aws:SecureTransport": "false"}}\n        }\n    ]\n}',
    good = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}' },
  { code = "POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA", severity = "error", category = "quota",
    title = "A session policy over its size quota",
    description = "A session policy holds at most 2,048 characters without whitespace "
      .. "(option session_policy_size).",
    type = "session", opts = { limits = { session_policy_size = 100 } },
    bad = D(S3_READ),
    good = D('{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}') },
  { code = "INVALID_ROLE_NAME", severity = "error", category = "quota",
    title = "A role name IAM does not accept",
    description = "Role names are 1 to 64 letters, digits and +=,.@_- .",
    format = "account",
    bad = A(role("training role", PEOPLE_TRUST)),
    good = A(role("training-role", PEOPLE_TRUST)) },
  { code = "INVALID_ROLE_DESCRIPTION", severity = "error", category = "quota",
    title = "A role description IAM does not accept",
    description = "IAM takes at most 1,000 characters (counted as characters, not UTF-8 "
      .. "bytes) of tab, newline, carriage return, U+0020 to U+007E and U+00A1 to U+00FF: "
      .. "Latin-1 letters such as é pass, an em dash or an emoji does not.",
    format = "account",
    bad = A((role("trainer", PEOPLE_TRUST):gsub('"Path": "/"', '"Path": "/", "Description": "Trains models \\u2014 nightly"'))),
    good = A((role("trainer", PEOPLE_TRUST):gsub('"Path": "/"', '"Path": "/", "Description": "Entra\\u00eene les mod\\u00e8les - chaque nuit"'))) },
  { code = "INVALID_POLICY_NAME", severity = "error", category = "quota",
    title = "A policy name IAM does not accept",
    description = "Policy names are 1 to 128 letters, digits and +=,.@_- .",
    format = "account",
    bad = A(role("trainer", PEOPLE_TRUST, { ["read data"] = D(S3_READ) })),
    good = A(role("trainer", PEOPLE_TRUST, { ["read-data"] = D(S3_READ) })) },
  { code = "INVALID_PATH", severity = "error", category = "quota",
    title = "An IAM path IAM does not accept",
    description = "Paths are \"/\" or begin and end with \"/\", at most 512 characters "
      .. "between U+0021 and U+007F.",
    format = "account",
    bad = A((role("trainer", PEOPLE_TRUST):gsub('"Path": "/"', '"Path": "ml"'))),
    good = A((role("trainer", PEOPLE_TRUST):gsub('"Path": "/"', '"Path": "/ml/"'))) },
  { code = "DUPLICATE_POLICY_NAME", severity = "error", category = "quota",
    title = "Two inline policies of one identity with the same name",
    description = "Inline policy names are unique per user, group or role, ignoring case.",
    format = "account",
    bad = A(role("trainer", PEOPLE_TRUST, { ["Read"] = D(S3_READ), ["read"] = D(S3_READ) })),
    good = A(role("trainer", PEOPLE_TRUST, { ["read"] = D(S3_READ) })) },
  { code = "DUPLICATE_MANAGED_POLICY_NAME", severity = "error", category = "quota",
    title = "Two customer managed policies with the same name",
    description = "Customer managed policy names are unique in an account, ignoring case: "
      .. "of two in one account dump or Terraform plan, the second cannot be created.",
    format = "account",
    bad = '{"RoleDetailList": [], "Policies": ['
      .. '{"PolicyName": "data", "Arn": "arn:aws:iam::111122223333:policy/a/data", "DefaultVersionId": "v1", '
      .. '"PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": ' .. D(S3_READ) .. '}]}, '
      .. '{"PolicyName": "Data", "Arn": "arn:aws:iam::111122223333:policy/b/Data", "DefaultVersionId": "v1", '
      .. '"PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": ' .. D(S3_READ) .. '}]}]}',
    good = '{"RoleDetailList": [], "Policies": ['
      .. '{"PolicyName": "data", "Arn": "arn:aws:iam::111122223333:policy/a/data", "DefaultVersionId": "v1", '
      .. '"PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": ' .. D(S3_READ) .. '}]}]}' },
  { code = "TOO_MANY_MANAGED_POLICIES", severity = "error", category = "quota",
    title = "More managed policies than a role may have",
    description = "A role or user has at most 10 managed policies attached by default; AWS "
      .. "raises this to 20 on request (option managed_policies_per_role). The example lowers it.",
    format = "account", opts = { limits = { managed_policies_per_role = 1 } },
    bad = A(role("trainer", PEOPLE_TRUST, nil, { "arn:aws:iam::aws:policy/ReadOnlyAccess",
                                                 "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" })),
    good = A(role("trainer", PEOPLE_TRUST, nil, { "arn:aws:iam::aws:policy/ReadOnlyAccess" })) },
  { code = "INVALID_SESSION_DURATION", severity = "error", category = "quota",
    title = "A maximum session duration outside 1 to 12 hours",
    description = "MaxSessionDuration is 3,600 to 43,200 seconds.",
    format = "account",
    bad = A((role("trainer", PEOPLE_TRUST):gsub('"Path": "/"', '"Path": "/", "MaxSessionDuration": 60'))),
    good = A((role("trainer", PEOPLE_TRUST):gsub('"Path": "/"', '"Path": "/", "MaxSessionDuration": 7200'))) },

  -- ---------------------------------------------------------------- roles as a whole
  { code = "PASS_ROLE_TO_UNTRUSTED_SERVICE", severity = "security", category = "role",
    title = "A role passed to a service its trust policy does not name",
    description = "A caller's iam:PassRole names a role (checked in the same run) for a "
      .. "service (iam:PassedToService) that the role's trust policy does not let assume "
      .. "it: the job will fail, or the condition names the wrong service.",
    format = "account",
    bad = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/trainer", "sagemaker.amazonaws.com") }),
            role("trainer", LAMBDA_TRUST)),
    good = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/trainer", "sagemaker.amazonaws.com") }),
             role("trainer", SAGEMAKER_TRUST)) },
  { code = "EXECUTION_ROLE_TRUST_MISSING_SERVICE", severity = "warning", category = "role",
    title = "An execution role whose trust does not name the service it is passed to",
    description = "A role checked in the same run is passed (iam:PassRole with "
      .. "iam:PassedToService) to a service its trust policy does not name.",
    format = "account",
    bad = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/trainer", "sagemaker.amazonaws.com") }),
            role("trainer", LAMBDA_TRUST)),
    good = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/trainer", "sagemaker.amazonaws.com") }),
             role("trainer", SAGEMAKER_TRUST)) },
  { code = "PASS_ROLE_PATH_MISMATCH", severity = "error", category = "role",
    title = "iam:PassRole on a role name of the run, under another path",
    description = "A role's ARN holds its path (arn:aws:iam::ACCOUNT:role/service-role/NAME), "
      .. "and role names are unique in an account whatever the path: a caller's iam:PassRole "
      .. "on role/NAME when the run's role NAME lives under /service-role/ names no role, and "
      .. "the pass is denied. The finding names both.",
    format = "account",
    bad = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/ml-train-exec", "sagemaker.amazonaws.com") }),
            (role("ml-train-exec", SAGEMAKER_TRUST):gsub('"Path": "/"', '"Path": "/service-role/"'):gsub("role/ml%-train%-exec", "role/service-role/ml-train-exec"))),
    good = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/service-role/ml-train-exec", "sagemaker.amazonaws.com") }),
             (role("ml-train-exec", SAGEMAKER_TRUST):gsub('"Path": "/"', '"Path": "/service-role/"'):gsub("role/ml%-train%-exec", "role/service-role/ml-train-exec"))) },
  { code = "PASS_ROLE_BEYOND_EXECUTION_ROLES", severity = "security", category = "role",
    title = "iam:PassRole that reaches roles which are not execution roles of the service",
    description = "The caller's iam:PassRole pattern matches roles (checked in the same run) "
      .. "that the service it passes to cannot assume, such as the caller itself: name the "
      .. "execution role, or a path that holds only such roles.",
    format = "account",
    bad = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/*", "sagemaker.amazonaws.com") }),
            role("trainer", SAGEMAKER_TRUST)),
    good = A(role("caller", PEOPLE_TRUST, { launch = pass_policy("arn:aws:iam::111122223333:role/train*", "sagemaker.amazonaws.com") }),
             role("trainer", SAGEMAKER_TRUST)) },
  { code = "SEED_REVIEW_ROLE_COUNT", severity = "warning", category = "role",
    title = "Seed review: not exactly one role",
    description = "Opt-in profile seed-review (--profile seed-review), the review rule of the "
      .. "article this project grew from: the module creates exactly one role.",
    format = "account", opts = { profile = "seed-review" },
    bad = A(role("trainer", SAGEMAKER_TRUST, { data = D(S3_READ) }), role("other", SAGEMAKER_TRUST, { data = D(S3_READ) })),
    good = A(role("trainer", SAGEMAKER_TRUST, { data = D(S3_READ) })) },
  { code = "SEED_REVIEW_INLINE_POLICY_COUNT", severity = "warning", category = "role",
    title = "Seed review: not exactly one inline policy",
    description = "Profile seed-review: the role has exactly one inline policy.",
    format = "account", opts = { profile = "seed-review" },
    bad = A(role("trainer", SAGEMAKER_TRUST, { data = D(S3_READ), more = D(S3_READ) })),
    good = A(role("trainer", SAGEMAKER_TRUST, { data = D(S3_READ) })) },
  { code = "SEED_REVIEW_MANAGED_POLICIES", severity = "warning", category = "role",
    title = "Seed review: managed policies",
    description = "Profile seed-review: no managed policies.",
    format = "account", opts = { profile = "seed-review" },
    bad = A(role("trainer", SAGEMAKER_TRUST, { data = D(S3_READ) }, { "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" })),
    good = A(role("trainer", SAGEMAKER_TRUST, { data = D(S3_READ) })) },
  { code = "SEED_REVIEW_S3_WILDCARD", severity = "warning", category = "role",
    title = "Seed review: wildcards on S3",
    description = "Profile seed-review: no wildcards on S3 (no s3:* or other S3 action "
      .. "patterns, no S3 actions on \"*\" or on a bucket pattern; object keys under a named "
      .. "bucket may end in *).",
    format = "account", opts = { profile = "seed-review" },
    bad = A(role("trainer", SAGEMAKER_TRUST, { data = D('{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::my-bucket/*"}') })),
    good = A(role("trainer", SAGEMAKER_TRUST, { data = D(S3_READ) })) },
}

-- The codes of other linters and what reports the same problem here
-- (docs/checks.md prints this table; a spec checks every code named exists).
-- { tool, their code, our codes, note }
M.others = {
  { "Access Analyzer", "DEPRECATED_GLOBAL_CONDITION_KEY", { "UNSUPPORTED_GLOBAL_CONDITION_KEY" }, "aws:ARN" },
  { "Access Analyzer", "TYPE_MISMATCH_DATE", { "INVALID_DATE_VALUE" } },
  { "Access Analyzer", "TYPE_MISMATCH_STRING", { "TYPE_MISMATCH" } },
  { "parliament", "MALFORMED_JSON", { "JSON_SYNTAX_ERROR" } },
  { "parliament", "MALFORMED", { "MISSING_STATEMENT", "MISSING_EFFECT", "MISSING_ACTION",
    "MISSING_RESOURCE", "DATA_TYPE_MISMATCH", "INVALID_POLICY_ELEMENT" } },
  { "parliament", "EXCEPTION", {}, "none: a bad policy never makes lp.validate raise" },
  { "parliament", "DUPLICATE_SID", { "UNIQUE_SIDS_REQUIRED", "UNIQUE_SIDS_RECOMMENDED" } },
  { "parliament", "INVALID_SID", { "UNSUPPORTED_SID" } },
  { "parliament", "NO_VERSION", { "MISSING_VERSION" } },
  { "parliament", "INVALID_VERSION", { "INVALID_VERSION" } },
  { "parliament", "OLD_VERSION", { "VARIABLE_UNSUPPORTED_IN_VERSION" },
    "reported when the 2008 version breaks policy variables" },
  { "parliament", "UNKNOWN_PREFIX", { "INVALID_SERVICE_IN_ACTION", "INVALID_SERVICE" } },
  { "parliament", "UNKNOWN_ACTION", { "INVALID_ACTION" } },
  { "parliament", "UNKNOWN_CONDITION_FOR_ACTION", { "UNSUPPORTED_ACTION_FOR_CONDITION_KEY" } },
  { "parliament", "UNKNOWN_OPERATOR", { "INVALID_CONDITION_OPERATOR" } },
  { "parliament", "MISMATCHED_TYPE", { "TYPE_MISMATCH" } },
  { "parliament", "MISMATCHED_TYPE_BUT_USABLE", {},
    "not reported: String operators on ARN keys work as AWS documents" },
  { "parliament", "MISMATCHED_TYPE_OPERATION_TO_NULL", { "TYPE_MISMATCH_BOOLEAN" } },
  { "parliament", "BAD_PATTERN_FOR_MFA", { "BAD_PATTERN_FOR_MFA" } },
  { "parliament", "INVALID_ARN", { "INVALID_ARN_PREFIX", "MISSING_ARN_FIELD", "INVALID_PARTITION",
    "INVALID_ARN_SERVICE", "INVALID_ARN_REGION", "INVALID_ARN_ACCOUNT", "INVALID_ARN_RESOURCE" } },
  { "parliament", "UNKNOWN_PRINCIPAL", { "INVALID_PRINCIPAL_FORMAT", "INVALID_PRINCIPAL_KEY" } },
  { "parliament", "UNKNOWN_FEDERATION_SOURCE", { "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY" } },
  { "parliament", "RESOURCE_MISMATCH", { "RESOURCE_MISMATCH" } },
  { "parliament", "RESOURCE_STAR", { "RESOURCE_STAR" } },
  { "parliament", "RESOURCE_EFFECTIVELY_STAR", { "RESOURCE_EFFECTIVELY_STAR" } },
  { "parliament", "RESOURCE_POLICY_PRIVILEGE_ESCALATION", { "PERMISSIONS_MANAGEMENT_ACTIONS" },
    "resource-policy writes without constraints" },
  { "parliament", "PERMISSIONS_MANAGEMENT_ACTIONS", { "PERMISSIONS_MANAGEMENT_ACTIONS" } },
  { "parliament", "PRIVILEGE_ESCALATION", { "PRIVILEGE_ESCALATION" } },
  { "parliament", "CREDENTIALS_EXPOSURE", { "CREDENTIALS_EXPOSURE" } },
  { "parliament", "SENSITIVE_ACCESS", {},
    "write the pairs as role tests: `assert.denies` in leastpriv.busted (docs/simulation.md)" },
  { "parliament", "NOTPRINCIPAL_WITH_ALLOW", { "ALLOW_WITH_NOTPRINCIPAL" } },
  { "parliament", "NOTRESOURCE_WITH_ALLOW", { "ALLOW_WITH_NOTRESOURCE" } },
  { "parliament", "SINGLE_VALUE_CONDITION_TOO_PERMISSIVE", { "FORALLVALUES_WITH_SINGLE_VALUED_KEY" } },
  { "cloudsplaining", "PrivilegeEscalation", { "PRIVILEGE_ESCALATION" } },
  { "cloudsplaining", "DataExfiltration", { "DATA_EXFILTRATION" } },
  { "cloudsplaining", "ResourceExposure", { "PERMISSIONS_MANAGEMENT_ACTIONS" } },
  { "cloudsplaining", "InfrastructureModification", { "RESOURCE_STAR", "RESOURCE_EFFECTIVELY_STAR" },
    "write actions reaching every resource" },
  { "cloudsplaining", "CredentialsExposure", { "CREDENTIALS_EXPOSURE" } },
  { "cloudsplaining", "ServiceWildcard", { "SERVICE_WILDCARD", "GLOBAL_ACTION_WILDCARD" } },
  { "cloudsplaining", "AssumableByAnyPrincipal", { "TRUST_ANY_PRINCIPAL" } },
  { "cloudsplaining", "AssumableByAnyPrincipalWithConditions", { "TRUST_ANY_PRINCIPAL" },
    "when the conditions do not pin the principal" },
  { "cloudsplaining", "AssumableByCrossAccountPrincipal", { "TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID" } },
  { "cloudsplaining", "AssumableByComputeService", { "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL" },
    "when the service is not pinned to a source" },
}

-- code -> entry
M.by_code = {}
for _, c in ipairs(M.list) do M.by_code[c.code] = c end

-- severity(code) -> "error" | "security" | "warning" | "suggestion"
function M.severity(code)
  local c = M.by_code[code]
  return c and c.severity or "error"
end

return M
