-- A JSON Schema Draft 4 validator for the specs (offline, no dependency):
-- the keywords of Draft 4 validation (type, enum, the numeric, string,
-- array and object keywords, allOf/anyOf/oneOf/not, local $ref), the
-- formats uri, uri-reference and date-time, and patterns in the ECMA 262
-- subset that schemas use (classes, groups, |, ?, *, +, {n,m}, ^, $).
-- Anything else in a schema raises, so an unsupported keyword can never
-- make a document pass.  Documents come from lp.core.json_decode (arrays
-- carry core.array_mt, null is core.null).
--
--   local schema = require "support.json_schema"
--   local errors = schema.validate(schema_doc, value)   -- {} when valid
local core = require "leastpriv.core"

local M = {}

local INF = math.huge

-- ------------------------------------------------------------ regular expressions

-- A character predicate for one escape (\d, \w, \s and their negations;
-- anything else stands for itself).
local function escape_class(c)
  local classes = {
    d = function(b) return b >= 48 and b <= 57 end,
    w = function(b) return (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122) or b == 95 end,
    s = function(b) return b == 32 or (b >= 9 and b <= 13) end,
  }
  local f = classes[c]
  if f then return f end
  if classes[c:lower()] then
    local g = classes[c:lower()]
    return function(b) return not g(b) end
  end
  if c:match("[%a%d]") then error("regex: unsupported escape \\" .. c) end
  local byte = c:byte()
  return function(b) return b == byte end
end

