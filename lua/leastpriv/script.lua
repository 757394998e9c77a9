-- Running role scripts: a .lua file that returns a role, a policy, a
-- managed policy, or a list of them.
local template = require "leastpriv.template"

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

-- A script ends with `return lp.role {...}`: a tail call, after which Lua
-- no longer knows the script's line.  For such messages, find the line in
-- the source: the field the message names, else the last top-level return.
local function locate(path, msg)
  local f = io.open(path, "r")
  if not f then return nil end
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
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

-- load(path) -> items, variables.  Raises "path:line: message" on errors in
-- the script, and "path: message" when the file cannot be read.
function M.load(path)
  local readable, read_err = require("leastpriv.files").check(path)
  if not readable then error(read_err, 0) end
  local chunk, err = loadfile(path)
  if not chunk then
    local f = io.open(path, "r")
    if not f then error(("%s: cannot read the file"):format(path), 0) end
    f:close()
    error(err, 0)
  end
  template.begin()
  local ok, result = pcall(chunk)
  if not ok then
    if type(result) ~= "string" then result = "script raised " .. tostring(result) end
    if result:sub(1, #path + 1) ~= path .. ":" then
      local line = locate(path, result)
      result = ("%s:%s %s"):format(path, line and (line .. ":") or "", result)
    end
    error(result, 0)
  end
  return items_of(result, path), template.declared()
end

M.kind_of = kind_of

return M
