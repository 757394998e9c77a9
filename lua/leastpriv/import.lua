-- Existing IAM into role scripts: the roles and policies that
-- leastpriv.inputs reads (IAM JSON, account dumps, plans, .tf modules)
-- written as a person would write them: one lp.allow / lp.deny per
-- statement, lp.trust.service / aws / github where the trust has that
-- shape, lp.var for Terraform variables (and, named after them, for values
-- that only apply knows), raw IAM tables where the DSL would refuse a
-- statement (say, an action the catalog does not have), with a comment.
-- Every script is checked: it is run, and what it returns must mean the
-- same as the input, as IAM documents; if an idiom does not, the plain
-- document is written instead.
--
--   local files = import.scripts(items, { source = "dump.json" })
--   -- { { name = "role-name.lua", text = "...", item = item }... }
local core = require "leastpriv.core"
local statement = require "leastpriv.statement"
local template = require "leastpriv.template"
local trust = require "leastpriv.trust"

local M = {}

-- ---- Lua source of values ----

-- Variables met on the way: placeholder expression -> Lua local name.
local function new_vars()
  return { names = {}, order = {}, used = {} }
end

local function var_name(vars, expr)
  local name = vars.names[expr]
  if name then return name end
  local base = expr:match("^var%.([%a_][%w_]*)$") or expr:gsub("[^%w_]", "_"):gsub("^(%d)", "_%1")
  name = base
  local n = 1
  while vars.used[name] do n = n + 1; name = base .. "_" .. n end
  vars.used[name] = true
  vars.names[expr] = name
  vars.order[#vars.order + 1] = { name = name, expr = expr,
    terraform = expr:match("^var%.([%a_][%w_]*)$"), reference = not expr:match("^var%.") }
  return name
end

