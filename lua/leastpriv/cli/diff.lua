-- leastpriv diff: what NEW allows that OLD did not, and what it no longer does.
local analysis = require "leastpriv.analysis"
local args = require "leastpriv.cli.args"
local inputs = require "leastpriv.inputs"
local core = require "leastpriv.core"
local counterexample = require "leastpriv.analysis.counterexample"

local M = {
  summary = "compare two versions by what they allow; exit 1 on new access",
  usage = [[
usage: leastpriv diff OLD NEW [--format text|json|markdown] [--set NAME=VALUE]...
       leastpriv diff --git REF [PATH...] [--format text|json|markdown] [--set NAME=VALUE]...

Compare two versions of roles or policies by what they allow, not by their
text: every catalog action each statement allows, on each resource pattern,
under its conditions.  OLD and NEW are role scripts (.lua), IAM JSON policy
documents, Terraform plans (terraform show -json) or account dumps (aws iam
get-account-authorization-details).  Roles and policies are paired by name
(a plan's role by its IAM name when the plan knows it, so a script and its
plan pair up; other plan resources by Terraform address).

--git REF compares the role scripts (.lua) and JSON documents below each
PATH (default: the current folder) as they are at the git revision REF
with the working tree, e.g. `leastpriv diff --git origin/main roles/`.
The old files are read with `git show REF:path` (nothing is checked out)
into a private temporary folder and run like any script.  Roles are paired
by name across all files; roles only at REF or only in the working tree
are shown as removed or new.  A .lua file that returns no role or policy
(a module the scripts require) is skipped.

  + on RESOURCE: ACTIONS   NEW gives this and OLD does not (new access); each
                           comes with a request that shows it: the engine
                           allows it under NEW and denies it under OLD, and
                           the `leastpriv simulate` command that decides it
  ? on RESOURCE: ACTIONS   conditions changed, not proven narrower: NEW's
                           condition was not shown to imply OLD's, and no
                           request was found that NEW allows and OLD denies
  - on RESOURCE: ACTIONS   what OLD gave that NEW no longer gives
  deny - / deny ?          a Deny of OLD that NEW removed, narrowed or put
                           under a looser condition (new access), or changed
                           in a way not proven to deny as much
  trust + / trust ? / trust -   principals that may now / perhaps / no
                           longer assume a role; trust + comes with an
                           sts:AssumeRole* request (principal, context) that
                           NEW's trust allows and OLD's denies, and its
                           `leastpriv simulate --principal` command
  unknown                  what NEW cannot know yet (e.g. known only after
                           apply): possibly new access

A policy of a Terraform plan that is known only after apply (it names a
resource the same plan creates) cannot be compared: in NEW it counts as
possibly new access ("? NAME: ... known only after apply"), and diff
exits 1.

A grant is not new when OLD gives the same action on a pattern that
contains it (arn:aws:s3:::b/* contains arn:aws:s3:::b/in/*) under a
condition that NEW's condition implies: no condition, the same, or a
weaker one (more keys; a subset of StringEquals values; StringLike and
ArnLike patterns inside OLD's; a narrower numeric or date range or CIDR;
Null, Bool, ...IfExists, ForAllValues/ForAnyValue, negated operators), or
when each value of a NEW condition is so given by some statement of OLD.
Adding a Deny is never new access.

--json (--format json) lists every grant one by one, each new one with its
request.  --format markdown is the verdict for a pull request comment: a
summary line ("Adds access: 3 actions on 2 resources", "No new access"),
a table per role or policy, each new grant's request as a code block.

Exit status: 0 when NEW allows nothing new; 1 when it allows something new
(or possibly new: unknown); 3 when the only changes are unproven ones (?);
2 on usage or input errors.  Gate CI on a status other than 0.]],
  options = {
    { name = "json", help = "the report as JSON (--format json)" },
    { name = "format", short = "f", arg = "FORMAT", choices = { "text", "json", "markdown" },
      help = "the report: text, JSON, or Markdown for a pull request [default: text]" },
    { name = "git", arg = "REF", help = "compare the files at git revision REF with the working tree" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var), for both" },
  },
}

local function where(g)
  if g.except then return "* except " .. table.concat(g.except, ", ") end
  return g.resource
end

local SHOWN = 8

local function context_words(ctx)
  local keys = {}
  for k in pairs(ctx or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = ctx[k]
    if type(v) == "table" then v = "[" .. table.concat(v, ", ") .. "]" end
    parts[#parts + 1] = k .. "=" .. tostring(v)
  end
  return table.concat(parts, ", ")
end

-- The command that decides the request against the NEW file, when the
-- file is one `leastpriv simulate` reads (a script or a policy document).
local function command_for(cx, source)
  if not source or not source.file then return nil end
  if not (source.file:match("%.lua$") or source.document) then return nil end
  return counterexample.command(cx, source.file, source.role)
end

local function principal_word(p)
  if type(p) ~= "table" then return tostring(p) end
  local k, v = next(p)
  return ("%s %s"):format(tostring(k), tostring(v))
end

-- The request under a `trust +` line, and the command that decides it
-- (when the role alone decides it: a trust that names an account needs
-- that account's own policies to allow too, which the file does not hold).
local function write_trust_request(out, cx, source)
  local ctx = context_words(cx.context)
  out:write(("      e.g. %s by %s%s%s: NEW %s, OLD %s\n"):format(cx.action, principal_word(cx.principal),
    cx.resource and (" on " .. cx.resource) or "", ctx ~= "" and (" with " .. ctx) or "", cx.new, cx.old))
  if cx.caller then
    out:write("      (with the caller's policies allowing sts:AssumeRole*: the trust names an account)\n")
  elseif type(cx.principal) == "string" then
    local cmd = command_for(cx, source)
    if cmd then out:write("      ", cmd, "\n") end
  end
end

-- Write grants grouped by resource and condition, one line a group, with
-- the request of the group's first grant under it:
--   + on arn:aws:s3:::b/*: s3:GetObject, s3:PutObject
local function write_grants(out, sign, grants, source, prefix)
  local groups, order = {}, {}
  for _, g in ipairs(grants) do
    local key = where(g) .. "\0" .. g.condition
    if not groups[key] then
      groups[key] = { where = where(g), condition = g.condition, actions = {}, first = g }
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
    out:write("  ", prefix or "", sign, " on ", grp.where,
      grp.condition ~= "" and (" if " .. grp.condition) or "", ": ", list, "\n")
    local cx = grp.first.counterexample
    if cx then
      local ctx = context_words(cx.context)
      out:write(("      e.g. %s on %s%s: NEW %s, OLD %s\n"):format(cx.action, cx.resource,
        ctx ~= "" and (" with " .. ctx) or "", cx.new, cx.old))
      local cmd = command_for(cx, source)
      if cmd then out:write("      ", cmd, "\n") end
    elseif grp.first.reason then
      out:write("      (", grp.first.reason, ")\n")
    end
  end
end

-- Load every input; sources maps each item to { file =, role =, document = }.
local function load(path, vars, sources, display)
  local paths = require "leastpriv.cli.paths"
  if not display and paths.is_folder_of_files(path) then
    -- a folder: the roles and policies of every file in it, paired by name
    local list, perr = paths.expand({ path })
    if not list then error(args.fail(perr), 0) end
    local all = { unknown = {} }
    for _, p in ipairs(list) do
      for _, item in ipairs(load(p, vars, sources)) do all[#all + 1] = item end
    end
    return all
  end
  local ok, items = pcall(inputs.load, path, vars)
  if not ok then error(args.fail(tostring(items)), 0) end
  for _, item in ipairs(items) do
    sources[item] = { file = display or path, role = (#items > 1 and item.name) or nil,
                      document = item.kind == nil }
  end
  -- a plan's policies known only after apply (items.unknown): entries of
  -- their own that may allow anything, so possibly new access
  for _, u in ipairs(items.unknown or {}) do
    local refs = u.refs and #u.refs > 0 and (" (it refers to " .. table.concat(u.refs, ", ") .. ")") or ""
    items[#items + 1] = { kind = "policy", name = u.label, address = true,
                          document = { Version = "2012-10-17", Statement = {} },
                          unknown = { ("%s is known only after apply: not compared%s"):format(u.attribute, refs) } }
  end
  return items
end

-- A plain document has no name: in --git mode it is named by its file.
local function named(items, rel)
  for i, item in ipairs(items) do
    if item.kind == nil and item.Statement then
      items[i] = { kind = "policy", name = rel, document = item, address = true }
    end
  end
  return items
end

local function is_module_error(msg)
  return tostring(msg):find("the script must return a role", 1, true) ~= nil
end

local function load_git(opts, paths, vars, sources, io_)
  local gitrev = require "leastpriv.gitrev"
  if #paths == 0 then paths = { "." } end
  local old_files, dir = gitrev.checkout(opts.git, paths)
  if not old_files then error(args.fail(dir), 0) end
  local new_files, werr = gitrev.working(paths)
  if not new_files then gitrev.cleanup(dir); error(args.fail(werr), 0) end
  local function wanted(p) return p:match("%.lua$") or p:match("%.json$") end
  local function gather(list, side)
    local items, owner = {}, {}
    for _, f in ipairs(list) do
      local rel, file = f.path or f, f.old or f
      if wanted(rel) and not rel:match("%.leastpriv%.lua$") and not rel:match("_spec%.lua$") then
        local ok, res = pcall(inputs.load, file, vars)
        if not ok then
          if not is_module_error(res) then
            -- name the file as the user knows it, and the revision
            local msg = tostring(res)
            if file ~= rel then msg = msg:gsub(file:gsub("%p", "%%%0"), opts.git .. ":" .. rel) end
            error(args.fail(msg), 0)
          end
        else
          for _, item in ipairs(named(res, rel)) do
            local name = analysis.item_name(item, 1)
            if owner[name] then
              error(args.fail(("%s%s: %s is also defined in %s"):format(side, rel, name, owner[name])), 0)
            end
            owner[name] = rel
            items[#items + 1] = item
            sources[item] = { file = rel, role = item.kind == "role" and item.name or nil,
                              document = item.kind == "policy" and item.address == true }
          end
        end
      end
    end
    return items
  end
  local ok, old_items, new_items = pcall(function()
    return gather(old_files, opts.git .. ":"), gather(new_files, "")
  end)
  gitrev.cleanup(dir)
  if not ok then error(old_items, 0) end
  io_.stderr:write(("diff --git %s: %d file(s) at %s, %d in the working tree\n"):format(
    opts.git, #old_files, opts.git, #new_files))
  return old_items, new_items
end

local function json_report(report, sources)
  local function cx_json(cx, item)
    if not cx then return nil end
    local ctx = {}
    for k, v in pairs(cx.context or {}) do
      ctx[k] = type(v) == "table" and setmetatable(v, core.array_mt) or v
    end
    local command
    if not cx.caller and type(cx.principal) ~= "table" then command = command_for(cx, item and sources[item]) end
    return { action = cx.action, resource = cx.resource, principal = cx.principal, context = ctx,
             new = cx.new, old = cx.old, caller_policy = cx.caller or nil, command = command }
  end
  local out = { new_access = report.new_access, unproven = report.unproven,
                possibly_new = report.possibly_new, entries = {} }
  for i, e in ipairs(report.entries) do
    local function list(gs)
      local l = setmetatable({}, core.array_mt)
      for j, g in ipairs(gs) do
        l[j] = { action = g.action, resource = g.resource, except = g.except,
                 condition = g.condition ~= "" and core.json_decode(g.condition) or nil,
                 reason = g.reason, request = cx_json(g.counterexample, e.new_item) }
      end
      return l
    end
    local function tlist(ts)
      local l = setmetatable({}, core.array_mt)
      for j, t in ipairs(ts) do
        l[j] = { principal = t.principal, action = t.action, reason = t.reason,
                 condition = t.condition ~= "" and core.json_decode(t.condition) or nil,
                 request = cx_json(t.counterexample, e.new_item) }
      end
      return l
    end
    local unknown
    if e.unknown then
      unknown = setmetatable(type(e.unknown) == "table" and e.unknown or { tostring(e.unknown) },
                             core.array_mt)
    end
    out.entries[i] = { name = e.name, added = list(e.added), unproven = list(e.unproven),
                       removed = list(e.removed), deny_removed = list(e.deny_removed),
                       deny_unproven = list(e.deny_unproven), unchanged = e.unchanged,
                       trust_added = tlist(e.trust_added), trust_unproven = tlist(e.trust_unproven),
                       trust_removed = tlist(e.trust_removed),
                       only_old = e.only_old or nil, only_new = e.only_new or nil, unknown = unknown }
  end
  setmetatable(out.entries, core.array_mt)
  return out
end

local function write_text(out, report, sources)
  local any = false
  for _, e in ipairs(report.entries) do
    local n = #e.added + #e.unproven + #e.removed + #e.deny_removed + #e.deny_unproven +
              #e.trust_added + #e.trust_unproven + #e.trust_removed
    if n > 0 or e.unknown then
      any = true
      local source = e.new_item and sources[e.new_item]
      out:write(e.name, e.only_new and " (new)" or e.only_old and " (removed)" or "", ":\n")
      if e.unknown then
        local list = type(e.unknown) == "table" and e.unknown or { tostring(e.unknown) }
        for _, u in ipairs(list) do out:write("  unknown: ", u, " (possibly new access)\n") end
      end
      for _, t in ipairs(e.trust_added) do
        out:write("  trust + ", t.principal, " may ", t.action,
          t.condition ~= "" and (" if " .. t.condition) or "", "\n")
        write_trust_request(out, t.counterexample, source)
      end
      for _, t in ipairs(e.trust_unproven) do
        out:write("  trust ? ", t.principal, " may ", t.action, " if ", t.condition,
          " (", t.reason, ")\n")
      end
      for _, t in ipairs(e.trust_removed) do
        out:write("  trust - ", t.principal, " may ", t.action, "\n")
      end
      write_grants(out, "+", e.added, source)
      write_grants(out, "?", e.unproven, source)
      write_grants(out, "-", e.deny_removed, source, "deny ")
      write_grants(out, "?", e.deny_unproven, source, "deny ")
      write_grants(out, "-", e.removed, source)
    end
  end
  if not any then out:write("no change in what is allowed\n") end
end

function M.run(opts, files, io_)
  local vars = args.sets(opts.set)
  local sources = {}
  local old_items, new_items
  if opts.git then
    old_items, new_items = load_git(opts, files, vars, sources, io_)
  else
    if #files ~= 2 then error(args.fail("give two files: OLD NEW (or --git REF [PATH...])"), 0) end
    old_items = load(files[1], vars, sources)
    new_items = load(files[2], vars, sources)
  end
  local report = analysis.diff(old_items, new_items)
  local format = opts.json and "json" or opts.format or "text"
  if format == "json" then
    io_.stdout:write(core.json_encode(json_report(report, sources)), "\n")
  elseif format == "markdown" then
    io_.stdout:write(require("leastpriv.analysis.markdown").report(report, {
      command_for = function(cx, e) return command_for(cx, e.new_item and sources[e.new_item]) end }))
  else
    write_text(io_.stdout, report, sources)
  end
  if report.new_access or report.possibly_new then return 1 end
  if report.unproven then return 3 end
  return 0
end

return M
