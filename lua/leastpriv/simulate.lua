-- Simulating requests: lp.compile, lp.simulate, lp.effective, lp.grants.
--
--   local decision, why = lp.simulate({ action = "s3:GetObject",
--     resource = "arn:aws:s3:::data/in/x", context = { ["aws:SourceIp"] = "10.0.0.1" } },
--     role, { explain = true })
--
-- The C core (csrc/eval.c) compiles policies once into a leastpriv.Policy;
-- lp.simulate caches that per table (weakly), so repeated calls only
-- evaluate.  See docs/simulation.md for the semantics.
local core = require "leastpriv.core"
local policy = require "leastpriv.policy"
local template = require "leastpriv.template"

local M = {}

local GROUPS = { identity = true, resource = true, boundary = true, session = true, trust = true,
                 caller = true, scp = true, rcp = true, role = true, federation = true,
                 managed = true, caller_boundary = true, caller_session = true,
                 endpoint = true }

local POLICY_MT = debug.getregistry()["leastpriv.Policy"]

local function is_compiled(x)
  return getmetatable(x) == POLICY_MT
end
M.is_compiled = is_compiled

local function fill(doc, opts)
  local has = false
  local function scan(v)
    if has then return end
    if type(v) == "string" then has = template.has_placeholder(v)
    elseif type(v) == "table" then for k, item in pairs(v) do scan(k); scan(item) end end
  end
  scan(doc)
  if not has then return doc end
  return template.substitute(doc, opts.vars or {}, opts.declared or template.declared())
end

-- One document entry { name =, document = } from a document, a managed
-- policy or an entry.
local function entry(x, name, opts, where)
  if type(x) ~= "table" then error(where .. ": expected a policy document", 0) end
  if x.kind == "policy" then name, x = x.name or name, x.document
  elseif x.document ~= nil and x.Statement == nil then name, x = x.name or name, x.document end
  if type(x) ~= "table" or x.kind == "role" then error(where .. ": expected a policy document", 0) end
  local doc = policy.normalize(fill(x, opts), "lp.compile: " .. where)
  return { name = name, document = doc }
end

local function is_list(t)
  return type(t) == "table" and t[1] ~= nil
end

