-- Runs inside a role script's sandbox (leastpriv.sandbox), never in the
-- checker's own state: runs the script with the statement builder watched,
-- so that each statement remembers the script line that built it (check
-- points findings at it), and collects the lp.var declarations and the
-- accounts its lp.scope calls name.  Every
-- command runs a script this same way: a script cannot tell which one runs it.
local scope = require "leastpriv.scope"
local statement = require "leastpriv.statement"
local template = require "leastpriv.template"

local M = {}

-- Key of a statement for matching built statements to the final document
-- (also used by the checker, on the documents it gets back).
function M.key_of(s)
  local function cat(v)
    if type(v) == "table" then return table.concat(v, "\0") end
    return tostring(v or "")
  end
  return table.concat({ s.Effect or "", s.Sid or "", cat(s.Action), cat(s.NotAction),
                        cat(s.Resource), cat(s.NotResource) }, "\1")
end

-- run(chunk, source, script_line) -> { result =, variables =, built =, accounts = }.
-- script_line(source) is the line of the innermost call from the script.
function M.run(chunk, source, script_line)
  local real = statement.build
  local built = {}
  statement.build = function(t, effect, fname)
    local s = real(t, effect, fname)
    local line = script_line(source)
    if line then built[#built + 1] = { key = M.key_of(s), line = line } end
    return s
  end
  template.begin()
  scope.begin()
  local result = chunk()
  return { result = result, variables = template.declared(), built = built,
           accounts = scope.accounts() }
end

return M
