-- Implication between IAM condition blocks: does every request context
-- that satisfies condition A also satisfy condition B?  leastpriv diff asks
-- it of a new statement's condition (A) and an old one's (B): when A
-- implies B, the new grant is narrower, not new.
--
--   implies.implies(A, B) -> "yes"
--                          | "no", witness      (a context: A holds, B fails)
--                          | "unknown", reason
--
-- "yes" is only ever answered from a proof (below); "no" only with a
-- witness context that the evaluation engine has checked (A allows it, B
-- does not).  Everything else is "unknown": the caller must not treat it
-- as narrower, nor as proven new.
--
-- The rules (AWS, "IAM JSON policy elements: Condition operators" and
-- "Creating a condition with multiple keys or values"): a block is the AND
-- of its operators and keys; a key's values are ORed, NORed for a negated
-- operator; an absent key fails positive operators and satisfies negated
-- ones; ...IfExists makes an absent key pass; ForAllValues: holds when
-- every request value passes (so when the key is absent), ForAnyValue:
-- when one does; a plain operator does not match several values.  So A
-- implies B when every clause b of B is implied by A's clauses on b's key,
-- for each shape the key can take under A: absent, one value, several.
-- For one value, the clauses are predicates on it, compared by family:
-- finite sets (StringEquals, NumericEquals, DateEquals, Bool, patterns
-- without wildcards) are enumerated and each member evaluated; numbers
-- and dates as intervals; StringLike and ArnLike patterns by containment
-- (core.glob_contains, core.arn_contains); CIDRs by containment and
-- disjointness; Null by presence.  A clause with a policy variable is
-- compared only as written (the same variable resolves alike).
local core = require "leastpriv.core"
local simulate = require "leastpriv.simulate"

local M = {}

-- family, comparison and negation of each base operator (csrc/condition.c)
local OPS = {
  StringEquals = { "str", "eq" }, StringNotEquals = { "str", "eq", true },
  StringEqualsIgnoreCase = { "stri", "eq" }, StringNotEqualsIgnoreCase = { "stri", "eq", true },
  StringLike = { "like", "eq" }, StringNotLike = { "like", "eq", true },
  NumericEquals = { "num", "eq" }, NumericNotEquals = { "num", "eq", true },
  NumericLessThan = { "num", "lt" }, NumericLessThanEquals = { "num", "le" },
  NumericGreaterThan = { "num", "gt" }, NumericGreaterThanEquals = { "num", "ge" },
  DateEquals = { "date", "eq" }, DateNotEquals = { "date", "eq", true },
  DateLessThan = { "date", "lt" }, DateLessThanEquals = { "date", "le" },
  DateGreaterThan = { "date", "gt" }, DateGreaterThanEquals = { "date", "ge" },
  Bool = { "bool", "eq" }, BinaryEquals = { "bin", "eq" },
  IpAddress = { "ip", "eq" }, NotIpAddress = { "ip", "eq", true },
  ArnEquals = { "arn", "eq" }, ArnLike = { "arn", "eq" },
  ArnNotEquals = { "arn", "eq", true }, ArnNotLike = { "arn", "eq", true },
  Null = { "null", "eq" },
}

local function has_wild(s) return s:find("[%*%?]") ~= nil end

-- Can two patterns match a common string?  core.glob_intersect reads '?'
-- as one byte, so beyond ASCII the answer is "perhaps" (true).
local function may_meet(p, q, nocase)
  if p:find("[\128-\255]") or q:find("[\128-\255]") then return true end
  return core.glob_intersect(p, q, nocase)
end
M.may_meet = may_meet
local function has_var(s) return s:find("${", 1, true) ~= nil end

-- ---- clauses ----

