-- The Terraform functions that IAM code uses, over leastpriv.tf.values.
-- Each takes the evaluated arguments and the call node and returns a value
-- or raises "function: message".  An unknown argument makes the result
-- unknown (try, can and coalesce look at their arguments themselves).
-- Functions that read files (file, templatefile) read only under the
-- module's folder, bounded like every input; functions of no use to IAM or
-- that depend on the outside world (timestamp, uuid, ...) give unknown.
local core = require "leastpriv.core"
local V = require "leastpriv.tf.values"

local M = {}

local list, null = V.list, V.null
local unpack = table.unpack or unpack      -- luacheck: ignore (Lua 5.1)

local function fail(name, msg) error(name .. ": " .. msg, 0) end

local function str(name, v, what)
  local s = V.tostring(v)
  if s == nil then fail(name, ("%s must be a string, not %s"):format(what or "the argument", V.type_name(v))) end
  return s
end

local function coll(name, v)
  if type(v) ~= "table" then fail(name, "needs a list or a map, not " .. V.type_name(v)) end
  return v
end

local function as_list(name, v)
  if not V.is_list(v) then fail(name, "needs a list, not " .. V.type_name(v)) end
  return v
end

-- Terraform's jsonencode: object keys sorted, numbers without ".0".
local function encode(v)
  return require("leastpriv.template").json_encode(v)
end

local F = {}

F.jsonencode = function(a) return encode(a[1]) end
F.jsondecode = function(a)
  local v, err = require("leastpriv.template").json_decode(str("jsondecode", a[1]))
  if v == nil then fail("jsondecode", err) end
  return v
end
F.lower = function(a) return str("lower", a[1]):lower() end
F.upper = function(a) return str("upper", a[1]):upper() end
F.trimspace = function(a) return (str("trimspace", a[1]):gsub("^%s+", ""):gsub("%s+$", "")) end
F.tostring = function(a)
  if a[1] == null then return null end
  return str("tostring", a[1])
end
F.tonumber = function(a)
  if a[1] == null then return null end
  local n = tonumber(a[1])
  if n == nil then fail("tonumber", "cannot convert " .. V.type_name(a[1]) .. " to a number") end
  return n
end
F.tobool = function(a)
  if a[1] == null then return null end
  local b = V.truthy(a[1])
  if b == nil then fail("tobool", "cannot convert to a bool") end
  return b
end
F.length = function(a)
  local v = a[1]
  if type(v) == "string" then return core.utf8_len and core.utf8_len(v) or #v end
  local n = 0
  for _ in pairs(coll("length", v)) do n = n + 1 end
  return n
