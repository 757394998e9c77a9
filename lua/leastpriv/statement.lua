-- Statement builders of the DSL: lp.allow{...}, lp.deny{...}, lp.statement{...}.
--
-- Fields are lower-case (sid, action, not_action, resource, not_resource,
-- principal, not_principal, condition); the result is a plain IAM-shaped
-- statement table.  Misuse raises at the script's line: unknown fields,
-- wrong types, unknown actions (with a suggestion), invalid ARNs, unknown
-- condition operators.
local core = require "leastpriv.core"
local operators = require "leastpriv.operators"
local template = require "leastpriv.template"
local util = require "leastpriv.util"

local M = {}

local FIELDS = { sid = true, effect = true, action = true, not_action = true,
                 resource = true, not_resource = true, principal = true,
                 not_principal = true, condition = true }

local PRINCIPAL_KEYS = { AWS = "AWS", aws = "AWS", Service = "Service", service = "Service",
                         Federated = "Federated", federated = "Federated",
                         CanonicalUser = "CanonicalUser", canonical_user = "CanonicalUser" }

-- The catalog, when this build has one (checked lazily so the DSL loads fast).
local catalog_loaded, catalog
local function get_catalog()
  if not catalog_loaded then
    catalog_loaded = true
    local ok, c = pcall(require, "leastpriv.catalog")
    catalog = ok and c or nil
  end
  return catalog
end

-- A list of strings from a string or a list; raises naming the field.
local function string_list(v, what)
  if type(v) == "string" then return { v } end
  if type(v) ~= "table" or not util.is_list(v) then
    error(("%s must be a string or a list of strings"):format(what), 0)
  end
  local out = {}
  for i, s in ipairs(v) do
    if type(s) ~= "string" then
      error(("%s[%d] must be a string, not %s"):format(what, i, type(s)), 0)
    end
    out[i] = s
  end
  return out
end

