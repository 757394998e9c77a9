-- Reading what the analysis commands compare: a role script (.lua) or an
-- IAM JSON policy document (.json).  Returns items as script.load does.
local core = require "leastpriv.core"
local script = require "leastpriv.script"

local M = {}

-- load(path [, vars]) -> items; raises "path[:line:col]: message".
function M.load(path, vars)
  if path:match("%.lua$") then
    local items, variables = script.load(path)
    if vars or #variables > 0 then
      local template = require "leastpriv.template"
      local ok, filled = pcall(template.substitute, items, vars or {}, variables)
      if not ok then error(path .. ": " .. tostring(filled), 0) end
      items = filled
    end
    return items
  end
  local f = io.open(path, "rb")
  if not f then error(path .. ": cannot read the file", 0) end
  local text = f:read("a")
  f:close()
  local doc, err = core.json_decode(text)
  if doc == nil then error(("%s:%s"):format(path, err), 0) end
  if type(doc) ~= "table" or doc.Statement == nil then
    error(path .. ": not an IAM policy document (no Statement)", 0)
  end
  local ok, canonical = pcall(core.policy_normalize, doc)
  if not ok then error(path .. ": " .. tostring(canonical):gsub("^[^\n]-:%d+: ", ""), 0) end
  return { canonical }
end

return M
