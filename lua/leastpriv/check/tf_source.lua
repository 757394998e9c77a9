-- Input: Terraform source (.tf files, a module folder), read without a
-- plan (leastpriv.tf.module).  The IAM resources become entities as a
-- plan's do (check/terraform.lua), named by their Terraform address:
-- aws_iam_role (assume_role_policy), aws_iam_role_policy (linked to its
-- role through the reference or the name), aws_iam_policy,
-- aws_iam_role_policy_attachment, data "aws_iam_policy_document" not used
-- by a resource, and the resource policies of check/resource_policy.lua.
-- A value that only apply can know stays a reference (opaque, exact: never
-- a wildcard); what nothing offline can know is TERRAFORM_VALUE_UNKNOWN at
-- its line, never dropped.  Findings point at the .tf line and column of
-- the value they are about.
local core = require "leastpriv.core"
local resource_policy = require "leastpriv.check.resource_policy"
local tfmodule = require "leastpriv.tf.module"
local V = require "leastpriv.tf.values"
local template = require "leastpriv.template"

local M = {}

-- Is path Terraform source: a .tf file, or a folder holding .tf files?
function M.is_source(path)
  if path:match("%.tf$") then return true end
  return core.is_dir(path) and #tfmodule.tf_files(path:gsub("/+$", "")) > 0
end

-- The place in the .tf text of the value at JSON path p of document doc:
-- the deepest list or object on the way whose position was recorded.
local function locate_in(pos, doc, p, default)
  local v, best = doc, default
  local rec = pos[v]
  if rec then best = { line = rec.line, column = rec.column } end
  for seg in (p or ""):gmatch("[^%.%[%]]+") do
    if type(v) ~= "table" then break end
    local n = tonumber(seg)
    local key = n and (n + 1) or seg:gsub('^"(.*)"$', "%1")
    rec = pos[v]
    local here = rec and rec.at and (rec.at[key] or (n and rec.at[n + 1]))
    if here then best = { line = here.line, column = here.column } end
    v = v[key]
    rec = type(v) == "table" and pos[v]
    if rec and rec.line then best = { line = rec.line, column = rec.column } end
  end
  return best
end

local function str(v) return type(v) == "string" and v or nil end

-- The address a placeholder string refers to ("aws_iam_role.exec.id" ->
-- "aws_iam_role.exec"), when the string is nothing but that reference.
local function referenced(s)
  if type(s) ~= "string" then return nil end
  local expr = s:match("^" .. template.OPEN .. "(.-)" .. template.CLOSE .. "$")
  if not expr then return nil end
  return expr:match("^(.-)%.[%w_]+$")
end

