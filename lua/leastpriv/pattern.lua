-- A resource pattern as the request: is an action allowed on every
-- resource a pattern matches, on some, or on none?
--
--   local answer = lp.simulate_pattern({ action = "s3:GetObject",
--     resource = "arn:aws:s3:::data/*" }, role)
--   -- answer.answer: "all" | "some" | "none"; answer.allowed, answer.denied:
--   -- a concrete resource each way (for "some"); answer.witnesses
--
-- A decision depends on the resource only through which Resource and
-- NotResource patterns of the statements (for the action) match it.  The
-- resource parts of the request's pattern and of those patterns are globs;
-- a breadth-first walk over their product automaton finds, for every
-- combination of matches that some resource under the pattern realises,
-- the shortest such resource (its wildcards filled with characters of the
-- patterns or one character none of them holds).  Each witness is then
-- decided by a plain P:decide, so every answer is a verified decision.
-- Limits: the pattern's first five ARN parts must be literal; each * of
-- the pattern stands for at least one character; policy patterns holding
-- variables count only through the witnesses' plain decisions; the walk
-- stops after MAX_STATES states (answer.complete is then false).
local core = require "leastpriv.core"
local simulate = require "leastpriv.simulate"

local M = {}

local MAX_STATES = 20000
local MAX_WITNESSES = 64

local function chars(s)
  local t = {}
  for i = 1, #s do t[i] = s:sub(i, i) end
  return t
end

-- The ε-closure of NFA position i of glob p (a list of chars) into set.
local function close(p, i, set)
  while true do
    set[i] = true
    if p[i] ~= "*" then return end
    i = i + 1
  end
end

local function start(p)
  local set = {}
  close(p, 1, set)
  return set
end

local function step(p, set, c)
  local out, any = {}, false
  for i in pairs(set) do
    local pc = p[i]
    if pc == "*" then close(p, i, out); any = true
    elseif pc ~= nil and (pc == "?" or pc == c) then close(p, i + 1, out); any = true end
  end
  return any and out or nil
end

