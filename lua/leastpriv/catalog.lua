-- leastpriv.catalog: the AWS action catalog compiled into leastpriv.core.
--
--   local catalog = require "leastpriv.catalog"
--   catalog.version()                        --> { version =, date =, actions = 22091, ... }
--   catalog.actions.get("S3:getobject")      --> { name = "s3:GetObject", access_levels = {"Read"}, ... }
--   catalog.actions.expand("s3:Get*Acl")     --> { "s3:GetBucketAcl", "s3:GetObjectAcl", ... }
--   catalog.actions.list{ service = "ecr", wildcard_only = true }
--   catalog.condition_keys.get("aws:ResourceTag/team")
--   catalog.arn_build("s3", "object", { BucketName = "b", ObjectName = "in/*" })
--   catalog.resource_types_for_arn("arn:aws:s3:::b/k")   --> { { service = "s3", name = "object", ... } }
--
-- Lookups, expansion and matching are C (csrc/catalog.c); this file only
-- names them and checks the option table of actions.list.  Unknown names
-- give nil and a message with the closest known names; wrong argument
-- types raise.  See docs/catalog.md.
local core = require "leastpriv.core"

local M = {}

-- version() -> { source, version, date, updated_at, services, actions,
-- resource_types, arn_templates, condition_keys, global_condition_keys }
M.version = core.catalog_version

-- The access levels, in the order records list them.
M.access_levels = core.catalog_access_levels()

local ACCESS = {}
for _, name in ipairs(M.access_levels) do
  ACCESS[name:lower()] = name
end

-- The canonical access level for a user's spelling ("read", "permissions-management"),
-- or nil.
function M.access_level(name)
  if type(name) ~= "string" then return nil end
  return ACCESS[(name:lower():gsub("[-_]", " "))]
end

local function access_list(v)
  local list = type(v) == "table" and v or { v }
  local out = {}
  for i, name in ipairs(list) do
    local canonical = M.access_level(name)
    if not canonical then
      error(("actions.list: unknown access level %s (expected one of %s)"):format(
        type(name) == "string" and ("%q"):format(name) or type(name),
        table.concat(M.access_levels, ", ")), 3)
    end
    out[i] = canonical
  end
  return out
end

local LIST_OPTIONS = { service = true, access = true, wildcard_only = true }

local actions = {}
M.actions = actions

-- get(name) -> record | nil, err.  Case-insensitive.
actions.get = core.catalog_action

-- find(name) -> canonical name | nil: the cheap exact lookup.
actions.find = core.catalog_find

-- summary(name) -> { name, access_levels, wildcard_only } | nil, err
actions.summary = core.catalog_summary

-- expand(pattern | {pattern...}) -> sorted list of canonical names ('*', '?'
-- anywhere, the service part included; case-insensitive).
actions.expand = core.catalog_expand

-- list{ service =, access = LEVEL | {LEVEL...}, wildcard_only = bool } ->
-- sorted names | nil, err (unknown service).  Every option is optional.
function actions.list(opts)
  if opts == nil then opts = {} end
  if type(opts) ~= "table" then
    error("actions.list takes an options table { service =, access =, wildcard_only = }", 2)
  end
  for k in pairs(opts) do
    if not LIST_OPTIONS[k] then
      error(("actions.list: unknown option %s (expected service, access, wildcard_only)")
        :format(tostring(k)), 2)
    end
  end
  if opts.service ~= nil and type(opts.service) ~= "string" then
    error("actions.list: service must be a string", 2)
  end
  if opts.wildcard_only ~= nil and type(opts.wildcard_only) ~= "boolean" then
    error("actions.list: wildcard_only must be a boolean", 2)
  end
  local access
  if opts.access ~= nil then access = access_list(opts.access) end
  return core.catalog_list(opts.service, access, opts.wildcard_only)
end

-- services.get(prefix) -> { prefix, name, category, rcp, actions,
-- resource_types, condition_keys } | nil, err;  services.list() -> prefixes
M.services = { get = core.catalog_service, list = core.catalog_services }

-- condition_keys.get(key) -> { name, type, types, global, template, category,
-- description, services, actions, resource_types } | nil, err.
-- "aws:ResourceTag/team" finds the template "aws:ResourceTag/${TagKey}".
-- condition_keys.list() -> every key's name;  condition_keys.globals() -> the
-- global ones ("aws:SourceIp", ...), those that apply to every action.
M.condition_keys = {
  get = core.catalog_condition_key,
  list = function() return core.catalog_condition_key_names(false) end,
  globals = function() return core.catalog_condition_key_names(true) end,
}

-- resource_types.get(service, name) -> { service, name, arn, arns, variables,
-- condition_keys } | nil, err;  resource_types.for_arn(arn [, service])
M.resource_types = {
  get = core.catalog_resource_type,
  for_arn = core.catalog_resource_types_for_arn,
}

-- arn_build(service, resource_type, vars) -> arn | nil, err.  vars by the
-- template's placeholder names; Partition defaults to "aws".
M.arn_build = core.catalog_arn_build

-- resource_types_for_arn(arn [, service]) -> { { service, name, arn }... }
-- (the most specific templates only) | nil, err.
M.resource_types_for_arn = core.catalog_resource_types_for_arn

return M
