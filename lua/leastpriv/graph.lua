-- Who can become what: the roles of a set as a graph, as data.
--
--   local g = graph.build(items, { account = "123456789012" })
--   g.nodes = { { id =, kind = "role" | "user" | "group" | "policy" | "principal" | "resource",
--                 label =, group =, escalation = { CODE... } }... }
--   g.edges = { { from =, to =, kind = "trust" | "passrole" | "reach",
--                 label =, escalation = bool }... }
--
-- Trust edges come from each role's trust policy (who may call
-- sts:AssumeRole* on it, with the conditions as the label); passrole edges
-- are decided by the engine: the source's policies allow iam:PassRole on
-- the target role's ARN, passed to each service that the target trusts;
-- reach edges summarise lp.grants (as `leastpriv can` lists it) per
-- resource pattern.  Nodes and edges are sorted, so output is
-- deterministic.  Renderers: leastpriv.graph_render.
local core = require "leastpriv.core"
local simulate = require "leastpriv.simulate"

local M = {}

-- Finding codes whose escalation path the graph highlights.
local ESCALATION = { PRIVILEGE_ESCALATION = true, PASS_ROLE_WITH_STAR_IN_RESOURCE = true,
  PASS_ROLE_WITH_NOTRESOURCE = true, PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE = true,
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE = true,
  PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE = true,
  PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION = true,
  PASS_ROLE_WITHOUT_PASSED_TO_SERVICE = true, PASS_ROLE_TO_UNTRUSTED_SERVICE = true,
  PASS_ROLE_BEYOND_EXECUTION_ROLES = true }
M.ESCALATION = ESCALATION

