-- `leastpriv diff --format markdown`: the gate's verdict for a pull request.
-- A summary line first ("**Adds access**: 3 actions on 2 resources, in 1
-- role", "**No new access.**"), then per role or policy a table of what
-- changed (+ new, ? not proven narrower, - removed, deny and trust rows),
-- each new grant with the request that shows it (NEW allows, OLD denies)
-- as a code block, collapsed past a size, the whole under GitHub's comment
-- limit: the same content as --format json.
local md = require "leastpriv.markdown"

local M = {}

local SHOWN = 8

local function where(g)
  if g.except then return "* except " .. table.concat(g.except, ", ") end
  return g.resource
end

-- Grants grouped by resource and condition, in order.
local function groups(grants)
  local out, index = {}, {}
  for _, g in ipairs(grants) do
    local key = where(g) .. "\0" .. (g.condition or (g.conditional and "if" or ""))
    local grp = index[key]
    if not grp then
      grp = { where = where(g), condition = g.condition or "", actions = {}, first = g }
      index[key] = grp
      out[#out + 1] = grp
    end
    grp.actions[#grp.actions + 1] = g.action
  end
  return out
end

local function plural(n, word) return ("%d %s%s"):format(n, word, n == 1 and "" or "s") end

-- The summary line of a report.
function M.summary_line(report)
  local actions, resources, roles = {}, {}, 0
  local na, nr = 0, 0
  for _, e in ipairs(report.entries) do
    local any = false
    for _, list in ipairs { e.added, e.deny_removed } do
      for _, g in ipairs(list) do
        any = true
        if not actions[g.action] then actions[g.action] = true; na = na + 1 end
        local w = where(g)
        if not resources[w] then resources[w] = true; nr = nr + 1 end
      end
    end
    if #e.trust_added > 0 then any = true end
    if any then roles = roles + 1 end
  end
  if report.new_access then
    return ("**Adds access**: %s on %s, in %s."):format(plural(na, "action"), plural(nr, "resource"),
      roles == 1 and "1 role or policy" or (roles .. " roles or policies"))
  end
  if report.possibly_new then return "**Possibly new access**: a policy is known only after apply." end
  if report.unproven then return "**Conditions changed, not proven narrower** (no new access found)." end
  return "**No new access.**"
end

local SIGNS = { { "added", "**+**" }, { "unproven", "?" }, { "deny_removed", "**deny −**" },
                { "deny_unproven", "deny ?" }, { "removed", "−" } }

local function context_text(ctx)
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

-- One entry (a role or policy) as a section.
local function section(e, command_for)
  local rows, requests = {}, {}
  for _, t in ipairs(e.trust_added or {}) do
    rows[#rows + 1] = { "**trust +**", md.code(t.action, true), md.code(t.principal, true),
                        t.condition ~= "" and md.code(t.condition, true) or "" }
  end
  for _, t in ipairs(e.trust_unproven or {}) do
    rows[#rows + 1] = { "trust ?", md.code(t.action, true), md.code(t.principal, true), md.text(t.reason or "") }
  end
  for _, t in ipairs(e.trust_removed or {}) do
    rows[#rows + 1] = { "trust −", md.code(t.action, true), md.code(t.principal, true), "" }
  end
  for _, sign in ipairs(SIGNS) do
    for _, grp in ipairs(groups(e[sign[1]] or {})) do
      local shown = {}
      for i = 1, math.min(#grp.actions, SHOWN) do shown[i] = md.code(grp.actions[i], true) end
      local list = table.concat(shown, ", ")
      if #grp.actions > SHOWN then list = list .. (" … (%d actions)"):format(#grp.actions) end
      local cond = grp.condition ~= "" and md.code(grp.condition, true) or ""
      if sign[1] == "unproven" or sign[1] == "deny_unproven" then
        cond = cond .. (grp.first.reason and ((cond ~= "" and "<br>" or "") .. md.text(grp.first.reason)) or "")
      end
      rows[#rows + 1] = { sign[2], list, md.code(grp.where, true), cond }
      local cx = grp.first.counterexample
      if cx then
        local lines = { ("%s on %s%s: NEW %s, OLD %s"):format(cx.action, cx.resource,
          context_text(cx.context) ~= "" and (" with " .. context_text(cx.context)) or "", cx.new, cx.old) }
        local cmd = command_for and command_for(cx, e)
        if cmd then lines[#lines + 1] = cmd end
        requests[#requests + 1] = table.concat(lines, "\n")
      end
    end
  end
  for _, u in ipairs(type(e.unknown) == "table" and e.unknown or (e.unknown and { tostring(e.unknown) } or {})) do
    rows[#rows + 1] = { "**unknown**", "", "", md.text(u) .. " (possibly new access)" }
  end
  if #rows == 0 then return nil end
  local head = ("\n### %s%s\n\n"):format(md.code(e.name), e.only_new and " (new)" or e.only_old and " (removed)" or "")
  local tbl = md.table({ "", "actions", "resource", "condition" }, rows)
  local body = tbl
  if #requests > 0 then
    local blocks = {}
    for _, r in ipairs(requests) do blocks[#blocks + 1] = md.block(r, "sh") end
    local text = "\nA request each new grant allows and the old version denies:\n\n" .. table.concat(blocks, "\n")
    body = body .. (#requests > 3 and ("\n" .. md.details(plural(#requests, "request") .. " that show the new access",
      text)) or text)
  end
  if #rows > 10 then body = md.details(plural(#rows, "change"), tbl) .. body:sub(#tbl + 1) end
  return head .. body, #rows
end

-- `leastpriv can --format markdown`: grants per resource pattern (or the
-- actions allowed on one resource, with resource).
function M.can(list, opts)
  opts = opts or {}
  local b = md.budget(opts.budget)
  if opts.resource then
    b.force(("## leastpriv can\n\n**%s** allowed on %s%s.\n"):format(plural(#list, "action"),
      md.code(opts.resource), opts.file and (" by " .. md.code(opts.file)) or ""))
    local by_service, order = {}, {}
    for _, a in ipairs(list) do
      local svc = a:match("^([^:]+):") or a
      if not by_service[svc] then by_service[svc] = {}; order[#order + 1] = svc end
      table.insert(by_service[svc], a)
    end
    local rows = {}
    for _, svc in ipairs(order) do
      local names = {}
      for i, a in ipairs(by_service[svc]) do names[i] = md.code(a, true) end
      rows[#rows + 1] = { md.code(svc, true), tostring(#names), table.concat(names, ", ") }
    end
    if #rows > 0 then b.add("\n" .. md.table({ "service", "actions", "" }, rows), #list) end
  else
    local per = groups(list)
    local conditional, patterns, seen = 0, 0, {}
    for _, g in ipairs(list) do
      if g.conditional then conditional = conditional + 1 end
      if not seen[where(g)] then seen[where(g)] = true; patterns = patterns + 1 end
    end
    b.force(("## leastpriv can\n\n**%s** on **%s**%s%s.\n"):format(plural(#list, "grant"),
      plural(patterns, "resource pattern"), conditional > 0 and (" (%d under conditions)"):format(conditional) or "",
      opts.file and (" for " .. md.code(opts.file)) or ""))
    local rows = {}
    for _, grp in ipairs(per) do
      local names = {}
      for i = 1, math.min(#grp.actions, SHOWN) do names[i] = md.code(grp.actions[i], true) end
      local text = table.concat(names, ", ")
      if #grp.actions > SHOWN then text = text .. (" … (%d actions)"):format(#grp.actions) end
      rows[#rows + 1] = { md.code(grp.where, true), tostring(#grp.actions), text,
                          grp.first.conditional and "if its conditions hold" or "" }
    end
    if #rows > 0 then
      local tbl = md.table({ "resource", "actions", "", "" }, rows)
      b.add("\n" .. (#rows > 10 and md.details(plural(#rows, "resource pattern"), tbl) or tbl), #rows)
    end
  end
  return b.finish(function(n)
    return ("_%s not shown here: run with --json for the whole list._"):format(plural(n, "more row"))
  end)
end

-- `leastpriv overgrant --format markdown`: the excess per role, riskiest
-- access level first.
function M.overgrant(excess, opts)
  opts = opts or {}
  local b = md.budget(opts.budget)
  if #excess == 0 then
    b.force("## leastpriv overgrant\n\n**Nothing beyond the declared needs.**\n")
    return b.finish()
  end
  local levels, order = {}, {}
  for _, g in ipairs(excess) do
    if not levels[g.level] then levels[g.level] = 0; order[#order + 1] = g.level end
    levels[g.level] = levels[g.level] + 1
  end
  local parts = {}
  for _, l in ipairs(order) do parts[#parts + 1] = ("%s %d"):format(md.text(l), levels[l]) end
  b.force(("## leastpriv overgrant\n\n**%s beyond the declared needs**: %s.\n"):format(
    plural(#excess, "grant"), table.concat(parts, ", ")))
  local role, rows = nil, {}
  local function flush()
    if role and #rows > 0 then
      local tbl = md.table({ "access level", "action", "resource", "" }, rows)
      b.add(("\n### %s\n\n%s"):format(md.code(role), #rows > 10 and md.details(plural(#rows, "grant"), tbl) or tbl),
        #rows)
    end
    rows = {}
  end
  for _, g in ipairs(excess) do
    if g.label ~= role then flush(); role = g.label end
    rows[#rows + 1] = { md.text(g.level), md.code(g.action, true), md.code(where(g), true),
                        g.conditional and "under conditions" or "" }
  end
  flush()
  return b.finish(function(n)
    return ("_%s not shown here: run with --json for the whole list._"):format(plural(n, "more grant"))
  end)
end

-- report(report, opts) -> Markdown.  opts.command_for(cx, entry) -> the
-- `leastpriv simulate` line of a request, or nil.
function M.report(report, opts)
  opts = opts or {}
  local b = md.budget(opts.budget)
  b.force("## leastpriv diff\n\n" .. M.summary_line(report) .. "\n")
  for _, e in ipairs(report.entries) do
    local text, n = section(e, opts.command_for)
    if text then b.add(text, n) end
  end
  return b.finish(function(n)
    return ("_%s not shown here (the comment would be too long): run `leastpriv diff --format json` "
      .. "for the whole report._"):format(plural(n, "more change"))
  end)
end

return M
