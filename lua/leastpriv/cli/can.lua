-- leastpriv can: what a role can actually do, over the whole catalog.
local args = require "leastpriv.cli.args"
local simulate = require "leastpriv.simulate"
local sim_cli = require "leastpriv.cli.simulate"

local USAGE = [[
usage: leastpriv can FILE [--resource R] [--context KEY=VALUE]...
                     [--endpoint JSON]... [--json]

List what the policies in FILE (a role script or an IAM JSON policy)
allow, over every action in the AWS catalog.

Without --resource: every action the identity policies grant and the
resource patterns they grant it on (wildcard actions expanded, resource
types checked, unconditional denies removed), marked "if ..." when the
grant has conditions.  With --resource R (an ARN, or *): the actions
allowed on R with the given context (each decided as by `simulate`).
--endpoint JSON: the requests go through a VPC endpoint with this policy,
which must allow them too.

Exit status: 0 listed, 2 an input that cannot be read, or a usage error.]]

local M = {
  summary = "list every catalog action a role allows (on a resource)",
  usage = USAGE,
  options = {
    { name = "resource", short = "r", arg = "R", help = "an ARN or *: list the actions allowed on it" },
    { name = "principal", short = "p", arg = "P", help = "who makes the requests (with --resource)" },
    { name = "context", short = "c", arg = "KEY=VALUE", multi = true, help = "a request context key" },
    { name = "role", arg = "NAME", help = "the role to use when FILE returns several" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "endpoint", arg = "JSON", multi = true, help = "a VPC endpoint policy the requests go through" },
    { name = "json", help = "print JSON (--format json)" },
    { name = "format", short = "f", arg = "FORMAT", choices = { "text", "json", "markdown" },
      help = "text, JSON, or Markdown for a pull request [default: text]" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

function M.run(opts, files, io_)
  local core = require "leastpriv.core"
  local escape = require("leastpriv.escape").text
  if #files ~= 1 then fail("name one role script or JSON policy (FILE)") end
  local x = sim_cli.load(files[1], opts)
  if opts.resource then
    local p, err = simulate.compile(x)
    if not p then fail(("%s: %s"):format(files[1], err)) end
    local list, lerr = simulate.effective(p, opts.resource, sim_cli.parse_context(opts.context),
      { principal = opts.principal })
    if not list then fail(lerr) end
    if opts.format == "markdown" then
      io_.stdout:write(require("leastpriv.analysis.markdown").can(list, { resource = opts.resource,
        file = files[1] }))
    elseif opts.json or opts.format == "json" then
      io_.stdout:write(core.json_encode(setmetatable(list, core.array_mt)), "\n")
    else
      for _, a in ipairs(list) do io_.stdout:write(escape(a), "\n") end
      io_.stderr:write(("%d action%s allowed on %s\n"):format(#list, #list == 1 and "" or "s",
        escape(opts.resource)))
    end
    return 0
  end
  local ok, grants = pcall(simulate.grants, x)
  if not ok then fail(("%s: %s"):format(files[1], tostring(grants))) end
  if opts.format == "markdown" then
    io_.stdout:write(require("leastpriv.analysis.markdown").can(grants, { file = files[1] }))
    return 0
  end
  if opts.json or opts.format == "json" then
    local out = {}
    for i, g in ipairs(grants) do
      out[i] = { action = g.action, resource = g.resource, conditional = g.conditional,
                 except = g.except and setmetatable(g.except, core.array_mt) or nil }
    end
    io_.stdout:write(core.json_encode(setmetatable(out, core.array_mt)), "\n")
    return 0
  end
  local width = 0
  for _, g in ipairs(grants) do if #g.action > width then width = #g.action end end
  for _, g in ipairs(grants) do
    local where = g.except and ("* except " .. table.concat(g.except, ", ")) or g.resource
    io_.stdout:write(g.action, string.rep(" ", width - #g.action + 2), escape(where),
      g.conditional and "  (if its conditions hold)" or "", "\n")
  end
  return 0
end

return M
