-- Evaluating the expressions of core.hcl_parse's trees (leastpriv.tf.values).
--
--   eval.expr(node, scope) -> value
--
-- scope = { names = { NAME = value } (for-expression and each/count
-- variables), parent = scope, ctx = ctx }; ctx.resolve(root, steps, node,
-- scope) answers the references the module knows (var, local, module, data,
-- resources, path, terraform), ctx.pos records where each list and object
-- value was written (for findings), ctx.origin maps a jsonencode result to
-- the value it encodes.  Errors raise "LINE:COL: message".
local F = require "leastpriv.tf.functions"
local V = require "leastpriv.tf.values"

local M = {}

local null, list = V.null, V.list

local function fail(node, msg)
  error(("%d:%d: %s"):format(node.line or 1, node.column or 1, msg), 0)
end
M.fail = fail

local expr

-- The value of a name in the scope chain, or nil.
local function lookup(scope, name)
  while scope do
    local names = scope.names
    if names and names[name] ~= nil then return names[name] end
    scope = scope.parent
  end
end

local function ctx_of(scope)
  while scope.parent and not scope.ctx do scope = scope.parent end
  return scope.ctx
end

-- One traversal step applied to a value.
local function step(v, s, node)
  if V.is_unknown(v) then return v end
  if v == null then fail(node, "cannot read " .. (s.name and ("." .. s.name) or "[...]") .. " of null") end
  if s.kind == "getattr" then
    if type(v) ~= "table" or V.is_list(v) then
      fail(node, ("a %s has no attribute %s"):format(V.type_name(v), s.name))
    end
    local x = v[s.name]
    if x == nil then fail(node, ("no attribute %s here"):format(s.name)) end
    return x
  end
  local key = s.value
  if V.is_unknown(key) then return key end
  if V.is_list(v) then
    local i = tonumber(key)
    if not i or i % 1 ~= 0 then fail(node, "a list index must be a whole number") end
    local x = v[i + 1]
    if x == nil then fail(node, ("index %d is out of range (%d elements)"):format(i, #v)) end
    return x
  end
  if type(v) ~= "table" then fail(node, ("a %s cannot be indexed"):format(V.type_name(v))) end
  local x = v[V.tostring(key) or key]
  if x == nil then fail(node, ("no key %s here"):format(tostring(key))) end
  return x
end
M.step = step

-- Flatten a traversal (getattr/index chain) to its root name and steps;
-- nil when the innermost expression is not a bare name.
local function traversal(node, scope)
  local steps = {}
  while node.kind == "getattr" or node.kind == "index" do
    local s = { kind = node.kind, name = node.name, node = node }
    if node.kind == "index" then s.value = expr(node.key, scope) end
    table.insert(steps, 1, s)
    node = node.object
  end
  if node.kind ~= "var" then return nil end
  return node.name, steps, node
end

local function apply(v, steps, from)
  for i = from or 1, #steps do v = step(v, steps[i], steps[i].node) end
  return v
end

local function reference(node, scope)
  local root, steps, rnode = traversal(node, scope)
  if not root then
    local v = expr(node.object, scope)
    local s = { kind = node.kind, name = node.name, node = node }
    if node.kind == "index" then s.value = expr(node.key, scope) end
    return step(v, s, node)
  end
  local own = lookup(scope, root)
  if own ~= nil then return apply(own, steps) end
  local ctx = ctx_of(scope)
  return ctx.resolve(root, steps, rnode, scope, apply)
end

local function to_string(v, node)
  if V.is_unknown(v) then return v end
  if v == null then fail(node, "cannot put null into a string") end
  local s = V.tostring(v)
  if s == nil then fail(node, ("cannot put a %s into a string"):format(V.type_name(v))) end
  return s
end

-- Template parts to a string (or the value itself for "${x}" alone).
local function parts(list_of_parts, scope, whole)
  if whole and #list_of_parts == 1 and type(list_of_parts[1]) == "table" and
      list_of_parts[1].kind == "interp" then
    return expr(list_of_parts[1].expr, scope)
  end
  local out = {}
  for _, p in ipairs(list_of_parts) do
    if type(p) == "string" then
      out[#out + 1] = p
    elseif p.kind == "interp" then
      local s = to_string(expr(p.expr, scope), p.expr)
      if V.is_unknown(s) then return s end
      out[#out + 1] = s
    elseif p.kind == "if" then
      local c = expr(p.cond, scope)
      if V.is_unknown(c) then return c end
      local b = V.truthy(c)
      if b == nil then fail(p, "the if condition must be a bool") end
      local s = parts(b and p.yes or p.no or {}, scope, false)
      if V.is_unknown(s) then return s end
      out[#out + 1] = s
    elseif p.kind == "for" then
      local c = expr(p.coll, scope)
      if V.is_unknown(c) then return c end
      for _, kv in ipairs(V.elements(c)) do
        local names = {}
        if p.key then names[p.key] = kv[1] end
        names[p.value] = kv[2]
        local s = parts(p.parts, { names = names, parent = scope }, false)
        if V.is_unknown(s) then return s end
        out[#out + 1] = s
      end
    end
  end
  return table.concat(out)
end

local function record(ctx, t, node, at)
  if ctx and ctx.pos then ctx.pos[t] = { line = node.line, column = node.column, at = at } end
end

local ARITH = {
  ["+"] = function(a, b) return a + b end, ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end, ["/"] = function(a, b) return a / b end,
  ["%"] = function(a, b) return a % b end,
  ["<"] = function(a, b) return a < b end, ["<="] = function(a, b) return a <= b end,
  [">"] = function(a, b) return a > b end, [">="] = function(a, b) return a >= b end,
}

local function number(v, node)
  local n = tonumber(v)
  if n == nil then fail(node, ("a number is needed, not %s"):format(V.type_name(v))) end
  return n
end

local function bool(v, node)
  local b = V.truthy(v)
  if b == nil then fail(node, ("a bool is needed, not %s"):format(V.type_name(v))) end
  return b
end

local KINDS = {}

KINDS.literal = function(node)
  if node.null then return null end
  return node.value
end

KINDS.template = function(node, scope) return parts(node.parts, scope, true) end
KINDS.paren = function(node, scope) return expr(node.expr, scope) end
KINDS.var = reference
KINDS.getattr = reference
KINDS.index = reference

KINDS.tuple = function(node, scope)
  local out, at = list(), {}
  for i, item in ipairs(node.items) do
    out[i] = expr(item, scope)
    at[i] = { line = item.line, column = item.column }
  end
  record(ctx_of(scope), out, node, at)
  return out
end

KINDS.object = function(node, scope)
  local out, at = {}, {}
  for _, item in ipairs(node.items) do
    local k = item.key
    local key
    if k.kind == "var" then key = k.name            -- { name = ... }
    else key = expr(k, scope) end
    if V.is_unknown(key) then return key end
    key = V.tostring(key)
    if key == nil then fail(k, "an object key must be a string") end
    out[key] = expr(item.value, scope)
    at[key] = { line = item.value.line, column = item.value.column, key_line = k.line, key_column = k.column }
  end
  record(ctx_of(scope), out, node, at)
  return out
end

KINDS.splat = function(node, scope)
  local v = expr(node.object, scope)
  if V.is_unknown(v) then return v end
  local items
  if v == null then items = {}
  elseif V.is_list(v) then items = v
  else items = { v } end
  local out = list()
  for i, x in ipairs(items) do
    for _, s in ipairs(node.each or {}) do
      local st = { kind = s.kind, name = s.name }
      if s.kind == "index" then st.value = expr(s.key, scope) end
      x = step(x, st, s)
    end
    out[i] = x
  end
  return out
end

KINDS.call = function(node, scope)
  local name = node.name:match("([%w_]+)$")
  if name == "try" or name == "can" then
    for _, a in ipairs(node.args) do
      local ok, v = pcall(expr, a, scope)
      if name == "can" then return ok end
      if ok and not V.is_unknown(v) then return v end
      if ok then return v end
    end
    if name == "can" then return false end
    fail(node, "try: no argument could be evaluated")
  end
  local args = {}
  for i, a in ipairs(node.args) do args[i] = expr(a, scope) end
  if node.expand then
    local last = table.remove(args)
    if V.is_unknown(last) then return last end
    if not V.is_list(last) then fail(node, "... needs a list") end
    for _, x in ipairs(last) do args[#args + 1] = x end
  end
  local ctx = ctx_of(scope)
  local ok, v = pcall(F.call, name, args, node, ctx)
  if not ok then fail(node, tostring(v)) end
  if name == "jsonencode" and type(v) == "string" and ctx.origin then ctx.origin[v] = args[1] end
  return v
end

KINDS.unary = function(node, scope)
  local v = expr(node.operand, scope)
  if V.is_unknown(v) then return v end
  if node.op == "!" then return not bool(v, node.operand) end
  return -number(v, node.operand)
end

KINDS.binary = function(node, scope)
  local op = node.op
  local a = expr(node.left, scope)
  if op == "&&" or op == "||" then
    if V.is_unknown(a) then return a end
    local x = bool(a, node.left)
    if op == "&&" and not x then return false end
    if op == "||" and x then return true end
    local b = expr(node.right, scope)
    if V.is_unknown(b) then return b end
    return bool(b, node.right)
  end
  local b = expr(node.right, scope)
  local u = V.first_unknown(a, b)
  if u then return u end
  if op == "==" then return V.equal(a, b) end
  if op == "!=" then return not V.equal(a, b) end
  return ARITH[op](number(a, node.left), number(b, node.right))
end

KINDS.cond = function(node, scope)
  local c = expr(node.cond, scope)
  if V.is_unknown(c) then return c end
  if bool(c, node.cond) then return expr(node.yes, scope) end
  return expr(node.no, scope)
end

KINDS.forexpr = function(node, scope)
  local c = expr(node.coll, scope)
  if V.is_unknown(c) then return c end
  if type(c) ~= "table" then fail(node.coll, "for needs a list or a map, not " .. V.type_name(c)) end
  local out = node.object and {} or list()
  for _, kv in ipairs(V.elements(c)) do
    local names = {}
    if node.key then names[node.key] = kv[1] end
    names[node.value] = kv[2]
    local inner = { names = names, parent = scope }
    local keep = true
    if node.cond then
      local cv = expr(node.cond, inner)
      if V.is_unknown(cv) then return cv end
      keep = bool(cv, node.cond)
    end
    if keep then
      if node.object then
        local k = to_string(expr(node.keyexpr, inner), node.keyexpr)
        if V.is_unknown(k) then return k end
        local v = expr(node.expr, inner)
        if node.group then
          out[k] = out[k] or list()
          table.insert(out[k], v)
        else
          if out[k] ~= nil then fail(node.keyexpr, ("key %q twice in a for object (use ... to group)"):format(k)) end
          out[k] = v
        end
      else
        out[#out + 1] = expr(node.expr, inner)
      end
    end
  end
  return out
end

function expr(node, scope)
  local f = KINDS[node.kind]
  if not f then fail(node, "cannot evaluate a " .. tostring(node.kind)) end
  return f(node, scope)
end

M.expr = expr
M.parts = parts

return M
