-- leastpriv diff's analysis: what NEW allows that OLD did not, by what the
-- policies allow, not by their text.
--
-- Each side is read as grants: every catalog action an Allow statement
-- allows, on each resource pattern of the statement that can apply to it,
-- with the statement's condition (leastpriv.simulate's grants; an
-- unconditional Deny of the document removes what it denies).  A grant of
-- NEW is given by OLD when a grant of OLD has its action, a resource
-- pattern that contains its pattern (core.arn_contains), and a condition
-- that NEW's condition implies (analysis.implies), or when each part of
-- NEW's condition (split on the values of a positive operator) is so given
-- by one grant of OLD.  Otherwise it is
--   added     when the engine allows a concrete request under NEW and not
--             under OLD (found by analysis.counterexample, kept with it);
--   unproven  when no such request is found ("conditions changed, not
--             proven narrower"): never reported as safe, never as proven new.
-- Deny statements are read the same way: a Deny of OLD that NEW no longer
-- has (removed, narrowed, or under a condition OLD's does not imply) is
-- new access when a request is found that OLD denies explicitly and NEW
-- does not; unproven otherwise.  A Deny added by NEW is not new access.
--
-- Cost: grants are computed once per distinct condition of a document;
-- each grant is looked up by action, then by the literal prefix of its
-- resource pattern (a pattern can contain only patterns that start with
-- its prefix), so a diff grows about as n log n in statements, plus the
-- work on what did change.
local core = require "leastpriv.core"
local simulate = require "leastpriv.simulate"
local implies = require "leastpriv.analysis.implies"
local counterexample = require "leastpriv.analysis.counterexample"

local M = {}

-- Canonical text of a condition block ("" for none), for comparing them.
local function condition_key(c)
  if c == nil or next(c) == nil then return "" end
  return core.json_encode(c, { compact = true })
end
M.condition_key = condition_key

local function strip(s, effect)
  local plain = {}
  for k, v in pairs(s) do plain[k] = v end
  plain.Condition = nil
  plain.Effect = effect or plain.Effect
  return plain
end

local function matches_any(patterns, s)
  for _, p in ipairs(patterns or {}) do
    if core.glob_match(p, s, true) then return true end
  end
  return false
end

-- A function (action, resource pattern) -> is it removed by one of the
-- document's unconditional Denies (one whose pattern contains the whole
-- grant pattern)?  Each action's Denies are found once.
local function deny_filter(doc)
  local denies = {}
  for _, s in ipairs(doc.Statement or {}) do
    if s.Effect == "Deny" and not s.Condition and s.Resource then denies[#denies + 1] = s end
  end
  if #denies == 0 then return function() return false end end
  local of = {}
  return function(action, resource)
    local list = of[action]
    if not list then
      list = {}
      for _, st in ipairs(denies) do
        if st.Action and matches_any(st.Action, action)
            or (st.NotAction and not matches_any(st.NotAction, action)) then
          list[#list + 1] = st
        end
      end
      of[action] = list
    end
    for _, st in ipairs(list) do
      for _, p in ipairs(st.Resource) do
        if core.arn_contains(p, resource) then return true end
      end
    end
    return false
  end
end

-- grants(doc, effect) -> list of { action, resource, except, condition,
-- cond, sid }: the grants of the document's statements of that effect
-- ("Allow": less what its unconditional Denies remove; "Deny": what each
-- Deny statement denies, read as if it allowed it).  One call of the
-- engine's grants per distinct condition, on that condition's statements
-- alone: the Denies are applied here, once per action, so the cost stays
-- linear however many conditions and Denies there are.  memo: shared by
-- the calls of one diff or minimize (simulate.grants' applies_memo).
function M.grants(doc, effect, memo)
  effect = effect or "Allow"
  local groups, order = {}, {}
  for _, s in ipairs(doc.Statement or {}) do
    if s.Effect == effect then
      local key = condition_key(s.Condition)
      if not groups[key] then
        groups[key] = { cond = s.Condition, statements = {} }
        order[#order + 1] = key
      end
      table.insert(groups[key].statements, strip(s, "Allow"))
    end
  end
  local denied = effect == "Allow" and deny_filter(doc) or function() return false end
  local out = {}
  for _, key in ipairs(order) do
    local g = groups[key]
    for _, gr in ipairs(simulate.grants({ Version = doc.Version, Statement = g.statements },
                                        { applies_memo = memo })) do
      if not denied(gr.action, gr.resource) then
        out[#out + 1] = { action = gr.action, resource = gr.resource, except = gr.except,
                          condition = key, cond = g.cond, sid = gr.sid }
      end
    end
  end
  return out
end

-- The identity documents of an item (a role's inline policies, a managed
-- policy, a document), each named for the report.
local function documents(item)
  if item.kind == "role" then
    local docs = {}
    for _, p in ipairs(item.policies or {}) do docs[#docs + 1] = { name = p.name, doc = p.document } end
    return docs
  elseif item.kind == "policy" then
    return { { name = item.name, doc = item.document } }
  end
  return { { name = "policy", doc = item } }
end

function M.item_name(item, i)
  if item.address then return item.name end        -- a Terraform address or IAM name
  if item.kind == "role" then return "role " .. item.name end
  if item.kind == "policy" then return "policy " .. item.name end
  return i == 1 and "document" or ("document " .. i)
end

-- Allow grants, Deny grants and trust tuples of an item.
local function read_item(item, memo)
  local allows, denies = {}, {}
  for _, d in ipairs(documents(item)) do
    for _, g in ipairs(M.grants(d.doc, "Allow", memo)) do g.policy = d.name; allows[#allows + 1] = g end
    for _, g in ipairs(M.grants(d.doc, "Deny", memo)) do g.policy = d.name; denies[#denies + 1] = g end
  end
  local trust = {}
  if item.kind == "role" and item.trust then
    for _, s in ipairs(item.trust.Statement) do
      if s.Effect == "Allow" then
        local who = s.Principal == "*" and { ["*"] = { "*" } } or s.Principal or {}
        local kinds = {}
        for kind in pairs(who) do kinds[#kinds + 1] = kind end
        table.sort(kinds)
        for _, kind in ipairs(kinds) do
          local ids = who[kind]
          if type(ids) ~= "table" then ids = { ids } end
          for _, id in ipairs(ids) do
            for _, a in ipairs(s.Action or { "*" }) do
              trust[#trust + 1] = { principal = kind .. ":" .. id, action = a,
                                    condition = condition_key(s.Condition), cond = s.Condition }
            end
          end
        end
      end
    end
  end
  return allows, denies, trust
end

local function except_key(g)
  return g.except and table.concat(g.except, "\0") or ""
end

local function grant_key(g)
  return table.concat({ g.action, g.resource, except_key(g), g.condition }, "\0")
end
M.grant_key = grant_key

-- ---- the index: by action, then by the literal prefix of the pattern ----

local function literal_prefix(pattern)
  local i = pattern:find("[%*%?]") or (#pattern + 1)
  -- policy variables are values, not literals: the prefix stops there too
  local v = pattern:find("${", 1, true)
  if v and v < i then i = v end
  return pattern:sub(1, i - 1):lower()
end

local function build_index(grants)
  local idx = {}
  for _, g in ipairs(grants) do
    local a = idx[g.action]
    if not a then a = { buckets = {}, lengths = {}, seen = {} }; idx[g.action] = a end
    local p = literal_prefix(g.resource)
    local b = a.buckets[p]
    if not b then b = {}; a.buckets[p] = b end
    b[#b + 1] = g
    if not a.seen[#p] then a.seen[#p] = true; a.lengths[#a.lengths + 1] = #p end
  end
  for _, a in pairs(idx) do table.sort(a.lengths) end
  return idx
end

-- Does grant o's resource (and NotResource) give everything of g's?
local function resource_covers(o, g)
  if o.except then
    -- NotResource: the same exceptions, or o excepts nothing g can reach
    if not g.except then
      for _, e in ipairs(o.except) do
        if implies.may_meet(e, g.resource) then return false end
      end
      return o.resource == "*" or core.arn_contains(o.resource, g.resource)
    end
    return except_key(o) == except_key(g) and o.resource == g.resource
  end
  if g.except then return o.resource == "*" end
  return o.resource == g.resource or core.arn_contains(o.resource, g.resource)
end

-- The grants of idx with g's action whose resource covers g's.
local function candidates(idx, g)
  local a = idx[g.action]
  local out = {}
  if not a then return out end
  local p = literal_prefix(g.resource)
  for _, len in ipairs(a.lengths) do
    if len > #p then break end
    local b = a.buckets[p:sub(1, len)]
    if b then
      for _, o in ipairs(b) do
        if resource_covers(o, g) then out[#out + 1] = o end
      end
    end
  end
  return out
end

local MAX_IMPLICATIONS = 256
-- requests of an entry searched with concrete ARNs first (then "*" first
-- for grants on "*": a concrete ARN's types cost ~0.3 ms)
local CONCRETE = 64

-- Is g given by one of the candidates, or each part of its condition by one?
local function given(g, cands)
  if #cands == 0 then return false end
  for _, o in ipairs(cands) do
    if o.condition == "" or o.condition == g.condition then return true end
  end
  for i, o in ipairs(cands) do
    if i > MAX_IMPLICATIONS then break end
    if implies.implies(g.cond, o.cond) == "yes" then return true end
  end
  local parts = implies.split(g.cond)
  if #parts < 2 then return false end
  for _, part in ipairs(parts) do
    local ok = false
    for i, o in ipairs(cands) do
      if i > MAX_IMPLICATIONS then break end
      if implies.implies(part, o.cond) == "yes" then ok = true break end
    end
    if not ok then return false end
  end
  return true
end

local function sort_grants(list)
  table.sort(list, function(a, b)
    if a.action ~= b.action then return a.action < b.action end
    if a.resource ~= b.resource then return a.resource < b.resource end
    if except_key(a) ~= except_key(b) then return except_key(a) < except_key(b) end
    return a.condition < b.condition
  end)
  return list
end

-- Conditions of the Denies of idx that can remove g (same action; a
-- resource pattern that meets g's).
local function deny_obstacles(deny_list, g)
  local out = {}
  for _, d in ipairs(deny_list) do
    if #out >= 16 then break end
    if d.action == g.action and d.cond and
        (d.resource == "*" or g.resource == "*" or implies.may_meet(d.resource, g.resource)) then
      out[#out + 1] = d.cond
    end
  end
  return out
end

-- Actions AWS allows with no policy at all (the engine's own rules, e.g.
-- sts:GetCallerIdentity: "No permissions are required to perform this
-- operation"), asked of the engine once per action.
local no_permission = {}
local EMPTY = { Version = "2012-10-17", Statement = { { Effect = "Deny", NotAction = "*", Resource = "*" } } }
local function needs_no_permission(action)
  local v = no_permission[action]
  if v == nil then
    local ok, decision = pcall(require("leastpriv.simulate").simulate,
      { action = action, resource = "*" }, EMPTY)
    v = ok and decision == "allow"
    no_permission[action] = v
  end
  return v
end

local function compare(name, old_item, new_item)
  local old_allows, old_denies, old_trust = {}, {}, {}
  local new_allows, new_denies, new_trust = {}, {}, {}
  local memo = {}
  if old_item then old_allows, old_denies, old_trust = read_item(old_item, memo) end
  if new_item then new_allows, new_denies, new_trust = read_item(new_item, memo) end
  local entry = { name = name, added = {}, unproven = {}, removed = {}, unchanged = 0,
                  deny_removed = {}, deny_unproven = {},
                  trust_added = {}, trust_unproven = {}, trust_removed = {},
                  only_old = new_item == nil, only_new = old_item == nil,
                  unknown = new_item and new_item.unknown or nil }

  -- Allow grants of NEW against OLD
  local searched = 0
  local old_keys = {}
  for _, o in ipairs(old_allows) do old_keys[grant_key(o)] = true end
  local old_idx = build_index(old_allows)
  local new_deny_by_action
  for _, g in ipairs(new_allows) do
    if needs_no_permission(g.action) then
      -- AWS allows it whatever the policies say (sts:GetCallerIdentity):
      -- granting it gives nothing new
      entry.unchanged = entry.unchanged + 1
    elseif old_keys[grant_key(g)] then
      entry.unchanged = entry.unchanged + 1
    else
      local cands = candidates(old_idx, g)
      if not given(g, cands) then
        if not new_deny_by_action then
          new_deny_by_action = {}
          for _, d in ipairs(new_denies) do
            new_deny_by_action[d.action] = new_deny_by_action[d.action] or {}
            table.insert(new_deny_by_action[d.action], d)
          end
        end
        local obstacles = {}
        for _, o in ipairs(cands) do obstacles[#obstacles + 1] = o.cond end
        for _, c in ipairs(deny_obstacles(new_deny_by_action[g.action] or {}, g)) do
          obstacles[#obstacles + 1] = c
        end
        searched = searched + 1
        local cx = counterexample.for_grant(g, old_item, new_item, obstacles, searched > CONCRETE)
        if cx then
          g.counterexample = cx
          entry.added[#entry.added + 1] = g
        else
          g.reason = #cands > 0 and "conditions changed, not proven narrower"
            or "not given by OLD, but no request was found that NEW allows and OLD denies"
          entry.unproven[#entry.unproven + 1] = g
        end
      end
    end
  end

  -- what OLD gave that NEW no longer gives (for the reader; not a gate)
  local new_keys = {}
  for _, g in ipairs(new_allows) do new_keys[grant_key(g)] = true end
  local new_idx = build_index(new_allows)
  for _, o in ipairs(old_allows) do
    if not new_keys[grant_key(o)] and not given(o, candidates(new_idx, o)) then
      entry.removed[#entry.removed + 1] = o
    end
  end

  -- Deny grants of OLD against NEW: whenever OLD's Deny applied, NEW's must
  local new_deny_keys = {}
  for _, d in ipairs(new_denies) do new_deny_keys[grant_key(d)] = true end
  local new_deny_idx = build_index(new_denies)
  for _, d in ipairs(old_denies) do
    if not new_deny_keys[grant_key(d)] then
      local cands = candidates(new_deny_idx, d)
      local kept = false
      for _, n in ipairs(cands) do
        if n.condition == "" or n.condition == d.condition or implies.implies(d.cond, n.cond) == "yes" then
          kept = true
          break
        end
      end
      if not kept then
        local obstacles = {}
        for _, n in ipairs(cands) do obstacles[#obstacles + 1] = n.cond end
        searched = searched + 1
        local cx = counterexample.for_deny(d, old_item, new_item, obstacles, searched > CONCRETE)
        if cx then
          d.counterexample = cx
          entry.deny_removed[#entry.deny_removed + 1] = d
        else
          d.reason = "Deny changed, not proven to deny as much"
          entry.deny_unproven[#entry.deny_unproven + 1] = d
        end
      end
    end
  end

  -- trust: who may assume the role, under which condition
  local old_by = {}
  for _, t in ipairs(old_trust) do
    local k = t.principal .. "\0" .. t.action
    old_by[k] = old_by[k] or {}
    table.insert(old_by[k], t)
  end
  local new_by = {}
  for _, t in ipairs(new_trust) do
    local k = t.principal .. "\0" .. t.action
    new_by[k] = new_by[k] or {}
    table.insert(new_by[k], t)
  end
  local function trust_given(t, list)
    for _, o in ipairs(list or {}) do
      if o.condition == "" or o.condition == t.condition or implies.implies(t.cond, o.cond) == "yes" then
        return true
      end
    end
    return false
  end
  for _, t in ipairs(new_trust) do
    local list = old_by[t.principal .. "\0" .. t.action]
    if not trust_given(t, list) then
      -- new access only with a request that NEW's trust allows and OLD's
      -- denies, decided by the engine on both sides
      local obstacles = {}
      for _, o in ipairs(list or {}) do obstacles[#obstacles + 1] = o.cond end
      local cx = counterexample.for_trust(t, old_item, new_item, obstacles, new_item.arn)
      if cx then
        t.counterexample = cx
        entry.trust_added[#entry.trust_added + 1] = t
      else
        t.reason = list and "conditions changed, not proven narrower"
          or "not in OLD's trust, but no request was found that NEW's trust allows and OLD's denies"
        entry.trust_unproven[#entry.trust_unproven + 1] = t
      end
    end
  end
  for _, t in ipairs(old_trust) do
    if not trust_given(t, new_by[t.principal .. "\0" .. t.action]) then
      entry.trust_removed[#entry.trust_removed + 1] = t
    end
  end

  sort_grants(entry.added)
  sort_grants(entry.unproven)
  sort_grants(entry.removed)
  sort_grants(entry.deny_removed)
  sort_grants(entry.deny_unproven)
  return entry
end

-- diff(old_items, new_items) -> report { entries = { entry... },
-- new_access = bool, unproven = bool, possibly_new = bool }.
-- Items are paired by name (item_name).  An entry has added, unproven,
-- removed, deny_removed, deny_unproven, trust_added, trust_unproven,
-- trust_removed, unchanged (a count), only_old, only_new, and unknown
-- (what NEW cannot know yet: an item's `unknown` field, e.g. a policy
-- known only after apply; it counts as possibly new access).
function M.diff(old_items, new_items)
  local function index(items)
    local map, order = {}, {}
    for i, item in ipairs(items) do
      local name = M.item_name(item, i)
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

  local report = { entries = {}, new_access = false, unproven = false, possibly_new = false }
  for _, name in ipairs(names) do
    local entry = compare(name, old_map[name], new_map[name])
    if #entry.added > 0 or #entry.trust_added > 0 or #entry.deny_removed > 0 then
      report.new_access = true
    end
    if #entry.unproven > 0 or #entry.deny_unproven > 0 or #entry.trust_unproven > 0 then
      report.unproven = true
    end
    if entry.unknown then report.possibly_new = true end
    entry.old_item, entry.new_item = old_map[name], new_map[name]
    report.entries[#report.entries + 1] = entry
  end
  return report
end

return M