-- A list of entries from a document, a list of them, or a map name -> document.
local function entries(x, kind, opts)
  local out = {}
  if type(x) ~= "table" then error(("lp.compile: %s must be a policy or a list of policies"):format(kind), 0) end
  if x.Statement or x.kind == "policy" or x.document then
    out[1] = entry(x, kind, opts, kind)
  elseif is_list(x) then
    for i, d in ipairs(x) do out[i] = entry(d, ("%s %d"):format(kind, i), opts, ("%s[%d]"):format(kind, i)) end
  else
    local names = {}
    for k in pairs(x) do names[#names + 1] = tostring(k) end
    table.sort(names)
    for _, k in ipairs(names) do out[#out + 1] = entry(x[k], k, opts, kind .. "." .. k) end
  end
  return out
end

-- Organisation levels: a list of levels, each a policy or list of policies.
local function levels(x, kind, opts)
  if type(x) ~= "table" then error(("lp.compile: %s must be a list of levels"):format(kind), 0) end
  if x.Statement or x.kind == "policy" then x = { x } end
  local out = {}
  for i, level in ipairs(x) do
    local list = entries(level, ("%s level %d"):format(kind, i), opts)
    out[i] = list
  end
  return out
end

-- Add the role's policies to spec.
local function add_role(spec, role, opts)
  spec.identity = spec.identity or {}
  for _, p in ipairs(role.policies or {}) do
    spec.identity[#spec.identity + 1] = entry(p.document, p.name, opts, "policy " .. p.name)
  end
  local managed = opts.managed or {}
  for _, arn in ipairs(role.managed_policy_arns or {}) do
    if managed[arn] then spec.identity[#spec.identity + 1] = entry(managed[arn], arn, opts, arn) end
  end
  if role.trust then spec.trust = { entry(role.trust, "trust", opts, "trust") } end
  if role.permissions_boundary and managed[role.permissions_boundary] and not spec.boundary then
    spec.boundary = { entry(managed[role.permissions_boundary], role.permissions_boundary, opts,
                            "permissions boundary") }
  end
end

local function build_spec(x, opts)
  local spec = {}
  if x.kind == "role" then
    add_role(spec, x, opts)
  elseif x.kind == "policy" or x.Statement then
    spec.identity = { entry(x, x.name or "policy", opts, "policy") }
  elseif is_list(x) then
    spec.identity = entries(x, "identity", opts)
  else
    for k in pairs(x) do
      if not GROUPS[k] then
        local names = {}
        for g in pairs(GROUPS) do names[#names + 1] = g end
        table.sort(names)
        error(("lp.compile: unknown policy group '%s'%s"):format(tostring(k),
          require("leastpriv.util").did_you_mean(tostring(k), names)), 0)
      end
    end
    if x.role then add_role(spec, x.role, opts) end
    for _, g in ipairs { "identity", "resource", "boundary", "session", "trust", "caller",
                         "caller_boundary", "caller_session", "endpoint" } do
      if x[g] then
        local list = entries(x[g], g, opts)
        if spec[g] then for _, e in ipairs(list) do spec[g][#spec[g] + 1] = e end
        else spec[g] = list end
      end
    end
    if x.scp then spec.scp = levels(x.scp, "scp", opts) end
    if x.rcp then spec.rcp = levels(x.rcp, "rcp", opts) end
    spec.federation = x.federation and true or nil
  end
  return spec
end

-- spec(x [, opts]) -> the groups of x as canonical documents:
-- { identity = { { name =, document = } }, ..., scp = { level... } }.
M.spec = build_spec

-- with_groups(x, extra) -> x (a role, a document, a list of documents or
-- a table of groups) with the groups of extra added (endpoint = ...,
-- caller_boundary = ...): a new table of groups; x is not changed.
function M.with_groups(x, extra)
  if is_compiled(x) then error("lp.with_groups: pass the policies, not a compiled Policy", 2) end
  if type(x) ~= "table" then error("lp.with_groups takes a role, a policy or a table of policy groups", 2) end
  local out = {}
  if x.kind == "role" then out.role = x
  elseif x.kind == "policy" or x.Statement or is_list(x) then out.identity = x
  else for k, v in pairs(x) do out[k] = v end end
  for k, v in pairs(extra or {}) do
    if out[k] ~= nil then error(("lp.with_groups: the policies already have a %s group"):format(k), 2) end
    out[k] = v
  end
  return out
end

-- compile(x [, opts]) -> Policy | nil, err.  x: a role, a document, a
-- managed policy, a list of documents, or { identity =, resource =,
-- boundary =, session =, trust =, caller =, caller_boundary =,
-- caller_session =, endpoint =, scp = {levels}, rcp =, role = }.
-- opts: vars (values for lp.var placeholders), managed (ARN -> document).
function M.compile(x, opts)
  if is_compiled(x) then return x end
  if type(x) ~= "table" then error("lp.compile takes a role, a policy or a table of policy groups", 2) end
  opts = opts or {}
  local ok, res = pcall(function() return core.eval_compile(build_spec(x, opts)) end)
  if not ok then return nil, (tostring(res):gsub("^[^\n]-%.lua:%d+: ", "")) end
  return res
end

local cache = setmetatable({}, { __mode = "k" })

-- The compiled form of x, compiled once per table; raises on bad policies.
local function compiled(x, level)
  if is_compiled(x) then return x end
  local p = cache[x]
  if p then return p end
  if type(x) ~= "table" then
    error("lp.simulate: policies must be a role, a policy or a table of policy groups", level + 1)
  end
  local err
  p, err = M.compile(x)
  if not p then error("lp.simulate: " .. err, level + 1) end
  cache[x] = p
  return p
end
M.compiled = compiled

local function show(v)
  if type(v) == "table" then
    local parts = {}
    for i, s in ipairs(v) do parts[i] = ("%q"):format(s) end
    return "{ " .. table.concat(parts, ", ") .. " }"
  end
  return ("%q"):format(tostring(v))
end

-- Why a condition failed, in words.
local function condition_words(c)
  local values = {}
  for i, v in ipairs(c.values) do values[i] = ("%q"):format(v) end
  local want = table.concat(values, " or ")
  local head = ("%s %s"):format(c.operator, c.key)
  if c.unresolved then
    return ("%s: a policy variable in %s has no value in the request"):format(head, want)
  end
  if not c.present then
    return ("%s: %s is absent from the request (policy wants %s)"):format(head, c.key, want)
  end
  return ("%s: request has %s, policy wants %s"):format(head, show(c.request), want)
end

local RESULT_WORDS = {
  match = "applies", resource = "resource does not match", principal = "principal not named",
}

-- The explanation as text lines.
function M.explain_text(e, request)
  local lines = {}
  local head = e.decision
  if request then
    head = ("%s: %s on %s"):format(e.decision, request.action, request.resource or "*")
    if request.principal then head = head .. (" by %s"):format(
      type(request.principal) == "table" and show(next(request.principal) and
        select(2, next(request.principal))) or request.principal) end
  end
  lines[1] = head
  if e.invalid then lines[#lines + 1] = "  invalid request: " .. e.invalid end
  if e.reason then lines[#lines + 1] = "  reason: " .. e.reason end
  if e.refused then lines[#lines + 1] = "  refused by AWS whatever the policies say: " .. e.refused.source end
  if e.assumed then lines[#lines + 1] = "  assumed: " .. e.assumed end
  for _, s in ipairs(e.statements or {}) do
    local where = ("%s %s"):format(s.kind, s.policy)
    if s.level then where = ("%s (level %d)"):format(where, s.level) end
    local name = ("statement %d%s (%s)"):format(s.index, s.sid and (" " .. s.sid) or "", s.effect)
    local what = s.condition and ("condition fails: " .. condition_words(s.condition))
      or RESULT_WORDS[s.result] or s.result
    if s.principal_match and s.principal_match ~= "direct" then
      what = what .. (" (names the %s)"):format(s.principal_match)
    end
    lines[#lines + 1] = ("  %s, %s: %s"):format(where, name, what)
  end
  if e.statements and #e.statements == 0 and not e.invalid and e.decided_by ~= "aws" then
    lines[#lines + 1] = "  no statement covers this action"
  end
  return table.concat(lines, "\n")
end

-- simulate(request, policies [, opts]) -> decision [, explanation].
-- opts.explain: return the explanation (with .text).  opts.discover: keys
-- absent from the context are unknowns; the decision is "allow" (always),
-- the plain deny (never) or "conditional", and explanation.condition the
-- condition for an Allow in words (lua/leastpriv/discover.lua).  An invalid request
-- (e.g. a specific ARN for a wildcard-only action) always returns one.
-- opts.strict: raise instead on a request AWS could never send (an action
-- not in the catalog, a malformed ARN or one of a type the action does not
-- act on, an unknown context key: see leastpriv/strict.lua).
function M.simulate(request, x, opts)
  local p = compiled(x, 2)
  if type(request) ~= "table" then error("lp.simulate: the request must be a table", 2) end
  local strict = opts ~= nil and opts.strict and require("leastpriv.strict")
  if strict then
    local problem = strict.request_problem(request)
    if problem then error("lp.simulate: " .. problem, 2) end
  end
  if opts ~= nil and opts.discover then     -- unknown keys: the condition for an Allow
    local ok, d, e = pcall(require("leastpriv.discover").discover, request, x, p)
    if not ok then error((tostring(d):gsub("^[^\n]-%.lua:%d+: ", "")), 2) end
    return d, e
  end
  local explain = opts ~= nil and opts.explain
  local ok, d, e = pcall(p.decide, p, request, explain)
  if not ok then error("lp.simulate: " .. tostring(d):gsub("^[^\n]-%.lua:%d+: ", ""), 2) end
  if strict then   -- the engine's explanation of an invalid request comes even unasked
    local problem = strict.invalid_problem(request, e)
    if problem then error("lp.simulate: " .. problem, 2) end
  end
  if e then e.text = M.explain_text(e, request) end
  return d, e
end

-- load(path [, vars]) -> first item, all items of a role script, with
-- its lp.var inputs filled from vars, else their declared defaults.
-- Raises "path:line: message" like the CLI.
function M.load(path, vars)
  local items, decls = require("leastpriv.script").load(path)
  local filled = {}
  for i, item in ipairs(items) do
    local ok, res = pcall(template.substitute, item, vars or {}, decls)
    if not ok then error(path .. ": " .. tostring(res), 2) end
    filled[i] = res
  end
  return filled[1], filled
end

-- effective(policies, resource [, context [, request]]) -> sorted list of
-- every catalog action allowed on resource ("*" or an ARN) with that
-- context; or nil, err.  request may add principal, resource_account.
function M.effective(x, resource, context, request)
  local p = compiled(x, 2)
  if type(resource) ~= "string" then error("lp.effective: resource must be an ARN or \"*\"", 2) end
  if context ~= nil and type(context) ~= "table" then error("lp.effective: context must be a table", 2) end
  local req = { resource = resource, context = context }
  for k, v in pairs(request or {}) do if k ~= "action" and k ~= "resource" then req[k] = v end end
  local ok, list, err = pcall(p.effective, p, req)
  if not ok then error("lp.effective: " .. tostring(list):gsub("^[^\n]-%.lua:%d+: ", ""), 2) end
  if not list then return nil, err end
  table.sort(list)
  return list
end

local ALL
local function all_actions()
  ALL = ALL or core.catalog_expand("*")
  return ALL
end

-- The set of catalog actions the patterns match.  Each distinct pattern
-- (without case) is expanded once, and a "*" alone answers for all, so a
-- list of 50,000 "*" costs one expansion, not 50,000.
local function expand(patterns)
  local set, seen = {}, {}
  for _, pat in ipairs(patterns) do
    if pat == "*" then
      set = {}
      for _, a in ipairs(all_actions()) do set[a] = true end
      return set
    end
  end
  for _, pat in ipairs(patterns) do
    local lower = pat:lower()
    if not seen[lower] then
      seen[lower] = true
      for _, a in ipairs(core.catalog_expand(pat) or {}) do set[a] = true end
    end
  end
  return set
end

local function matches_any(patterns, s, nocase, arn)
  for _, p in ipairs(patterns or {}) do
    if arn then
      if core.arn_match(p, s) then return true end
    elseif core.glob_match(p, s, nocase) then
      return true
    end
  end
  return false
end

-- Does one of the policies allow action (any resource, any condition),
-- and no unconditional Deny on every resource remove it?
local function may_allow(list, action)
  local allowed = false
  for _, e in ipairs(list) do
    for _, st in ipairs(e.document.Statement) do
      local act = st.Action and matches_any(st.Action, action, true)
        or (st.NotAction ~= nil and not matches_any(st.NotAction, action, true))
      if act and st.Effect == "Allow" then allowed = true end
      if act and st.Effect == "Deny" and not st.Condition and st.Resource and
          matches_any(st.Resource, "*", false) then
        return false
      end
    end
  end
  return allowed
end

-- core.eval_applies, remembered in memo (a table the caller keeps, or one
-- per call): for a concrete ARN it finds the ARN's resource types in the
-- whole catalog (about 0.3 ms), and diff and minimize ask the same pairs of
-- both sides.
local function applies_in(memo)
  memo = memo or {}
  return function(action, resource)
    local key = action .. "\0" .. resource
    local v = memo[key]
    if v == nil then
      v = core.eval_applies(action, resource)
      memo[key] = v
    end
    return v
  end
end

-- Policies that only cap what identity policies grant: a permissions
-- boundary, session policies, each SCP level.  An action they can never
-- allow is no grant.
local function caps(spec)
  local out = {}
  if spec.boundary then out[#out + 1] = spec.boundary end
  if spec.session then out[#out + 1] = spec.session end
  for _, level in ipairs(spec.scp or {}) do out[#out + 1] = level end
  if spec.endpoint then out[#out + 1] = spec.endpoint end
  return out
end

-- grants(policies [, opts]) -> list of { action =, resource =, conditional =,
-- except =, policy =, sid = }: every catalog action the identity policies
-- allow, on each resource pattern of the allowing statement that can apply
-- to it (resource types from the catalog), less what an unconditional Deny
-- removes, and less the actions a permissions boundary, a session policy or
-- an SCP level never allows (checked per action: resources and conditions
-- there only narrow what P:decide decides).  NotResource grants have
-- resource "*" and except = { ... }.  opts.applies_memo: a table that
-- remembers which actions apply to which resources across calls.
function M.grants(x, opts)
  if type(x) ~= "table" or is_compiled(x) then
    error("lp.grants takes a role, a policy or a table of policy groups", 2)
  end
  local ok, spec = pcall(build_spec, x, opts or {})
  if not ok then error(spec, 2) end
  local denies, out, index = {}, {}, {}
  local applies = applies_in(opts and opts.applies_memo)
  local capped, capping = {}, caps(spec)
  local function cap_allows(a)
    if capped[a] == nil then
      capped[a] = true
      for _, list in ipairs(capping) do
        if not may_allow(list, a) then capped[a] = false; break end
      end
    end
    return capped[a]
  end
  for _, e in ipairs(spec.identity or {}) do
    for _, st in ipairs(e.document.Statement) do
      if st.Effect == "Deny" and not st.Condition and st.Resource then denies[#denies + 1] = st end
    end
  end
  -- the Denies of each action, found once per action; a Deny removes a
  -- grant only when one of its patterns contains the grant's whole pattern
  local denies_of = {}
  local function denied(action, resource)
    local list = denies_of[action]
    if not list then
      list = {}
      for _, st in ipairs(denies) do
        if st.Action and matches_any(st.Action, action, true)
            or (st.NotAction and not matches_any(st.NotAction, action, true)) then
          list[#list + 1] = st
        end
      end
      denies_of[action] = list
    end
    for _, st in ipairs(list) do
      for _, p in ipairs(st.Resource) do
        if core.arn_contains(p, resource) then return true end
      end
    end
    return false
  end
  for _, e in ipairs(spec.identity or {}) do
    for _, st in ipairs(e.document.Statement) do
      if st.Effect == "Allow" then
        local actions
        if st.Action then
          actions = expand(st.Action)
        else
          local skip = expand(st.NotAction)
          actions = {}
          for _, a in ipairs(all_actions()) do if not skip[a] then actions[a] = true end end
        end
        local resources = st.Resource or { "*" }
        local names = {}
        for a in pairs(actions) do if cap_allows(a) then names[#names + 1] = a end end
        table.sort(names)
        for _, a in ipairs(names) do
          for _, r in ipairs(resources) do
            if applies(a, r) and not denied(a, r) then
              local key = a .. "\0" .. r ..
                (st.NotResource and ("\0not\0" .. table.concat(st.NotResource, "\0")) or "")
              local g = index[key]
              if not g then
                g = { action = a, resource = r, except = st.NotResource, conditional = true,
                      policy = e.name, sid = st.Sid }
                index[key] = g
                out[#out + 1] = g
              end
              if not st.Condition then g.conditional = false end
            end
          end
        end
      end
    end
  end
  table.sort(out, function(a, b)
    if a.action ~= b.action then return a.action < b.action end
    return a.resource < b.resource
  end)
  return out
end

-- Is grant g covered by an entry { action, resource } of list?  The entry's
-- action and resource are patterns that must each contain the grant's.
local function covered(list, g)
  for _, item in ipairs(list) do
    local a, r = item[1] or item.action, item[2] or item.resource
    if core.glob_match(a, g.action, true) and (g.except == nil or r == "*")
        and (r == g.resource or core.arn_match(r, g.resource)) then
      return true
    end
  end
  return false
end

-- excess(policies, list) -> the grants of policies (as M.grants) that no
-- entry { action, resource } of list covers.
function M.excess(x, list)
  local out = {}
  for _, g in ipairs(M.grants(x)) do
    if not covered(list, g) then out[#out + 1] = g end
  end
  return out
end

return M
