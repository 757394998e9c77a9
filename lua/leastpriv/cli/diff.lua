-- leastpriv diff: what NEW allows that OLD did not, and what it no longer does.
local analysis = require "leastpriv.analysis"
local args = require "leastpriv.cli.args"
local inputs = require "leastpriv.inputs"

local M = {
  summary = "compare two versions by what they allow; exit 1 on new access",
  usage = [[
usage: leastpriv diff OLD NEW [--json] [--set NAME=VALUE]...

Compare two versions of roles or policies by what they allow, not by their
text: every catalog action each statement allows, on each resource pattern,
under its conditions.  OLD and NEW are role scripts (.lua), IAM JSON policy
documents, Terraform plans (terraform show -json) or account dumps (aws iam
get-account-authorization-details).  Roles and policies are paired by name
(a plan's role by its IAM name when the plan knows it, so a script and its
plan pair up; other plan resources by Terraform address).

  + on RESOURCE: ACTIONS   what NEW gives that no grant of OLD gives (new access)
  - on RESOURCE: ACTIONS   what OLD gave that NEW no longer gives
  trust + / trust -        principals that may now / no longer assume a role

--json lists every grant one by one.

A policy of a Terraform plan that is known only after apply (it names a
resource the same plan creates) cannot be compared: in NEW it counts as
possibly new access ("? NAME: ... known only after apply"), and diff
exits 1.

A grant is not new when OLD gives the same action on a pattern that
contains it (arn:aws:s3:::b/* contains arn:aws:s3:::b/in/*) without a
condition, or under the same condition.

Exit status: 0 when NEW allows nothing new, 1 when it does (gate CI on
"no new access"), 2 on usage or input errors.]],
  options = {
    { name = "json", help = "the report as JSON" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var), for both" },
  },
}

local function where(g)
  if g.except then return "* except " .. table.concat(g.except, ", ") end
  return g.resource
end

local SHOWN = 8

-- Write grants grouped by resource and condition, one line a group:
--   + on arn:aws:s3:::b/*: s3:GetObject, s3:PutObject
local function write_grants(out, sign, grants)
  local groups, order = {}, {}
  for _, g in ipairs(grants) do
    local key = where(g) .. "\0" .. g.condition
    if not groups[key] then
      groups[key] = { where = where(g), condition = g.condition, actions = {} }
      order[#order + 1] = key
    end
    table.insert(groups[key].actions, g.action)
  end
  for _, key in ipairs(order) do
    local grp = groups[key]
    local shown = {}
    for i = 1, math.min(#grp.actions, SHOWN) do shown[i] = grp.actions[i] end
    local list = table.concat(shown, ", ")
    if #grp.actions > SHOWN then list = ("%s ... (%d actions)"):format(list, #grp.actions) end
    out:write("  ", sign, " on ", grp.where, grp.condition ~= "" and (" if " .. grp.condition) or "",
      ": ", list, "\n")
  end
end

function M.run(opts, files, io_)
  if #files ~= 2 then error(args.fail("give two files: OLD NEW"), 0) end
  local vars = args.sets(opts.set)
  local loaded = {}
  for i, path in ipairs(files) do
    local ok, items = pcall(inputs.load, path, vars)
    if not ok then error(args.fail(tostring(items)), 0) end
    loaded[i] = items
  end
  local report = analysis.diff(loaded[1], loaded[2])
  -- what NEW's plan knows only after apply may allow anything: possibly new
  local unknown = loaded[2].unknown or {}
  local new_access = report.new_access or #unknown > 0
  if opts.json then
    local core = require "leastpriv.core"
    local out = { new_access = new_access, entries = {}, unknown = setmetatable({}, core.array_mt) }
    for i, u in ipairs(unknown) do
      out.unknown[i] = { name = u.label, attribute = u.attribute,
                         refers_to = setmetatable(u.refs or {}, core.array_mt) }
    end
    for i, e in ipairs(report.entries) do
      local function list(gs)
        local l = setmetatable({}, core.array_mt)
        for j, g in ipairs(gs) do
          l[j] = { action = g.action, resource = g.resource, except = g.except,
                   condition = g.condition ~= "" and core.json_decode(g.condition) or nil }
        end
        return l
      end
      local function tlist(ts)
        local l = setmetatable({}, core.array_mt)
        for j, t in ipairs(ts) do l[j] = { principal = t.principal, action = t.action } end
        return l
      end
      out.entries[i] = { name = e.name, added = list(e.added), removed = list(e.removed),
                         unchanged = e.unchanged, trust_added = tlist(e.trust_added),
                         trust_removed = tlist(e.trust_removed) }
    end
    setmetatable(out.entries, core.array_mt)
    io_.stdout:write(core.json_encode(out), "\n")
  else
    local any = false
    for _, e in ipairs(report.entries) do
      if #e.added + #e.removed + #e.trust_added + #e.trust_removed > 0 then
        any = true
        io_.stdout:write(e.name, e.only_new and " (new)" or e.only_old and " (removed)" or "", ":\n")
        for _, t in ipairs(e.trust_added) do
          io_.stdout:write("  trust + ", t.principal, " may ", t.action, "\n")
        end
        for _, t in ipairs(e.trust_removed) do
          io_.stdout:write("  trust - ", t.principal, " may ", t.action, "\n")
        end
        write_grants(io_.stdout, "+", e.added)
        write_grants(io_.stdout, "-", e.removed)
      end
    end
    for _, u in ipairs(unknown) do
      any = true
      io_.stdout:write("? ", u.label, ": ", u.attribute,
        " is known only after apply: not compared, counted as possibly new access\n")
    end
    if not any then io_.stdout:write("no change in what is allowed\n") end
  end
  return new_access and 1 or 0
end

return M
