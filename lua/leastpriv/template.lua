-- Template variables: role-script inputs that become Terraform variables.
--
-- lp.var "bucket_name" returns a placeholder string, OPEN "var.bucket_name"
-- CLOSE, that concatenates like any string.  The HCL writer turns it into
-- ${var.bucket_name}; JSON output substitutes a value (--set NAME=VALUE or
-- the declared default).  Declarations are collected per script run.
--
-- OPEN and CLOSE are the bytes 0xF8 and 0xF9, which no UTF-8 text holds:
-- every reader of outside data (JSON, plans, dumps) accepts only valid
-- UTF-8, so data cannot forge a placeholder, and a control byte in data
-- (U+0001) stays a character that the writers escape.  The format is fixed
-- and plain, so placeholders survive being copied as strings between Lua
-- states (a sandboxed script's results); check_tree() then admits only
-- references to declared variables.
local M = {}

local OPEN, CLOSE = "\248", "\249"
M.OPEN, M.CLOSE = OPEN, CLOSE
-- A pattern for one placeholder, capturing its expression.
M.PATTERN = OPEN .. "([^" .. CLOSE .. "]*)" .. CLOSE
local TYPES = { string = true, number = true, bool = true }

-- The declarations of the script being run (reset by begin()).
local declared, order = {}, {}

local function fail(msg, level) error(msg, (level or 1) + 1) end

-- Start collecting declarations for a new script run.
function M.begin()
  declared, order = {}, {}
end

-- The variables declared since begin(), in declaration order.
function M.declared()
  local list = {}
  for i, name in ipairs(order) do list[i] = declared[name] end
  return list
end

-- var(name [, opts]) -> placeholder string.  opts: description, type
-- ("string", "number", "bool"), default.
function M.var(name, opts)
  if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
    fail("lp.var: name must be an identifier like bucket_name", 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    fail("lp.var: options must be a table { description =, type =, default = }", 3)
  end
  opts = opts or {}
  for k in pairs(opts) do
    if k ~= "description" and k ~= "type" and k ~= "default" then
      fail(("lp.var: unknown option '%s' (description, type, default)"):format(tostring(k)), 3)
    end
  end
  local vtype = opts.type or "string"
  if not TYPES[vtype] then fail("lp.var: type must be string, number or bool", 3) end
  if opts.default ~= nil and type(opts.default) ~= (vtype == "bool" and "boolean" or vtype) then
    fail(("lp.var: default for %s must be a %s"):format(name, vtype), 3)
  end
  local decl = { name = name, description = opts.description, type = vtype,
                 default = opts.default }
  local old = declared[name]
  if old then
    if (opts.description and old.description and opts.description ~= old.description)
        or (opts.default ~= nil and old.default ~= nil and opts.default ~= old.default) then
      fail(("lp.var: %s declared twice with different settings"):format(name), 3)
    end
    old.description = old.description or decl.description
    if old.default == nil then old.default = decl.default end
  else
    declared[name] = decl
    order[#order + 1] = name
  end
  return OPEN .. "var." .. name .. CLOSE
end

-- A placeholder for a value that Terraform knows only after apply (an
-- attribute of a resource the same configuration creates, read from .tf
-- source): opaque to the checks, shown as ${ADDRESS}, never a variable.
function M.reference(address)
  return OPEN .. address .. CLOSE
end

-- Does s hold a placeholder?
function M.has_placeholder(s)
  return type(s) == "string" and s:find(OPEN, 1, true) ~= nil
end

-- A readable form of s for messages: placeholders shown as ${var.x}.
function M.display(s)
  return (s:gsub(M.PATTERN, "${%1}"))
end

-- The placeholder of variable name (what lp.var returns).
function M.placeholder(name)
  return OPEN .. "var." .. name .. CLOSE
end

-- Call fn(s, path) for every string (keys too) reachable from v; path is
-- a readable JSON path of where it is.
local function each_string(v, fn, path, seen)
  if type(v) == "string" then return fn(v, path) end
  if type(v) ~= "table" or seen[v] then return end
  seen[v] = true
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "string" or type(a) == "number") then return a < b end
    return type(a) < type(b)
  end)
  for _, k in ipairs(keys) do
    local sub = type(k) == "number" and ("%s[%d]"):format(path, k - 1)
      or ("%s.%s"):format(path, M.display(tostring(k)))
    if type(k) == "string" then each_string(k, fn, sub, seen) end
    each_string(v[k], fn, sub, seen)
  end
end
M.each_string = each_string

-- The names used by the placeholders of s, or nil and why s is malformed
-- (an unbalanced marker, or an expression other than var.NAME).
function M.names(s)
  local names, i = {}, 1
  while true do
    local a = s:find(OPEN, i, true)
    local stray = s:find(CLOSE, i, true)
    if not a then
      if stray then return nil, "a template placeholder is not opened" end
      return names
    end
    if stray and stray < a then return nil, "a template placeholder is not opened" end
    local z = s:find(CLOSE, a + 1, true)
    if not z then return nil, "a template placeholder is not closed" end
    local expr = s:sub(a + 1, z - 1)
    local name = expr:match("^var%.([%a_][%w_]*)$")
    if not name then
      return nil, "a template placeholder holds something other than a variable reference"
    end
    names[#names + 1] = name
    i = z + 1
  end
end

-- check_tree(x, decls [, where]): raise unless every placeholder in the
-- strings of x is well formed and names a variable of decls (the list of
-- declarations).  Only lp.var's own form passes: what reaches Terraform
-- as an expression is only ever a reference to a declared variable.
function M.check_tree(x, decls, where)
  local known = {}
  for _, d in ipairs(decls or {}) do known[d.name] = true end
  each_string(x, function(s, path)
    local names, why = M.names(s)
    if not names then error(("%s%s: %s"):format(where or "", path, why), 0) end
    for _, name in ipairs(names) do
      if not known[name] then
        error(("%s%s: var.%s is used but not declared with lp.var"):format(where or "", path, name), 0)
      end
    end
  end, "", {})
end

-- The text a variable's value gives inside a string: numbers by the one
-- rule of policy strings (core.number_text: 3600.0 -> "3600", 1e15 ->
-- "1000000000000000"), as terraform writes "${var.n}"; strings (--set
-- numbers are kept as their exact decimal text) as they are.
function M.value_text(v)
  if type(v) == "number" then return require("leastpriv.core").number_text(v) end
  return tostring(v)
end

-- The exact decimal text of the number written s ("1000000000000001.0",
-- "-2.5e3"), without exponent or trailing zeros, or nil when s is not a
-- number.  No rounding: terraform keeps every digit of -var values too.
function M.decimal_text(s)
  local sign, int, frac, exp = s:match("^(%-?)(%d+)%.?(%d*)[eE]?([+-]?%d*)$")
  if not sign or (s:find("%.") and frac == "") or (s:find("[eE]") and not exp:find("%d")) then
    return nil
  end
  local e = tonumber(exp ~= "" and exp or "0")
  if math.abs(e) > 400 then return nil end
  local all = int .. frac
  local lead = #all:match("^0*")
  local digits = all:sub(lead + 1):gsub("0+$", "")
  local point = #int + e - lead                  -- digits before the point
  if digits == "" then return "0" end
  local text
  if point <= 0 then text = "0." .. ("0"):rep(-point) .. digits
  elseif point >= #digits then text = digits .. ("0"):rep(point - #digits)
  else text = digits:sub(1, point) .. "." .. digits:sub(point + 1) end
  return sign .. text
end

-- JSON text with placeholders carried through (Terraform's jsonencode of
-- a value holding references, read back by jsondecode): each placeholder
-- travels as a token U+FDD0 N U+FDD1 (noncharacters, which IAM refuses and
-- the input may not hold, so no token comes from data) and is put back.
local TOKEN_OPEN, TOKEN_CLOSE = "\239\183\144", "\239\183\145"

local function no_tokens(s)
  if s:find(TOKEN_OPEN, 1, true) or s:find(TOKEN_CLOSE, 1, true) or s:lower():find("\\ufdd[01]") then
    error("holds U+FDD0 or U+FDD1, noncharacters IAM does not accept", 0)
  end
end

local function tokenize(s, exprs)
  no_tokens(s)
  return (s:gsub(M.PATTERN, function(e)
    exprs[#exprs + 1] = e
    return TOKEN_OPEN .. #exprs .. TOKEN_CLOSE
  end))
end

local function untokenize(s, exprs)
  return (s:gsub(TOKEN_OPEN .. "(%d+)" .. TOKEN_CLOSE, function(n)
    return OPEN .. assert(exprs[tonumber(n)]) .. CLOSE
  end))
end

local function map_strings(v, fn)
  if type(v) == "string" then return fn(v) end
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[map_strings(k, fn)] = map_strings(x, fn) end
  return setmetatable(out, getmetatable(v))
end

-- json_encode(v) -> core.json_encode of v, placeholders kept.
function M.json_encode(v)
  local exprs = {}
  local text = require("leastpriv.core").json_encode(map_strings(v, function(s) return tokenize(s, exprs) end))
  return untokenize(text, exprs)
end

-- json_decode(text) -> value, or nil and the message (as core.json_decode),
-- placeholders in text's strings kept.
function M.json_decode(text)
  local exprs = {}
  local v, err = require("leastpriv.core").json_decode(tokenize(text, exprs))
  if v == nil then return nil, err end
  return map_strings(v, function(s) return untokenize(s, exprs) end)
end

-- Replace every placeholder in the strings of x (a table tree), using
-- values[name] then the declared defaults.  Returns a new tree, or raises
-- naming the first variable without a value (with keep_unresolved, leaves
-- such placeholders in place instead).
function M.substitute(x, values, decls, keep_unresolved)
  local defaults = {}
  for _, d in ipairs(decls or {}) do defaults[d.name] = d.default end
  local function fill(s)
    return (s:gsub(M.PATTERN, function(expr)
      local name = expr:match("^var%.([%w_]+)$")
      local v = name and values[name]
      if v == nil and name then v = defaults[name] end
      if v == nil then
        if keep_unresolved then return nil end
        error(("variable %s has no value: pass --set %s=VALUE"):format(name or expr, name or expr), 0)
      end
      return M.value_text(v)
    end))
  end
  local function walk(v)
    if type(v) == "string" then return fill(v) end
    if type(v) ~= "table" then return v end
    local out = {}
    for k, item in pairs(v) do out[walk(k)] = walk(item) end
    return setmetatable(out, getmetatable(v))
  end
  return walk(x)
end

return M
