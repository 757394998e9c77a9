-- Scoping helpers: ARNs for exactly the resources a workload touches.
--
--   local aws = lp.scope { account = "123456789012", region = "us-east-1" }
--   aws.s3.objects("my-bucket", "input/")     --> arn:aws:s3:::my-bucket/input/*
--   aws.ecr.repository("trainer")             --> arn:aws:ecr:us-east-1:1234...:repository/trainer
--   aws.sagemaker.training_job("*")           --> any service and resource type, from
--   aws.dynamodb.table("orders")                  the catalog's ARN templates
--   aws.arn("dynamodb", "table", { TableName = "orders" })
--
-- Every ARN comes from the catalog's templates (so more services are data,
-- not code); the few named helpers below add IAM idioms on top.
local catalog = require "leastpriv.catalog"
local statement = require "leastpriv.statement"
local util = require "leastpriv.util"

local M = {}

local SCOPE_FIELDS = { account = true, region = true, partition = true }
local CONTEXT_VARS = { Partition = true, Region = true, Account = true }

-- Helpers raise at the script line that called them.
local wrap = util.blamed

-- The accounts named by the scopes of the script being run (reset by
-- begin()); they travel back with the script's result as plain strings
-- (check infers --account from them).
local named, named_order = {}, {}

-- Start collecting the scopes' accounts for a new script run.
function M.begin()
  named, named_order = {}, {}
end

-- The account values the scopes named since begin(), in first-use order
-- (placeholders of lp.var included, as they were given).
function M.accounts()
  local list = {}
  for i, a in ipairs(named_order) do list[i] = a end
  return list
end

-- The template's own variables, in order (Partition, Region, Account left out).
local function name_vars(template)
  local vars = {}
  for v in template:gmatch("%${([%w_]+)}") do
    if not CONTEXT_VARS[v] then vars[#vars + 1] = v end
  end
  return vars
end

-- The field a script types for a resource type: training-job is
-- aws.sagemaker.training_job; a name that is no Lua identifier that way
-- is indexed as it is (aws.svc["odd.name"]).
local function lua_field(name)
  local field = name:gsub("-", "_")
  if field:match("^[%a_][%w_]*$") then return field end
  return ("[%q]"):format(name)
end

-- The catalog record of service's resource type rtype; raises with a
-- suggestion.  `typed`, when the script wrote aws.<service>.<typed>, makes
-- the suggestion in that spelling (and among the service's helpers too).
local function resource_type(service, rtype, typed, helpers)
  local rec = catalog.resource_types.get(service, rtype)
  if rec then return rec end
  local svc = catalog.services.get(service)
  if not svc then
    error(("unknown service %q"):format(service), 0)
  end
  local names = {}
  for i, r in ipairs(svc.resource_types or {}) do names[i] = typed and lua_field(r.name) or r.name end
  if typed then
    for name in pairs(helpers or {}) do names[#names + 1] = name end
    table.sort(names)
    error(("%s has no resource type or helper of that name%s"):format(service,
      util.did_you_mean(typed, names)), 0)
  end
  error(("%s has no resource type %q%s"):format(service, rtype, util.did_you_mean(rtype, names)), 0)
end

-- Build an ARN in scope s: vars is a table of template variables, or the
-- value(s) of the template's own variables in order.
local build_record

local function build(s, service, rtype, ...)
  return build_record(s, service, resource_type(service, rtype), ...)
end

-- build() for a resource type's catalog record already looked up.
function build_record(s, service, rec, ...)
  local template = rec.arn or (rec.arns and rec.arns[1])
  local vars = {}
  local first = ...
  if type(first) == "table" then
    for k, v in pairs(first) do vars[k] = v end
  else
    local own = name_vars(template)
    local n = select("#", ...)
    if n ~= #own then
      error(("%s %s takes %d value(s) (%s), got %d"):format(service, rec.name, #own,
        table.concat(own, ", "), n), 0)
    end
    for i, v in ipairs(own) do vars[v] = (select(i, ...)) end
  end
  if service == "kms" and rec.name == "key" and type(vars.KeyId) == "string" and
      vars.KeyId:lower():find("^alias/") then
    error(("a KMS key ARN holds the key ID, not an alias (key/%s names no key): use the key's "
      .. "ID or ARN (aws.kms.key(\"1234abcd-12ab-34cd-56ef-1234567890ab\")), or keep the key "
      .. "\"*\" and add a kms:ResourceAliases condition (ForAnyValue:StringEquals \"%s\"); "
      .. "aws.kms.alias(%q) is the alias itself, for the alias actions"):format(vars.KeyId,
      vars.KeyId, vars.KeyId:sub(7)), 0)
  end
  if vars.Partition == nil then vars.Partition = s.partition end
  if template:find("${Region}", 1, true) and vars.Region == nil then
    if not s.region then
      error(("%s %s ARNs name a region: use lp.scope{ region = \"us-east-1\" } (or \"*\")")
        :format(service, rec.name), 0)
    end
    vars.Region = s.region
  end
  if template:find("${Account}", 1, true) and vars.Account == nil then
    if not s.account then
      error(("%s %s ARNs name an account: use lp.scope{ account = \"123456789012\" } (or \"*\")")
        :format(service, rec.name), 0)
    end
    vars.Account = s.account
  end
  local arn, err = catalog.arn_build(service, rec.name, vars)
  if not arn then error(err, 0) end
  return arn
end

-- "prefix/" with a trailing slash (S3 prefixes are folders here).
local function folder(prefix)
  if prefix == nil or prefix == "" then return "" end
  if type(prefix) ~= "string" then error("an S3 prefix must be a string", 0) end
  prefix = prefix:gsub("^/+", "")
  if prefix:sub(-1) ~= "/" then prefix = prefix .. "/" end
  return prefix
end

local function list_of(v)
  if v == nil then return {} end
  return type(v) == "table" and v or { v }
end

-- Named helpers: IAM idioms on top of the templates.
local function named_helpers(s)
  local h = { s3 = {}, ecr = {}, logs = {}, iam = {} }

  -- objects(bucket [, prefix]): every object under prefix/ (all when nil)
  h.s3.objects = wrap("s3.objects", function(bucket, prefix)
    return build(s, "s3", "object", { BucketName = bucket, ObjectName = folder(prefix) .. "*" })
  end)
  -- list_bucket(bucket [, prefixes] [, opts]): s3:ListBucket on the bucket,
  -- limited by s3:prefix to the given folders (and everything below them)
  h.s3.list_bucket = wrap("s3.list_bucket", function(bucket, prefixes, opts)
    opts = opts or {}
    local stmt = { sid = opts.sid, action = "s3:ListBucket", resource = build(s, "s3", "bucket", bucket) }
    local values = {}
    for _, p in ipairs(list_of(prefixes)) do
      values[#values + 1] = folder(p) .. "*"      -- "*" also matches the folder itself
    end
    if #values > 0 then stmt.condition = { StringLike = { ["s3:prefix"] = values } } end
    return statement.build(stmt, "Allow", "s3.list_bucket")
  end)

  h.ecr.pull_actions = { "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                         "ecr:GetDownloadUrlForLayer" }
  -- pull(repositories [, opts]): the image-pull actions on those repository
  -- ARNs, and ecr:GetAuthorizationToken, which only exists on "*"
  h.ecr.pull = wrap("ecr.pull", function(repos, opts)
    opts = opts or {}
    local arns = {}
    for i, r in ipairs(list_of(repos)) do
      arns[i] = r:match("^arn:") and r or build(s, "ecr", "repository", r)
    end
    if #arns == 0 then error("name at least one repository", 0) end
    return {
      statement.build({ sid = opts.sid or "ECRImagePull", action = h.ecr.pull_actions,
                        resource = arns }, "Allow", "ecr.pull"),
      statement.build({ sid = opts.token_sid or "ECRAuthToken", action = "ecr:GetAuthorizationToken",
                        resource = "*" }, "Allow", "ecr.pull"),
    }
  end)

  -- group(name): a log group's ARN
  h.logs.group = wrap("logs.group", function(group)
    return build(s, "logs", "log-group", { LogGroupName = group })
  end)
  -- streams(group [, stream]): the log streams of a group (all when nil)
  h.logs.streams = wrap("logs.streams", function(group, stream)
    return build(s, "logs", "log-stream", { LogGroupName = group, LogStreamName = stream or "*" })
  end)

  -- role(name [, { path = "/x/" }]): an IAM role ARN
  h.iam.role = wrap("iam.role", function(name, opts)
    local path = opts and opts.path or "/"
    if type(path) ~= "string" or path:sub(1, 1) ~= "/" or path:sub(-1) ~= "/" then
      error('path must begin and end with "/"', 0)
    end
    return build(s, "iam", "role", { RoleNameWithPath = path:sub(2) .. name })
  end)
  return h
end

-- A service table: named helpers first, then every resource type of the
-- service by its name in snake_case (training_job -> training-job).
local function service_table(s, service, helpers)
  return setmetatable({}, { __index = function(t, key)
    if type(key) ~= "string" then return nil end
    local own = helpers[service] and helpers[service][key]
    if own ~= nil then return own end
    local rtype = key:gsub("_", "-")
    local fn = wrap(service .. "." .. key, function(...)
      local name = catalog.resource_types.get(service, rtype) and rtype or key
      return build_record(s, service, resource_type(service, name, key, helpers[service]), ...)
    end)
    rawset(t, key, fn)
    return fn
  end })
end

-- lp.scope{ account =, region =, partition = } -> scope
function M.new(opts)
  opts = opts or {}
  if type(opts) ~= "table" then error("lp.scope takes a table { account =, region = }", 2) end
  for k in pairs(opts) do
    if not SCOPE_FIELDS[k] then
      error(("lp.scope: unknown field '%s'%s"):format(tostring(k),
        util.did_you_mean(tostring(k), util.sorted_keys(SCOPE_FIELDS))), 2)
    end
  end
  local s = { account = opts.account, region = opts.region, partition = opts.partition or "aws" }
  if type(s.account) == "string" and not named[s.account] then
    named[s.account] = true
    named_order[#named_order + 1] = s.account
  end
  local helpers = named_helpers(s)
  local scope = {
    account = s.account, region = s.region, partition = s.partition,
    arn = wrap("arn", function(service, rtype, ...) return build(s, service, rtype, ...) end),
  }
  return setmetatable(scope, { __index = function(t, service)
    if type(service) ~= "string" then return nil end
    if not catalog.services.get(service) then return nil end
    local st = service_table(s, service, helpers)
    rawset(t, service, st)
    return st
  end })
end

return M