-- A string as a Lua expression: placeholders become the variables' names.
local function lua_string(s, vars)
  if not template.has_placeholder(s) then return ("%q"):format(s) end
  local parts = {}
  local pos = 1
  while true do
    local a, b, expr = s:find(template.OPEN .. "(.-)" .. template.CLOSE, pos)
    if not a then break end
    if a > pos then parts[#parts + 1] = ("%q"):format(s:sub(pos, a - 1)) end
    parts[#parts + 1] = var_name(vars, expr)
    pos = b + 1
  end
  if pos <= #s then parts[#parts + 1] = ("%q"):format(s:sub(pos)) end
  return table.concat(parts, " .. ")
end

local function is_list(t)
  return type(t) == "table" and (getmetatable(t) == core.array_mt or (#t > 0 and next(t, #t) == nil))
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

-- A value as Lua source, indented; lists of one string as that string.
local function lua_value(v, vars, indent, one_as_string)
  indent = indent or ""
  if type(v) == "string" then return lua_string(v, vars) end
  if type(v) ~= "table" then return tostring(v) end
  if is_list(v) then
    if one_as_string and #v == 1 and type(v[1]) == "string" then return lua_string(v[1], vars) end
    local items = {}
    for i, x in ipairs(v) do items[i] = lua_value(x, vars, indent .. "  ") end
    local one = "{ " .. table.concat(items, ", ") .. " }"
    if #one + #indent <= 100 then return one end
    return "{\n" .. indent .. "  " .. table.concat(items, ",\n" .. indent .. "  ") .. ",\n" .. indent .. "}"
  end
  local items = {}
  for _, k in ipairs(sorted_keys(v)) do
    local key = type(k) == "string" and k:match("^[%a_][%w_]*$") and k or ("[%s]"):format(lua_string(tostring(k), vars))
    items[#items + 1] = key .. " = " .. lua_value(v[k], vars, indent .. "  ", true)
  end
  local one = "{ " .. table.concat(items, ", ") .. " }"
  if #one + #indent <= 100 then return one end
  return "{\n" .. indent .. "  " .. table.concat(items, ",\n" .. indent .. "  ") .. ",\n" .. indent .. "}"
end

-- ---- statements ----

local DSL = { Sid = "sid", Action = "action", NotAction = "not_action", Resource = "resource",
              NotResource = "not_resource", Principal = "principal", NotPrincipal = "not_principal",
              Condition = "condition" }
local DSL_ORDER = { "Sid", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition" }

-- Does the DSL accept the statement as it stands?  (It refuses unknown
-- actions, malformed ARNs and the like at the script's line.)
local function dsl_accepts(st)
  local t = {}
  for field, key in pairs(DSL) do if st[field] ~= nil then t[key] = st[field] end end
  local ok, err = pcall(statement.build, t, st.Effect == "Deny" and "Deny" or "Allow", "import")
  return ok, err
end

local function statement_source(st, vars, indent)
  local ok, err = dsl_accepts(st)
  if not ok then
    return ("-- kept as written: %s\n%s%s"):format(tostring(err):gsub("\n", " "):gsub("^[^:]*:%d+: ", ""),
      indent, lua_value(st, vars, indent))
  end
  local fields = {}
  for _, f in ipairs(DSL_ORDER) do
    if st[f] ~= nil then fields[#fields + 1] = DSL[f] .. " = " .. lua_value(st[f], vars, indent .. "  ", true) end
  end
  local fn = st.Effect == "Deny" and "lp.deny" or "lp.allow"
  local one = fn .. " { " .. table.concat(fields, ", ") .. " }"
  if #one + #indent <= 100 and not one:find("\n", 1, true) then return one end
  return fn .. " {\n" .. indent .. "  " .. table.concat(fields, ",\n" .. indent .. "  ") .. ",\n" .. indent .. "}"
end

local function policy_source(doc, vars, indent)
  local lines = { "lp.policy {" }
  for _, st in ipairs(doc.Statement or {}) do
    lines[#lines + 1] = indent .. "  " .. statement_source(st, vars, indent .. "  ") .. ","
  end
  lines[#lines + 1] = indent .. "}"
  return table.concat(lines, "\n")
end

-- ---- trust idioms ----

local function canon(doc)
  local ok, c = pcall(core.policy_normalize, doc)
  return ok and c or nil
end

local function same(a, b)
  local ca, cb = canon(a), canon(b)
  if not ca or not cb then return false end
  return template.json_encode(ca) == template.json_encode(cb)
end

local function one(v)
  if type(v) == "table" then return #v == 1 and v[1] or nil end
  return v
end

-- The trust document as an idiom's source, if one renders the same.
local function trust_source(doc, vars, indent)
  local sts = doc.Statement or {}
  local st = sts[1]
  if #sts == 1 and st.Effect == "Allow" and type(st.Principal) == "table" and not st.Sid then
    local cond = st.Condition or {}
    local candidates = {}
    if st.Principal.Service then
      local opts = {}
      local se, al = cond.StringEquals, cond.ArnLike
      if se and one(se["aws:SourceAccount"]) then opts.source_account = one(se["aws:SourceAccount"]) end
      if al and one(al["aws:SourceArn"]) then opts.source_arn = one(al["aws:SourceArn"]) end
      candidates[#candidates + 1] = { fn = "lp.trust.service", build = function()
        return trust.service(st.Principal.Service, next(opts) and opts or nil) end,
        args = { st.Principal.Service, next(opts) and opts or nil } }
    end
    if st.Principal.AWS then
      local opts = {}
      local se = cond.StringEquals
      if se and one(se["sts:ExternalId"]) then opts.external_id = one(se["sts:ExternalId"]) end
      candidates[#candidates + 1] = { fn = "lp.trust.aws", build = function()
        return trust.aws(st.Principal.AWS, next(opts) and opts or nil) end,
        args = { st.Principal.AWS, next(opts) and opts or nil } }
    end
    local fed = one(st.Principal.Federated)
    if type(fed) == "string" and fed:match(":oidc%-provider/token%.actions%.githubusercontent%.com$") then
      local host = "token.actions.githubusercontent.com"
      local sub = (cond.StringEquals and one(cond.StringEquals[host .. ":sub"])) or
                  (cond.StringLike and one(cond.StringLike[host .. ":sub"]))
      local repo, kind, name
      if type(sub) == "string" then
        repo, name = sub:match("^repo:([^:]+):ref:refs/heads/(.+)$")
        kind = repo and "branch"
        if not repo then repo, name = sub:match("^repo:([^:]+):ref:refs/tags/(.+)$"); kind = repo and "tag" end
        if not repo then repo, name = sub:match("^repo:([^:]+):environment:(.+)$"); kind = repo and "environment" end
      end
      local account = fed:match("^arn:[^:]+:iam::([^:]+):")
      if repo and account then
        local opts = { repo = repo, [kind] = name, account = account }
        candidates[#candidates + 1] = { fn = "lp.trust.github", build = function() return trust.github(opts) end,
          args = { opts }, table_arg = true }
      end
    end
    for _, c in ipairs(candidates) do
      local ok, built = pcall(c.build)
      if ok and same({ Version = doc.Version or "2012-10-17", Statement = { built } }, doc) then
        if c.table_arg then return c.fn .. " " .. lua_value(c.args[1], vars, indent) end
        local args = {}
        for i = 1, 2 do if c.args[i] ~= nil then args[#args + 1] = lua_value(c.args[i], vars, indent, true) end end
        return c.fn .. "(" .. table.concat(args, ", ") .. ")"
      end
    end
  end
  return lua_value(doc, vars, indent)
end

-- ---- scripts ----

local function file_name(name, taken)
  local base = tostring(name):gsub("[^%w%-_.]", "_"):gsub("^%.+", "_")
  if base == "" then base = "role" end
  local candidate = base .. ".lua"
  local n = 1
  while taken[candidate:lower()] do n = n + 1; candidate = ("%s_%d.lua"):format(base, n) end
  taken[candidate:lower()] = true
  return candidate
end

local function header(item, opts)
  local text = ("-- Imported by `leastpriv import` from %s%s.\n"):format(opts.source or "its source",
    item.address and item.name and (" (" .. template.display(tostring(item.name)) .. ")") or "")
  if item.of_role then
    text = text .. ("-- An inline policy of the role %s, whose trust policy the input does not hold.\n")
      :format(template.display(tostring(item.of_role)))
  end
  return text
end

-- The IAM name of an item (account dumps label theirs "role NAME"), or nil
-- when it has none that IAM would take.
function M.iam_name(item)
  local name = item.iam_name or item.name
  if type(name) ~= "string" then return nil end
  if template.has_placeholder(name) or name:match("^[%w+=,.@_%-]+$") and #name <= 64 then return name end
  return nil
end

-- The script of one item; plain documents when the idioms do not round-trip.
local function script_of(item, opts, plain)
  local vars = new_vars()
  local body = {}
  local function pv(v, indent) return plain and lua_value(v, vars, indent) or nil end
  if item.kind == "role" then
    body[#body + 1] = "return lp.role {"
    local name = M.iam_name(item)
    if name then
      body[#body + 1] = "  name = " .. lua_string(name, vars) .. ","
    else       -- a Terraform address whose name only apply knows
      body[#body + 1] = "  name = " .. var_name(vars, tostring(item.name) .. ".name") .. ","
    end
    if item.path and item.path ~= "/" then body[#body + 1] = "  path = " .. lua_string(item.path, vars) .. "," end
    if item.description then body[#body + 1] = "  description = " .. lua_string(item.description, vars) .. "," end
    if item.trust then
      body[#body + 1] = "  trust = " .. (pv(item.trust, "  ") or trust_source(item.trust, vars, "  ")) .. ","
    end
    if item.policies and #item.policies > 0 then
      body[#body + 1] = "  policies = {"
      for _, p in ipairs(item.policies) do
        body[#body + 1] = ("    [%s] = %s,"):format(lua_string(p.name, vars),
          pv(p.document, "    ") or policy_source(p.document, vars, "    "))
      end
      body[#body + 1] = "  },"
    end
    if item.managed_policy_arns and #item.managed_policy_arns > 0 then
      body[#body + 1] = "  managed_policies = " .. lua_value(item.managed_policy_arns, vars, "  ") .. ","
    end
    if item.tags and next(item.tags) then body[#body + 1] = "  tags = " .. lua_value(item.tags, vars, "  ") .. "," end
    body[#body + 1] = "}"
  else
    local doc = item.document or item
    body[#body + 1] = "return " .. (pv(doc, "") or policy_source(doc, vars, ""))
  end
  local lines = { header(item, opts), 'local lp = require "leastpriv"', "" }
  for _, v in ipairs(vars.order) do
    if v.terraform then
      lines[#lines + 1] = ("local %s = lp.var(%q)"):format(v.name, v.terraform)
    else
      lines[#lines + 1] = ("-- %s is known only after apply: an input here"):format(v.expr)
      lines[#lines + 1] = ("local %s = lp.var(%q, { description = %q })"):format(v.name, v.name,
        "the value of " .. v.expr)
    end
  end
  if #vars.order > 0 then lines[#lines + 1] = "" end
  lines[#lines + 1] = table.concat(body, "\n")
  return table.concat(lines, "\n") .. "\n", vars
end
M.script_of = script_of

-- scripts(items, opts) -> files.  opts.source names the input; opts.check(
-- text) -> returned items or nil, err runs a script (the round-trip test).
-- A role the input holds no trust policy for (its policies are in the
-- input, the role itself elsewhere) is written as its policies, each a
-- policy script of its own.
local function without_trustless(items)
  local out = {}
  for _, item in ipairs(items) do
    if item.kind == "role" and not item.trust then
      for _, p in ipairs(item.policies or {}) do
        out[#out + 1] = { kind = "policy", name = ("%s-%s"):format(M.iam_name(item) or "role", p.name),
                          document = p.document, of_role = item.name, address = item.address }
      end
    else
      out[#out + 1] = item
    end
  end
  return out
end

function M.scripts(items, opts)
  opts = opts or {}
  local files, taken = {}, {}
  items = without_trustless(items)
  for _, item in ipairs(items) do
    local text = script_of(item, opts, false)
    local fallback = false
    if opts.check then
      local ok = opts.check(text, item)
      if not ok then
        text = script_of(item, opts, true)
        fallback = true
      end
    end
    local name = M.iam_name(item) or item.name or "policy"
    files[#files + 1] = { name = file_name(template.display(tostring(name)), taken), text = text, item = item,
                          plain = fallback }
  end
  return files
end

-- Do two items mean the same, as IAM documents (trust, each policy, the
-- managed policy ARNs)?
function M.same(a, b)
  if (a.kind == "role") ~= (b.kind == "role") then return false end
  if a.kind ~= "role" then           -- policies and plain documents: their documents
    return same(a.kind == "policy" and a.document or a, b.kind == "policy" and b.document or b)
  end
  if (a.trust == nil) ~= (b.trust == nil) or (a.trust and not same(a.trust, b.trust)) then return false end
  if #(a.policies or {}) ~= #(b.policies or {}) then return false end
  local by_name = {}
  for _, p in ipairs(b.policies or {}) do by_name[p.name] = p end
  for _, p in ipairs(a.policies or {}) do
    local q = by_name[p.name]
    if not q or not same(p.document, q.document) then return false end
  end
  local ma, mb = a.managed_policy_arns or {}, b.managed_policy_arns or {}
  if #ma ~= #mb then return false end
  for i = 1, #ma do if ma[i] ~= mb[i] then return false end end
  return true
end

return M
