-- Running role scripts: a .lua file that returns a role, a policy, a
-- managed policy, or a list of them.  Every script runs in a sandbox of its
-- own (leastpriv.sandbox: a new lua_State with the safe standard library,
-- leastpriv, limits); what it returns is data, rebuilt and checked here as
-- any untrusted input is, so a script cannot hand the checker something
-- lp.role would not have made.
local sandbox = require "leastpriv.sandbox"
local policy = require "leastpriv.policy"
local role = require "leastpriv.role"

local M = {}

local function is_document(x)
  return type(x) == "table" and x.kind == nil and x.Statement ~= nil
end

local function kind_of(x)
  if type(x) ~= "table" then return nil end
  if x.kind == "role" or x.kind == "policy" then return x.kind end
  if is_document(x) then return "document" end
end

-- Flatten the script's result into a list of items; raises on anything else.
local function items_of(result, path)
  if kind_of(result) then return { result } end
  if type(result) == "table" and #result > 0 then
    local items = {}
    for i, x in ipairs(result) do
      if not kind_of(x) then
        error(("%s: item %d of the returned list is not a role or a policy"):format(path, i), 0)
      end
      items[#items + 1] = x
    end
    return items
  end
  error(("%s: the script must return a role (lp.role), a policy (lp.policy) or a list of them")
    :format(path), 0)
end

-- The item a script returned, rebuilt by the same builders in this state
-- (the sandbox's copies could have been changed by the script), so that
-- roles and managed policies have the shape lp.role and lp.managed_policy
-- give; a raw document stays as it came (plain data, which every reader
-- checks as it checks a JSON document).  Raises "path: message".
local function rebuilt(item, path)
  local kind = kind_of(item)
  local ok, res = pcall(function()
    if kind == "role" then
      local t = {}
      for k, v in pairs(item) do
        if k == "managed_policy_arns" then t.managed_policies = v
        elseif k ~= "kind" then t[k] = v end
      end
      if t.tags and next(t.tags) == nil then t.tags = nil end
      return role.build(t)
    elseif kind == "policy" then
      local t = { name = item.name, path = item.path, description = item.description }
      for k in pairs(item) do
        if k ~= "kind" and k ~= "name" and k ~= "path" and k ~= "description" and k ~= "document" then
          error(("lp.managed_policy: unknown field '%s'"):format(tostring(k)), 0)
        end
      end
      if type(item.document) ~= "table" then error("lp.managed_policy: no document", 0) end
      local doc = policy.normalize(item.document, "lp.managed_policy")
      local mp = policy.managed_policy { name = t.name, path = t.path, description = t.description,
                                         version = doc.Version, id = doc.Id, doc.Statement }
      mp.document = doc
      return mp
    end
    return item              -- a raw document: data, checked as JSON documents are
  end)
  if not ok then error(("%s: %s"):format(path, tostring(res)), 0) end
  return res
end

local VAR_TYPES = { string = "string", number = "number", bool = "boolean" }

-- The lp.var declarations a script returned, checked.
local function checked_variables(list, path)
  local out = {}
  for i, v in ipairs(type(list) == "table" and list or {}) do
    if type(v) ~= "table" or type(v.name) ~= "string" or not v.name:match("^[%a_][%w_]*$")
        or not VAR_TYPES[v.type] or (v.default ~= nil and type(v.default) ~= VAR_TYPES[v.type])
        or (v.description ~= nil and type(v.description) ~= "string") then
      error(("%s: lp.var declaration %d is malformed"):format(path, i), 0)
    end
    out[i] = { name = v.name, type = v.type, default = v.default, description = v.description }
  end
  return out
end

local function checked_built(list)
  local out = {}
  for _, b in ipairs(type(list) == "table" and list or {}) do
    if type(b) == "table" and type(b.key) == "string" and type(b.line) == "number"
        and b.line % 1 == 0 and b.line >= 1 then
      out[#out + 1] = { key = b.key, line = b.line }
    end
  end
  return out
end

-- The account values a script's scopes named: strings only (placeholders
-- of lp.var as they are; the caller resolves them), at most 100.
local function checked_accounts(list)
  local out = {}
  for _, a in ipairs(type(list) == "table" and list or {}) do
    if type(a) == "string" and #a <= 256 and #out < 100 then out[#out + 1] = a end
  end
  return out
end

-- A regular file of at most 16 MiB (leastpriv.files), or raises why not.
local function read_file(path)
  local text, err = require("leastpriv.files").read(path)
  if not text then error(err, 0) end
  return text
end

local function lines_of(text)
  local lines = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = (line:gsub("\r$", "")) end
  return lines
end

-- A script ends with `return lp.role {...}`: a tail call, after which Lua
-- no longer knows the script's line.  For such messages, find the line in
-- the source: the field the message names, else the last top-level return.
local function locate(text, msg)
  local lines = lines_of(text)
  local last_return
  for i, line in ipairs(lines) do
    if line:match("^return[%s%(%{]") or line == "return" then last_return = i end
  end
  local field = msg:match("unknown field '([%w_]+)'") or msg:match("unknown option '([%w_]+)'")
  if field then
    for i = last_return or 1, #lines do
      if lines[i]:match("%f[%w_]" .. field .. "%s*=") then return i end
    end
  end
  return last_return
end

-- run(path [, opts]) -> items, variables, built, accounts: the script's
-- items, its lp.var declarations, { key, line } for each statement it
-- built, and the account values its lp.scope calls named (strings, maybe
-- lp.var placeholders).
-- opts.text: the script's text (else read from path).  Raises
-- "path:line: message" on errors in the script, "path: message" when the
-- file cannot be read or a limit is reached.
function M.run(path, opts)
  local text = opts and opts.text or read_file(path)
  if not text then error(("%s: cannot read the file"):format(path), 0) end
  local ok, res, kind = sandbox.run(text, path, { harness = "leastpriv.script_harness", modules = true })
  if not ok then
    if kind == "error" and res:sub(1, #path + 2) == path .. ": " then
      local line = locate(text, res:sub(#path + 3))
      if line then res = ("%s:%d: %s"):format(path, line, res:sub(#path + 3)) end
    end
    error(res, 0)
  end
  if type(res) ~= "table" then error(("%s: the script run returned nothing"):format(path), 0) end
  local items = items_of(res.result, path)
  for i, item in ipairs(items) do items[i] = rebuilt(item, path) end
  return items, checked_variables(res.variables, path), checked_built(res.built),
    checked_accounts(res.accounts)
end

-- load(path [, opts]) -> items, variables.  Raises "path:line: message" on
-- errors in the script, and "path: message" when the file cannot be read.
function M.load(path, opts)
  local items, variables = M.run(path, opts)
  return items, variables
end

M.kind_of = kind_of

return M