-- Parse pattern p into a tree: { "alt", {seq...} }, { "seq", {node...} },
-- { "char", pred }, { "rep", node, min, max }, { "bol" }, { "eol" }.
local function parse_regex(p)
  local pos = 1
  local parse_alt

  local function class()
    local negate = p:sub(pos, pos) == "^"
    if negate then pos = pos + 1 end
    local preds, first = {}, true
    while true do
      local c = p:sub(pos, pos)
      if c == "" then error("regex: unterminated [ in " .. p) end
      if c == "]" and not first then pos = pos + 1; break end
      first = false
      local pred
      if c == "\\" then
        pred = escape_class(p:sub(pos + 1, pos + 1))
        pos = pos + 2
      else
        local lo = c:byte()
        if p:sub(pos + 1, pos + 1) == "-" and p:sub(pos + 2, pos + 2) ~= "]" and p:sub(pos + 2, pos + 2) ~= "" then
          local hi = p:byte(pos + 2)
          pred = function(b) return b >= lo and b <= hi end
          pos = pos + 3
        else
          pred = function(b) return b == lo end
          pos = pos + 1
        end
      end
      preds[#preds + 1] = pred
    end
    return { "char", function(b)
      local hit = false
      for _, f in ipairs(preds) do if f(b) then hit = true; break end end
      return hit ~= negate
    end }
  end

  local function atom()
    local c = p:sub(pos, pos)
    pos = pos + 1
    if c == "(" then
      if p:sub(pos, pos + 1) == "?:" then pos = pos + 2
      elseif p:sub(pos, pos) == "?" then error("regex: unsupported group in " .. p) end
      local node = parse_alt()
      if p:sub(pos, pos) ~= ")" then error("regex: unbalanced ( in " .. p) end
      pos = pos + 1
      return node
    elseif c == "[" then return class()
    elseif c == "." then return { "char", function(b) return b ~= 10 and b ~= 13 end }
    elseif c == "^" then return { "bol" }
    elseif c == "$" then return { "eol" }
    elseif c == "\\" then
      local e = p:sub(pos, pos)
      pos = pos + 1
      return { "char", escape_class(e) }
    elseif c:match("[%*%+%?{]") then error("regex: nothing to repeat in " .. p)
    end
    local byte = c:byte()
    return { "char", function(b) return b == byte end }
  end

  local function quantified()
    local node = atom()
    while true do
      local c = p:sub(pos, pos)
      local min, max
      if c == "*" then min, max = 0, INF; pos = pos + 1
      elseif c == "+" then min, max = 1, INF; pos = pos + 1
      elseif c == "?" then min, max = 0, 1; pos = pos + 1
      elseif c == "{" then
        local a, b, close = p:match("^{(%d+)(,?%d*)}()", pos)
        if not a then error("regex: bad {} in " .. p) end
        min = tonumber(a)
        if b == "" then max = min elseif b == "," then max = INF else max = tonumber(b:sub(2)) end
        pos = close
      else
        return node
      end
      if p:sub(pos, pos) == "?" then error("regex: lazy quantifiers are unsupported in " .. p) end
      node = { "rep", node, min, max }
    end
  end

  function parse_alt()
    local options, items = {}, {}
    while pos <= #p and p:sub(pos, pos) ~= ")" do
      if p:sub(pos, pos) == "|" then
        options[#options + 1] = { "seq", items }
        items = {}
        pos = pos + 1
      else
        items[#items + 1] = quantified()
      end
    end
    options[#options + 1] = { "seq", items }
    return { "alt", options }
  end

  local tree = parse_alt()
  if pos <= #p then error("regex: unbalanced ) in " .. p) end
  return tree
end

-- Match node at s[i], then continue with k(j); returns true or false.
local function match_node(node, s, i, k)
  local kind = node[1]
  if kind == "char" then
    local b = s:byte(i)
    return b ~= nil and node[2](b) and k(i + 1)
  elseif kind == "seq" then
    local items = node[2]
    local function step(n, j)
      if n > #items then return k(j) end
      return match_node(items[n], s, j, function(j2) return step(n + 1, j2) end)
    end
    return step(1, i)
  elseif kind == "alt" then
    for _, option in ipairs(node[2]) do
      if match_node(option, s, i, k) then return true end
    end
    return false
  elseif kind == "rep" then
    local sub, min, max = node[2], node[3], node[4]
    local function rep(count, j)
      if count < max and match_node(sub, s, j, function(j2)
            return j2 ~= j and rep(count + 1, j2) end) then
        return true
      end
      return count >= min and k(j)
    end
    return rep(0, i)
  elseif kind == "bol" then
    return i == 1 and k(i)
  elseif kind == "eol" then
    return i == #s + 1 and k(i)
  end
  error("regex: bad node " .. tostring(kind))
end

local regex_cache = {}

-- Does pattern p (ECMA 262 subset) match somewhere in s?
function M.regex_find(p, s)
  local tree = regex_cache[p]
  if not tree then tree = parse_regex(p); regex_cache[p] = tree end
  for i = 1, #s + 1 do
    if match_node(tree, s, i, function() return true end) then return true end
  end
  return false
end

-- ------------------------------------------------------------ formats

-- Only RFC 3986 characters, and every '%' followed by two hex digits.
local function uri_chars(s)
  if s:find("[^%w%-%._~!%$&'%(%)%*%+,;=:@/%?#%[%]%%]") then return false end
  for pct in s:gmatch("%%(..?)") do
    if not pct:match("^%x%x$") then return false end
  end
  return true
end

local FORMATS = {
  ["uri"] = function(s)
    return s:match("^%a[%w%+%-%.]*:") ~= nil and uri_chars(s)
  end,
  ["uri-reference"] = function(s)
    return uri_chars(s)
  end,
  ["date-time"] = function(s)
    return s:match("^%d%d%d%d%-%d%d%-%d%d[Tt]%d%d:%d%d:%d%d%.?%d*[Zz]$") ~= nil
      or s:match("^%d%d%d%d%-%d%d%-%d%d[Tt]%d%d:%d%d:%d%d%.?%d*[%+%-]%d%d:%d%d$") ~= nil
  end,
}
M.formats = FORMATS

-- ------------------------------------------------------------ values

local function json_type(v)
  if v == core.null then return "null" end
  local t = type(v)
  if t == "table" then return getmetatable(v) == core.array_mt and "array" or "object" end
  if t == "number" then return "number" end
  if t == "string" or t == "boolean" then return t end
  return t
end

local function is_integer(v) return type(v) == "number" and v == math.floor(v) and v - v == 0 end

local function has_type(v, name)
  local t = json_type(v)
  if name == "integer" then return is_integer(v) end
  return t == name
end

local function equal(a, b)
  local ta, tb = json_type(a), json_type(b)
  if ta ~= tb then return false end
  if ta == "array" then
    if #a ~= #b then return false end
    for i = 1, #a do if not equal(a[i], b[i]) then return false end end
    return true
  elseif ta == "object" then
    for k, v in pairs(a) do if b[k] == nil or not equal(v, b[k]) then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
  end
  return a == b
end

local function utf8_length(s)
  local n = 0
  for _ in s:gmatch("[^\128-\191]") do n = n + 1 end
  return n
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- ------------------------------------------------------------ validation

local ANNOTATIONS = { description = true, default = true, title = true, id = true,
                      ["$schema"] = true, definitions = true }

local validate

-- The schema a local $ref ("#", "#/definitions/x") points at.
local function resolve(root, ref)
  if ref:sub(1, 1) ~= "#" then error("json_schema: only local $ref is supported: " .. ref) end
  local node = root
  for part in ref:sub(2):gmatch("[^/]+") do
    part = part:gsub("~1", "/"):gsub("~0", "~")
    node = type(node) == "table" and node[part] or nil
    if node == nil then error("json_schema: $ref " .. ref .. " points at nothing") end
  end
  return node
end

local KEYWORDS = {}

function KEYWORDS.type(want, v, path, add)
  local names = json_type(want) == "array" and want or { want }
  for _, name in ipairs(names) do if has_type(v, name) then return end end
  add(path, ("is %s, expected %s"):format(json_type(v), table.concat(names, " or ")))
end

function KEYWORDS.enum(list, v, path, add)
  for _, x in ipairs(list) do if equal(x, v) then return end end
  add(path, "is not one of the enum values")
end

function KEYWORDS.minimum(min, v, path, add, s)
  if type(v) ~= "number" then return end
  if v < min or (s.exclusiveMinimum == true and v == min) then add(path, ("is below the minimum %s"):format(min)) end
end

function KEYWORDS.maximum(max, v, path, add, s)
  if type(v) ~= "number" then return end
  if v > max or (s.exclusiveMaximum == true and v == max) then add(path, ("is above the maximum %s"):format(max)) end
end

function KEYWORDS.exclusiveMinimum() end  -- read by minimum
function KEYWORDS.exclusiveMaximum() end  -- read by maximum

function KEYWORDS.multipleOf(m, v, path, add)
  if type(v) == "number" and v / m ~= math.floor(v / m) then add(path, ("is not a multiple of %s"):format(m)) end
end

function KEYWORDS.minLength(n, v, path, add)
  if type(v) == "string" and utf8_length(v) < n then add(path, ("is shorter than %d"):format(n)) end
end

function KEYWORDS.maxLength(n, v, path, add)
  if type(v) == "string" and utf8_length(v) > n then add(path, ("is longer than %d"):format(n)) end
end

function KEYWORDS.pattern(p, v, path, add)
  if type(v) == "string" and not M.regex_find(p, v) then add(path, ("does not match /%s/"):format(p)) end
end

function KEYWORDS.format(name, v, path, add)
  local check = FORMATS[name]
  if not check then error("json_schema: unsupported format " .. name) end
  if type(v) == "string" and not check(v) then add(path, ("is not a valid %s: %q"):format(name, v)) end
end

function KEYWORDS.items(items, v, path, add, _, root)
  if json_type(v) ~= "array" then return end
  if json_type(items) == "array" then
    for i = 1, math.min(#items, #v) do validate(root, items[i], v[i], path .. "[" .. (i - 1) .. "]", add) end
  else
    for i = 1, #v do validate(root, items, v[i], path .. "[" .. (i - 1) .. "]", add) end
  end
end

function KEYWORDS.additionalItems(extra, v, path, add, s, root)
  if json_type(v) ~= "array" or json_type(s.items) ~= "array" then return end
  for i = #s.items + 1, #v do
    if extra == false then add(path .. "[" .. (i - 1) .. "]", "is an item beyond those allowed")
    elseif type(extra) == "table" then validate(root, extra, v[i], path .. "[" .. (i - 1) .. "]", add) end
  end
end

function KEYWORDS.minItems(n, v, path, add)
  if json_type(v) == "array" and #v < n then add(path, ("has fewer than %d items"):format(n)) end
end

function KEYWORDS.maxItems(n, v, path, add)
  if json_type(v) == "array" and #v > n then add(path, ("has more than %d items"):format(n)) end
end

function KEYWORDS.uniqueItems(on, v, path, add)
  if not on or json_type(v) ~= "array" then return end
  for i = 1, #v do
    for j = i + 1, #v do
      if equal(v[i], v[j]) then add(path, ("items %d and %d are equal"):format(i - 1, j - 1)); return end
    end
  end
end

local function member(path, k)
  return path == "" and k or (path .. "." .. k)
end

function KEYWORDS.properties(props, v, path, add, _, root)
  if json_type(v) ~= "object" then return end
  for _, k in ipairs(sorted_keys(props)) do
    if v[k] ~= nil then validate(root, props[k], v[k], member(path, k), add) end
  end
end

function KEYWORDS.patternProperties(pats, v, path, add, _, root)
  if json_type(v) ~= "object" then return end
  for _, k in ipairs(sorted_keys(v)) do
    for _, p in ipairs(sorted_keys(pats)) do
      if M.regex_find(p, k) then validate(root, pats[p], v[k], member(path, k), add) end
    end
  end
end

function KEYWORDS.additionalProperties(extra, v, path, add, s, root)
  if json_type(v) ~= "object" then return end
  for _, k in ipairs(sorted_keys(v)) do
    local known = s.properties and s.properties[k] ~= nil
    for p in pairs(s.patternProperties or {}) do if M.regex_find(p, k) then known = true end end
    if not known then
      if extra == false then add(member(path, k), "is not an allowed property")
      elseif type(extra) == "table" then validate(root, extra, v[k], member(path, k), add) end
    end
  end
end

function KEYWORDS.required(names, v, path, add)
  if json_type(v) ~= "object" then return end
  for _, k in ipairs(names) do
    if v[k] == nil then add(path, ("lacks the required property %s"):format(k)) end
  end
end

function KEYWORDS.minProperties(n, v, path, add)
  if json_type(v) == "object" and #sorted_keys(v) < n then add(path, ("has fewer than %d properties"):format(n)) end
end

function KEYWORDS.maxProperties(n, v, path, add)
  if json_type(v) == "object" and #sorted_keys(v) > n then add(path, ("has more than %d properties"):format(n)) end
end

function KEYWORDS.dependencies(deps, v, path, add, _, root)
  if json_type(v) ~= "object" then return end
  for _, k in ipairs(sorted_keys(deps)) do
    if v[k] ~= nil then
      local d = deps[k]
      if json_type(d) == "array" then
        for _, other in ipairs(d) do
          if v[other] == nil then add(path, ("has %s but not %s"):format(k, other)) end
        end
      else
        validate(root, d, v, path, add)
      end
    end
  end
end

-- The errors of validating v against schema s, as a list.
local function errors_of(root, s, v, path)
  local list = {}
  validate(root, s, v, path, function(p, m) list[#list + 1] = { path = p, message = m } end)
  return list
end

function KEYWORDS.allOf(list, v, path, add, _, root)
  for _, s in ipairs(list) do validate(root, s, v, path, add) end
end

function KEYWORDS.anyOf(list, v, path, add, _, root)
  for _, s in ipairs(list) do
    if #errors_of(root, s, v, path) == 0 then return end
  end
  add(path, "matches none of anyOf")
end

function KEYWORDS.oneOf(list, v, path, add, _, root)
  local n = 0
  for _, s in ipairs(list) do
    if #errors_of(root, s, v, path) == 0 then n = n + 1 end
  end
  if n ~= 1 then add(path, ("matches %d of oneOf, expected exactly 1"):format(n)) end
end

KEYWORDS["not"] = function(s, v, path, add, _, root)
  if #errors_of(root, s, v, path) == 0 then add(path, "matches the schema under not") end
end

function validate(root, s, v, path, add)
  if json_type(s) ~= "object" then error("json_schema: a schema must be an object at " .. path) end
  if s["$ref"] then return validate(root, resolve(root, s["$ref"]), v, path, add) end
  for _, k in ipairs(sorted_keys(s)) do
    local f = KEYWORDS[k]
    if f then f(s[k], v, path, add, s, root)
    elseif not ANNOTATIONS[k] then error("json_schema: unsupported keyword " .. k .. " at " .. path) end
  end
end

-- validate(schema, value) -> list of { path =, message = }; empty when the
-- value is valid.  Raises on a schema this validator does not support.
function M.validate(schema, value)
  return errors_of(schema, schema, value, "")
end

-- The errors as lines, for assertion messages.
function M.describe(errors)
  local lines = {}
  for i, e in ipairs(errors) do
    if i > 20 then lines[#lines + 1] = ("... and %d more"):format(#errors - 20); break end
    lines[#lines + 1] = ("%s: %s"):format(e.path == "" and "(root)" or e.path, e.message)
  end
  return table.concat(lines, "\n")
end

return M
