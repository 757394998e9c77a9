-- Values of Terraform expressions as leastpriv evaluates them.
--
--   string, number, boolean      as in Lua
--   null                         core.null
--   list / tuple / set           a table with core.array_mt
--   map / object                 a plain table
--   a reference                  a string holding a placeholder for the
--                                referenced attribute ("${aws_s3_bucket.data.arn}"
--                                when shown): known to be exactly that one
--                                value, never a wildcard, named by its address
--   unknown                      an Unknown { why =, line =, column = }: a value
--                                nothing offline can know (external data, a
--                                function of an unknown); it spreads through
--                                every operation that uses it
local core = require "leastpriv.core"
local template = require "leastpriv.template"

local M = {}

M.null = core.null
local ARRAY = core.array_mt

local Unknown = {}
Unknown.__index = Unknown
Unknown.__tostring = function(u) return "(unknown: " .. u.why .. ")" end

function M.unknown(why, node)
  return setmetatable({ why = why, line = node and node.line, column = node and node.column }, Unknown)
end

function M.is_unknown(v) return getmetatable(v) == Unknown end

-- The first unknown among values, or nil.
function M.first_unknown(...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if getmetatable(v) == Unknown then return v end
  end
end

function M.list(t) return setmetatable(t or {}, ARRAY) end
function M.is_list(v) return type(v) == "table" and getmetatable(v) == ARRAY end
function M.is_object(v) return type(v) == "table" and getmetatable(v) == nil end

-- A reference to an attribute of something the plan creates.
function M.reference(address)
  return template.reference(address)
end

function M.has_reference(s) return template.has_placeholder(s) end

-- Terraform's type names, for messages.
function M.type_name(v)
  if v == M.null then return "null" end
  if getmetatable(v) == Unknown then return "unknown" end
  local t = type(v)
  if t == "table" then return getmetatable(v) == ARRAY and "list" or "object" end
  if t == "boolean" then return "bool" end
  return t
end

-- Terraform's string conversion: numbers without ".0", bools as words.
function M.tostring(v)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then
    if v == math.floor(v) and v > -2^53 and v < 2^53 then return ("%d"):format(v) end
    return (("%.17g"):format(v))
  end
  if t == "boolean" then return v and "true" or "false" end
  return nil
end

-- Sorted keys of an object (Terraform iterates maps in key order).
function M.keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

-- Elements of a collection in Terraform's order: lists by index, maps by
-- key.  Returns a list of { key, value }.
function M.elements(v)
  local out = {}
  if M.is_list(v) then
    for i, x in ipairs(v) do out[i] = { i - 1, x } end
  elseif type(v) == "table" then
    for i, k in ipairs(M.keys(v)) do out[i] = { k, v[k] } end
  end
  return out
end

function M.truthy(v)
  if v == true then return true end
  if v == false then return false end
  if v == "true" then return true end
  if v == "false" then return false end
  return nil
end

function M.equal(a, b)
  if type(a) ~= type(b) then
    if type(a) == "number" and type(b) == "string" then return tonumber(b) == a end
    if type(b) == "number" and type(a) == "string" then return tonumber(a) == b end
    return false
  end
  if type(a) ~= "table" then return a == b end
  if M.is_list(a) ~= M.is_list(b) then return false end
  for k, v in pairs(a) do if not M.equal(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

return M
