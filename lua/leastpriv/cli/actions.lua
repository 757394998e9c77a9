-- leastpriv actions: the actions of a service, by access level.
local args = require "leastpriv.cli.args"
local catalog = require "leastpriv.catalog"
local fmt = require "leastpriv.cli.expand"   -- print_actions, json

local USAGE = [[
usage: leastpriv actions --service S [--access LEVEL]... [--wildcard-only] [--json]

Print the actions of service S (its prefix, as in "s3:GetObject"), one a
line with their access levels, sorted.  --access keeps those with any of
the given levels (List, Read, Write, Tagging, "Permissions management";
case and '-' or '_' for the space do not matter).  --wildcard-only keeps
those with no resource type: they need "Resource": "*".

Exit status: 0 listed, 2 an unknown service or access level, or a usage
error.]]

local M = {
  summary = "list a service's actions by access level, or those that need \"*\"",
  usage = USAGE,
  options = {
    { name = "service", short = "s", arg = "S", help = "the service prefix (required)" },
    { name = "access", short = "a", arg = "LEVEL", multi = true,
      help = "keep actions with this access level (repeatable)" },
    { name = "wildcard-only", help = "keep actions that have no resource type" },
    { name = "json", help = "print a JSON array of { name, access_levels, wildcard_only }" },
  },
}

function M.run(opts, positional, io)
  if #positional > 0 then
    error(args.fail(("unexpected argument %q (the service goes in --service)"):format(positional[1])), 0)
  end
  if not opts.service then error(args.fail("--service S is required (for example --service s3)"), 0) end
  local access
  if #opts.access > 0 then
    access = {}
    for i, level in ipairs(opts.access) do
      access[i] = catalog.access_level(level)
      if not access[i] then
        error(args.fail(("unknown access level %q (expected one of %s)"):format(level,
          table.concat(catalog.access_levels, ", "))), 0)
      end
    end
  end
  local names, err = catalog.actions.list {
    service = opts.service,
    access = access,
    wildcard_only = opts["wildcard-only"] or nil,
  }
  if not names then error(args.fail(err), 0) end
  fmt.print_actions(io.stdout, names, opts.json)
  return 0
end

return M
