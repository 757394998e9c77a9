-- Analysis by what policies allow, not by their text: diff two versions,
-- minimize a policy without changing what it allows, and report what a
-- role allows beyond its declared needs.  All of it stands on the
-- evaluation engine's grants (leastpriv.simulate): every catalog action a
-- statement allows, on each resource pattern that can apply to it.
local core = require "leastpriv.core"
local catalog = require "leastpriv.catalog"
local simulate = require "leastpriv.simulate"

local M = {}

-- Canonical text of a condition block ("" for none), for comparing them.
local function condition_key(c)
  if c == nil then return "" end
  return core.json_encode(c, { compact = true })
end

-- The grants of a document's Allow statements, each with the condition of
-- the statement that grants it (Deny statements of the document apply).
-- Returns a list of { action, resource, except, condition, sid }.
local function statement_grants(doc)
  local denies = {}
  for _, s in ipairs(doc.Statement) do
    if s.Effect == "Deny" then denies[#denies + 1] = s end
  end
  local out = {}
  for _, s in ipairs(doc.Statement) do
    if s.Effect == "Allow" then
      -- the statement without its condition (kept as text), with the denies
      local plain = {}
      for k, v in pairs(s) do plain[k] = v end
      plain.Condition = nil
      local one = { plain }
      for _, d in ipairs(denies) do one[#one + 1] = d end
      for _, g in ipairs(simulate.grants({ Version = doc.Version, Statement = one })) do
        out[#out + 1] = { action = g.action, resource = g.resource, except = g.except,
                          condition = condition_key(s.Condition), sid = s.Sid }
      end
    end
  end
  return out
end

local function grant_key(g)
  return table.concat({ g.action, g.resource, g.except and table.concat(g.except, ",") or "",
                        g.condition }, "\0")
end

-- Does grant a (older) give at least what grant b gives?  Same action; a's
-- resource pattern contains b's; a unconditional, or under the same condition.
local function covers(a, b)
  if a.action ~= b.action then return false end
  if (a.except ~= nil) ~= (b.except ~= nil) then return false end
  if a.except and table.concat(a.except, ",") ~= table.concat(b.except, ",") then return false end
  if not (a.resource == b.resource or core.arn_match(a.resource, b.resource)) then return false end
  return a.condition == "" or a.condition == b.condition
end

-- The identity documents of an item (a role's inline policies, a managed
-- policy, a document), each named for the report.
local function documents(item)
  if item.kind == "role" then
    local docs = {}
    for _, p in ipairs(item.policies) do docs[#docs + 1] = { name = p.name, doc = p.document } end
    return docs
  elseif item.kind == "policy" then
    return { { name = item.name, doc = item.document } }
  end
  return { { name = "policy", doc = item } }
end

local function item_name(item, i)
  if item.address then return item.name end        -- a Terraform address or IAM name
  if item.kind == "role" then return "role " .. item.name end
  if item.kind == "policy" then return "policy " .. item.name end
  return i == 1 and "document" or ("document " .. i)
end

-- The grants of an item, and the trust tuples of a role.
local function grants_of(item)
  local grants = {}
  for _, d in ipairs(documents(item)) do
    for _, g in ipairs(statement_grants(d.doc)) do
      g.policy = d.name
      grants[#grants + 1] = g
    end
  end
  local trust = {}
  if item.kind == "role" and item.trust then
    for _, s in ipairs(item.trust.Statement) do
      if s.Effect == "Allow" then
        local who = s.Principal == "*" and { ["*"] = { "*" } } or s.Principal or {}
        for kind, ids in pairs(who) do
          for _, id in ipairs(ids) do
            for _, a in ipairs(s.Action or { "*" }) do
              trust[#trust + 1] = { principal = kind .. ":" .. id, action = a,
                                    condition = condition_key(s.Condition) }
            end
          end
        end
      end
    end
  end
  return grants, trust
end

local function trust_key(t) return t.principal .. "\0" .. t.action .. "\0" .. t.condition end

local function sort_grants(list)
  table.sort(list, function(a, b)
    if a.action ~= b.action then return a.action < b.action end
    if a.resource ~= b.resource then return a.resource < b.resource end
    return a.condition < b.condition
  end)
  return list
end

-- diff(old_items, new_items) -> report: { entries = { { name, added, removed,
-- unchanged, trust_added, trust_removed } }, new_access = bool }.
-- Items are paired by role or policy name.  A grant of NEW is "added" when
-- no grant of OLD gives it; new_access is true when anything was added.
function M.diff(old_items, new_items)
  local function index(items)
    local map, order = {}, {}
    for i, item in ipairs(items) do
      local name = item_name(item, i)
      map[name] = item
      order[#order + 1] = name
    end
    return map, order
  end
  local old_map, old_order = index(old_items)
  local new_map, new_order = index(new_items)
  local names, seen = {}, {}
  for _, n in ipairs(old_order) do if not seen[n] then seen[n] = true; names[#names + 1] = n end end
  for _, n in ipairs(new_order) do if not seen[n] then seen[n] = true; names[#names + 1] = n end end
  table.sort(names)

  local report = { entries = {}, new_access = false }
  for _, name in ipairs(names) do
    local old_grants, old_trust = {}, {}
    local new_grants, new_trust = {}, {}
    if old_map[name] then old_grants, old_trust = grants_of(old_map[name]) end
    if new_map[name] then new_grants, new_trust = grants_of(new_map[name]) end
    local entry = { name = name, added = {}, removed = {}, unchanged = 0,
                    trust_added = {}, trust_removed = {},
                    only_old = new_map[name] == nil, only_new = old_map[name] == nil }
    -- coverage needs the same action: index both sides by action
    local function by_action(list)
      local map = {}
      for _, g in ipairs(list) do
        map[g.action] = map[g.action] or {}
        table.insert(map[g.action], g)
      end
      return map
    end
    local old_by, new_by = by_action(old_grants), by_action(new_grants)
    for _, g in ipairs(new_grants) do
      local given = false
      for _, o in ipairs(old_by[g.action] or {}) do
        if covers(o, g) then given = true break end
      end
      if not given then entry.added[#entry.added + 1] = g end
    end
    local new_keys = {}
    for _, g in ipairs(new_grants) do new_keys[grant_key(g)] = true end
    for _, o in ipairs(old_grants) do
      if new_keys[grant_key(o)] then
        entry.unchanged = entry.unchanged + 1
      else
        local still = false
        for _, g in ipairs(new_by[o.action] or {}) do
          if covers(g, o) then still = true break end
        end
        if not still then entry.removed[#entry.removed + 1] = o end
      end
    end
    local old_t, new_t = {}, {}
    for _, t in ipairs(old_trust) do old_t[trust_key(t)] = true end
    for _, t in ipairs(new_trust) do
      new_t[trust_key(t)] = true
      if not old_t[trust_key(t)] then entry.trust_added[#entry.trust_added + 1] = t end
    end
    for _, t in ipairs(old_trust) do
      if not new_t[trust_key(t)] then entry.trust_removed[#entry.trust_removed + 1] = t end
    end
    sort_grants(entry.added)
    sort_grants(entry.removed)
    if #entry.added > 0 or #entry.trust_added > 0 then report.new_access = true end
    report.entries[#report.entries + 1] = entry
  end
  return report
end

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
local function compact_service(service, names)
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

-- Compact an action list with wildcards that expand to exactly the same
-- catalog actions.  Patterns and unknown names are kept as written.
local function compact_actions(list)
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
    for _, p in ipairs(compact_service(s, sorted_unique(by_service[s]))) do out[#out + 1] = p end
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
local function merge_by(statements, field)
  local out, groups = {}, {}
  for _, s in ipairs(statements) do
    if s.Effect == "Allow" and s[field] then
      local key = merge_key(s, field)
      local g = groups[key]
      if g then
        for _, v in ipairs(s[field]) do g[field][#g[field] + 1] = v end
        g[field] = sorted_unique(g[field])
      else
        local copy = {}
        for k, v in pairs(s) do copy[k] = v end
        copy[field] = sorted_unique(s[field])
        groups[key] = copy
        out[#out + 1] = copy
      end
    else
      out[#out + 1] = s
    end
  end
  return out
end

-- The set of grants of a document, as keys, for checking that minimize
-- changed nothing.
local function grant_set(doc)
  local set, n = {}, 0
  for _, g in ipairs(statement_grants(doc)) do
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
  for _, s in ipairs(statements) do
    if s.Effect == "Allow" and s.Action then s.Action = compact_actions(s.Action) end
  end
  -- a merged statement keeps its first Sid, dropped if another still has it
  local seen_sid = {}
  for _, s in ipairs(statements) do
    if s.Sid then
      if seen_sid[s.Sid] then s.Sid = nil else seen_sid[s.Sid] = true end
    end
  end
  local out = core.policy_normalize({ Version = doc.Version, Id = doc.Id, Statement = statements })
  local before, nb = grant_set(doc)
  local after, na = grant_set(out)
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