end
F.join = function(a)
  local sep, out = str("join", a[1], "the separator"), {}
  for i = 2, #a do
    for _, x in ipairs(as_list("join", a[i])) do out[#out + 1] = str("join", x, "each element") end
  end
  return table.concat(out, sep)
end
F.split = function(a)
  local sep, s, out = str("split", a[1]), str("split", a[2]), list()
  if sep == "" then fail("split", "the separator must not be empty") end
  local start = 1
  while true do
    local i, j = s:find(sep, start, true)
    if not i then out[#out + 1] = s:sub(start); break end
    out[#out + 1] = s:sub(start, i - 1)
    start = j + 1
  end
  return out
end
F.replace = function(a)
  local s, from, to = str("replace", a[1]), str("replace", a[2]), str("replace", a[3])
  if from:match("^/.*/$") then return V.unknown("replace with a regular expression is not evaluated") end
  if from == "" then return s end
  local out, start = {}, 1
  while true do
    local i, j = s:find(from, start, true)
    if not i then out[#out + 1] = s:sub(start); break end
    out[#out + 1] = s:sub(start, i - 1)
    out[#out + 1] = to
    start = j + 1
  end
  return table.concat(out)
end
F.format = function(a)
  local fmt, i = str("format", a[1], "the format"), 1
  local out = fmt:gsub("%%([%-%+ #0]*%d*%.?%d*)([sdvqftxXobe%%])", function(flags, verb)
    if verb == "%" then return "%" end
    i = i + 1
    local v = a[i]
    if v == nil then fail("format", "not enough arguments for the format") end
    if verb == "s" or verb == "v" then return ("%" .. flags .. "s"):format(V.tostring(v) or encode(v)) end
    if verb == "q" then return encode(str("format", v)) end
    if verb == "d" then return ("%" .. flags .. "d"):format(math.floor(tonumber(v) or fail("format", "%d needs a number"))) end
    return ("%" .. flags .. verb):format(tonumber(v) or fail("format", "%" .. verb .. " needs a number"))
  end)
  return out
end
F.formatlist = function(a)
  local n
  for i = 2, #a do
    if V.is_list(a[i]) then
      if n and #a[i] ~= n then fail("formatlist", "the lists must have the same length") end
      n = #a[i]
    end
  end
  local out = list()
  for k = 1, n or 1 do
    local args = { a[1] }
    for i = 2, #a do args[i] = V.is_list(a[i]) and a[i][k] or a[i] end
    out[k] = F.format(args)
  end
  return out
end
F.concat = function(a)
  local out = list()
  for _, l in ipairs(a) do for _, x in ipairs(as_list("concat", l)) do out[#out + 1] = x end end
  return out
end
F.merge = function(a)
  local out = {}
  for _, m in ipairs(a) do
    if m ~= null then
      if V.is_list(m) then fail("merge", "needs maps or objects, not a list") end
      for k, v in pairs(coll("merge", m)) do out[k] = v end
    end
  end
  return out
end
F.flatten = function(a)
  local out = list()
  local function add(l)
    for _, x in ipairs(l) do
      if V.is_list(x) then add(x) else out[#out + 1] = x end
    end
  end
  add(as_list("flatten", a[1]))
  return out
end
F.distinct = function(a)
  local out = list()
  for _, x in ipairs(as_list("distinct", a[1])) do
    local seen = false
    for _, y in ipairs(out) do if V.equal(x, y) then seen = true; break end end
    if not seen then out[#out + 1] = x end
  end
  return out
end
F.tolist = function(a)
  local out = list()
  for _, x in ipairs(as_list("tolist", a[1])) do out[#out + 1] = x end
  return out
end
F.toset = function(a)
  local d = F.distinct({ as_list("toset", a[1]) })
  table.sort(d, function(x, y) return tostring(x) < tostring(y) end)
  return d
end
F.tomap = function(a)
  local out = {}
  for k, v in pairs(coll("tomap", a[1])) do out[k] = v end
  return out
end
F.compact = function(a)
  local out = list()
  for _, x in ipairs(as_list("compact", a[1])) do
    if x ~= null and x ~= "" then out[#out + 1] = x end
  end
  return out
end
F.sort = function(a)
  local out = list()
  for i, x in ipairs(as_list("sort", a[1])) do out[i] = str("sort", x, "each element") end
  table.sort(out)
  return out
end
F.reverse = function(a)
  local l, out = as_list("reverse", a[1]), list()
  for i = #l, 1, -1 do out[#out + 1] = l[i] end
  return out
end
F.contains = function(a)
  for _, x in ipairs(as_list("contains", a[1])) do if V.equal(x, a[2]) then return true end end
  return false
end
F.keys = function(a)
  local out = list()
  for i, k in ipairs(V.keys(coll("keys", a[1]))) do out[i] = k end
  return out
end
F.values = function(a)
  local m, out = coll("values", a[1]), list()
  for i, k in ipairs(V.keys(m)) do out[i] = m[k] end
  return out
end
F.lookup = function(a)
  local m = coll("lookup", a[1])
  local v = m[str("lookup", a[2], "the key")]
  if v ~= nil then return v end
  if #a >= 3 then return a[3] end
  fail("lookup", ("no key %q in the map"):format(a[2]))
end
F.element = function(a)
  local l = as_list("element", a[1])
  if #l == 0 then fail("element", "the list is empty") end
  local i = math.floor(tonumber(a[2]) or fail("element", "the index must be a number"))
  return l[i % #l + 1]
end
F.zipmap = function(a)
  local k, v, out = as_list("zipmap", a[1]), as_list("zipmap", a[2]), {}
  if #k ~= #v then fail("zipmap", "the lists must have the same length") end
  for i, key in ipairs(k) do out[str("zipmap", key, "each key")] = v[i] end
  return out
end
F.range = function(a)
  local start, stop, step = 0, tonumber(a[1]), 1
  if #a >= 2 then start, stop = tonumber(a[1]), tonumber(a[2]) end
  if #a >= 3 then step = tonumber(a[3]) end
  if not start or not stop or not step or step == 0 then fail("range", "needs numbers and a step other than 0") end
  local out = list()
  local x = start
  while (step > 0 and x < stop) or (step < 0 and x > stop) do
    out[#out + 1] = x
    x = x + step
    if #out > 1024 then fail("range", "more than 1024 elements") end
  end
  return out
end
F.startswith = function(a) local s, p = str("startswith", a[1]), str("startswith", a[2]); return s:sub(1, #p) == p end
F.endswith = function(a) local s, p = str("endswith", a[1]), str("endswith", a[2]); return p == "" or s:sub(-#p) == p end
F.trimprefix = function(a)
  local s, p = str("trimprefix", a[1]), str("trimprefix", a[2])
  return s:sub(1, #p) == p and s:sub(#p + 1) or s
end
F.trimsuffix = function(a)
  local s, p = str("trimsuffix", a[1]), str("trimsuffix", a[2])
  return (p ~= "" and s:sub(-#p) == p) and s:sub(1, #s - #p) or s
end
F.substr = function(a)
  local s = str("substr", a[1])
  local off, len = tonumber(a[2]), tonumber(a[3])
  if not off or not len then fail("substr", "offset and length must be numbers") end
  if off < 0 then off = #s + off end
  if len < 0 then return s:sub(off + 1) end
  return s:sub(off + 1, off + len)
end
F.max = function(a) local m; for _, x in ipairs(a) do x = tonumber(x); if not m or x > m then m = x end end; return m end
F.min = function(a) local m; for _, x in ipairs(a) do x = tonumber(x); if not m or x < m then m = x end end; return m end
F.abs = function(a) return math.abs(tonumber(a[1]) or 0) end
F.ceil = function(a) return math.ceil(tonumber(a[1]) or 0) end
F.floor = function(a) return math.floor(tonumber(a[1]) or 0) end
F.one = function(a)
  local l = as_list("one", a[1])
  if #l == 0 then return null end
  if #l > 1 then fail("one", "the list has more than one element") end
  return l[1]
end
F.coalesce = function(a)
  for _, x in ipairs(a) do
    if V.is_unknown(x) then return x end
    if x ~= null and x ~= "" then return x end
  end
  fail("coalesce", "no non-null, non-empty argument")
end
F.coalescelist = function(a)
  for _, x in ipairs(a) do if V.is_list(x) and #x > 0 then return x end end
  fail("coalescelist", "no non-empty list")
end
F.setunion = function(a)
  local all = list()
  for _, l in ipairs(a) do for _, x in ipairs(as_list("setunion", l)) do all[#all + 1] = x end end
  return F.toset({ all })
end

-- Functions whose value nothing offline can know.
local OUTSIDE = { "timestamp", "uuid", "uuidv5", "bcrypt", "plantimestamp", "filebase64sha256",
                  "filemd5", "filesha1", "filesha256", "filesha512", "md5", "sha1", "sha256",
                  "sha512", "base64sha256", "base64sha512", "rsadecrypt", "regex", "regexall",
                  "cidrsubnet", "cidrhost", "cidrnetmask", "cidrsubnets", "base64encode",
                  "base64decode", "urlencode", "yamlencode", "yamldecode", "sensitive",
                  "nonsensitive", "pathexpand", "abspath", "dirname", "basename", "fileexists",
                  "fileset", "textencodebase64", "textdecodebase64", "transpose", "chunklist",
                  "slice", "index", "setproduct", "setintersection", "setsubtract", "matchkeys",
                  "alltrue", "anytrue", "sum", "parseint", "log", "pow", "signum", "strrev",
                  "title", "indent", "chomp", "trim", "type", "issensitive", "ephemeralasnull",
                  "templatestring", "tobool" }

-- call(name, args, node, ctx) -> value.  ctx.read(path) reads a file of the
-- module (file, templatefile).
function M.call(name, args, node, ctx)
  local f = F[name]
  if name ~= "coalesce" then
    local u = V.first_unknown(unpack(args, 1, #args))
    if u then return u end
  end
  if name == "file" or name == "templatefile" then
    local text = ctx.read(str(name, args[1], "the path"), node)
    if name == "file" then return text end
    return ctx.template(text, args[2] or {}, node)
  end
  if f then return f(args, node, ctx) end
  for _, o in ipairs(OUTSIDE) do
    if o == name then return V.unknown(("%s(...) is not evaluated offline"):format(name), node) end
  end
  return V.unknown(("unknown function %s"):format(name), node)
end

M.names = F

return M
