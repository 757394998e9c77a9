-- leastpriv overgrant: what a role allows beyond what it declares it needs.
local analysis = require "leastpriv.analysis"
local args = require "leastpriv.cli.args"
local inputs = require "leastpriv.inputs"
local core = require "leastpriv.core"
local util = require "leastpriv.util"

local M = {
  summary = "list what a role allows beyond its declared needs, riskiest first",
  usage = [[
usage: leastpriv overgrant FILE --needs NEEDS [--set NAME=VALUE]... [--json]

Everything FILE allows beyond the requests it needs, role by role, ranked
by access level: permissions management first, then write, tagging, read
and list.

FILE is any input of `leastpriv diff`: a role script (.lua; every role or
policy it returns, with --set for its lp.var inputs), an IAM JSON policy
document, a Terraform plan (terraform show -json) or an account dump (aws
iam get-account-authorization-details).

NEEDS (--needs, required) is a Lua file returning a list of
{ "service:Action", "arn-or-pattern" } pairs, or a JSON array of
["service:Action", "arn"] pairs; one list for every role of FILE.  A grant
is within the needs when a need names its action (or a pattern of it) and
a resource pattern that contains the grant's.

The text output heads each role's excess with its name ("role NAME:",
"policy NAME:", "document"); --json gives one object per excess grant,
with its role.

Exit status: 0 when nothing is beyond the needs, 1 when something is, 2 on
usage or input errors.]],
  options = {
    { name = "needs", arg = "NEEDS", help = "the declared needs (.lua or .json)" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "json", help = "the report as JSON (--format json)" },
    { name = "format", short = "f", arg = "FORMAT", choices = { "text", "json", "markdown" },
      help = "text, JSON, or Markdown for a pull request [default: text]" },
  },
}

local function load_needs(path)
  local refused = require("leastpriv.files").check_input(path)
  if refused then error(refused, 0) end
  local list
  local text, read_err = require("leastpriv.files").read(path)
  if not text then error(read_err, 0) end
  if path:match("%.lua$") then
    -- untrusted code like a role script: its own sandbox, data back
    local ok, res = require("leastpriv.sandbox").run(text, path, { modules = true })
    if not ok then error(res, 0) end
    list = res
  else
    local err
    list, err = core.json_decode(text)
    if list == nil then error(path .. ":" .. err, 0) end
  end
  if type(list) ~= "table" or not util.is_list(list) then
    error(path .. ": must be a list of { action, resource } pairs", 0)
  end
  for i, item in ipairs(list) do
    if type(item) ~= "table" or type(item[1]) ~= "string" or type(item[2]) ~= "string" then
      error(("%s: entry %d must be { \"service:Action\", \"resource\" }"):format(path, i), 0)
    end
  end
  return list
end

function M.run(opts, files, io_)
  if #files ~= 1 then error(args.fail("give one file"), 0) end
  if not opts.needs then error(args.fail("give the declared needs: --needs NEEDS"), 0) end
  local vars = args.sets(opts.set)
  local folder = require("leastpriv.cli.paths").one_input(files[1])
  if folder then error(args.fail(folder), 0) end
  local ok, items = pcall(inputs.load, files[1], vars)
  if not ok then error(args.fail(tostring(items)), 0) end
  local nok, needs = pcall(load_needs, opts.needs)
  if not nok then error(args.fail(tostring(needs)), 0) end
  local excess = {}
  for i, item in ipairs(items) do
    for _, g in ipairs(analysis.overgrant(item, needs)) do
      g.role = item.name
      g.label = analysis.item_name(item, i)
      excess[#excess + 1] = g
    end
  end
  if opts.format == "markdown" then
    io_.stdout:write(require("leastpriv.analysis.markdown").overgrant(excess))
  elseif opts.json or opts.format == "json" then
    local list = setmetatable({}, core.array_mt)
    for i, g in ipairs(excess) do
      list[i] = { level = g.level, action = g.action, resource = g.resource, except = g.except,
                  conditional = g.conditional, role = g.role }
    end
    io_.stdout:write(core.json_encode(list), "\n")
  elseif #excess == 0 then
    io_.stdout:write("nothing beyond the declared needs\n")
  else
    local level, role
    for _, g in ipairs(excess) do
      if g.label ~= role then
        role, level = g.label, nil
        io_.stdout:write(role, ":\n")
      end
      if g.level ~= level then
        level = g.level
        io_.stdout:write(" ", level, ":\n")
      end
      local where = g.except and ("* except " .. table.concat(g.except, ", ")) or g.resource
      io_.stdout:write("    ", g.action, " on ", where, g.conditional and " (under conditions)" or "", "\n")
    end
  end
  return #excess > 0 and 1 or 0
end

return M
