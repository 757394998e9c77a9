-- Generating least-privilege statements from the catalog.
--
--   lp.grant(aws.s3.objects("data", "in/"), "read")
--     --> Allow every Read action that applies to S3 objects, on those objects
--   lp.grant(bucket_arn, "list", "read", { wildcard_only = true, condition = {...} })
--     --> also the service's List/Read actions that exist only on "*", apart
--   lp.needs { { "s3:GetObject", obj_arn }, { "ecr:GetAuthorizationToken", "*" } }
--     --> the tightest statements allowing exactly those requests
local catalog = require "leastpriv.catalog"
local core = require "leastpriv.core"
local statement = require "leastpriv.statement"
local util = require "leastpriv.util"

local M = {}

local LEVELS = { list = "List", read = "Read", write = "Write", tagging = "Tagging",
                 permissions = "Permissions management" }
local LEVEL_NAMES = { "list", "read", "write", "tagging", "permissions" }
local GRANT_OPTIONS = { wildcard_only = true, condition = true, sid = true, effect = true }

-- The catalog resource types (names, as a set) an ARN is, in its own service.
local function types_of(arn)
  local parts, err = core.arn_parse(arn)
  if not parts then error(err, 0) end
  local set, any = {}, false
  for _, r in ipairs(catalog.resource_types_for_arn(arn, parts.service) or {}) do
    set[r.name] = true
    any = true
  end
  if not any then
    error(("%s matches no resource type of %s in the catalog"):format(arn, parts.service), 0)
  end
  return parts.service, set
end

-- Does the catalog action (record) apply to a resource of one of these types?
local function applies(rec, types)
  for _, rt in ipairs(rec.resource_types) do
    if types[rt.name] then return true end
  end
  return false
end

-- The required resource type an action is named after (network-interface
-- for ec2:CreateNetworkInterface: a call names one, and IAM authorizes the
-- action on it), when none of types (a set of names) is it or a kind of it
-- (application-inference-profile for inference-profile).  The same rule
-- as check's MISSING_REQUIRED_RESOURCE_TYPE (csrc/validate_required.c).
local function missing_required(rec, types)
  if rec.scenarios or rec.wildcard_only then return nil end
  local noun = rec.action:gsub("^%u%l*", ""):lower()
  if noun == "" then return nil end
  for _, rt in ipairs(rec.resource_types) do
    if rt.required and rt.name:gsub("%-", "") == noun and not types[rt.name] then
      for name in pairs(types) do
        if #name > #rt.name and name:sub(-#rt.name - 1) == "-" .. rt.name then return nil end
      end
      return rt
    end
  end
  return nil
end

-- An ARN of resource type rt of service that stands for every resource of
-- it beside like (an ARN): its partition, region and account, "*" for the rest.
local function arn_like(service, rt, like)
  local parts = core.arn_parse(like)
  local vars = {}
  for _, name in ipairs(catalog.resource_types.get(service, rt.name).variables) do
    if name == "Partition" then vars[name] = parts.partition
    elseif name == "Region" then vars[name] = parts.region ~= "" and parts.region or "*"
    elseif name == "Account" or name == "AccountId" then
      vars[name] = parts.account ~= "" and parts.account or "*"
    else vars[name] = "*" end
  end
  local arn, err = catalog.arn_build(service, rt.name, vars)
  if not arn then error(err, 0) end
  return arn
end

local function level_name(l)
  local canonical = type(l) == "string" and LEVELS[l:lower()]
  if not canonical then
    error(("unknown access level %q (one of %s)"):format(tostring(l), table.concat(LEVEL_NAMES, ", ")), 0)
  end
  return canonical
end

