-- bench/corpus.lua: a deterministic corpus of IAM policies for the check
-- benchmarks: good and bad policies of every type (identity, trust,
-- resource, SCP, RCP, boundary, session), and AWS account dumps of N roles.
-- A fixed-seed generator (its own LCG, so every Lua gives the same bytes).
--
--   local corpus = require "corpus"          -- with bench/ on package.path
--   corpus.policies(10000)  --> { { text = JSON, type = "identity", bad = bool }... }
--   corpus.account(1000)    --> JSON text of get-account-authorization-details
local M = {}

-- luacheck: no max line length
-- A small deterministic generator: next() in [0, 2^31).
local function rng(seed)
  local state = seed
  local g = {}
  function g.next()
    state = (state * 1103515245 + 12345) % 2147483648
    return state
  end
  function g.int(n) return g.next() % n + 1 end          -- 1..n
  function g.pick(list) return list[g.int(#list)] end
  function g.chance(p) return g.next() % 1000 < p * 1000 end
  return g
end

local ACCOUNT = "111122223333"
local REGIONS = { "us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2" }

-- Scoped statements: actions and a resource they apply to.
local SCOPED = {
  function(g) return { "s3:GetObject", "s3:PutObject" },
    ("arn:aws:s3:::data-%d/in/%d/*"):format(g.int(50), g.int(9)) end,
  function(g) return { "s3:ListBucket" }, ("arn:aws:s3:::data-%d"):format(g.int(50)) end,
  function(g) return { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query" },
    ("arn:aws:dynamodb:%s:%s:table/orders-%d"):format(g.pick(REGIONS), ACCOUNT, g.int(30)) end,
  function(g) return { "logs:CreateLogStream", "logs:PutLogEvents" },
    ("arn:aws:logs:%s:%s:log-group:/app/%d:log-stream:*"):format(g.pick(REGIONS), ACCOUNT, g.int(20)) end,
  function(g) return { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability" },
    ("arn:aws:ecr:%s:%s:repository/svc-%d"):format(g.pick(REGIONS), ACCOUNT, g.int(40)) end,
  function(g) return { "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage" },
    ("arn:aws:sqs:%s:%s:queue-%d"):format(g.pick(REGIONS), ACCOUNT, g.int(40)) end,
  function(g) return { "kms:Decrypt", "kms:GenerateDataKey" },
    ("arn:aws:kms:%s:%s:key/%08x-0000-4000-8000-000000000000"):format(g.pick(REGIONS), ACCOUNT, g.int(99999)) end,
  function(g) return { "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob" },
    ("arn:aws:sagemaker:%s:%s:training-job/job-%d*"):format(g.pick(REGIONS), ACCOUNT, g.int(40)) end,
  function(g) return { "secretsmanager:GetSecretValue" },
    ("arn:aws:secretsmanager:%s:%s:secret:app/%d-*"):format(g.pick(REGIONS), ACCOUNT, g.int(40)) end,
  function(g) return { "sns:Publish" }, ("arn:aws:sns:%s:%s:topic-%d"):format(g.pick(REGIONS), ACCOUNT, g.int(40)) end,
}

local function q(s) return '"' .. s .. '"' end

local function list(items)
  if #items == 1 then return q(items[1]) end
  local out = {}
  for i, s in ipairs(items) do out[i] = q(s) end
  return "[" .. table.concat(out, ", ") .. "]"
end

local function statement(fields)
  local parts = {}
  for _, kv in ipairs(fields) do parts[#parts + 1] = q(kv[1]) .. ": " .. kv[2] end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local function doc(statements, version)
  local v = version == false and "" or ('"Version": "2012-10-17", ')
  return "{" .. v .. '"Statement": [' .. table.concat(statements, ", ") .. "]}"
end

local function good_statement(g, i)
  local actions, resource = g.pick(SCOPED)(g)
  local fields = { { "Sid", q("S" .. i) }, { "Effect", q("Allow") }, { "Action", list(actions) },
                   { "Resource", q(resource) } }
  if g.chance(0.3) then
    fields[#fields + 1] = { "Condition", '{"Bool": {"aws:SecureTransport": "true"}}' }
  end
  return statement(fields)
end

-- Defects for bad identity policies: each returns a statement.
local DEFECTS = {
  function(g) return statement { { "Effect", q("Allow") }, { "Action", q("s3:GetObjekt") },
    { "Resource", q("arn:aws:s3:::data-" .. g.int(9) .. "/*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", list { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken" } },
    { "Resource", q("*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("s3:*") }, { "Resource", q("*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", list { "iam:PassRole", "sagemaker:CreateTrainingJob" } },
    { "Resource", q("*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "NotAction", q("iam:*") }, { "Resource", q("*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("dynamodb:GetItem") },
    { "Resource", q("arn:aws:dynamodb::" .. ACCOUNT .. ":table/x") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("s3:ListBucket") },
    { "Resource", q("arn:aws:s3:::data-1/*") } } end,
  function() return statement { { "Effect", q("allow") }, { "Action", q("s3:GetObject") },
    { "Resource", q("arn:aws:s3:::data-1/*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("s3:GetObject") },
    { "Resource", q("arn:aws:s3:::data-1/*") }, { "Condition", '{"StringEqual": {"aws:PrincipalTag/team": "ml"}}' } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("secretsmanager:GetSecretValue") }, { "Resource", q("*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("iam:CreateAccessKey") }, { "Resource", q("*") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("iam:PassRole") },
    { "Resource", q("arn:aws:iam::" .. ACCOUNT .. ":role/app") } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("s3:GetObject") }, { "Resource", q("arn:aws:s3:::b/*") },
    { "Condition", '{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.7/24"]}}' } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", list { "s3:GetObject", "s3:Get*" } },
    { "Resource", list { "arn:aws:s3:::b/*", "arn:aws:s3:::b/in/*" } } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("s3:GetObject") }, { "Resource", q("arn:aws:s3:::*/*") } } end,
  function() return statement { { "Effect", q("Deny") }, { "Action", q("iam:*") }, { "Resource", q("*") },
    { "Condition", '{"Bool": {"aws:MultiFactorAuthPresent": "false"}}' } } end,
  function() return statement { { "Effect", q("Allow") }, { "Action", q("s3:GetObject") }, { "Resource", q("arn:aws:s3:::b/*") },
    { "Condition", '{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}' } } end,
  function() return statement { { "Effect", q("Deny") }, { "NotAction", q("iam:*") }, { "Resource", q("*") },
    { "Condition", '{"StringEquals": {"aws:ResourceTag/env": "prod"}}' } } end,
}

local function identity(g, bad)
  local n = g.int(5)
  local s = {}
  for i = 1, n do s[i] = good_statement(g, i) end
  if bad then s[#s + 1] = g.pick(DEFECTS)(g) end
  local version
  if bad and g.chance(0.1) then version = false end
  return doc(s, version)
end

local SERVICES = { "sagemaker.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com",
                   "glue.amazonaws.com", "states.amazonaws.com" }

local function trust(g, bad)
  local kind = g.int(4)
  if kind == 1 then
    local cond = bad and "" or (', "Condition": {"StringEquals": {"aws:SourceAccount": "%s"}}'):format(ACCOUNT)
    return doc { ('{"Effect": "Allow", "Principal": {"Service": "%s"}, "Action": "sts:AssumeRole"%s}')
      :format(g.pick(SERVICES), cond) }
  elseif kind == 2 then
    local sub = bad and "repo:my-org/*" or ("repo:my-org/app-%d:ref:refs/heads/main"):format(g.int(50))
    return doc { ('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com"}, '
      .. '"Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, '
      .. '"StringLike": {"token.actions.githubusercontent.com:sub": "%s"}}}'):format(ACCOUNT, sub) }
  elseif kind == 3 then
    local cond = bad and "" or ', "Condition": {"StringEquals": {"sts:ExternalId": "x7Kq2"}}'
    return doc { ('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"%s}'):format(cond) }
  end
  return doc { ('{"Effect": "Allow", "Principal": {"AWS": "%s"}, "Action": "sts:AssumeRole"}')
    :format(bad and "*" or ("arn:aws:iam::%s:role/ci-%d"):format(ACCOUNT, g.int(20))) }
end

local function resource(g, bad)
  local bucket = "data-" .. g.int(50)
  local p = bad and '"*"' or ('{"AWS": "arn:aws:iam::%s:role/reader-%d"}'):format(ACCOUNT, g.int(9))
  return doc {
    ('{"Sid": "Read", "Effect": "Allow", "Principal": %s, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*"}'):format(p, bucket),
    ('{"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::%s", "arn:aws:s3:::%s/*"], '
      .. '"Condition": {"Bool": {"aws:SecureTransport": "false"}}}'):format(bucket, bucket) }
end

local function scp(g, bad)
  local regions = {}
  for i = 1, g.int(3) do regions[i] = q(REGIONS[i]) end
  local s = { ('{"Sid": "Regions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*"], "Resource": "*", '
    .. '"Condition": {"StringNotEquals": {"aws:RequestedRegion": [%s]}}}'):format(table.concat(regions, ", ")) }
  if bad then s[#s + 1] = '{"Sid": "Bad", "Effect": "Deny", "Principal": "*", "Action": "s3:*Bucket", "Resource": "*"}' end
  return doc(s)
end

local function rcp(_, bad)
  return doc { ('{"Effect": "%s", "Principal": "*", "Action": "s3:*", "Resource": "*", '
    .. '"Condition": {"Bool": {"aws:SecureTransport": "false"}}}'):format(bad and "Allow" or "Deny") }
end

local function boundary(g, bad)
  local s = { '{"Effect": "Allow", "Action": ["s3:*", "dynamodb:*", "logs:*"], "Resource": "*"}' }
  if bad then s[#s + 1] = '{"Effect": "Allow", "Action": "iam:CreateUser", "Resource": "arn:aws:iam::1234:user/*"}' end
  s[#s + 1] = ('{"Effect": "Deny", "Action": "iam:*", "Resource": "arn:aws:iam::%s:role/admin-%d"}'):format(ACCOUNT, g.int(9))
  return doc(s)
end

local function session(g, bad)
  local actions, res = g.pick(SCOPED)(g)
  return doc { statement { { "Effect", q("Allow") }, { "Action", list(actions) },
    { "Resource", q(bad and "*" or res) } } }
end

-- The mix: identity policies dominate, as in real accounts.
local KINDS = {
  { "identity", identity, 55 }, { "trust", trust, 20 }, { "resource", resource, 8 },
  { "scp", scp, 5 }, { "rcp", rcp, 3 }, { "boundary", boundary, 5 }, { "session", session, 4 },
}

-- policies(n [, seed]) -> list of { text, type, bad }: about 40% bad.
function M.policies(n, seed)
  local g = rng(seed or 20240601)
  local total = 0
  for _, k in ipairs(KINDS) do total = total + k[3] end
  local out = {}
  for i = 1, n do
    local r, acc, kind = g.int(total), 0, nil
    for _, k in ipairs(KINDS) do
      acc = acc + k[3]
      if r <= acc then kind = k; break end
    end
    local bad = g.chance(0.4)
    out[i] = { text = kind[2](g, bad), type = kind[1], bad = bad }
  end
  return out
end

-- account(n [, seed]) -> the JSON text of an account dump with n roles
-- (trust, 1 to 3 inline policies, managed policies), a user, a group and
-- customer managed policies.
function M.account(n, seed)
  local g = rng(seed or 777)
  local roles, policies = {}, {}
  local npol = math.max(5, math.floor(n / 20))
  for i = 1, npol do
    policies[i] = ('{"PolicyName": "shared-%d", "PolicyId": "ANPA%016d", "Arn": "arn:aws:iam::%s:policy/shared-%d", '
      .. '"Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 3, "IsAttachable": true, '
      .. '"PolicyVersionList": [{"Document": %s, "VersionId": "v1", "IsDefaultVersion": true}]}')
      :format(i, i, ACCOUNT, i, identity(g, g.chance(0.3)))
  end
  for i = 1, n do
    local inline = {}
    for j = 1, g.int(3) do
      inline[j] = ('{"PolicyName": "inline-%d", "PolicyDocument": %s}'):format(j, identity(g, g.chance(0.25)))
    end
    local attached = {}
    for j = 1, g.int(3) - 1 do
      local k = g.int(npol)
      attached[j] = ('{"PolicyName": "shared-%d", "PolicyArn": "arn:aws:iam::%s:policy/shared-%d"}'):format(k, ACCOUNT, k)
    end
    roles[i] = ('{"Path": "/", "RoleName": "role-%d", "RoleId": "AROA%016d", "Arn": "arn:aws:iam::%s:role/role-%d", '
      .. '"CreateDate": "2024-01-01T00:00:00Z", "AssumeRolePolicyDocument": %s, "InstanceProfileList": [], '
      .. '"RolePolicyList": [%s], "AttachedManagedPolicies": [%s], "Tags": []}')
      :format(i, i, ACCOUNT, i, trust(g, g.chance(0.2)), table.concat(inline, ", "), table.concat(attached, ", "))
  end
  return ('{"UserDetailList": [{"Path": "/", "UserName": "alice", "UserId": "AIDA0000000000000001", '
    .. '"Arn": "arn:aws:iam::%s:user/alice", "UserPolicyList": [], "GroupList": ["dev"], '
    .. '"AttachedManagedPolicies": []}], "GroupDetailList": [{"Path": "/", "GroupName": "dev", '
    .. '"GroupId": "AGPA0000000000000001", "Arn": "arn:aws:iam::%s:group/dev", "GroupPolicyList": [], '
    .. '"AttachedManagedPolicies": []}], "RoleDetailList": [\n%s\n], "Policies": [\n%s\n]}\n')
    :format(ACCOUNT, ACCOUNT, table.concat(roles, ",\n"), table.concat(policies, ",\n"))
end

return M
