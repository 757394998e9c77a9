-- Writing roles and policies back as role scripts (Lua source), e.g. for
-- `leastpriv minimize --format lua`.  The output is data only: tables of
-- strings, numbers and booleans, keys sorted, every string quoted and
-- escaped (no byte of a value reaches the source unescaped), so running
-- the script gives back the same role.
local M = {}

local IDENT = "^[%a_][%w_]*$"
local KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in local nil not
            or repeat return then true until while]]):gmatch("%a+") do KEYWORDS[w] = true end

-- A Lua string literal: printable ASCII as itself, everything else as \ddd.
local function quote(s)
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    return ("\\%03d"):format(c:byte())
  end) .. '"'
end
M.quote = quote

local function is_list(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n == #t
end

local function key_text(k)
  if type(k) == "string" and k:match(IDENT) and not KEYWORDS[k] then return k end
  return "[" .. quote(tostring(k)) .. "]"
end

-- value(v, indent) -> Lua source for v.
local function value(v, indent)
  local t = type(v)
  if t == "string" then return quote(v) end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then error("luawrite: not a finite number", 0) end
    return ("%.17g"):format(v)
  end
  if t == "boolean" then return tostring(v) end
  if t ~= "table" then error("luawrite: cannot write a " .. t, 0) end
  local inner = indent .. "  "
  local parts = {}
  if is_list(v) then
    if #v == 0 then return "{}" end
    local short = true
    for _, x in ipairs(v) do if type(x) == "table" then short = false end end
    for i, x in ipairs(v) do parts[i] = value(x, inner) end
    local line = "{ " .. table.concat(parts, ", ") .. " }"
    if short and #line + #indent < 96 then return line end
    return "{\n" .. inner .. table.concat(parts, ",\n" .. inner) .. ",\n" .. indent .. "}"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for i, k in ipairs(keys) do parts[i] = key_text(k) .. " = " .. value(v[k], inner) end
  return "{\n" .. inner .. table.concat(parts, ",\n" .. inner) .. ",\n" .. indent .. "}"
end
M.value = value

-- script(item [, header]) -> the source of a role script that returns
-- item: a role (lp.role{...}), a managed policy or a document (as data).
function M.script(item, header)
  local out = {}
  if header then out[#out + 1] = "-- " .. header:gsub("[%c]", " ") end
  if item.kind == "role" then
    out[#out + 1] = 'local lp = require "leastpriv"'
    out[#out + 1] = ""
    local policies = {}
    for _, p in ipairs(item.policies or {}) do policies[p.name] = p.document end
    local t = { name = item.name, path = item.path, description = item.description,
                max_session_duration = item.max_session_duration,
                permissions_boundary = item.permissions_boundary,
                trust = item.trust, policies = policies }
    if item.tags and next(item.tags) then t.tags = item.tags end
    if item.managed_policy_arns and #item.managed_policy_arns > 0 then
      t.managed_policies = item.managed_policy_arns
    end
    out[#out + 1] = "return lp.role " .. value(t, "")
  elseif item.kind == "policy" then
    out[#out + 1] = "return " .. value({ kind = "policy", name = item.name, path = item.path,
                                         description = item.description, document = item.document }, "")
  else
    out[#out + 1] = "return " .. value(item, "")
  end
  return table.concat(out, "\n") .. "\n"
end

return M
