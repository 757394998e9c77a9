-- Template variables: role-script inputs that become Terraform variables.
--
-- lp.var "bucket_name" returns a placeholder string, "\1var.bucket_name\2",
-- that concatenates like any string.  The HCL writer turns it into
-- ${var.bucket_name}; JSON output substitutes a value (--set NAME=VALUE or
-- the declared default).  Declarations are collected per script run.
local M = {}

local OPEN, CLOSE = "\1", "\2"
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
  return (s:gsub(OPEN .. "(.-)" .. CLOSE, "${%1}"))
end

-- Replace every placeholder in the strings of x (a table tree), using
-- values[name] then the declared defaults.  Returns a new tree, or raises
-- naming the first variable without a value (with keep_unresolved, leaves
-- such placeholders in place instead).
function M.substitute(x, values, decls, keep_unresolved)
  local defaults = {}
  for _, d in ipairs(decls or {}) do defaults[d.name] = d.default end
  local function fill(s)
    return (s:gsub(OPEN .. "(.-)" .. CLOSE, function(expr)
      local name = expr:match("^var%.([%w_]+)$")
      local v = name and values[name]
      if v == nil and name then v = defaults[name] end
      if v == nil then
        if keep_unresolved then return nil end
        error(("variable %s has no value: pass --set %s=VALUE"):format(name or expr, name or expr), 0)
      end
      return tostring(v)
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
