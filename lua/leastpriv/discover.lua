-- Unknown context: under which conditions would a request be allowed?
--
--   local d, e = lp.simulate(request, role, { discover = true })
--   -- d: "allow" (always), a deny (never) or "conditional";
--   -- e.condition: "aws:PrincipalTag/team = ml and aws:SecureTransport = true",
--   -- "always" or "never"; e.unknown: the keys the answer depends on
--
-- Condition keys the request's context lacks (and its principal does not
-- imply) are unknowns.  Each distinct condition of the policies on an
-- unknown key (operator, key, values) is an atom.  For each unknown key,
-- candidate values (absent, the policies' values, values just beside them,
-- one unlike any) tell which combinations of its atoms can hold together;
-- every such combination across keys is decided by a plain decision with a
-- context built from the candidates.  The atoms' truth table (impossible
-- combinations left free) is then minimised (Quine-McCluskey and a greedy
-- cover) and written as words.
local core = require "leastpriv.core"

local M = {}

local MAX_ATOMS = 10
local MAX_COMBOS = 4096

local function lower(s) return (s:gsub("%u", string.lower)) end

local function list_of(v)
  if type(v) == "table" then return v end
  return { v }
end

local function covers_action(st, action)
  local list, hit = st.Action or st.NotAction, false
  for _, a in ipairs(list or {}) do
    if core.glob_match(a, action, true) then hit = true; break end
  end
  if st.NotAction then return not hit end
  return hit
end

-- Keys the principal implies (eval.c derives them when absent).
local function implied(req)
  local p, out = req.principal, {}
  if type(p) == "string" and p:match("^arn:") then
    out["aws:principalarn"], out["aws:principalaccount"] = true, true
    if p:match(":user/") then out["aws:username"] = true end
  elseif type(p) == "string" and p:match("^%d+$") then
    out["aws:principalaccount"] = true
  end
  return out
end

