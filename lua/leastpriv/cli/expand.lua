-- leastpriv expand: action patterns -> the AWS actions they match.
local args = require "leastpriv.cli.args"
local catalog = require "leastpriv.catalog"
local core = require "leastpriv.core"

local USAGE = [[
usage: leastpriv expand PATTERN... [--json]

Print every AWS action the patterns match, one a line with its access
levels, sorted and without duplicates.  '*' matches any run and '?' one
character, anywhere, the service part included ("*:Describe*", "s3:Get*Acl");
matching ignores case.  Actions that have no resource type, and so need
"Resource": "*", are marked.

A name without wildcards must be a known action, and a pattern's service
must exist (exit 2, with the closest names); a pattern that matches
nothing is reported on stderr (exit 1).

Exit status: 0 every pattern matched, 1 a pattern matched nothing, 2 an
unknown action or service, or a usage error.]]

local M = {
  summary = "list the AWS actions that action patterns match",
  usage = USAGE,
  options = {
    { name = "json", help = "print a JSON array of { name, access_levels, wildcard_only }" },
  },
}

-- Shared with the actions and describe commands.

-- JSON text of a value, pretty, ending with a newline.
function M.json(value)
  return core.json_encode(value) .. "\n"
end

-- A list marked as a JSON array (so an empty one prints as []).
function M.list(t)
  return setmetatable(t or {}, core.array_mt)
end

-- Print action names one a line (name, access levels, a mark for those
-- that need "Resource": "*"), or as a JSON array of summaries.
function M.print_actions(out, names, json)
  local rows, width = {}, 0
  for i, name in ipairs(names) do
    rows[i] = assert(catalog.actions.summary(name))
    if #name > width then width = #name end
  end
  if json then
    out:write(M.json(M.list(rows)))
    return
  end
  for _, r in ipairs(rows) do
    local line = r.name .. string.rep(" ", width - #r.name + 2) .. table.concat(r.access_levels, ", ")
    if r.wildcard_only then line = line .. '  (Resource "*")' end
    out:write(line, "\n")
  end
end

-- nil, or the message for a pattern that names an unknown action or service.
local function check(pattern)
  if not pattern:find("[*?]") then
    local rec, err = catalog.actions.summary(pattern)
    if not rec then return err end
    return nil
  end
  local service = pattern:match("^([^:*?]+):")
  if service then
    local svc, err = catalog.services.get(service)
    if not svc then return err end
  end
end

function M.run(opts, patterns, io)
  if #patterns == 0 then error(args.fail("give at least one PATTERN (for example s3:Get*)"), 0) end
  local empty = {}
  for _, p in ipairs(patterns) do
    local err = check(p)
    if err then error(args.fail(err), 0) end
    if #catalog.actions.expand(p) == 0 then empty[#empty + 1] = p end
  end
  local names = catalog.actions.expand(patterns)
  M.print_actions(io.stdout, names, opts.json)
  for _, p in ipairs(empty) do
    io.stderr:write(("leastpriv expand: no action matches %q\n"):format(p))
  end
  return #empty > 0 and 1 or 0
end

return M
