-- data "aws_iam_policy_document" read from source, as the AWS provider
-- builds it: statement blocks (and dynamic "statement" blocks) with sid,
-- effect (Allow by default), actions, not_actions, resources,
-- not_resources, principals, not_principals and condition blocks;
-- source_policy_documents first, this document's statements replacing any
-- of theirs with the same Sid, then override_policy_documents replacing by
-- Sid or adding.  Principals of type "*" give "Principal": "*".  Every
-- statement and list remembers where it was written (ctx.pos), so that
-- findings point at the .tf line.
local eval = require "leastpriv.tf.eval"
local V = require "leastpriv.tf.values"

local M = {}

local function at(node) return { line = node.line, column = node.column } end

-- The blocks of body of type `kind`, dynamic ones expanded: a list of
-- { body =, names =, node = }.
local function blocks_of(m, body, kind, names)
  local out = {}
  for _, b in ipairs(body.blocks) do
    if b.type == kind then
      out[#out + 1] = { body = b.body, names = names, node = b }
    elseif b.type == "dynamic" and b.labels[1] == kind then
      local a = b.body.attributes
      if not a.for_each then eval.fail(b, "a dynamic block needs for_each") end
      local coll = m:eval(a.for_each.expr, names)
      if V.is_unknown(coll) then return coll end
      local iter = kind
      if a.iterator then
        if a.iterator.expr.kind ~= "var" then eval.fail(a.iterator.expr, "iterator must be a name") end
        iter = a.iterator.expr.name
      end
      local content
      for _, c in ipairs(b.body.blocks) do if c.type == "content" then content = c end end
      if not content then eval.fail(b, "a dynamic block needs a content block") end
      for _, kv in ipairs(V.elements(coll)) do
        local n = {}
        for k, v in pairs(names or {}) do n[k] = v end
        n[iter] = { key = kv[1], value = kv[2] }
        out[#out + 1] = { body = content.body, names = n, node = content }
      end
    end
  end
  return out
end

local function strings(v, node, what)
  if V.is_unknown(v) then return v end
  if type(v) == "string" then return V.list({ v }) end
  if not V.is_list(v) then eval.fail(node, what .. " must be a list of strings") end
  for _, x in ipairs(v) do
    if V.is_unknown(x) then return x end
    if type(x) ~= "string" then eval.fail(node, what .. " must be a list of strings") end
  end
  return v
end

-- One statement block to an IAM statement table (or an Unknown).
local function statement(m, blk, pos)
  local a, names = blk.body.attributes, blk.names
  local st, where = {}, {}
  local function attr(name)
    local x = a[name]
    if not x then return nil end
    local v = m:eval(x.expr, names)
    where[name] = at(x.expr)
    return v, x.expr
  end
  local sid = attr("sid")
  if V.is_unknown(sid) then return sid end
  if sid ~= nil and sid ~= V.null then st.Sid = V.tostring(sid) end
  local effect = attr("effect")
  if V.is_unknown(effect) then return effect end
  st.Effect = (effect == nil or effect == V.null) and "Allow" or V.tostring(effect)
  for field, key in pairs({ actions = "Action", not_actions = "NotAction", resources = "Resource",
                            not_resources = "NotResource" }) do
    local v, node = attr(field)
    if v ~= nil and v ~= V.null then
      v = strings(v, node, field)
      if V.is_unknown(v) then return v end
      st[key] = v
      pos[v] = { line = node.line, column = node.column, at = (m.pos[v] or {}).at }
      where[key] = where[field]
    end
  end
  for field, key in pairs({ principals = "Principal", not_principals = "NotPrincipal" }) do
    local list = blocks_of(m, blk.body, field, names)
    if V.is_unknown(list) then return list end
    for _, p in ipairs(list) do
      local pt = p.body.attributes.type
      local ids = p.body.attributes.identifiers
      if not pt or not ids then eval.fail(p.node, field .. " needs type and identifiers") end
      local t = m:eval(pt.expr, p.names)
      local idv = strings(m:eval(ids.expr, p.names), ids.expr, "identifiers")
      local u = V.first_unknown(t, idv)
      if u then return u end
      if t == "*" then
        st[key] = "*"
      else
        if type(st[key]) ~= "table" then st[key] = {} end
        local l = st[key][t] or V.list()
        for _, id in ipairs(idv) do l[#l + 1] = id end
        st[key][t] = l
        pos[l] = { line = ids.expr.line, column = ids.expr.column }
      end
      where[key] = at(p.node)
    end
  end
  local conds = blocks_of(m, blk.body, "condition", names)
  if V.is_unknown(conds) then return conds end
  for _, c in ipairs(conds) do
    local ca = c.body.attributes
    if not ca.test or not ca.variable or not ca.values then
      eval.fail(c.node, "a condition needs test, variable and values")
    end
    local test, var = m:eval(ca.test.expr, c.names), m:eval(ca.variable.expr, c.names)
    local values = strings(m:eval(ca.values.expr, c.names), ca.values.expr, "values")
    local u = V.first_unknown(test, var, values)
    if u then return u end
    st.Condition = st.Condition or {}
    local op = st.Condition[test] or {}
    st.Condition[test] = op
    local l = op[var] or V.list()
    for _, x in ipairs(values) do l[#l + 1] = x end
    op[var] = l
    pos[l] = { line = ca.values.expr.line, column = ca.values.expr.column }
    where.Condition = where.Condition or at(c.node)
  end
  pos[st] = { line = blk.node.line, column = blk.node.column, at = where }
  return st
end

local function decode(s, node)
  if V.is_unknown(s) then return s end
  if type(s) ~= "string" then eval.fail(node, "a policy document must be a JSON string") end
  local d, err = require("leastpriv.template").json_decode(s)
  if d == nil then eval.fail(node, "invalid JSON policy: " .. err) end
  return d
end

-- build(m, block, inst) -> the IAM policy document (a table), or an Unknown.
function M.build(m, b, inst)
  local a, names = b.body.attributes, inst and inst.names or nil
  local pos = m.pos
  local out = { Statement = V.list() }
  local by_sid = {}
  local function add(st)
    local sid = type(st) == "table" and st.Sid
    if sid and by_sid[sid] then
      out.Statement[by_sid[sid]] = st
    else
      out.Statement[#out.Statement + 1] = st
      if sid then by_sid[sid] = #out.Statement end
    end
  end
  local function documents(name)
    if not a[name] then return {} end
    local list = m:eval(a[name].expr, names)
    if V.is_unknown(list) then return list end
    local docs = {}
    for _, s in ipairs(V.is_list(list) and list or {}) do
      if type(s) == "string" then m.consumed[s] = true end
      local d = decode(s, a[name].expr)
      if V.is_unknown(d) then return d end
      docs[#docs + 1] = d
    end
    return docs
  end
  local sources = documents("source_policy_documents")
  if V.is_unknown(sources) then return sources end
  for _, d in ipairs(sources) do
    local sts = d.Statement
    if type(sts) == "table" and sts.Effect then sts = { sts } end
    for _, st in ipairs(type(sts) == "table" and sts or {}) do add(st) end
  end
  local own = blocks_of(m, b.body, "statement", names)
  if V.is_unknown(own) then return own end
  for _, blk in ipairs(own) do
    local st = statement(m, blk, pos)
    if V.is_unknown(st) then return st end
    add(st)
  end
  local overrides = documents("override_policy_documents")
  if V.is_unknown(overrides) then return overrides end
  for _, d in ipairs(overrides) do
    local sts = d.Statement
    if type(sts) == "table" and sts.Effect then sts = { sts } end
    for _, st in ipairs(type(sts) == "table" and sts or {}) do add(st) end
  end
  local version = a.version and m:eval(a.version.expr, names)
  if V.is_unknown(version) then return version end
  out.Version = type(version) == "string" and version or "2012-10-17"
  if a.policy_id then
    local id = m:eval(a.policy_id.expr, names)
    if V.is_unknown(id) then return id end
    out.Id = V.tostring(id)
  end
  pos[out] = { line = b.line, column = b.column, at = { Statement = at(b) } }
  return out
end

return M
