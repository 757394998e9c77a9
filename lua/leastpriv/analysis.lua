-- Analysis by what policies allow, not by their text: diff two versions
-- (leastpriv.analysis.diff), minimize a policy without changing what it
-- allows, and report what a role allows beyond its declared needs.  All of
-- it stands on the evaluation engine's grants (leastpriv.simulate): every
-- catalog action a statement allows, on each resource pattern that can
-- apply to it.
local core = require "leastpriv.core"
local catalog = require "leastpriv.catalog"
local simulate = require "leastpriv.simulate"

local M = {}

local diff = require "leastpriv.analysis.diff"

local condition_key = diff.condition_key
local grant_key = diff.grant_key

-- diff(old_items, new_items) -> report: see leastpriv.analysis.diff.
M.diff = diff.diff
M.item_name = diff.item_name

-- ---- minimize ----

-- IAM's size of a document: its JSON without whitespace outside strings.
function M.size(doc)
  return #core.policy_json(doc, { compact = true })
end

local function copy_list(l)
  local out = {}
  for i, v in ipairs(l) do out[i] = v end
  return out
end

local function sorted_unique(list)
  local seen, out = {}, {}
  for _, v in ipairs(list) do
    if not seen[v] then seen[v] = true; out[#out + 1] = v end
  end
  table.sort(out)
  return out
end

-- The shortest list of patterns that expands to exactly the set of actions
-- in `actions` (all of one service): "svc:Prefix*" wherever every catalog
-- action with that prefix is in the set (and more than one is).
local function compact_service_uncached(service, names)
  local set = {}
  for _, n in ipairs(names) do set[n] = true end
  local all = catalog.actions.expand(service .. ":*")
  if #all == #names then return { service .. ":*" } end
  local out, done = {}, {}
  for _, n in ipairs(names) do
    if not done[n] then
      -- the shortest prefix of n whose expansion lies wholly in the set
      local action = n:sub(#service + 2)
      local chosen
      for len = 1, #action - 1 do
        local pattern = service .. ":" .. action:sub(1, len) .. "*"
        local exp = catalog.actions.expand(pattern)
        local inside = #exp > 1
        for _, e in ipairs(exp) do
          if not set[e] then inside = false break end
        end
        if inside and #pattern < #table.concat(exp, "") then
          chosen = { pattern = pattern, covers = exp }
          break
        end
      end
      if chosen then
        out[#out + 1] = chosen.pattern
        for _, e in ipairs(chosen.covers) do done[e] = true end
      else
        out[#out + 1] = n
        done[n] = true
      end
    end
  end
  return sorted_unique(out)
end

-- compact_service, remembered (in memo, one per minimize) per set of
-- names: policies repeat the same action lists statement after statement.
local function compact_service(service, names, memo)
  local key = service .. "\0" .. table.concat(names, "\0")
  local hit = memo[key]
  if not hit then
    hit = compact_service_uncached(service, names)
    memo[key] = hit
  end
  return copy_list(hit)
end

-- Compact an action list with wildcards that expand to exactly the same
-- catalog actions.  Patterns and unknown names are kept as written.
local function compact_actions(list, memo)
  local by_service, keep = {}, {}
  for _, a in ipairs(list) do
    local rec = not a:find("[%*%?]") and catalog.actions.get(a)
    if rec then
      by_service[rec.service] = by_service[rec.service] or {}
      table.insert(by_service[rec.service], rec.name)
    else
      keep[#keep + 1] = a
    end
  end
  local out = copy_list(keep)
  local services = {}
  for s in pairs(by_service) do services[#services + 1] = s end
  table.sort(services)
  for _, s in ipairs(services) do
    for _, p in ipairs(compact_service(s, sorted_unique(by_service[s]), memo)) do out[#out + 1] = p end
  end
  return out
end

-- Can statements a and b be merged by uniting their actions (everything
-- else equal) or their resources (everything else equal)?
local function merge_key(s, field)
  local parts = { s.Effect, condition_key(s.Condition),
                  s.Principal and condition_key(s.Principal) or "",
                  s.NotPrincipal and condition_key(s.NotPrincipal) or "" }
  for _, f in ipairs { "Action", "NotAction", "Resource", "NotResource" } do
    if f ~= field then
      parts[#parts + 1] = f .. "=" .. (s[f] and table.concat(sorted_unique(s[f]), ",") or "-")
    end
  end
  return table.concat(parts, "\0")
end

-- Merge Allow statements that differ only in `field` (Action or Resource).
-- Each group's values are gathered in a set and sorted once at the end, so
-- a merge of n statements costs n log n, not n^2.
local function merge_by(statements, field)
  local out, groups, sets = {}, {}, {}
  for _, s in ipairs(statements) do
    if s.Effect == "Allow" and s[field] then
      local key = merge_key(s, field)
      local g = groups[key]
      if not g then
        g = {}
        for k, v in pairs(s) do g[k] = v end
        g[field] = {}
        groups[key], sets[key] = g, {}
        out[#out + 1] = g
      end
      local set, list = sets[key], g[field]
      for _, v in ipairs(s[field]) do
        if not set[v] then set[v] = true; list[#list + 1] = v end
      end
    else
      out[#out + 1] = s
    end
  end
  for _, g in pairs(groups) do table.sort(g[field]) end
  return out
end

-- The set of grants of a document, as keys, for checking that minimize
-- changed nothing.
local function grant_set(doc, memo)
  local set, n = {}, 0
  for _, g in ipairs(diff.grants(doc, "Allow", memo)) do
    local k = grant_key(g)
    if not set[k] then set[k] = true; n = n + 1 end
  end
  return set, n
end

-- minimize(doc) -> smaller canonical doc, { before =, after = } sizes.
-- Merges Allow statements that differ only in actions or only in
-- resources, and writes action lists with wildcards where they expand to
-- exactly the same catalog actions.  Deny statements are kept as they are.
-- The engine checks that the result allows exactly what doc allows;
-- otherwise this raises (it never returns a changed policy).
function M.minimize(doc)
  local statements = {}
  for i, s in ipairs(doc.Statement) do
    local copy = {}
    for k, v in pairs(s) do copy[k] = v end
    statements[i] = copy
  end
  statements = merge_by(statements, "Action")
  statements = merge_by(statements, "Resource")
  statements = merge_by(statements, "Action")
  local compact_memo = {}
  for _, s in ipairs(statements) do
    if s.Effect == "Allow" and s.Action then s.Action = compact_actions(s.Action, compact_memo) end
  end
  -- a merged statement keeps its first Sid, dropped if another still has it
  local seen_sid = {}
  for _, s in ipairs(statements) do
    if s.Sid then
      if seen_sid[s.Sid] then s.Sid = nil else seen_sid[s.Sid] = true end
    end
  end
  local out = core.policy_normalize({ Version = doc.Version, Id = doc.Id, Statement = statements })
  local memo = {}
  local before, nb = grant_set(doc, memo)
  local after, na = grant_set(out, memo)
  local same = nb == na
  if same then
    for k in pairs(before) do
      if not after[k] then same = false break end
    end
  end
  if not same then
    error("minimize would change what the policy allows; left unchanged (please report this)", 0)
  end
  return out, { before = M.size(doc), after = M.size(out) }
end

-- ---- over-grant ----

M.LEVEL_ORDER = { "Permissions management", "Write", "Tagging", "Read", "List" }
local RANK = {}
for i, l in ipairs(M.LEVEL_ORDER) do RANK[l] = i end

-- The access level that ranks a grant: its action's highest level.
local function level_of(action)
  local rec = catalog.actions.get(action)
  local best
  for _, l in ipairs(rec and rec.access_levels or {}) do
    if not best or RANK[l] < RANK[best] then best = l end
  end
  return best or "Write"
end

-- overgrant(policies, needs) -> every grant beyond the declared needs
-- ({ { action, resource }, ... }), each with its access level, ranked:
-- permissions management first, then write, tagging, read, list.
function M.overgrant(policies, needs)
  local out = simulate.excess(policies, needs)
  for _, g in ipairs(out) do g.level = level_of(g.action) end
  table.sort(out, function(a, b)
    if a.level ~= b.level then return RANK[a.level] < RANK[b.level] end
    if a.action ~= b.action then return a.action < b.action end
    return a.resource < b.resource
  end)
  return out
end

return M
