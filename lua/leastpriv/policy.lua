-- Policy documents: lp.policy{...} and lp.managed_policy{...}.
--
-- lp.policy takes either a raw IAM document ({ Version =, Statement = })
-- or DSL form: a list of statements (from lp.allow / lp.deny, helpers that
-- return one or several, or raw IAM statement tables) plus optional
-- `version` and `id`.  Either way the result is the canonical document.
local core = require "leastpriv.core"
local util = require "leastpriv.util"

local M = {}

local DSL_FIELDS = { version = true, id = true }
local MANAGED_FIELDS = { version = true, id = true, name = true, path = true, description = true }

local function is_statement(x)
  return type(x) == "table" and (x.Effect ~= nil or x.Action ~= nil or x.NotAction ~= nil)
end

-- Append the statements in x (a statement or a nested list of them).
local function collect(x, out, where)
  if is_statement(x) then
    out[#out + 1] = x
  elseif type(x) == "table" and util.is_list(x) then
    for i, item in ipairs(x) do collect(item, out, ("%s[%d]"):format(where, i)) end
  else
    error(("%s is not a statement (build one with lp.allow or lp.deny)"):format(where), 0)
  end
end

local function strip_position(msg)
  return (tostring(msg):gsub("^[^\n]-:%d+: ", ""))
end

-- Normalise a raw IAM document; raises "lp.policy: PATH: message".
function M.normalize(doc, fname)
  local ok, res = pcall(core.policy_normalize, doc)
  if not ok then error(("%s: %s"):format(fname, strip_position(res)), 0) end
  return res
end

-- The canonical document for DSL or raw input t; raises plain messages.
function M.build(t, fname, allowed)
  if type(t) ~= "table" then error(("%s takes a table"):format(fname), 0) end
  if t.Statement ~= nil or t.Version ~= nil then
    return M.normalize(t, fname)
  end
  local statements = {}
  for k in pairs(t) do
    if type(k) == "number" then
      if k < 1 or k > #t or k % 1 ~= 0 then
        error(("%s: statements must form a list"):format(fname), 0)
      end
    elseif not allowed[k] then
      error(("%s: unknown field '%s'%s"):format(fname, tostring(k),
        util.did_you_mean(tostring(k), util.sorted_keys(allowed))), 0)
    end
  end
  for i = 1, #t do collect(t[i], statements, ("statement %d"):format(i)) end
  if #statements == 0 then error(("%s: a policy needs at least one statement"):format(fname), 0) end
  return M.normalize({ Version = t.version or "2012-10-17", Id = t.id, Statement = statements }, fname)
end

local NAME_PATTERN = "^[%w+=,.@_%-]+$"

-- Is s a valid IAM name (letters, digits, +=,.@_-) of at most max chars?
-- Template placeholders are accepted as they stand.
function M.valid_name(s, max)
  if type(s) ~= "string" or #s == 0 then return false end
  if require("leastpriv.template").has_placeholder(s) then return true end
  return #s <= max and s:match(NAME_PATTERN) ~= nil
end

-- Is s a valid IAM path ("/" or "/a/b/")?
function M.valid_path(s)
  if type(s) ~= "string" then return false end
  if s == "/" then return true end
  return #s <= 512 and s:match("^/[\33-\127]*/$") ~= nil and not s:find("//", 1, true)
end

-- Why s is not a valid IAM role description, or nil.  IAM: at most 1000
-- characters of [\t\n\r\u0020-\u007E\u00A1-\u00FF] (CreateRole,
-- Description), counted in characters of the UTF-8 text, not bytes.
-- Template placeholders (\1...\2) count as they stand.
function M.description_problem(s)
  if type(s) ~= "string" then return "must be a string" end
  local i, n, chars = 1, #s, 0
  while i <= n do
    local b = s:byte(i)
    if b == 9 or b == 10 or b == 13 or (b >= 32 and b <= 126) or b == 1 or b == 2 then
      i = i + 1
    elseif (b == 0xC2 or b == 0xC3) and i < n then
      local c = s:byte(i + 1)
      if c < 0x80 or c > 0xBF or (b == 0xC2 and c < 0xA1) then
        return ("has the character U+%04X at byte %d: IAM allows tab, newline, return, "
          .. "U+0020-U+007E and U+00A1-U+00FF"):format((b - 0xC0) * 64 + (c % 64), i)
      end
      i = i + 2
    else
      return ("has byte 0x%02X at %d outside IAM's character set (tab, newline, return, "
        .. "U+0020-U+007E, U+00A1-U+00FF)"):format(b, i)
    end
    chars = chars + 1
  end
  if chars > 1000 then return ("has %d characters: IAM allows at most 1000"):format(chars) end
  return nil
end

function M.policy(t)
  local ok, res = pcall(M.build, t, "lp.policy", DSL_FIELDS)
  if not ok then error(res, 2) end
  return res
end

-- A standalone (customer managed) policy: { kind = "policy", name, document, ... }.
function M.managed_policy(t)
  local ok, res = pcall(function()
    if type(t) ~= "table" then error("lp.managed_policy takes a table", 0) end
    if not M.valid_name(t.name, 128) then
      error("lp.managed_policy: name must be 1-128 letters, digits or +=,.@_-", 0)
    end
    if t.path ~= nil and not M.valid_path(t.path) then
      error("lp.managed_policy: path must be \"/\" or begin and end with \"/\"", 0)
    end
    if t.description ~= nil and (type(t.description) ~= "string" or #t.description > 1000) then
      error("lp.managed_policy: description must be a string of at most 1000 characters", 0)
    end
    local doc = M.build(t, "lp.managed_policy", MANAGED_FIELDS)
    return { kind = "policy", name = t.name, path = t.path, description = t.description,
             document = doc }
  end)
  if not ok then error(res, 2) end
  return res
end

return M
