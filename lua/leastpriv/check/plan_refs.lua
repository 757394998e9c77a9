-- What a `terraform show -json` plan knows only after apply, and what its
-- configuration says a value refers to.
--
-- A value Terraform computes at apply (a role's name from name_prefix, a
-- policy's ARN, a policy that names a bucket created in the same plan) is
-- absent from planned_values and marked true in the resource change's
-- after_unknown.  The plan's `configuration` still holds the expression:
-- its `references` (["aws_iam_role.x.id", "aws_iam_role.x"]) name the
-- resource it comes from, relative to the module that holds it.  That is
-- enough to link `role = aws_iam_role.x.id` to the role's resource, and to
-- say which policies could not be checked and why.
local M = {}

-- The quoted or bare key of an index at s[i] == "[": its text and the
-- position after the "]", or nil.
local function index_at(s, i)
  if s:sub(i, i) ~= "[" then return nil end
  local j = i + 1
  if s:sub(j, j) == '"' then
    j = j + 1
    while j <= #s do
      local c = s:sub(j, j)
      if c == "\\" then j = j + 2
      elseif c == '"' then break
      else j = j + 1 end
    end
    j = j + 1
  else
    while j <= #s and s:sub(j, j):match("[%w_%-]") do j = j + 1 end
  end
  if s:sub(j, j) ~= "]" then return nil end
  return s:sub(i, j), j + 1
end

-- parse(address) -> { modules = "a.b" (call names, "" at the root), prefix
-- = "module.a[0].module.b." (the instance), resource = "aws_iam_role.x"
-- (or "data.TYPE.NAME"), key = "[0]" or "" }, or nil.
function M.parse(address)
  if type(address) ~= "string" then return nil end
  local names, i = {}, 1
  while address:sub(i, i + 6) == "module." do
    local name = address:match("^[%w_%-]+", i + 7)
    if not name then return nil end
    names[#names + 1] = name
    i = i + 7 + #name
    local _, after = index_at(address, i)
    if after then i = after end
    if address:sub(i, i) ~= "." then return nil end
    i = i + 1
  end
  local prefix = address:sub(1, i - 1)
  local resource = address:match("^data%.[%w_%-]+%.[%w_%-]+", i) or address:match("^[%w_%-]+%.[%w_%-]+", i)
  if not resource then return nil end
  i = i + #resource
  local key = ""
  if i <= #address then
    local k, after = index_at(address, i)
    if not k or after <= #address then return nil end
    key = k
  end
  return { modules = table.concat(names, "."), prefix = prefix, resource = resource, key = key }
end

-- Every configuration resource by "modules\0address".
local function walk_config(module, modules, out)
  if type(module) ~= "table" then return end
  for _, r in ipairs(type(module.resources) == "table" and module.resources or {}) do
    if type(r) == "table" and type(r.address) == "string" then
      out[modules .. "\0" .. r.address] = r
    end
  end
  if type(module.module_calls) == "table" then
    for name, call in pairs(module.module_calls) do
      if type(name) == "string" and type(call) == "table" then
        walk_config(call.module, modules == "" and name or (modules .. "." .. name), out)
      end
    end
  end
end

-- index(plan, planned) -> context.  planned: address -> { r =, path = }
-- (the resources leastpriv reads).
function M.index(plan, planned)
  local ctx = { changes = {}, config = {}, planned = planned, has_config = false }
  for i, rc in ipairs(type(plan.resource_changes) == "table" and plan.resource_changes or {}) do
    if type(rc) == "table" and type(rc.address) == "string" and type(rc.change) == "table" then
      ctx.changes[rc.address] = { change = rc.change, path = ("resource_changes[%d].change"):format(i - 1) }
    end
  end
  if type(plan.configuration) == "table" then
    ctx.has_config = true
    walk_config(plan.configuration.root_module, "", ctx.config)
  end
  return ctx
end

local function config_of(ctx, address)
  local a = M.parse(address)
  return a and ctx.config[a.modules .. "\0" .. a.resource], a
end

-- The references of attribute attr of the resource at address, as the
-- configuration writes them (a list, maybe empty).
function M.references(ctx, address, attr)
  local cfg = config_of(ctx, address)
  local expr = cfg and type(cfg.expressions) == "table" and cfg.expressions[attr]
  local refs = {}
  for _, ref in ipairs(type(expr) == "table" and type(expr.references) == "table" and expr.references or {}) do
    if type(ref) == "string" then refs[#refs + 1] = ref end
  end
  return refs, expr ~= nil and expr ~= false
end

-- unknown(ctx, address, attr) -> nil, or { path = JSON path of the
-- after_unknown mark, refs = references }: attr is known only after apply
-- and is set by the configuration (an attribute the provider computes
-- when unset, such as aws_sqs_queue's policy, is not a policy written).
-- sub: a list index and field inside attr (inline_policy blocks).
function M.unknown(ctx, address, attr, sub_index, sub_field)
  local ch = ctx.changes[address]
  local au = ch and type(ch.change.after_unknown) == "table" and ch.change.after_unknown or nil
  if not au then return nil end
  local mark, path = au[attr], ("%s.after_unknown.%s"):format(ch.path, attr)
  if sub_index then
    mark = type(mark) == "table" and mark[sub_index] or nil
    mark = type(mark) == "table" and mark[sub_field] or nil
    path = ("%s[%d].%s"):format(path, sub_index - 1, sub_field)
  end
  if mark ~= true then return nil end
  local refs, set = M.references(ctx, address, attr)
  if ctx.has_config and config_of(ctx, address) and not set then return nil end
  return { path = path, refs = refs }
end

-- target(ctx, address, attr, rtype) -> planned resource { r =, path = } of
-- type rtype that attr of the resource at address refers to (in the same
-- module instance), and the reference; or nil.
function M.target(ctx, address, attr, rtype)
  local refs = M.references(ctx, address, attr)
  local a = M.parse(address)
  if not a then return nil end
  for _, ref in ipairs(refs) do
    local name = ref:match("^" .. rtype:gsub("%-", "%%-") .. "%.([%w_%-]+)")
    if name then
      local base = a.prefix .. rtype .. "." .. name
      local key = index_at(ref, #rtype + #name + 2)
      -- an explicit key, the referring resource's own key (count.index,
      -- each.key), or the one instance there is
      local found = (key and ctx.planned[base .. key]) or ctx.planned[base .. a.key]
        or ctx.planned[base]
      if found then return found, ref end
    end
  end
  return nil, refs[1]
end

return M