local function list_of(v)
  if v == nil then return {} end
  if type(v) == "table" then return v end
  return { v }
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- Does the statement's Action (or NotAction) cover some sts:AssumeRole*?
local ASSUME = { "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML" }
local function assume_actions(st)
  local out = {}
  for _, a in ipairs(ASSUME) do
    local hit = false
    if st.Action then
      for _, p in ipairs(list_of(st.Action)) do
        if type(p) == "string" and core.glob_match(p, a, true) then hit = true end
      end
    elseif st.NotAction then
      hit = true
      for _, p in ipairs(list_of(st.NotAction)) do
        if type(p) == "string" and core.glob_match(p, a, true) then hit = false end
      end
    end
    if hit then out[#out + 1] = a:match(":(.*)$") end
  end
  return out
end

local SHORT_OPS = { StringEquals = "=", StringEqualsIgnoreCase = "=", ArnEquals = "=",
  NumericEquals = "=", DateEquals = "=", Bool = "=", StringLike = "like", ArnLike = "like",
  StringNotEquals = "!=", ArnNotEquals = "!=", NumericNotEquals = "!=",
  StringNotLike = "not like", ArnNotLike = "not like" }

-- "key = v1 | v2 and key2 like p" for a Condition block, sorted.
local function condition_text(cond)
  if type(cond) ~= "table" then return nil end
  local parts = {}
  for _, op in ipairs(sorted_keys(cond)) do
    local block = cond[op]
    if type(block) == "table" then
      local base = op:gsub("^ForAllValues:", ""):gsub("^ForAnyValue:", ""):gsub("IfExists$", "")
      local sym = SHORT_OPS[base]
      for _, key in ipairs(sorted_keys(block)) do
        local values = {}
        for i, v in ipairs(list_of(block[key])) do values[i] = tostring(v) end
        local vtext = table.concat(values, " | ")
        parts[#parts + 1] = sym and (tostring(key) .. " " .. sym .. " " .. vtext)
                              or (op .. " " .. tostring(key) .. " " .. vtext)
      end
    end
  end
  if #parts == 0 then return nil end
  return table.concat(parts, " and ")
end
M.condition_text = condition_text

local function is_role(x) return type(x) == "table" and x.kind == "role" end

-- The ARN of a role item: its own (dumps, plans), else built from its path
-- and name in the account of the set.
local function role_arn(item, account, partition)
  if type(item.arn) == "string" then return item.arn end
  if type(item.name) ~= "string" or not account then return nil end
  local path = type(item.path) == "string" and item.path or "/"
  return ("arn:%s:iam::%s:role%s%s"):format(partition or "aws", account, path, item.name)
end

-- build(items, opts) -> graph.  items: roles and policies (as inputs.load
-- gives them, from any number of files); opts.account: the account of
-- roles whose ARN is not known (scripts); opts.max_actions: actions named
-- per reach label (6).
function M.build(items, opts)
  opts = opts or {}
  local max_actions = opts.max_actions or 6
  local nodes, edges, by_key = {}, {}, {}

  local function node(key, kind, label, extra)
    local n = by_key[key]
    if not n then
      n = { key = key, kind = kind, label = label }
      for k, v in pairs(extra or {}) do n[k] = v end
      by_key[key] = n
      nodes[#nodes + 1] = n
    end
    return n
  end
  local function edge(from, to, kind, label, extra)
    local e = { from = from.key, to = to.key, kind = kind, label = label }
    for k, v in pairs(extra or {}) do e[k] = v end
    edges[#edges + 1] = e
    return e
  end

  -- Roles and policies of the set, each a node; role ARNs to nodes.
  local members, arn_index = {}, {}
  for i, item in ipairs(items) do
    if type(item) == "table" then
      local name = item.iam_name or (type(item.name) == "string" and item.name) or ("policy " .. i)
      local m = { item = item, name = name }
      if item.iam_kind == "user" or item.iam_kind == "group" then
        m.node = node(item.iam_kind .. ":" .. (item.arn or name), item.iam_kind, name,
          { path = type(item.path) == "string" and item.path or "/", arn = item.arn })
      elseif is_role(item) then
        m.arn = role_arn(item, opts.account, opts.partition)
        m.node = node("role:" .. (m.arn or name), "role", name,
          { path = type(item.path) == "string" and item.path or "/", arn = m.arn,
            tags = type(item.tags) == "table" and item.tags or nil })
        if m.arn then arn_index[m.arn] = m.node end
      else
        m.node = node("policy:" .. name, "policy", name)
      end
      members[#members + 1] = m
    end
  end

  -- Escalation findings that check reports, per member.
  local validate = require "leastpriv.validate"
  for _, m in ipairs(members) do
    local ok, findings = pcall(validate.validate, m.item)
    local codes = {}
    for _, f in ipairs(ok and findings or {}) do
      if ESCALATION[f.code] then codes[f.code] = true end
    end
    if next(codes) then m.node.escalation = sorted_keys(codes) end
  end

  -- Trust: who may assume each role.
  local trusted_services = {}
  for _, m in ipairs(members) do
    local trust = is_role(m.item) and m.item.trust
    trusted_services[m] = {}
    for _, st in ipairs(type(trust) == "table" and list_of(trust.Statement) or {}) do
      local acts = type(st) == "table" and st.Effect == "Allow" and assume_actions(st) or {}
      if #acts > 0 then
        local label = table.concat(acts, ", ")
        local cond = condition_text(st.Condition)
        if cond then label = label .. " if " .. cond end
        local principals = {}
        if st.Principal == "*" then
          principals[1] = node("principal:*", "principal", "anyone (*)")
        elseif type(st.Principal) == "table" then
          for _, kind in ipairs(sorted_keys(st.Principal)) do
            for _, p in ipairs(list_of(st.Principal[kind])) do
              p = tostring(p)
              if kind == "Service" then trusted_services[m][#trusted_services[m] + 1] = p end
              principals[#principals + 1] = arn_index[p]
                or node("principal:" .. kind .. ":" .. p, "principal",
                        (kind == "AWS" and (p == "*" and "anyone (*)" or p)) or (kind:lower() .. ": " .. p))
            end
          end
        elseif type(st.NotPrincipal) == "table" then
          local except = {}
          for _, kind in ipairs(sorted_keys(st.NotPrincipal)) do
            for _, p in ipairs(list_of(st.NotPrincipal[kind])) do except[#except + 1] = tostring(p) end
          end
          principals[1] = node("principal:not:" .. table.concat(except, ","), "principal",
            "anyone except " .. table.concat(except, ", "))
        end
        for _, p in ipairs(principals) do edge(p, m.node, "trust", label) end
      end
    end
    table.sort(trusted_services[m])
  end

  -- Each member's grants (lp.grants), once: the reach edges, and which
  -- role ARNs its iam:PassRole grants can match at all.
  for _, m in ipairs(members) do
    local ok, grants = pcall(simulate.grants, m.item)
    m.grants = ok and grants or {}
    m.pass_patterns = {}
    for _, g in ipairs(m.grants) do
      if g.action == "iam:PassRole" then m.pass_patterns[#m.pass_patterns + 1] = g end
    end
  end
  local function may_pass(src, arn)
    for _, g in ipairs(src.pass_patterns) do
      if g.except then
        local excluded = false
        for _, e in ipairs(g.except) do if core.arn_match(e, arn) then excluded = true end end
        if not excluded then return true end
      elseif g.resource == "*" or core.arn_match(g.resource, arn) then
        return true
      end
    end
    return false
  end

  -- PassRole: decided by the engine, per target role and each service the
  -- target trusts (a target that trusts no service: without the key); only
  -- for targets some iam:PassRole grant of the source can reach, so that a
  -- large set costs what its PassRole grants cost, not its size squared.
  local OTHER = { ["iam:PassedToService"] = "another-service.amazonaws.com" }
  for _, src in ipairs(members) do
    local compiled = #src.pass_patterns > 0 and simulate.compile(src.item)
    for _, dst in ipairs(compiled and members or {}) do
      if dst ~= src and dst.arn and may_pass(src, dst.arn) then
        local services, passed = trusted_services[dst], {}
        local function allows(context)
          return compiled:decide({ action = "iam:PassRole", resource = dst.arn, context = context }) == "allow"
        end
        for _, svc in ipairs(services) do
          if allows({ ["iam:PassedToService"] = svc }) then passed[#passed + 1] = svc end
        end
        if #passed > 0 or (#services == 0 and allows(nil)) then
          local any = allows(OTHER)
          local label = (any or #passed == 0) and "iam:PassRole" or
            ("iam:PassRole to " .. table.concat(passed, ", "))
          if any and #services > 0 then label = "iam:PassRole to any service" end
          edge(src.node, dst.node, "passrole", label,
            { services = passed, any_service = any, escalation = src.node.escalation ~= nil })
        end
      end
    end
  end

  -- Reach: the grants per resource pattern (conditional ones apart),
  -- services and actions in order.  A pattern that is a role of the set
  -- is that role's node; iam:PassRole on it is already a passrole edge.
  for _, m in ipairs(members) do
    local per, order = {}, {}
    for _, g in ipairs(m.grants) do
      local where = g.except and ("* except " .. table.concat(g.except, ", ")) or g.resource
      local member = arn_index[where]
      if not (member and g.action == "iam:PassRole") then
        local key = where .. (g.conditional and "\0if" or "")
        local r = per[key]
        if not r then
          r = { where = where, actions = {}, conditional = g.conditional, member = member }
          per[key] = r
          order[#order + 1] = key
        end
        r.actions[#r.actions + 1] = g.action
      end
    end
    table.sort(order)
    for _, key in ipairs(order) do
      local r = per[key]
      local by_service, services = {}, {}
      for _, a in ipairs(r.actions) do
        local svc, name = a:match("^([^:]+):(.*)$")
        if not by_service[svc] then by_service[svc] = {}; services[#services + 1] = svc end
        local list = by_service[svc]
        list[#list + 1] = name
      end
      local parts, shown = {}, 0
      for _, svc in ipairs(services) do
        local keep = {}
        for _, n in ipairs(by_service[svc]) do
          if shown < max_actions then keep[#keep + 1] = n; shown = shown + 1 end
        end
        if #keep > 0 then parts[#parts + 1] = svc .. ": " .. table.concat(keep, ", ") end
      end
      local label = table.concat(parts, " + ")
      if #r.actions > shown then label = label .. (" (+%d more)"):format(#r.actions - shown) end
      if r.conditional then label = label .. " (if conditions hold)" end
      local target = r.member or node("resource:" .. r.where, "resource",
        r.where == "*" and "any resource (*)" or r.where)
      edge(m.node, target, "reach", label, { actions = r.actions, conditional = r.conditional })
    end
  end

  -- Deterministic ids: nodes sorted by kind then label then key.
  local rank = { principal = 1, user = 2, group = 3, role = 4, policy = 5, resource = 6 }
  table.sort(nodes, function(a, b)
    if a.kind ~= b.kind then return rank[a.kind] < rank[b.kind] end
    if a.label ~= b.label then return a.label < b.label end
    return a.key < b.key
  end)
  local id_of = {}
  for i, n in ipairs(nodes) do
    n.id = "n" .. i
    id_of[n.key] = n.id
  end
  local erank = { trust = 1, passrole = 2, reach = 3 }
  for _, e in ipairs(edges) do e.from, e.to = id_of[e.from], id_of[e.to] end
  table.sort(edges, function(a, b)
    if a.kind ~= b.kind then return erank[a.kind] < erank[b.kind] end
    local fa, fb = tonumber(a.from:sub(2)), tonumber(b.from:sub(2))
    if fa ~= fb then return fa < fb end
    local ta, tb = tonumber(a.to:sub(2)), tonumber(b.to:sub(2))
    if ta ~= tb then return ta < tb end
    return a.label < b.label
  end)
  return { nodes = nodes, edges = edges }
end

return M