-- Flatten nested lists of strings ({ ecr.pull_actions, "ecr:X" }).
local function flat_strings(v, what)
  if type(v) ~= "table" then return string_list(v, what) end
  local out = {}
  for i, item in ipairs(v) do
    if type(item) == "table" then
      for _, s in ipairs(flat_strings(item, what)) do out[#out + 1] = s end
    elseif type(item) == "string" then
      out[#out + 1] = item
    else
      error(("%s[%d] must be a string, not %s"):format(what, i, type(item)), 0)
    end
  end
  if not util.is_list(v) then error(("%s must be a string or a list of strings"):format(what), 0) end
  return out
end

-- Check an action name or pattern against the catalog.
local function check_action(a)
  if a == "*" then return end
  local service, name = a:match("^([%w%-]+):(.+)$")
  if not service then
    error(("action %q must look like service:ActionName (or \"*\")"):format(a), 0)
  end
  local cat = get_catalog()
  if not cat then return end
  if name:find("[%*%?]") then
    local list = cat.actions.expand(a)
    if #list == 0 then error(("action pattern %q matches no AWS action"):format(a), 0) end
  else
    local rec, err = cat.actions.get(a)
    if not rec then error(err, 0) end
  end
end

-- Check a Resource entry: "*" or an ARN (patterns, policy variables and
-- template placeholders allowed).
local function check_resource(r)
  if r == "*" then return end
  local ok, err = core.arn_check(r)
  if not ok then error(template.display(err), 0) end
end

local function principal(v, what)
  if v == "*" then return "*" end
  if type(v) ~= "table" then
    error(("%s must be \"*\" or a table like { service = \"x.amazonaws.com\" }"):format(what), 0)
  end
  local out = {}
  for k, ids in pairs(v) do
    local key = PRINCIPAL_KEYS[k]
    if not key then
      error(("%s: unknown principal type '%s'%s"):format(what, tostring(k),
        util.did_you_mean(tostring(k), { "aws", "service", "federated", "canonical_user" })), 0)
    end
    local list = string_list(ids, what .. "." .. k)
    if out[key] then
      for _, id in ipairs(list) do out[key][#out[key] + 1] = id end
    else
      out[key] = list
    end
  end
  return out
end

local function scalar_list(v, what)
  local t = type(v)
  if t == "string" or t == "number" or t == "boolean" then return { v } end
  if t ~= "table" or not util.is_list(v) then
    error(("%s must be a value or a list of values"):format(what), 0)
  end
  for i, x in ipairs(v) do
    local xt = type(x)
    if xt ~= "string" and xt ~= "number" and xt ~= "boolean" then
      error(("%s[%d] must be a string, number or boolean"):format(what, i), 0)
    end
  end
  return v
end

-- Validate a condition block { Operator = { key = value(s) } } and copy it.
function M.condition(c, what)
  what = what or "condition"
  if type(c) ~= "table" then
    error(("%s must be a table like { StringEquals = { [\"aws:SourceAccount\"] = \"...\" } }")
      :format(what), 0)
  end
  local out = {}
  for op, keys in pairs(c) do
    if type(op) ~= "string" then error(("%s: operators are named, e.g. StringEquals"):format(what), 0) end
    local parsed, err = operators.parse(op)
    if not parsed then error(("%s: %s"):format(what, err), 0) end
    if type(keys) ~= "table" or util.is_list(keys) and next(keys) ~= nil then
      error(("%s.%s must map condition keys to values"):format(what, op), 0)
    end
    local copy = {}
    for key, values in pairs(keys) do
      if type(key) ~= "string" or not key:find(":", 1, true) then
        error(("%s.%s: condition key %s must look like service:name (e.g. aws:SourceArn)")
          :format(what, op, tostring(key)), 0)
      end
      copy[key] = scalar_list(values, ("%s.%s[%q]"):format(what, op, key))
    end
    out[op] = copy
  end
  return out
end

-- Merge condition blocks (later values for the same operator and key are added).
function M.merge_conditions(...)
  local out = {}
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    for op, keys in pairs(c or {}) do
      out[op] = out[op] or {}
      for key, values in pairs(keys) do
        local list = out[op][key] or {}
        for _, v in ipairs(type(values) == "table" and values or { values }) do
          list[#list + 1] = v
        end
        out[op][key] = list
      end
    end
  end
  return next(out) and out or nil
end

-- Build an IAM statement from DSL fields; raises plain messages.
function M.build(t, effect, fname)
  if type(t) ~= "table" then error(("%s takes a table of fields"):format(fname), 0) end
  local ok, err = pcall(util.check_fields, t, FIELDS, fname, 1)
  if not ok then error((tostring(err):gsub("^[^:]*:%d+: ", "")), 0) end
  effect = effect or t.effect
  if t.effect ~= nil and t.effect ~= effect then
    error(("%s: effect must be \"Allow\" or \"Deny\""):format(fname), 0)
  end
  if effect ~= "Allow" and effect ~= "Deny" then
    error(("%s: effect must be \"Allow\" or \"Deny\""):format(fname), 0)
  end
  local s = { Effect = effect }
  if t.sid ~= nil then
    if type(t.sid) ~= "string" then error(("%s: sid must be a string"):format(fname), 0) end
    s.Sid = t.sid
  end
  if t.action ~= nil and t.not_action ~= nil then
    error(("%s: give action or not_action, not both"):format(fname), 0)
  end
  if t.action == nil and t.not_action == nil then
    error(("%s: needs action (or not_action)"):format(fname), 0)
  end
  for field, key in pairs { action = "Action", not_action = "NotAction" } do
    if t[field] ~= nil then
      local list = flat_strings(t[field], field)
      if #list == 0 then error(("%s: %s is empty"):format(fname, field), 0) end
      for _, a in ipairs(list) do check_action(a) end
      s[key] = list
    end
  end
  if t.resource ~= nil and t.not_resource ~= nil then
    error(("%s: give resource or not_resource, not both"):format(fname), 0)
  end
  for field, key in pairs { resource = "Resource", not_resource = "NotResource" } do
    if t[field] ~= nil then
      local list = flat_strings(t[field], field)
      if #list == 0 then error(("%s: %s is empty"):format(fname, field), 0) end
      for _, r in ipairs(list) do check_resource(r) end
      s[key] = list
    end
  end
  if t.principal ~= nil and t.not_principal ~= nil then
    error(("%s: give principal or not_principal, not both"):format(fname), 0)
  end
  if t.principal ~= nil then s.Principal = principal(t.principal, "principal") end
  if t.not_principal ~= nil then s.NotPrincipal = principal(t.not_principal, "not_principal") end
  if t.condition ~= nil then s.Condition = M.condition(t.condition) end
  return s
end

-- A builder whose errors blame the script line that called it.
local function entry(effect, fname)
  return util.blamed(fname, function(t) return M.build(t, effect, fname) end)
end

M.allow = entry("Allow", "lp.allow")
M.deny = entry("Deny", "lp.deny")
M.statement = entry(nil, "lp.statement")

return M