-- grant(resource(s), level, ... [, opts]) -> list of statements
local function grant(resource, ...)
  local args, opts = { ... }, {}
  if type(args[#args]) == "table" then opts = table.remove(args) end
  for k in pairs(opts) do
    if not GRANT_OPTIONS[k] then
      error(("unknown option '%s'%s"):format(tostring(k),
        util.did_you_mean(tostring(k), util.sorted_keys(GRANT_OPTIONS))), 0)
    end
  end
  if #args == 0 then error("name at least one access level (" .. table.concat(LEVEL_NAMES, ", ") .. ")", 0) end
  local levels = {}
  for _, l in ipairs(args) do levels[level_name(l)] = true end
  local resources = type(resource) == "table" and resource or { resource }
  if #resources == 0 then error("name at least one resource", 0) end

  local service, types
  for _, arn in ipairs(resources) do
    if type(arn) ~= "string" or arn == "*" then
      error("resources must be ARNs (for \"*\", use lp.allow with the actions you need)", 0)
    end
    local s, t = types_of(arn)
    if service and s ~= service then error("all resources of one grant must be of one service", 0) end
    service = s
    types = types or {}
    for k in pairs(t) do types[k] = true end
  end

  local scoped, star = {}, {}
  for _, name in ipairs(catalog.actions.list { service = service }) do
    local rec = catalog.actions.get(name)
    local wanted = false
    for _, l in ipairs(rec.access_levels) do
      if levels[l] then wanted = true end
    end
    if wanted then
      if rec.wildcard_only then
        star[#star + 1] = rec.name
      elseif applies(rec, types) then
        scoped[#scoped + 1] = rec.name
      end
    end
  end
  if #scoped == 0 then
    error(("no %s action of %s applies to %s"):format(table.concat(args, "/"), service,
      table.concat(resources, ", ")), 0)
  end
  table.sort(scoped)
  table.sort(star)
  local effect = opts.effect or "Allow"
  local out = { statement.build({ sid = opts.sid, action = scoped, resource = resources,
                                  condition = opts.condition }, effect, "lp.grant") }
  -- actions that also need the resource they are named after (creating a
  -- network interface in the subnet): one more statement per such type
  if effect == "Allow" then
    local extra, extra_order = {}, {}
    for _, name in ipairs(scoped) do
      local rt = missing_required(catalog.actions.get(name), types)
      if rt then
        local arn = arn_like(service, rt, resources[1])
        if not extra[arn] then extra[arn] = {} extra_order[#extra_order + 1] = arn end
        table.insert(extra[arn], name)
      end
    end
    table.sort(extra_order)
    for i, arn in ipairs(extra_order) do
      out[#out + 1] = statement.build({ sid = opts.sid and (opts.sid .. "Required" .. i),
                                        action = extra[arn], resource = arn,
                                        condition = opts.condition }, effect, "lp.grant")
    end
  end
  if opts.wildcard_only and #star > 0 then
    out[2] = statement.build({ sid = opts.sid and (opts.sid .. "Unscoped"), action = star,
                               resource = "*", condition = opts.condition }, effect, "lp.grant")
  end
  return out
end

-- needs{ {action, resource}, ... } -> list of statements allowing exactly
-- those requests: actions that share the same resources share a statement.
local function needs(list)
  if type(list) ~= "table" or #list == 0 then
    error("takes a list of { action, resource } pairs", 0)
  end
  local by_action, order = {}, {}
  for i, pair in ipairs(list) do
    if type(pair) ~= "table" or type(pair[1]) ~= "string" or type(pair[2]) ~= "string" then
      error(("item %d must be { \"service:Action\", \"arn-or-*\" }"):format(i), 0)
    end
    local rec, err = catalog.actions.get(pair[1])
    if not rec then error(("item %d: %s"):format(i, err), 0) end
    local arn = pair[2]
    if arn == "*" then
      if not rec.wildcard_only and #rec.resource_types > 0 then
        local templates = {}
        for _, rt in ipairs(rec.resource_types) do templates[#templates + 1] = rt.arn end
        error(("item %d: %s can be scoped: name a resource (%s)"):format(i, rec.name,
          table.concat(templates, " or ")), 0)
      end
    else
      if rec.wildcard_only then
        error(("item %d: %s exists only on \"*\", not on %s"):format(i, rec.name, arn), 0)
      end
      local _, types = types_of(arn)
      if not applies(rec, types) then
        local templates = {}
        for _, rt in ipairs(rec.resource_types) do templates[#templates + 1] = rt.arn end
        error(("item %d: %s does not apply to %s (it needs %s)"):format(i, rec.name, arn,
          table.concat(templates, " or ")), 0)
      end
    end
    local entry = by_action[rec.name]
    if not entry then
      entry = { rec = rec, resources = {}, seen = {}, types = {} }
      by_action[rec.name] = entry
      order[#order + 1] = rec.name
    end
    if arn ~= "*" then
      local _, types = types_of(arn)
      for t in pairs(types) do entry.types[t] = true end
    else
      entry.star = true
    end
    if not entry.seen[arn] then
      entry.seen[arn] = true
      entry.resources[#entry.resources + 1] = arn
    end
  end
  -- a call also names the resource its action is named after: the
  -- requests need it too (ec2:CreateNetworkInterface in a subnet creates
  -- a network interface there)
  for _, action in ipairs(order) do
    local entry = by_action[action]
    local rt = not entry.star and missing_required(entry.rec, entry.types)
    if rt then
      local arn = arn_like(entry.rec.service, rt, entry.resources[1])
      if not entry.seen[arn] then
        entry.seen[arn] = true
        entry.resources[#entry.resources + 1] = arn
      end
    end
  end
  -- group actions by their (sorted) resource set, in order of first use
  local groups, group_order = {}, {}
  for _, action in ipairs(order) do
    local resources = by_action[action].resources
    table.sort(resources)
    local key = table.concat(resources, "\0")
    if not groups[key] then
      groups[key] = { actions = {}, resources = resources }
      group_order[#group_order + 1] = key
    end
    table.insert(groups[key].actions, action)
  end
  local out = {}
  for _, key in ipairs(group_order) do
    local g = groups[key]
    table.sort(g.actions)
    out[#out + 1] = statement.build({ action = g.actions, resource = g.resources }, "Allow", "lp.needs")
  end
  return out
end

M.grant = util.blamed("lp.grant", grant)
M.needs = util.blamed("lp.needs", needs)
M.levels = LEVEL_NAMES

return M