-- Variable values as Terraform takes them: terraform.tfvars and
-- *.auto.tfvars of the root module, then each opts.var_files, then
-- opts.vars (--set), each overriding the one before.
local function variables(path, opts)
  local dir = path:match("%.tf$") and (path:match("^(.*)/[^/]*$") or ".") or path:gsub("/+$", "")
  local files = {}
  local p = io.popen(("ls -1 %s 2>/dev/null"):format("'" .. dir:gsub("'", "'\\''") .. "'"))
  local auto = {}
  if p then
    for name in p:lines() do
      if name == "terraform.tfvars" then files[#files + 1] = dir .. "/" .. name
      elseif name:match("%.auto%.tfvars$") then auto[#auto + 1] = dir .. "/" .. name end
    end
    p:close()
  end
  table.sort(auto)
  for _, f in ipairs(auto) do files[#files + 1] = f end
  for _, f in ipairs(opts.var_files or {}) do files[#files + 1] = f end
  local vars = {}
  for _, file in ipairs(files) do
    for k, v in pairs(tfmodule.read_tfvars(file, opts.read)) do vars[k] = v end
  end
  for k, v in pairs(opts.vars or {}) do vars[k] = v end
  return vars
end

-- entities(run, path [, opts]) -> entities.  opts.vars: variable values
-- (--set), opts.var_files: .tfvars files.
function M.entities(run, path, opts)
  opts = opts or {}
  local m = tfmodule.load(path, { vars = variables(path, opts), read = opts.read })
  local pos, origin = m.pos, m.origin
  local entities, roles, by_name, used = {}, {}, {}, {}

  local function place(inst, node)
    return { file = inst.block.file, label = inst.address, line = node and node.line or inst.block.line,
             column = node and node.column or inst.block.column }
  end
  local function unknown(inst, what, u)
    local node = (u and u.line) and u or inst.block
    run:add({ code = "TERRAFORM_VALUE_UNKNOWN", path = "",
      message = ("%s: %s cannot be known offline (%s): not checked"):format(inst.address, what,
        u and u.why or "unknown") }, { file = inst.block.file, label = inst.address,
        line = node.line, column = node.column })
  end

  -- A policy document from an attribute value (a JSON string), located.
  local function doc(inst, attr, fields)
    local ok, v, node = pcall(inst.module.attribute, inst.module, inst.block, inst.inst, attr, inst.address)
    if not ok then
      run:add({ code = "TERRAFORM_VALUE_UNKNOWN", path = "",
        message = ("%s: %s: %s"):format(inst.address, attr, tostring(v):gsub("^%d+:%d+: ", "")) },
        place(inst, inst.block.body.attributes[attr] and inst.block.body.attributes[attr].expr))
      return nil
    end
    if v == nil or v == V.null then return nil end
    if V.is_unknown(v) then unknown(inst, attr, v); return nil end
    if type(v) ~= "string" then
      run:add({ code = "TERRAFORM_VALUE_UNKNOWN", path = "",
        message = ("%s: %s is a %s, not a JSON policy"):format(inst.address, attr, V.type_name(v)) },
        place(inst, node))
      return nil
    end
    local document, anchor = origin[v], node and { line = node.line, column = node.column }
    if document == nil then
      local d, err = core.json_decode(v)
      if d == nil then
        run:add({ code = "JSON_SYNTAX_ERROR", path = "",
          message = ("%s: %s holds invalid JSON: %s"):format(inst.address, attr, err) }, place(inst, node))
        return nil
      end
      document = d
    end
    used[v] = true
    fields.document = document
    fields.text = v
    fields.file = inst.block.file
    fields.locate = function(f)
      local at = locate_in(pos, document, f.path, anchor or { line = inst.block.line, column = inst.block.column })
      f.line, f.column = at.line, at.column
    end
    return fields
  end

  local function role_entity(key, inst)
    local e = roles[key]
    if not e then
      e = { kind = "role", label = key, file = inst.block.file, inline = {}, managed = {},
            line = inst.block.line, column = inst.block.column }
      roles[key] = e
      entities[#entities + 1] = e
    end
    return e
  end

  local function value(inst, attr)
    local ok, v = pcall(inst.module.attribute, inst.module, inst.block, inst.inst, attr, inst.address)
    if ok then return v end
  end
  -- An attribute only as the configuration sets it (absent: the provider's
  -- default, not a value known after apply).
  local function configured(inst, attr)
    if not inst.block.body.attributes[attr] then return nil end
    local v = value(inst, attr)
    if V.is_unknown(v) or v == V.null then return nil end
    return v
  end

  local instances = m:instances()
  -- roles first, so that policies can find them by address or name
  for _, inst in ipairs(instances) do
    if inst.error then
      run:add({ code = "TERRAFORM_VALUE_UNKNOWN", path = "",
        message = ("%s: %s"):format(inst.address or "module", inst.error:gsub("^%d+:%d+: ", "")) },
        { file = inst.block.file, label = inst.address, line = tonumber(inst.error:match("^(%d+):")) or inst.block.line,
          column = tonumber(inst.error:match("^%d+:(%d+):")) or inst.block.column })
    elseif inst.unknown then
      unknown(inst, "its count, for_each or source", inst.unknown)
    elseif inst.mode == "resource" and inst.type == "aws_iam_role" then
      local e = role_entity(inst.address, inst)
      local name = value(inst, "name")
      e.name = str(name) and not V.is_unknown(name) and name or nil
      if e.name and not template.has_placeholder(e.name) then by_name[e.name] = e end
      e.path = str(configured(inst, "path"))
      e.description = str(configured(inst, "description"))
      local msd = configured(inst, "max_session_duration")
      e.max_session_duration = type(msd) == "number" and msd or nil
      e.trust = doc(inst, "assume_role_policy", { type = "trust", label = inst.address .. " (assume_role_policy)" })
      local arns = value(inst, "managed_policy_arns")
      for _, arn in ipairs(V.is_list(arns) and arns or {}) do
        if type(arn) == "string" then e.managed[#e.managed + 1] = arn end
      end
    end
  end
  local docs = {}
  for _, inst in ipairs(instances) do
    if inst.inst and inst.mode == "resource" then
      local t = inst.type
      if t == "aws_iam_role_policy" then
        local d = doc(inst, "policy", { type = "identity", inline = true, label = inst.address })
        if d then
          local n = value(inst, "name")
          d.name = str(n)
          local role = value(inst, "role")
          local target = referenced(role)
          local e = (target and roles[target]) or (str(role) and by_name[role])
          if not e then
            e = role_entity(str(role) and template.display(role) or inst.address, inst)
          end
          e.inline[#e.inline + 1] = d
        end
      elseif t == "aws_iam_role_policy_attachment" then
        local role, arn = value(inst, "role"), value(inst, "policy_arn")
        local target = referenced(role)
        local e = (target and roles[target]) or (str(role) and by_name[role])
        if e and str(arn) then e.managed[#e.managed + 1] = arn end
      elseif t == "aws_iam_policy" then
        local d = doc(inst, "policy", { type = "identity", managed = true, label = inst.address })
        if d then
          local n = value(inst, "name")
          entities[#entities + 1] = { kind = "policy", name = str(n), path = str(configured(inst, "path")),
            label = inst.address, file = inst.block.file, doc = d,
            line = inst.block.line, column = inst.block.column }
        end
      elseif resource_policy.TERRAFORM[t] then
        local held = resource_policy.TERRAFORM[t]
        local attr, ptype, service = held[1], held[2], held[3]
        if ptype == "org" then ptype = resource_policy.ORGANIZATIONS[value(inst, "type")] end
        if ptype then
          local d = doc(inst, attr, { type = ptype, service = service, label = ("%s (%s)"):format(inst.address, attr) })
          if d then
            entities[#entities + 1] = { kind = "document", label = inst.address, file = inst.block.file, doc = d,
              line = inst.block.line, column = inst.block.column }
          end
        end
      end
    elseif inst.inst and inst.mode == "data" and inst.type == "aws_iam_policy_document" then
      docs[#docs + 1] = inst
    end
  end
  -- policy documents that no resource (nor another document) uses are
  -- checked on their own
  for s in pairs(m.consumed) do used[s] = true end
  for _, inst in ipairs(docs) do
    local v = value(inst, "json")
    if not (type(v) == "string" and used[v]) then
      local d = doc(inst, "json", { label = inst.address })
      if d then
        entities[#entities + 1] = { kind = "document", label = inst.address, file = inst.block.file, doc = d,
          line = inst.block.line, column = inst.block.column }
      end
    end
  end
  return entities
end

-- items(path [, opts]) -> roles and policies as leastpriv.inputs gives them
-- (for diff, simulate, can, minimize, overgrant).
function M.items(path, opts)
  local quiet = { add = function() end, opts = {} }   -- findings are check's business
  local list = M.entities(quiet, path, opts)
  local items = {}
  local function canon(d)
    local ok, c = pcall(core.policy_normalize, d.document)
    if not ok then error(("%s: %s"):format(d.label, tostring(c):gsub("^[^\n]-:%d+: ", "")), 0) end
    return c
  end
  for _, e in ipairs(list) do
    if e.kind == "role" then
      -- a role whose name is known pairs with a script's role of that name
      local named = e.name and not template.has_placeholder(e.name)
      local item = { kind = "role", name = named and e.name or e.label, address = not named or nil, policies = {},
                     managed_policy_arns = e.managed, tags = {}, path = e.path, description = e.description }
      if e.trust then item.trust = canon(e.trust) end
      for _, d in ipairs(e.inline) do
        item.policies[#item.policies + 1] = { name = d.name or d.label, document = canon(d) }
      end
      items[#items + 1] = item
    elseif e.doc then
      local named = e.kind == "policy" and e.name and not template.has_placeholder(e.name)
      items[#items + 1] = { kind = "policy", name = named and e.name or e.label, address = not named or nil,
                            document = canon(e.doc) }
    end
  end
  return items
end

return M
