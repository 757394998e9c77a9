-- Concrete requests for leastpriv diff: for a grant of NEW that no grant of
-- OLD is shown to give, one request (action, resource ARN, context) that
-- the evaluation engine allows under NEW and not under OLD; for a Deny of
-- OLD that NEW drops or loosens, one that OLD denies explicitly and NEW
-- does not.  Candidates come from the grant (its resource pattern, the
-- catalog's ARN templates of its action, values that satisfy its
-- condition and fail the others'); the engine decides, so a request found
-- is a fact, not a guess.
local core = require "leastpriv.core"
local catalog = require "leastpriv.catalog"
local simulate = require "leastpriv.simulate"
local implies = require "leastpriv.analysis.implies"

local M = {}

local FILLERS = { "leastpriv-example", "x", "leastpriv-example/leastpriv-example" }
local PLACEHOLDER = { Partition = "aws", Region = "us-east-1", Account = "123456789012" }
local MAX_CONTEXTS, MAX_RESOURCES, MAX_OBSTACLES = 12, 6, 16

-- A resource pattern with its policy variables (${aws:username}) given
-- values, and the context those values need.
local function resolve_variables(pattern)
  local ctx = {}
  local out = pattern:gsub("%${([^}]*)}", function(inner)
    if inner == "*" or inner == "?" or inner == "$" then return inner == "$" and "$" or "x" end
    local key = inner:match("^%s*([^,%s]+)")
    if not key then return "x" end
    ctx[key] = "leastpriv-example"
    return "leastpriv-example"
  end)
  return out, ctx
end

local function matches_any(patterns, arn)
  for _, p in ipairs(patterns or {}) do
    if core.arn_match(p, arn) then return true end
  end
  return false
end

-- ARNs the grant's resource pattern matches, of a type its action acts
-- on, outside its NotResource list; with the context its variables need.
local function resources(g, cheap)
  local out, seen = {}, {}
  local pattern, vctx = resolve_variables(g.resource)
  -- the resource types of a concrete ARN cost a walk over the catalog
  -- (core.eval_applies, ~0.3 ms): past the first requests of a large
  -- grant on "*", the request on "*" comes first
  if cheap and pattern == "*" and not g.except then return { "*" }, vctx end
  local function add(arn)
    if #out >= MAX_RESOURCES or seen[arn] then return end
    seen[arn] = true
    if arn ~= "*" and not (pattern == "*" or core.arn_match(pattern, arn)) then return end
    if g.except and matches_any(g.except, arn) then return end
    if not core.eval_applies(g.action, arn) then return end
    out[#out + 1] = arn
  end
  if not pattern:find("[%*%?]") then add(pattern) end
  for _, f in ipairs(FILLERS) do add((pattern:gsub("%*", f):gsub("%?", "x"))) end
  local rec = catalog.actions.get(g.action)
  local types = rec and rec.resource_types or {}
  local built = {}
  for _, t in ipairs(types) do
    for _, f in ipairs(FILLERS) do
      built[#built + 1] = (t.arn or ""):gsub("%${(%w+)}", function(name) return PLACEHOLDER[name] or f end)
    end
  end
  -- the plainest ARNs first (arn:aws:s3:::b/k before an access point's)
  table.sort(built, function(x, y)
    if #x ~= #y then return #x < #y end
    return x < y
  end)
  for _, arn in ipairs(built) do add(arn) end
  if #types == 0 or pattern == "*" then add("*") end
  return out, vctx
end

local function copy(t)
  local c = {}
  for k, v in pairs(t or {}) do c[k] = v end
  return c
end

local function overlay(base, extra)
  local c = copy(base)
  for k, v in pairs(extra or {}) do
    for key in pairs(c) do if key:lower() == k:lower() then c[key] = nil end end
    c[k] = v
  end
  return c
end

-- Contexts in which cond holds and, as far as can be found, each obstacle
-- condition fails: a greedy merge of the witnesses first, then each alone.
local function contexts(cond, obstacles, vctx)
  local out = {}
  local base = implies.satisfy(cond)
  if not base then return out end
  base = overlay(base, vctx)
  local merged = base
  local singles = {}
  for i, o in ipairs(obstacles) do
    if i > MAX_OBSTACLES then break end
    if o ~= nil and next(o) ~= nil then
      local answer, w = implies.implies(cond, o)
      if answer == "no" then
        local m = overlay(merged, w)
        if implies.holds(cond, m) then merged = m end
        singles[#singles + 1] = overlay(w, vctx)
      end
    end
  end
  out[1] = merged
  if merged ~= base then out[#out + 1] = base end
  for _, s in ipairs(singles) do
    if #out >= MAX_CONTEXTS then break end
    out[#out + 1] = s
  end
  return out
end

local function decide(item, request)
  if item == nil then return "implicit_deny" end
  local ok, d = pcall(simulate.simulate, request, item)
  if not ok then return "error" end
  return d
end

-- The first request of action on arns x ctxs that new_item allows and
-- old_item does not.
local function try(action, arns, ctxs, old_item, new_item)
  for _, ctx in ipairs(ctxs) do
    for _, arn in ipairs(arns) do
      local req = { action = action, resource = arn, context = ctx }
      local new_d = decide(new_item, req)
      if new_d == "allow" then
        local old_d = decide(old_item, req)
        if old_d ~= "allow" and old_d ~= "error" then
          return { action = action, resource = arn, context = ctx, new = new_d, old = old_d }
        end
      end
    end
  end
  return nil
end

-- for_grant(g, old_item, new_item, obstacles) -> request or nil.
-- g: { action, resource, except, cond }; obstacles: the conditions of the
-- OLD grants that cover g's action and resource, and of NEW's Denies.
-- The request is allowed by new_item and not by old_item.  cheap: try
-- the resource "*" first for a grant on "*" (see resources).
function M.for_grant(g, old_item, new_item, obstacles, cheap)
  local arns, vctx = resources(g, cheap)
  local ctxs = contexts(g.cond, obstacles, vctx)
  if cheap then
    local found = try(g.action, arns, ctxs, old_item, new_item)
    if found then return found end
    arns = resources(g)
  end
  return try(g.action, arns, ctxs, old_item, new_item)
end

-- for_deny(d, old_item, new_item, obstacles) -> request or nil: one that
-- old_item denies explicitly and new_item does not.  obstacles: the
-- conditions of NEW's Denies that cover d's action and resource.
function M.for_deny(d, old_item, new_item, obstacles, cheap)
  local arns, vctx = resources(d, cheap)
  local ctxs = contexts(d.cond, obstacles, vctx)
  for _, ctx in ipairs(ctxs) do
    for _, arn in ipairs(arns) do
      local req = { action = d.action, resource = arn, context = ctx }
      local old_d = decide(old_item, req)
      if old_d == "explicit_deny" then
        local new_d = decide(new_item, req)
        if new_d ~= "explicit_deny" and new_d ~= "error" then
          return { action = d.action, resource = arn, context = ctx, new = new_d, old = old_d }
        end
      end
    end
  end
  return nil
end

-- Trust requests: the caller side of a cross-account or account-wide
-- trust (the trust names an account, whose own policies must allow too).
local ALLOW_ASSUME = { Version = "2012-10-17", Statement = {
  { Effect = "Allow", Action = "sts:AssumeRole*", Resource = "*" } } }
local TRUST_ACTIONS = { "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML",
                        "sts:TagSession", "sts:SetSourceIdentity" }
local OTHER_ACCOUNT = "999988887777"

-- Does an action pattern of a trust statement (sts:AssumeRole*) match action?
local function action_matches(pattern, action)
  local lua_pat = "^" .. pattern:lower():gsub("[%^%$%(%)%%%.%[%]%+%-]", "%%%0")
    :gsub("%*", ".*"):gsub("%?", ".") .. "$"
  return action:lower():match(lua_pat) ~= nil
end

-- Principals a trust tuple's "Kind:id" names, as requests give them.
local function principals(principal)
  local kind, id = principal:match("^([^:]*):(.*)$")
  kind = (kind or ""):lower()
  local function session(account, name)
    return ("arn:aws:sts::%s:assumed-role/%s/leastpriv-example"):format(account, name)
  end
  if kind == "service" then return { id } end
  if kind == "federated" then return { { federated = id } } end
  if kind == "canonicaluser" then return { { canonical_user = id } } end
  if id == "*" then return { session(OTHER_ACCOUNT, "leastpriv-example"), OTHER_ACCOUNT } end
  local account = id:match("^%d%d%d%d%d%d%d%d%d%d%d%d$") or id:match("^arn:[^:]+:iam::(%d+):root$")
  if account then return { session(account, "leastpriv-example"), "arn:aws:iam::" .. account .. ":root" } end
  local role_account, role_name = id:match("^arn:[^:]+:iam::(%d+):role/.-([^/]+)$")
  local out = { (id:gsub("%*", "leastpriv-example"):gsub("%?", "x")) }
  if role_account then out[#out + 1] = session(role_account, role_name) end
  return out
end

-- Decide a trust request: the role alone, then with a caller policy that
-- allows sts:AssumeRole* (the principal's own side).  Returns the two
-- decisions and whether the caller policy was needed.
local function decide_trust(old_item, new_item, req)
  local new_d = decide(new_item, req)
  if new_d == "allow" then return new_d, decide(old_item, req), false end
  if new_d == "explicit_deny" then return new_d end
  local new_c = decide(new_item and { role = new_item, caller = ALLOW_ASSUME }, req)
  if new_c ~= "allow" then return new_c end
  return new_c, decide(old_item and { role = old_item, caller = ALLOW_ASSUME }, req), true
end

-- for_trust(t, old_item, new_item, obstacles [, role_arn]) -> request or
-- nil.  t: { principal = "AWS:...", action = "sts:AssumeRole*", cond };
-- obstacles: the conditions of OLD's trust tuples of that principal and
-- action.  The request (an sts:AssumeRole* by the principal) is allowed by
-- NEW's trust and not by OLD's; request.caller is true when it needed a
-- caller policy that allows sts:AssumeRole*.
function M.for_trust(t, old_item, new_item, obstacles, role_arn)
  local actions = {}
  for _, a in ipairs(TRUST_ACTIONS) do
    if action_matches(t.action, a) then actions[#actions + 1] = a end
  end
  local ctxs = contexts(t.cond, obstacles, {})
  for _, action in ipairs(actions) do
    for _, who in ipairs(principals(t.principal)) do
      for _, ctx in ipairs(ctxs) do
        local req = { action = action, resource = role_arn, principal = who, context = ctx }
        local new_d, old_d, caller = decide_trust(old_item, new_item, req)
        if new_d == "allow" and old_d ~= "allow" and old_d ~= "error" then
          return { action = action, resource = role_arn, principal = who, context = ctx,
                   new = new_d, old = old_d, caller = caller or nil }
        end
      end
    end
  end
  return nil
end

-- Quote a word for a POSIX shell when it needs it.
local function shell_word(s)
  if s:match("^[%w%-%._/:=@%%+,]+$") then return s end
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- The `leastpriv simulate` command line that decides the request against
-- file (role: the role's name when the file holds several).
function M.command(request, file, role)
  local parts = { "leastpriv", "simulate", shell_word(file) }
  if role then parts[#parts + 1] = "--role"; parts[#parts + 1] = shell_word(role) end
  parts[#parts + 1] = "--action"; parts[#parts + 1] = shell_word(request.action)
  if type(request.principal) == "string" then
    parts[#parts + 1] = "--principal"; parts[#parts + 1] = shell_word(request.principal)
  end
  if request.resource then
    parts[#parts + 1] = "--resource"; parts[#parts + 1] = shell_word(request.resource)
  end
  local keys = {}
  for k in pairs(request.context or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = request.context[k]
    local list = type(v) == "table" and v or { v }
    for _, x in ipairs(list) do
      parts[#parts + 1] = "--context"; parts[#parts + 1] = shell_word(k .. "=" .. tostring(x))
    end
  end
  return table.concat(parts, " ")
end

return M