-- parse(condition) -> list of clauses, or nil, reason for an operator this
-- module does not know.  condition: a normalized Condition block (values
-- are lists of strings) or nil.
function M.parse(cond)
  local out = {}
  if cond == nil then return out end
  local ops = {}
  for op in pairs(cond) do ops[#ops + 1] = op end
  table.sort(ops)
  for _, op in ipairs(ops) do
    local set, rest = op:match("^(For%a+):(.*)$")
    if set == nil then rest = op
    elseif set ~= "ForAllValues" and set ~= "ForAnyValue" then return nil, ("operator %s"):format(op) end
    local base, ifexists = rest, false
    if rest:sub(-8) == "IfExists" and rest ~= "IfExists" then base, ifexists = rest:sub(1, -9), true end
    local info = OPS[base]
    if not info then return nil, ("operator %s"):format(op) end
    local keys = {}
    for k in pairs(cond[op]) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local vals = cond[op][k]
      if type(vals) ~= "table" then vals = { tostring(vals) } end
      local var = false
      for _, v in ipairs(vals) do if has_var(v) then var = true end end
      out[#out + 1] = { op = op, base = base, key = k:lower(), rawkey = k,
                        set = set == "ForAllValues" and "all" or set == "ForAnyValue" and "any" or nil,
                        ifexists = ifexists, family = info[1], cmp = info[2], neg = info[3] or false,
                        values = vals, var = var }
    end
  end
  return out
end

-- ---- evaluation by the engine ----

local EVAL_ACTION, EVAL_RESOURCE = "s3:ListAllMyBuckets", "*"

local compiled, n_compiled = {}, 0   -- condition text -> compiled one-statement policy
local function policy_for(cond)
  local key = core.json_encode(cond, { compact = true })
  local p = compiled[key]
  if not p then
    if n_compiled >= 4096 then compiled, n_compiled = {}, 0 end   -- bounded
    n_compiled = n_compiled + 1
    local err
    p, err = simulate.compile({ Version = "2012-10-17", Statement = { {
      Effect = "Allow", Action = { "*" }, Resource = { "*" }, Condition = cond } } })
    if not p then error("implies: " .. tostring(err), 0) end
    compiled[key] = p
  end
  return p
end

-- Does the condition block hold for the context?
local function holds(cond, ctx)
  if cond == nil or next(cond) == nil then return true end
  local d = simulate.simulate({ action = EVAL_ACTION, resource = EVAL_RESOURCE, context = ctx },
                              policy_for(cond))
  return d == "allow"
end
M.holds = holds

local function clause_cond(c)
  return { [c.op] = { [c.rawkey] = c.values } }
end

-- Does clause c hold when its key has value v (nil: absent; a string; a list)?
local function clause_holds(c, v)
  return holds(clause_cond(c), { [c.rawkey] = v })
end

local function clauses_cond(list)
  local cond = {}
  for _, c in ipairs(list) do
    cond[c.op] = cond[c.op] or {}
    cond[c.op][c.rawkey] = c.values
  end
  return cond
end

-- ---- values: numbers, dates, CIDRs ----

local function number_of(family, s)
  if family == "num" then return core.condition_parse_number(s) end
  local sec, nsec = core.condition_parse_date(s)
  if not sec then return nil end
  return sec + nsec / 1e9, sec, nsec
end

local function cidr(s)
  local bits = s:match("/(%d+)$")
  local v6 = s:find(":", 1, true) ~= nil
  local base = s:gsub("/%d+$", "")
  if core.condition_ip_in(s, base) == nil then return nil end
  return { text = s, bits = tonumber(bits) or (v6 and 128 or 32), v6 = v6 }
end

-- Does network a contain network b?
local function cidr_contains(a, b)
  if a.v6 ~= b.v6 or b.bits < a.bits then return false end
  return core.condition_ip_in(a.text, b.text) == true
end

local function cidr_disjoint(a, b)
  return a.v6 ~= b.v6 or not (cidr_contains(a, b) or cidr_contains(b, a))
end

-- ---- one value: do predicates ps (all hold) imply predicate pb? ----
-- A predicate is a clause read as a test of one present value.  Answers
-- true (proved), or nil (not proved); witnesses are found by search.

-- The exact strings a positive predicate allows, when finitely many.
local function exact_values(p)
  if p.neg or p.var then return nil end
  if p.family == "str" then return p.values end
  if p.family == "like" or p.family == "arn" then
    for _, v in ipairs(p.values) do if has_wild(v) then return nil end end
    return p.values
  end
end

-- Representatives of a finite set of values equal in p's family.
local function family_values(p)
  if p.neg or p.var then return nil end
  if p.family == "bool" then return { "true", "false" } end
  if p.family == "num" or p.family == "date" or p.family == "stri" then
    if p.cmp == "eq" then return p.values end
  end
end

local FAMILY_OF = { str = "text", like = "text", arn = "text", stri = "text" }

-- Enumerate: every candidate that satisfies ps satisfies pb?
local function enumerate(cands, ps, pb)
  for _, v in ipairs(cands) do
    local ok = true
    for _, p in ipairs(ps) do
      if not clause_holds(p, v) then ok = false break end
    end
    if ok and not clause_holds(pb, v) then return false end
  end
  return true
end

-- The interval of values ps allow in family f, as { lo, lo_open, hi,
-- hi_open, excluded = { n... } }.  A range operator with several values is
-- their OR: its loosest bound.
local function interval(ps, f)
  local iv = { excluded = {} }
  for _, p in ipairs(ps) do
    if p.family == f and not p.var then
      if p.neg then
        for _, v in ipairs(p.values) do
          local n = number_of(f, v)
          if n then iv.excluded[#iv.excluded + 1] = n end
        end
      elseif p.cmp ~= "eq" then
        local bound
        for _, v in ipairs(p.values) do
          local n = number_of(f, v)
          if n == nil then bound = nil break end
          if bound == nil then bound = n
          elseif p.cmp == "lt" or p.cmp == "le" then bound = math.max(bound, n)
          else bound = math.min(bound, n) end
        end
        if bound then
          local open = p.cmp == "lt" or p.cmp == "gt"
          if p.cmp == "lt" or p.cmp == "le" then
            if iv.hi == nil or bound < iv.hi or (bound == iv.hi and open) then iv.hi, iv.hi_open = bound, open end
          else
            if iv.lo == nil or bound > iv.lo or (bound == iv.lo and open) then iv.lo, iv.lo_open = bound, open end
          end
        end
      end
    end
  end
  return iv
end

local function in_interval(iv, n)
  if iv.lo and (n < iv.lo or (n == iv.lo and iv.lo_open)) then return false end
  if iv.hi and (n > iv.hi or (n == iv.hi and iv.hi_open)) then return false end
  return true
end

local function range_implied(ps, pb)
  local f = pb.family
  local iv = interval(ps, f)
  if pb.neg then                       -- NotEquals: no excluded point is possible
    for _, v in ipairs(pb.values) do
      local n = number_of(f, v)
      if n == nil then return nil end
      local out = not in_interval(iv, n)
      if not out then
        for _, e in ipairs(iv.excluded) do if e == n then out = true break end end
      end
      if not out then return nil end
    end
    return true
  end
  if pb.cmp == "eq" then return nil end
  for _, v in ipairs(pb.values) do
    if number_of(f, v) == nil then return nil end
  end
  local want = interval({ pb }, f)
  if want.hi then
    if iv.hi == nil or iv.hi > want.hi or (iv.hi == want.hi and want.hi_open and not iv.hi_open) then return nil end
  end
  if want.lo then
    if iv.lo == nil or iv.lo < want.lo or (iv.lo == want.lo and want.lo_open and not iv.lo_open) then return nil end
  end
  return true
end

-- The patterns (glob syntax) of a positive text predicate, or nil.
local function patterns_of(p)
  if p.neg or p.var then return nil end
  if p.family == "like" or p.family == "arn" then return p.values end
  if p.family == "str" or p.family == "stri" then
    for _, v in ipairs(p.values) do if has_wild(v) then return nil end end
    return p.values
  end
end

local function text_contains(q, qfam, p, pfam)
  if qfam == "arn" then
    return pfam == "arn" and core.arn_contains(q, p, true)
  end
  if qfam == "stri" then return not has_wild(q) and core.glob_contains(q, p, true) end
  if pfam == "stri" then return false end
  if qfam == "str" and has_wild(q) then return false end
  return core.glob_contains(q, p, false)
end

local function text_implied(ps, pb)
  if pb.neg then
    -- some positive predicate of A whose patterns meet none of pb's values
    for _, p in ipairs(ps) do
      local pats = patterns_of(p)
      if pats then
        local clear = true
        for _, pat in ipairs(pats) do
          for _, n in ipairs(pb.values) do
            local meet
            if pb.family == "str" then meet = core.glob_match(pat, n, p.family == "stri")
            else meet = may_meet(pat, n, pb.family == "stri" or p.family == "stri") end
            if meet then clear = false break end
          end
          if not clear then break end
        end
        if clear then return true end
      end
    end
    -- or each of pb's values excluded by a negated predicate of A
    for _, n in ipairs(pb.values) do
      local excluded = false
      for _, p in ipairs(ps) do
        if p.neg and not p.var and FAMILY_OF[p.family] then
          for _, m in ipairs(p.values) do
            if (p.family == pb.family or (p.family == "like" and pb.family == "str")) and
                (m == n or (p.family ~= "str" and p.family ~= "stri" and
                            text_contains(m, p.family == "arn" and "arn" or "like", n, pb.family))) then
              excluded = true
            elseif p.family == "stri" and pb.family == "stri" and m:lower() == n:lower() then
              excluded = true
            end
            if excluded then break end
          end
        end
        if excluded then break end
      end
      if not excluded then return nil end
    end
    return true
  end
  for _, p in ipairs(ps) do
    local pats = patterns_of(p)
    if pats then
      local all = true
      for _, pat in ipairs(pats) do
        local some = false
        for _, q in ipairs(pb.values) do
          if text_contains(q, pb.family, pat, p.family) then some = true break end
        end
        if not some then all = false break end
      end
      if all then return true end
    end
  end
  return nil
end

local function ip_implied(ps, pb)
  local nets_b = {}
  for i, v in ipairs(pb.values) do
    nets_b[i] = cidr(v)
    if not nets_b[i] then return nil end
  end
  for _, p in ipairs(ps) do
    if p.family == "ip" and not p.neg then
      local ok = true
      for _, v in ipairs(p.values) do
        local a = cidr(v)
        if not a then ok = false break end
        local good = pb.neg
        for _, b in ipairs(nets_b) do
          if pb.neg then
            if not cidr_disjoint(a, b) then good = false break end
          elseif cidr_contains(b, a) then
            good = true break
          end
        end
        if not good then ok = false break end
      end
      if ok then return true end
    end
  end
  if pb.neg then
    for _, b in ipairs(nets_b) do
      local covered = false
      for _, p in ipairs(ps) do
        if p.family == "ip" and p.neg then
          for _, v in ipairs(p.values) do
            local a = cidr(v)
            if a and cidr_contains(a, b) then covered = true break end
          end
        end
        if covered then break end
      end
      if not covered then return nil end
    end
    return true
  end
  return nil
end

-- Do predicates ps (on one present value) imply pb?  true or nil.
local function value_implied(ps, pb)
  local usable = {}
  for _, p in ipairs(ps) do if not p.var then usable[#usable + 1] = p end end
  if pb.var then return nil end
  for _, p in ipairs(usable) do
    local exact = exact_values(p)
    if exact then return enumerate(exact, usable, pb) or nil end
  end
  for _, p in ipairs(usable) do
    local reps = family_values(p)
    if reps and p.family == pb.family then
      local same = {}
      for _, q in ipairs(usable) do if q.family == p.family then same[#same + 1] = q end end
      return enumerate(reps, same, pb) or nil
    end
  end
  if pb.family == "bool" then return enumerate({ "true", "false" }, {}, pb) or nil end
  if pb.family == "num" or pb.family == "date" then return range_implied(usable, pb) end
  if FAMILY_OF[pb.family] then return text_implied(usable, pb) end
  if pb.family == "ip" then return ip_implied(usable, pb) end
  return nil
end

-- ---- clauses on one key, by the shape of the key's value ----

local function holds_absent(c)
  if c.family == "null" then
    for _, v in ipairs(c.values) do if v:lower() == "true" then return true end end
    return false
  end
  if c.set == "all" then return true end
  if c.set == "any" then return c.ifexists end
  return c.ifexists or c.neg
end

local function null_allows_present(c)
  for _, v in ipairs(c.values) do if v:lower() == "false" then return true end end
  return false
end

-- Is b as written implied by a as written (the same operator, values a
-- subset for an OR, a superset for a NOR)?  Also for policy variables.
local function written_implies(a, b)
  if a.op ~= b.op or a.key ~= b.key then return false end
  local set = {}
  local fewer, more = a.values, b.values
  local nor = b.neg and b.family ~= "null"
  if nor then fewer, more = b.values, a.values end
  if b.family == "null" then
    if #a.values ~= #b.values then return false end
  end
  for _, v in ipairs(more) do set[v] = true end
  for _, v in ipairs(fewer) do if not set[v] then return false end end
  return true
end

-- Do A's clauses on one key (as) imply clause b?  true or nil.
local function key_implied(as, b)
  for _, a in ipairs(as) do
    if written_implies(a, b) then return true end
  end
  if b.var then return nil end
  local known = {}
  for _, a in ipairs(as) do if not a.var then known[#known + 1] = a end end
  -- absent
  local absent_ok = true
  for _, a in ipairs(known) do
    if not holds_absent(a) then absent_ok = false break end
  end
  if absent_ok and not holds_absent(b) then return nil end
  -- (an empty list of values is read as an absent key, by the engine too)
  -- one value
  local single_ok, preds = true, {}
  for _, a in ipairs(known) do
    if a.family == "null" then
      if not null_allows_present(a) then single_ok = false end
    else
      preds[#preds + 1] = a
    end
  end
  if single_ok then
    if b.family == "null" then
      if not null_allows_present(b) then return nil end
    elseif not value_implied(preds, b) then
      return nil
    end
  end
  -- several values: possible when no plain operator of A names the key
  local multi_ok, all, any = true, {}, {}
  for _, a in ipairs(known) do
    if a.family == "null" then
      if not null_allows_present(a) then multi_ok = false end
    elseif a.set == nil then multi_ok = false
    elseif a.set == "all" then all[#all + 1] = a
    else any[#any + 1] = a end
  end
  if multi_ok then
    if b.family == "null" then
      if not null_allows_present(b) then return nil end
    elseif b.set == nil then
      return nil
    elseif b.set == "all" then
      if not value_implied(all, b) then return nil end
    else
      local found = false
      for _, a in ipairs(any) do
        local ps = { a }
        for _, x in ipairs(all) do ps[#ps + 1] = x end
        if value_implied(ps, b) then found = true break end
      end
      if not found then return nil end
    end
  end
  return true
end

-- ---- witnesses ----

-- Candidate values for a key: the values its clauses name, instances of
-- their patterns, neighbours of numbers, and some strings nothing names.
local function candidates(clauses)
  local out, seen = {}, {}
  local function add(v)
    if v ~= nil and not seen[v] then seen[v] = true; out[#out + 1] = v end
  end
  for _, c in ipairs(clauses) do
    for _, v in ipairs(c.values) do
      if not has_var(v) then
        if has_wild(v) and c.family ~= "str" and c.family ~= "stri" then
          add((v:gsub("%*", "leastpriv-example"):gsub("%?", "x")))
          add((v:gsub("%*", ""):gsub("%?", "x")))
        end
        if c.family == "ip" then add((v:gsub("/%d+$", ""))) end
        add(v)
        if c.family == "num" then
          local n = core.condition_parse_number(v)
          if n then add(tostring(n + 1)); add(tostring(n - 1)); add(tostring(n + 0.5)); add(tostring(n - 0.5)) end
        elseif c.family == "date" then
          local sec = core.condition_parse_date(v)
          if sec then
            add(os.date("!%Y-%m-%dT%H:%M:%SZ", math.max(sec - 86400, 0)))
            add(os.date("!%Y-%m-%dT%H:%M:%SZ", sec + 86400))
          end
        elseif c.family == "stri" then
          add(v:upper()); add(v:lower())
        end
      end
    end
    if c.family == "bool" then add("true"); add("false") end
    if c.family == "ip" then add("192.0.2.1"); add("2001:db8::1") end
    if c.family == "num" then add("0"); add("1000000") end
    if c.family == "date" then add("2000-01-01T00:00:00Z"); add("2099-01-01T00:00:00Z") end
    if c.family == "arn" then add("arn:aws:iam::123456789012:role/leastpriv-example") end
  end
  add("leastpriv-example")
  return out
end

local MAX_SHAPES = 64

-- Values for one key, in the shapes it can take: absent, one value, lists.
local function shapes(clauses)
  local cands = candidates(clauses)
  local out = { false }                 -- false stands for absent
  for _, v in ipairs(cands) do out[#out + 1] = v end
  for i = 1, math.min(#cands, 6) do
    for j = i + 1, math.min(#cands, 6) do out[#out + 1] = { cands[i], cands[j] } end
  end
  while #out > MAX_SHAPES do out[#out] = nil end
  return out
end

local function by_key(clauses)
  local map, order = {}, {}
  for _, c in ipairs(clauses) do
    if not map[c.key] then map[c.key] = {}; order[#order + 1] = c.key end
    table.insert(map[c.key], c)
  end
  return map, order
end

-- A value for each key of A such that A holds, or nil when none is found.
-- extra: more clauses whose keys and values to try (B's).
local function satisfy_clauses(a_clauses, extra)
  local map, order = by_key(a_clauses)
  local ctx = {}
  for _, k in ipairs(order) do
    local pool = {}
    for _, c in ipairs(map[k]) do pool[#pool + 1] = c end
    for _, c in ipairs(extra or {}) do if c.key == k then pool[#pool + 1] = c end end
    local found = false
    local cond = clauses_cond(map[k])
    for _, v in ipairs(shapes(pool)) do
      local value = v or nil
      if holds(cond, { [map[k][1].rawkey] = value }) then
        ctx[map[k][1].rawkey] = value
        found = true
        break
      end
    end
    if not found then return nil end
  end
  -- variables and keys across clauses: check the whole
  if not holds(clauses_cond(a_clauses), ctx) then return nil end
  return ctx
end

-- satisfy(cond) -> a context in which cond holds, or nil.
function M.satisfy(cond)
  local clauses = M.parse(cond)
  if not clauses then return nil end
  return satisfy_clauses(clauses)
end

-- Search a context where A holds and B fails: start from one where A
-- holds and vary the keys of B's clauses, one at a time, over their shapes.
local function witness(a_clauses, b_clauses, a_cond, b_cond)
  local base = satisfy_clauses(a_clauses, b_clauses)
  if not base then return nil end
  if not holds(b_cond, base) then return base end
  local bmap, border = by_key(b_clauses)
  local amap = by_key(a_clauses)
  for _, k in ipairs(border) do
    local pool = {}
    for _, c in ipairs(bmap[k]) do pool[#pool + 1] = c end
    for _, c in ipairs(amap[k] or {}) do pool[#pool + 1] = c end
    local rawkey = (amap[k] and amap[k][1].rawkey) or bmap[k][1].rawkey
    for _, v in ipairs(shapes(pool)) do
      local ctx = {}
      for key, val in pairs(base) do ctx[key] = val end
      for key in pairs(ctx) do if key:lower() == k then ctx[key] = nil end end
      ctx[rawkey] = v or nil
      if holds(a_cond, ctx) and not holds(b_cond, ctx) then return ctx end
    end
  end
  return nil
end

-- ---- the answer ----

local cache, n_cached = {}, 0

-- implies(a, b) -> "yes" | "no", context | "unknown", reason.
-- a, b: normalized Condition blocks (nil: no condition).
function M.implies(a, b)
  if b == nil or next(b) == nil then return "yes" end
  local ka = a and core.json_encode(a, { compact = true }) or ""
  local kb = core.json_encode(b, { compact = true })
  local key = ka .. "\0" .. kb
  local hit = cache[key]
  if hit then return hit[1], hit[2] end
  local ac, err = M.parse(a)
  local bc, errb = M.parse(b)
  local answer, detail
  if not ac or not bc then
    answer, detail = "unknown", ("%s is not understood"):format(err or errb)
  else
    local amap = by_key(ac)
    local proved = true
    for _, c in ipairs(bc) do
      local ok, yes = pcall(key_implied, amap[c.key] or {}, c)
      if not (ok and yes) then proved = false break end
    end
    if proved then
      answer = "yes"
    else
      local ok, ctx = pcall(witness, ac, bc, a or {}, b)
      if ok and ctx then
        answer, detail = "no", ctx
      else
        answer, detail = "unknown", "conditions changed, not proven narrower"
      end
    end
  end
  if n_cached >= 4096 then cache, n_cached = {}, 0 end               -- bounded
  cache[key], n_cached = { answer, detail }, n_cached + 1
  return answer, detail
end

-- A condition as a disjunction: a clause with several values of a
-- positive plain operator is the OR of one clause per value.  Returns the
-- list of condition blocks (at most limit; the block itself when it does
-- not split or would split into more).
function M.split(cond, limit)
  limit = limit or 64
  if cond == nil then return { cond } end
  local parts = { {} }
  local ops = {}
  for op in pairs(cond) do ops[#ops + 1] = op end
  table.sort(ops)
  for _, op in ipairs(ops) do
    local base = op:gsub("IfExists$", "")
    local info = OPS[base]
    local splits = info and not info[3] and info[1] ~= "null" and not op:find(":", 1, true)
    local keys = {}
    for k in pairs(cond[op]) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local vals = cond[op][k]
      local choices = (splits and #vals > 1) and vals or nil
      local nextp = {}
      for _, p in ipairs(parts) do
        if choices then
          for _, v in ipairs(choices) do
            local q = {}
            for o, m in pairs(p) do q[o] = {} for kk, vv in pairs(m) do q[o][kk] = vv end end
            q[op] = q[op] or {}
            q[op][k] = { v }
            nextp[#nextp + 1] = q
          end
        else
          local q = {}
          for o, m in pairs(p) do q[o] = {} for kk, vv in pairs(m) do q[o][kk] = vv end end
          q[op] = q[op] or {}
          q[op][k] = vals
          nextp[#nextp + 1] = q
        end
        if #nextp > limit then return { cond } end
      end
      parts = nextp
    end
  end
  return parts
end

return M