-- The atoms: conditions on keys the request does not give.
local function atoms_of(spec, req)
  local known = implied(req)
  for k in pairs(req.context or {}) do known[lower(k)] = true end
  local atoms, seen = {}, {}
  local function scan(d)
    for _, st in ipairs(d.document.Statement) do
      if st.Condition and covers_action(st, req.action) then
        for op, keys in pairs(st.Condition) do
          for key, values in pairs(keys) do
            if not known[lower(key)] then
              local vals = list_of(values)
              local id = op .. "\0" .. lower(key) .. "\0" .. table.concat(vals, "\0")
              if not seen[id] then
                seen[id] = true
                atoms[#atoms + 1] = { op = op, key = key, values = vals, id = id }
              end
            end
          end
        end
      end
    end
  end
  for _, g in pairs(spec) do
    if type(g) == "table" then
      for _, item in ipairs(g) do
        if item.document then scan(item) else for _, d in ipairs(item) do scan(d) end end
      end
    end
  end
  table.sort(atoms, function(a, b) return a.id < b.id end)
  return atoms
end

-- The parts of an operator name: qualifier, base, IfExists.
local function parse_op(op)
  local qual, rest = op:match("^(For%a+Values?):(.*)$")
  rest = rest or op
  local base, ifexists = rest:match("^(.-)(IfExists)$")
  return qual, base or rest, ifexists ~= nil
end

local function fill(v) return (tostring(v):gsub("[*?]", "x")) end

-- Candidate values of one key for its atoms (nil: absent).
local function candidates(atoms_here)
  local out, seen = { { absent = true } }, {}
  local set = false
  local function add(v)
    local k = type(v) == "table" and ("L" .. table.concat(v, "\0")) or ("S" .. tostring(v))
    if not seen[k] then seen[k] = true; out[#out + 1] = { value = v } end
  end
  for _, a in ipairs(atoms_here) do
    local qual, base = parse_op(a.op)
    if qual then set = true end
    for _, v in ipairs(a.values) do
      v = tostring(v)
      if base:match("^Numeric") then
        local n = tonumber(v)
        add(v)
        if n then add(tostring(n - 1)); add(tostring(n + 1)) end
      elseif base:match("^Date") then
        add(v); add("1970-01-01T00:00:00Z"); add("2999-12-31T23:59:59Z")
      elseif base == "Bool" then
        add("true"); add("false")
      elseif base:match("^IpAddress") or base:match("^NotIpAddress") then
        add((v:gsub("/.*$", ""))); add("192.0.2.1"); add("2001:db8::1")
      elseif base:match("IgnoreCase$") then
        add(fill(v)); add(fill(v):upper())
      else
        add(fill(v))
      end
    end
    add("other-value-0")
  end
  if set then
    local single = {}
    for _, c in ipairs(out) do if c.value ~= nil and type(c.value) ~= "table" then single[#single + 1] = c.value end end
    out = { { absent = true } }
    seen = {}
    add({})
    for _, v in ipairs(single) do add({ v }) end
    for i = 1, #single do for j = i + 1, #single do add({ single[i], single[j] }) end end
  end
  return out
end

-- Does atom a hold when its key has candidate c (with the request's context)?
local function holds(a, c, req, cache)
  local p = cache[a.id]
  if not p then
    p = assert(require("leastpriv.simulate").compile({ Version = "2012-10-17", Statement = {
      { Effect = "Allow", Action = "*", Resource = "*", Condition = { [a.op] = { [a.key] = a.values } } } } }))
    cache[a.id] = p
  end
  local ctx = {}
  for k, v in pairs(req.context or {}) do ctx[k] = v end
  if not c.absent then ctx[a.key] = c.value end
  return p:decide({ action = "leastpriv:Probe", resource = "*", principal = req.principal, context = ctx }) == "allow"
end

-- ---- minimising ----
-- Terms are strings over the atoms: "1" holds, "0" fails, "-" either.

-- Prime implicants of the given minterms (strings of "0" and "1").
local function primes(minterms)
  local current, result = {}, {}
  for _, m in ipairs(minterms) do current[m] = true end
  while next(current) do
    local used, next_ = {}, {}
    for t in pairs(current) do
      for i = 1, #t do
        if t:sub(i, i) == "0" then
          local u = t:sub(1, i - 1) .. "1" .. t:sub(i + 1)
          if current[u] then
            used[t], used[u] = true, true
            next_[t:sub(1, i - 1) .. "-" .. t:sub(i + 1)] = true
          end
        end
      end
    end
    for t in pairs(current) do if not used[t] then result[#result + 1] = t end end
    current = next_
  end
  table.sort(result)
  return result
end

local function covers(t, m)
  for i = 1, #t do
    local c = t:sub(i, i)
    if c ~= "-" and c ~= m:sub(i, i) then return false end
  end
  return true
end

local function dashes(t) return select(2, t:gsub("%-", "")) end

-- A small cover of the on-set by prime implicants (greedy).
local function cover(ps, on)
  local left, chosen = {}, {}
  for _, m in ipairs(on) do left[m] = true end
  while next(left) do
    local best, best_n
    for _, t in ipairs(ps) do
      local k = 0
      for m in pairs(left) do if covers(t, m) then k = k + 1 end end
      if k > 0 and (best_n == nil or k > best_n or (k == best_n and dashes(t) > dashes(best))) then
        best, best_n = t, k
      end
    end
    chosen[#chosen + 1] = best
    for m in pairs(left) do if covers(best, m) then left[m] = nil end end
  end
  return chosen
end

-- Every string of n "0"/"1".
local function all_minterms(n)
  local out = { "" }
  for _ = 1, n do
    local nxt = {}
    for _, p in ipairs(out) do nxt[#nxt + 1] = p .. "0"; nxt[#nxt + 1] = p .. "1" end
    out = nxt
  end
  return out
end

-- ---- words ----

local WORDS = {
  StringEquals = { "=", "!=" }, StringNotEquals = { "!=", "=" },
  StringEqualsIgnoreCase = { "= (any case)", "!= (any case)" },
  StringNotEqualsIgnoreCase = { "!= (any case)", "= (any case)" },
  StringLike = { "like", "not like" }, StringNotLike = { "not like", "like" },
  NumericEquals = { "=", "!=" }, NumericNotEquals = { "!=", "=" },
  NumericLessThan = { "<", ">=" }, NumericLessThanEquals = { "<=", ">" },
  NumericGreaterThan = { ">", "<=" }, NumericGreaterThanEquals = { ">=", "<" },
  DateEquals = { "=", "!=" }, DateNotEquals = { "!=", "=" },
  DateLessThan = { "before", "not before" }, DateLessThanEquals = { "at or before", "after" },
  DateGreaterThan = { "after", "at or before" }, DateGreaterThanEquals = { "at or after", "before" },
  Bool = { "=", "!=" }, BinaryEquals = { "=", "!=" },
  IpAddress = { "in", "not in" }, NotIpAddress = { "not in", "in" },
  ArnEquals = { "=", "!=" }, ArnNotEquals = { "!=", "=" }, ArnLike = { "like", "not like" },
  ArnNotLike = { "not like", "like" },
}

local function values_text(vals)
  local out = {}
  for i, v in ipairs(vals) do out[i] = tostring(v) end
  if #out == 1 then return out[1] end
  return "(" .. table.concat(out, ", ") .. ")"
end

local function words(a, positive)
  local qual, base, ifexists = parse_op(a.op)
  if base == "Null" then
    local absent = tostring(a.values[1]) == "true"
    if not positive then absent = not absent end
    return ("%s is %s"):format(a.key, absent and "absent" or "present")
  end
  local w = WORDS[base]
  if not w then return (positive and "" or "not ") .. ("%s %s %s"):format(a.op, a.key, values_text(a.values)) end
  local verb = positive and w[1] or w[2]
  if #a.values > 1 then
    if verb == "=" then verb = "in" elseif verb == "!=" then verb = "not in" end
  end
  local subject = a.key
  if qual == "ForAllValues" then subject = "every value of " .. a.key
  elseif qual == "ForAnyValue" then subject = "some value of " .. a.key end
  local text = ("%s %s %s"):format(subject, verb, values_text(a.values))
  if ifexists then
    text = positive and ("%s (or %s absent)"):format(text, a.key)
                     or ("%s is present and %s"):format(a.key, text)
  end
  return text
end

local function term_text(t, atoms)
  local lits = {}
  for i, a in ipairs(atoms) do
    local c = t:sub(i, i)
    if c ~= "-" then lits[#lits + 1] = words(a, c == "1") end
  end
  return table.concat(lits, " and ")
end

-- discover(request, x, p) -> decision, explanation (see the top).
function M.discover(request, x, p)
  local simulate = require "leastpriv.simulate"
  local plain, e = p:decide(request, true)
  e.text = simulate.explain_text(e, request)
  if e.invalid then e.condition = "never"; return plain, e end
  if simulate.is_compiled(x) then
    error("lp.simulate: discover needs the policies (a role, documents or groups), not a compiled Policy", 3)
  end
  local spec = simulate.spec(x, {})
  local atoms = atoms_of(spec, request)
  e.unknown = {}
  if #atoms == 0 then
    e.condition = plain == "allow" and "always" or "never"
    return plain, e
  end
  if #atoms > MAX_ATOMS then
    error(("lp.simulate: discover: %d unknown conditions (at most %d): give more of the context")
      :format(#atoms, MAX_ATOMS), 3)
  end
  -- per key: the realisable combinations of its atoms, each with a value
  local by_key, keys = {}, {}
  for i, a in ipairs(atoms) do
    local k = lower(a.key)
    if not by_key[k] then by_key[k] = { key = a.key, idx = {} }; keys[#keys + 1] = k end
    table.insert(by_key[k].idx, i)
  end
  table.sort(keys)
  local cache, choices = {}, {}
  for _, k in ipairs(keys) do
    local g, seen, list = by_key[k], {}, {}
    local here = {}
    for _, i in ipairs(g.idx) do here[#here + 1] = atoms[i] end
    for _, c in ipairs(candidates(here)) do
      local truth, sig = {}, {}
      for _, i in ipairs(g.idx) do
        truth[i] = holds(atoms[i], c, request, cache)
        sig[#sig + 1] = truth[i] and "1" or "0"
      end
      local m = table.concat(sig)
      if not seen[m] then seen[m] = true; list[#list + 1] = { truth = truth, c = c } end
    end
    choices[#choices + 1] = { key = g.key, list = list }
    e.unknown[#e.unknown + 1] = g.key
  end
  -- every realisable combination, decided
  local on, realised, combos = {}, {}, 1
  for _, ch in ipairs(choices) do combos = combos * #ch.list end
  if combos > MAX_COMBOS then
    error(("lp.simulate: discover: %d combinations of unknown conditions (at most %d): give more of the context")
      :format(combos, MAX_COMBOS), 3)
  end
  local assign = {}
  local function walk(i, ctx)
    if i > #choices then
      local sig = {}
      for k = 1, #atoms do sig[k] = assign[k] and "1" or "0" end
      local m = table.concat(sig)
      local req = {}
      for k, v in pairs(request) do req[k] = v end
      req.context = ctx
      local d = p:decide(req)
      if d == "allow" then on[m] = true end
      realised[m] = true
      return
    end
    for _, opt in ipairs(choices[i].list) do
      local c2 = {}
      for k, v in pairs(ctx) do c2[k] = v end
      if not opt.c.absent then c2[choices[i].key] = opt.c.value end
      for k, v in pairs(opt.truth) do assign[k] = v end
      walk(i + 1, c2)
    end
  end
  walk(1, request.context or {})
  local on_list, all_on = {}, true
  for m in pairs(realised) do
    if on[m] then on_list[#on_list + 1] = m else all_on = false end
  end
  table.sort(on_list)
  if #on_list == 0 then e.condition = "never"; return plain, e end
  if all_on then e.condition = "always"; e.decision = "allow"; return "allow", e end
  local minterms = {}
  for _, m in ipairs(all_minterms(#atoms)) do
    if on[m] or not realised[m] then minterms[#minterms + 1] = m end
  end
  local chosen = cover(primes(minterms), on_list)
  local parts = {}
  for i, t in ipairs(chosen) do parts[i] = term_text(t, atoms) end
  table.sort(parts)
  if #parts > 1 then
    for i, s in ipairs(parts) do if s:find(" and ", 1, true) then parts[i] = "(" .. s .. ")" end end
  end
  e.condition = table.concat(parts, " or ")
  e.decision = "conditional"
  e.text = e.text .. "\n  allowed when: " .. e.condition
  return "conditional", e
end

return M