local function accepts(p, set) return set ~= nil and set[#p + 1] == true end

local function key_of(set)
  if set == nil then return "-" end
  local l = {}
  for i in pairs(set) do l[#l + 1] = i end
  table.sort(l)
  return table.concat(l, ",")
end

-- Does the statement's Action / NotAction cover action?
local function covers_action(st, action)
  local list, hit = st.Action or st.NotAction, false
  for _, a in ipairs(list or {}) do
    if core.glob_match(a, action, true) then hit = true; break end
  end
  if st.NotAction then return not hit end
  return hit
end

local function split(arn)
  local parts, pos = {}, 1
  for _ = 1, 5 do
    local c = arn:find(":", pos, true)
    if not c then return nil end
    parts[#parts + 1] = arn:sub(pos, c - 1)
    pos = c + 1
  end
  parts[6] = arn:sub(pos)
  return parts
end

-- The resource-part globs of the policies' patterns that can match under
-- the request's literal first five parts.
local function policy_globs(spec, action, head)
  local out, seen = {}, {}
  local function add_doc(d)
    for _, st in ipairs(d.document.Statement) do
      if covers_action(st, action) then
        for _, r in ipairs(st.Resource or st.NotResource or {}) do
          local p = r ~= "*" and not r:find("${", 1, true) and split(r)
          local fits = p ~= nil and p ~= false
          for k = 1, 5 do
            if fits and not core.glob_match(p[k], head[k], true) then fits = false end
          end
          if fits and not seen[p[6]] then
            seen[p[6]] = true
            out[#out + 1] = p[6]
          end
        end
      end
    end
  end
  for _, g in pairs(spec) do
    if type(g) == "table" then
      for _, item in ipairs(g) do
        if item.document then add_doc(item)
        else for _, d in ipairs(item) do add_doc(d) end end     -- an organisation level
      end
    end
  end
  table.sort(out)
  return out
end

-- Shortest resource parts under glob q (each * one character or more), one
-- for each combination of the globs that match.
local function witnesses(q, globs)
  local P = chars((q:gsub("%*", "?*")))
  local G = {}
  local alphabet, lit = {}, {}
  for i, g in ipairs(globs) do G[i] = chars(g) end
  local all = { P }
  for _, g in ipairs(G) do all[#all + 1] = g end
  for _, t in ipairs(all) do
    for _, c in ipairs(t) do if c ~= "*" and c ~= "?" then lit[c] = true end end
  end
  -- a character no pattern holds first, so that a wildcard is filled with it
  for c in ("xzqkjw0123456789"):gmatch(".") do
    if not lit[c] then alphabet[1] = c; break end
  end
  local rest = {}
  for c in pairs(lit) do rest[#rest + 1] = c end
  table.sort(rest)
  for _, c in ipairs(rest) do alphabet[#alphabet + 1] = c end
  local first = { s = "", p = start(P), g = {} }
  for i, g in ipairs(G) do first.g[i] = start(g) end
  local queue, head, seen, found, order, states = { first }, 1, {}, {}, {}, 0
  local complete = true
  while head <= #queue do
    local st = queue[head]
    head = head + 1
    if accepts(P, st.p) then
      local bits = {}
      for i, g in ipairs(G) do bits[i] = accepts(g, st.g[i]) and "1" or "0" end
      local v = table.concat(bits)
      if not found[v] then
        found[v] = st.s
        order[#order + 1] = v
        if #order >= MAX_WITNESSES then complete = false; break end
      end
    end
    for _, c in ipairs(alphabet) do
      local np = step(P, st.p, c)
      if np then
        local ng, keys = {}, { key_of(np) }
        for i, g in ipairs(G) do
          ng[i] = st.g[i] and step(g, st.g[i], c) or nil
          keys[#keys + 1] = key_of(ng[i])
        end
        local k = table.concat(keys, "|")
        if not seen[k] then
          seen[k] = true
          states = states + 1
          if states > MAX_STATES then complete = false; break end
          queue[#queue + 1] = { s = st.s .. c, p = np, g = ng }
        end
      end
    end
    if states > MAX_STATES then break end
  end
  local list = {}
  for _, v in ipairs(order) do list[#list + 1] = found[v] end
  return list, complete
end

-- simulate_pattern(request, policies) -> { answer, allowed, denied,
-- witnesses = { { resource, decision } }, complete, skipped }: request is
-- lp.simulate's, its resource an ARN pattern ("arn:aws:s3:::data/*").
function M.simulate_pattern(request, x)
  if type(request) ~= "table" or type(request.action) ~= "string" or type(request.resource) ~= "string" then
    error("lp.simulate_pattern: the request needs an action and a resource pattern", 2)
  end
  local head = split(request.resource)
  if not head or request.resource:sub(1, 4) ~= "arn:" then
    error(("lp.simulate_pattern: %q is not an ARN pattern (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)")
      :format(request.resource), 2)
  end
  for k = 1, 5 do
    if head[k]:find("[*?]") then
      error(("lp.simulate_pattern: only the resource part of %q may hold wildcards"):format(request.resource), 2)
    end
  end
  if simulate.is_compiled(x) then
    error("lp.simulate_pattern: pass the policies (a role, documents or groups), not a compiled Policy", 2)
  end
  local p = simulate.compiled(x, 2)
  local spec = simulate.spec(x, {})
  local globs = policy_globs(spec, request.action, head)
  local parts, complete = witnesses(head[6], globs)
  local prefix = table.concat(head, ":", 1, 5) .. ":"
  local out = { witnesses = {}, complete = complete, skipped = 0 }
  for _, r in ipairs(parts) do
    local req = {}
    for k, v in pairs(request) do req[k] = v end
    req.resource = prefix .. r
    local d, e = p:decide(req, true)
    if e.invalid then
      out.skipped = out.skipped + 1
    else
      out.witnesses[#out.witnesses + 1] = { resource = req.resource, decision = d }
      if d == "allow" then out.allowed = out.allowed or req.resource
      else out.denied = out.denied or req.resource end
    end
  end
  if out.allowed and out.denied then out.answer = "some"
  elseif out.allowed then out.answer = "all"
  else out.answer = "none" end
  return out
end

return M
