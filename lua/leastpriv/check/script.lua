-- Input: role scripts.  The script runs as `render` runs it (in its own
-- sandbox, leastpriv.script), where the DSL's statement builder is watched
-- so that each statement remembers the script line that built it; a
-- finding then points at that line, or at the line of the value it is about (an action, a resource, a condition key) when
-- the script spells it out.  Template variables take their declared
-- defaults; those without one stay opaque.
--
-- Inline suppression: a comment `-- leastpriv: ignore CODE[, CODE...]` on
-- the finding's line, on the statement's first line, or alone on the line
-- above either; `-- leastpriv: ignore-file CODE...` anywhere in the script.
local template = require "leastpriv.template"
local script = require "leastpriv.script"
local harness = require "leastpriv.script_harness"

local M = {}

local key_of = harness.key_of

-- Run path (in its sandbox, where the statement builder is watched):
-- items, variables, the list of { key, line } of the statements it built,
-- and the account values its scopes named.
local function run_watched(path)
  return script.run(path)
end

-- The 12-digit accounts among the values a script's scopes named, sorted
-- and distinct: an lp.var placeholder takes its value (--set, else the
-- declared default); "*", partial placeholders and anything else that is
-- no account are left out.
function M.scope_accounts(named, defaults)
  local set, list = {}, {}
  for _, a in ipairs(named or {}) do
    local var = a:match("^" .. template.OPEN .. "var%.([%w_]+)" .. template.CLOSE .. "$")
    if var then a = defaults[var] end
    if type(a) == "string" and a:match("^%d%d%d%d%d%d%d%d%d%d%d%d$") and not set[a] then
      set[a] = true
      list[#list + 1] = a
    end
  end
  table.sort(list)
  return list
end

-- Replace placeholders that have a default; keep the others (opaque).
local function substitute(x, defaults)
  return template.substitute(x, defaults, nil, true)
end

local function read_lines(path)
  local lines, f = {}, io.open(path, "r")
  if not f then return lines end
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  return lines
end

-- Codes suppressed by comments: { [line] = { CODE = true } }, file-wide set.
local function suppressions(lines)
  local at, file = {}, {}
  for i, line in ipairs(lines) do
    local kind, codes = line:match("%-%-%s*leastpriv:%s*(ignore%-?f?i?l?e?)%s+([%w_,%s]+)")
    if kind then
      local set = {}
      for code in codes:gmatch("[%w_]+") do set[code] = true end
      if kind == "ignore-file" then
        for code in pairs(set) do file[code] = true end
      elseif kind == "ignore" then
        at[i] = set
      end
    end
  end
  return at, file
end

-- Value at JSON path p of document doc ("Statement[1].Action[0]"), and the
-- last member name on the way.
local function value_at(doc, p)
  local v, last = doc, nil
  for seg in p:gmatch("[^%.%[%]]+") do
    if type(v) ~= "table" then return nil end
    local n = tonumber(seg)
    local q = seg:match('^"(.*)"$')
    if q then seg = q end
    if n then v = v[n + 1] else v = v[seg]; last = seg end
  end
  return v, last
end

-- Line and column of the Lua string literal s between lines a and b.
local function find_literal(lines, s, a, b)
  if type(s) ~= "string" or s == "" then return nil end
  for i = a, math.min(b, #lines) do
    for _, q in ipairs { '"', "'" } do
      local at = lines[i]:find(q .. s .. q, 1, true)
      if at then return i, at end
    end
  end
end

local function first_col(line)
  return (line and line:find("%S")) or 1
end

-- entities(run, path [, values]) -> entities, or raises the script's
-- error.  (run receives no findings here: they come from checking the
-- entities.)  values: NAME -> value for template variables (--set), over
-- their declared defaults.
function M.entities(_, path, values)
  local items, variables, built, named = run_watched(path)
  local lines = read_lines(path)
  local ignore_at, ignore_file = suppressions(lines)
  local defaults = {}
  for _, v in ipairs(variables or {}) do
    local given = values and values[v.name]
    if given == nil then given = v.default end
    defaults[v.name] = given
  end
  local accounts = M.scope_accounts(named, defaults)
  local by_key = {}
  for _, b in ipairs(built) do
    local q = by_key[b.key]
    if not q then q = {}; by_key[b.key] = q end
    q[#q + 1] = b.line
  end
  local last_return
  for i, line in ipairs(lines) do
    if line:match("^return[%s%(%{]") or line == "return" then last_return = i end
  end

  -- statement lines of a canonical document (1-based statement index -> line)
  local function statement_lines(doc)
    local out = {}
    for i, s in ipairs(doc.Statement or {}) do
      local q = by_key[key_of(s)]
      if q and #q > 0 then out[i] = table.remove(q, 1) end
    end
    return out
  end

  local function suppressed(f)
    if ignore_file[f.code] then return true end
    local check = { f.line, f._stmt_line }
    for _, l in ipairs(check) do
      if l then
        if ignore_at[l] and ignore_at[l][f.code] then return true end
        local above = lines[l - 1]
        if above and above:match("^%s*%-%-") and ignore_at[l - 1] and ignore_at[l - 1][f.code] then
          return true
        end
      end
    end
    return false
  end

  local function make_doc(canonical, fields, anchor_line)
    local slines = statement_lines(canonical)
    local d = fields
    d.document = substitute(canonical, defaults)
    d.file = path
    d.suppressed = suppressed
    d.locate = function(f)
      local si = f.path and tonumber(f.path:match("^Statement%[(%d+)%]"))
      local sline = si and slines[si + 1] or slines[1] or anchor_line or last_return or 1
      f._stmt_line = sline
      local nexts = math.huge
      for _, l in pairs(slines) do if l > sline and l < nexts then nexts = l end end
      if nexts == math.huge then nexts = sline + 40 end
      local line, col
      if si and f.path then
        local v, last = value_at(canonical, f.path)
        if type(v) == "table" then v = v[1] end
        line, col = find_literal(lines, v, sline, nexts - 1)
        if not line and last then line, col = find_literal(lines, last, sline, nexts - 1) end
        if not line and template.has_placeholder(v) then
          local plain = v:match("^([^" .. template.OPEN .. "]*)")
          if plain and #plain > 4 then line, col = find_literal(lines, plain, sline, nexts - 1) end
        end
      end
      f.line = line or sline
      f.column = col or first_col(lines[f.line])
    end
    return d
  end

  local entities = {}
  for _, item in ipairs(items) do
    local kind = script.kind_of(item)
    if kind == "role" then
      local label = item.name and item.name:gsub(template.OPEN .. "var%.([%w_]+)" .. template.CLOSE, function(n)
        return defaults[n] ~= nil and tostring(defaults[n]) or ("${var." .. n .. "}")
      end) or "role"
      local role_line
      for i, line in ipairs(lines) do
        if line:find("lp.role", 1, true) then role_line = i end
      end
      role_line = role_line or last_return or 1
      local e = { kind = "role", name = substitute(item.name, defaults), path = item.path,
                  label = label, file = path, inline = {}, managed = {},
                  max_session_duration = item.max_session_duration, suppressed = suppressed,
                  description = item.description }
      e.managed = item.managed_policy_arns or {}
      e.locate = function(f, field)
        local want = field == "RoleName" and "name" or field == "Path" and "path"
                     or field == "MaxSessionDuration" and "max_session_duration"
                     or field == "AttachedManagedPolicies" and "managed_policies" or nil
        local line = role_line
        if want then
          for i = role_line, #lines do
            if lines[i]:match("%f[%w_]" .. want .. "%s*=") then line = i; break end
          end
        end
        f.line, f.column = line, first_col(lines[line])
        f._stmt_line = role_line
      end
      e.trust = make_doc(item.trust, { type = "trust", label = label .. "/trust" }, role_line)
      for _, p in ipairs(item.policies or {}) do
        local pline = role_line
        for i = role_line, #lines do
          if lines[i]:find('"' .. p.name .. '"', 1, true) or lines[i]:find("'" .. p.name .. "'", 1, true) then
            pline = i; break
          end
        end
        local d = make_doc(p.document, { type = "identity", inline = true, name = p.name,
                                         label = label .. "/" .. p.name }, pline)
        d.name_place = { file = path, label = d.label, line = pline, column = first_col(lines[pline]),
                         suppressed = suppressed }
        e.inline[#e.inline + 1] = d
      end
      e.scope_accounts = accounts
      entities[#entities + 1] = e
    elseif kind == "policy" then
      local d = make_doc(item.document, { type = "identity", managed = true,
                                          label = item.name or "policy" }, last_return)
      entities[#entities + 1] = { kind = "policy", name = item.name, path = item.path,
        label = item.name, file = path, doc = d, line = last_return, suppressed = suppressed,
        scope_accounts = accounts }
    else
      local d = make_doc(item, { label = path:match("([^/]+)$") }, last_return)
      entities[#entities + 1] = { kind = "document", label = d.label, file = path, doc = d,
                                  line = last_return, suppressed = suppressed,
                                  scope_accounts = accounts }
    end
  end
  return entities
end

return M
