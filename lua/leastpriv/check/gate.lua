-- The render gate: before `leastpriv render` writes anything, the scripts
-- are checked as `leastpriv check` checks them (with the --set values), and
-- what IAM or the provider would refuse stops the render: every
-- error-level finding, plus the findings that change meaning on the way to
-- Terraform (an empty Action or Resource list, which aws_iam_policy_document
-- drops; a Sid used twice in one document, which it refuses at plan).
local engine = require "leastpriv.check.engine"
local inputs = require "leastpriv.check.inputs"
local validate = require "leastpriv.validate"

local M = {}

-- Codes below error severity that render refuses all the same.
M.REFUSED = {
  EMPTY_ARRAY_ACTION = true,
  EMPTY_ARRAY_RESOURCE = true,
  UNIQUE_SIDS_RECOMMENDED = true,
}

-- refusals(paths, vars) -> the findings that stop a render (sorted as
-- check sorts them); vars: the --set values (NAME -> value).
function M.refusals(paths, vars)
  local run = engine.new({})
  local entities = {}
  for i, path in ipairs(paths) do
    local list, err = inputs.load(run, path, { vars = vars })
    if not list then error(err, 0) end
    for _, e in ipairs(list) do
      e.order = i
      entities[#entities + 1] = e
    end
  end
  validate.check(run, entities)
  local out = {}
  for _, f in ipairs(run:result()) do
    if f.severity == "error" or M.REFUSED[f.code] then out[#out + 1] = f end
  end
  return out
end

-- The refusal: a message, and one line per finding (as check prints its
-- first line, with the JSON path after it).
function M.message(findings)
  local lines = {}
  for _, f in ipairs(findings) do
    local where = f.file or f.document or "-"
    if f.line then where = ("%s:%d:%d"):format(where, f.line, f.column or 1) end
    lines[#lines + 1] = ("%s: %s %s %s%s"):format(where, f.severity, f.code, f.message,
                                                  f.path and f.path ~= "" and (" (at " .. f.path .. ")") or "")
  end
  return ("render refused: %d finding(s) that IAM or the provider would refuse; "
          .. "nothing written (--no-check renders anyway)"):format(#findings), lines
end

return M
