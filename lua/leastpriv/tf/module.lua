-- A Terraform module read from source: its .tf files parsed
-- (core.hcl_parse), its variables, locals and outputs evaluated on demand,
-- its resources and data sources expanded over count and for_each, and its
-- calls of local modules read the same way.  No provider, no plan, no
-- network: what only apply can know stays a reference, named by its address.
--
--   local m = module.load(dir_or_file, { vars = { NAME = value }, read = fn })
--   for _, inst in ipairs(m:instances()) do ... end   -- every resource and data
--                                                     -- instance, child modules too
--   m:attribute(inst, "policy") -> value, node
local core = require "leastpriv.core"
local eval = require "leastpriv.tf.eval"
local V = require "leastpriv.tf.values"

local M = {}

local Module = {}
Module.__index = Module

local MAX_MODULE_DEPTH = 16

-- Text of path; opts.read reads it (bounded, checked) when given.
local function read_text(opts, path)
  if opts.read then return opts.read(path) end
  -- regular files of at most 16 MiB (leastpriv.files)
  local text, err = require("leastpriv.files").read(path)
  if not text then error(err, 0) end
  return text
end

-- The .tf files of a folder, sorted (Terraform reads them all as one).
local function tf_files(dir)
  local files = {}
  local p = io.popen(("ls -1 %s 2>/dev/null"):format("'" .. dir:gsub("'", "'\\''") .. "'"))
  if p then
    for name in p:lines() do
      if name:match("%.tf$") then files[#files + 1] = dir .. "/" .. name end
    end
    p:close()
  end
  table.sort(files)
  return files
end
M.tf_files = tf_files

-- Convert a value given on the command line (a string) to the variable's
-- declared type where it is a primitive.
local function convert(value, vtype)
  if type(value) ~= "string" or not vtype then return value end
  if vtype == "number" then return tonumber(value) or value end
  if vtype == "bool" then return V.truthy(value) == nil and value or V.truthy(value) end
  return value
end

-- The type a variable block declares, when it is a primitive.
local function declared_type(block)
  local t = block.body.attributes.type
  if t and t.expr.kind == "var" then return t.expr.name end
end

-- The values of a .tfvars file (HCL attributes of constant expressions).
function M.read_tfvars(file, read)
  local text = read_text({ read = read }, file)
  local body, err = core.hcl_parse(text)
  if not body then error(file .. ":" .. err, 0) end
  local scope = { ctx = { resolve = function(_, _, node)
    eval.fail(node, "a .tfvars value cannot refer to anything")
  end } }
  local vars = {}
  for name, a in pairs(body.attributes) do
    local ok, v = pcall(eval.expr, a.expr, scope)
    if not ok then error(file .. ":" .. tostring(v), 0) end
    vars[name] = v
  end
  return vars
end

-- load(path, opts [, parent, address]) -> module.  path: a .tf file or a
-- folder.  opts.vars: variable values (strings from --set / -var, values
-- from tfvars); opts.read(path) -> text.
function M.load(path, opts, parent, address, depth)
  opts = opts or {}
  depth = depth or 0
  if depth > MAX_MODULE_DEPTH then error(path .. ": modules nested deeper than " .. MAX_MODULE_DEPTH, 0) end
  local files, dir
  if path:match("%.tf$") then
    files, dir = { path }, path:match("^(.*)/[^/]*$") or "."
  else
    dir = path:gsub("/+$", "")
    files = tf_files(dir)
    if #files == 0 then error(path .. ": no .tf files in this folder", 0) end
  end
  local m = setmetatable({ dir = dir, files = files, opts = opts, parent = parent,
    address = address or "", depth = depth, variables = {}, locals = {}, outputs = {},
    resources = {}, data = {}, modules = {}, order = {}, values = {}, pos = {}, origin = {},
    consumed = {}, busy = {} }, Module)
  if parent then m.pos, m.origin, m.consumed = parent.pos, parent.origin, parent.consumed end
  for _, file in ipairs(files) do
    local text = read_text(opts, file)
    local body, err = core.hcl_parse(text)
    if not body then error(file .. ":" .. err, 0) end
    for _, b in ipairs(body.blocks) do
      b.file = file
      local l = b.labels
      if b.type == "variable" and l[1] then
        m.variables[l[1]] = b
      elseif b.type == "locals" then
        for name, a in pairs(b.body.attributes) do a.file = file; m.locals[name] = a end
      elseif b.type == "output" and l[1] then
        m.outputs[l[1]] = b
      elseif (b.type == "resource" or b.type == "data") and l[1] and l[2] then
        local kind = b.type == "resource" and m.resources or m.data
        kind[l[1]] = kind[l[1]] or {}
        kind[l[1]][l[2]] = b
        m.order[#m.order + 1] = b
      elseif b.type == "module" and l[1] then
        m.modules[l[1]] = b
        m.order[#m.order + 1] = b
      end
    end
  end
  m.scope = { ctx = m:context() }
  return m
end

-- The evaluation context: how references of this module resolve.
function Module:context()
  local m = self
  local ctx = { pos = self.pos, origin = self.origin }
  ctx.resolve = function(root, steps, node, scope, apply)
    return m:resolve(root, steps, node, scope, apply)
  end
  ctx.read = function(path, node)
    return m:read_file(path, node)
  end
  ctx.template = function(text, vars, node)
    local body, err = core.hcl_parse("x = \"" .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n") .. "\"\n")
    if not body then eval.fail(node, "templatefile: " .. err) end
    local names = {}
    for k, v in pairs(vars) do names[k] = v end
    return eval.expr(body.attributes.x.expr, { names = names, parent = m.scope })
  end
  return ctx
end

-- file() and templatefile(): only files under the module's folder.
function Module:read_file(path, node)
  if path:sub(1, 1) == "/" or path:find("%.%.") then
    return V.unknown(("file %s is outside the module's folder: not read"):format(path), node)
  end
  path = path:gsub("^%${path%.module}/", "")
  local full = self.dir .. "/" .. path:gsub("^%./", "")
  local ok, text = pcall(read_text, self.opts, full)
  if not ok then eval.fail(node, tostring(text)) end
  return text
end

function Module:eval(node, names)
  return eval.expr(node, names and { names = names, parent = self.scope } or self.scope)
end

-- The value of a variable: given, else its default, else a placeholder (a
-- value the user passes at plan time: opaque, exactly one value).
function Module:variable(name, node)
  local b = self.variables[name]
  if not b then eval.fail(node, ("no variable %q is declared"):format(name)) end
  local given = self.opts.vars and self.opts.vars[name]
  if given ~= nil then return convert(given, declared_type(b)) end
  local d = b.body.attributes.default
  if d then return self:eval(d.expr) end
  return V.reference("var." .. name)
end

function Module:local_value(name, node)
  local a = self.locals[name]
  if not a then eval.fail(node, ("no local value %q is defined"):format(name)) end
  local key = "local." .. name
  if self.values[key] == nil then
    if self.busy[key] then eval.fail(node, ("local.%s refers to itself"):format(name)) end
    self.busy[key] = true
    self.values[key] = self:eval(a.expr)
    self.busy[key] = nil
  end
  return self.values[key]
end

-- Address of a resource instance: TYPE.NAME, TYPE.NAME[0], TYPE.NAME["k"].
local function instance_address(prefix, key)
  if key == nil then return prefix end
  if type(key) == "number" then return ("%s[%d]"):format(prefix, key) end
  return ("%s[%q]"):format(prefix, key)
end

-- The instances of a resource or data block: { key =, names = { count =,
-- each = } }, or an Unknown when count or for_each cannot be known.
function Module:expand(b)
  local a = b.body.attributes
  if a.count then
    local n = self:eval(a.count.expr)
    if V.is_unknown(n) then return n end
    n = tonumber(n)
    if not n or n < 0 or n % 1 ~= 0 then eval.fail(a.count.expr, "count must be a whole number") end
    if n > 10000 then eval.fail(a.count.expr, "count over 10,000 instances") end
    local out = {}
    for i = 0, n - 1 do out[#out + 1] = { key = i, names = { count = { index = i } } } end
    return out
  end
  if a.for_each then
    local c = self:eval(a.for_each.expr)
    if V.is_unknown(c) then return c end
    if type(c) ~= "table" then eval.fail(a.for_each.expr, "for_each needs a map or a set of strings") end
    local out = {}
    for _, kv in ipairs(V.elements(c)) do
      local key = V.is_list(c) and kv[2] or kv[1]
      if V.is_list(c) and type(key) ~= "string" then eval.fail(a.for_each.expr, "for_each over a set needs strings") end
      out[#out + 1] = { key = key, names = { each = { key = key, value = kv[2] } } }
    end
    if #out > 10000 then eval.fail(a.for_each.expr, "for_each over 10,000 instances") end
    return out
  end
  return { { names = {} } }
end

-- Attributes that Terraform knows from the configuration itself for some
-- resources (the rest of what is not written is known after apply).
local KNOWN_ID = { aws_iam_role = "name", aws_iam_user = "name", aws_iam_group = "name",
                   aws_iam_role_policy = nil, aws_s3_bucket = "bucket" }

-- The value of attribute attr of the block instance.
function Module:attribute(b, inst, attr, prefix)
  local a = b.body.attributes[attr]
  if a then return self:eval(a.expr, inst.names), a.expr end
  local rtype = b.labels[1]
  if attr == "id" and KNOWN_ID[rtype] and b.body.attributes[KNOWN_ID[rtype]] then
    return self:eval(b.body.attributes[KNOWN_ID[rtype]].expr, inst.names), b.body.attributes[KNOWN_ID[rtype]].expr
  end
  if b.type == "data" and rtype == "aws_iam_policy_document" and (attr == "json" or attr == "minified_json") then
    local doc = require("leastpriv.tf.policy_document").build(self, b, inst)
    if V.is_unknown(doc) then return doc end
    local s = require("leastpriv.template").json_encode(doc)
    self.origin[s] = doc
    return s
  end
  if b.type == "data" and rtype == "external" then
    return V.unknown(("data.external.%s runs a program: its result is not known offline"):format(b.labels[2]), b)
  end
  return V.reference(instance_address(prefix, inst.key) .. "." .. attr)
end

-- A reference to a resource or data source: steps[1] its name, then an
-- instance key where it has count/for_each, then the attribute.
function Module:reference(kind, rtype, steps, node, apply, first)
  local blocks = (kind == "data" and self.data or self.resources)[rtype]
  local nstep = steps[first]
  if not nstep or nstep.kind ~= "getattr" then eval.fail(node, ("%s needs a name"):format(rtype)) end
  local b = blocks and blocks[nstep.name]
  local prefix = self.address .. (kind == "data" and "data." or "") .. rtype .. "." .. nstep.name
  if not b then eval.fail(node, ("no %s %s.%s in this module"):format(kind, rtype, nstep.name)) end
  local i = first + 1
  local instances = self:expand(b)
  if V.is_unknown(instances) then return instances end
  local inst = instances[1]
  local a = b.body.attributes
  if a.count or a.for_each then
    local s = steps[i]
    if not s then return V.unknown(prefix .. " (all instances) is not evaluated", node) end
    if s.kind == "index" then
      inst = nil
      for _, x in ipairs(instances) do
        if V.equal(x.key, s.value) then inst = x end
      end
      if not inst then eval.fail(s.node, ("%s has no instance %s"):format(prefix, tostring(s.value))) end
      i = i + 1
    else
      return V.unknown(prefix .. " has count or for_each: index it", node)
    end
  end
  local s = steps[i]
  if not s then return V.unknown(prefix .. " as a whole is not evaluated", node) end
  if s.kind ~= "getattr" then eval.fail(s.node, "an attribute name is needed here") end
  local v = self:attribute(b, inst, s.name, prefix)
  return apply(v, steps, i + 1)
end

function Module:child(name, node)
  if self.children and self.children[name] then return self.children[name] end
  local b = self.modules[name]
  if not b then eval.fail(node, ("no module %q is called here"):format(name)) end
  local src = b.body.attributes.source
  local source = src and self:eval(src.expr)
  if type(source) ~= "string" then eval.fail(b, "module source must be a string") end
  if not (source:match("^%./") or source:match("^%.%./")) then
    return V.unknown(("module %s comes from %s: only local modules (./ or ../) are read"):format(name, source), b)
  end
  local path = self.dir .. "/" .. source:gsub("^%./", "")
  local vars = {}
  for k, a in pairs(b.body.attributes) do
    if k ~= "source" and k ~= "version" and k ~= "providers" and k ~= "count" and k ~= "for_each" and k ~= "depends_on" then
      vars[k] = self:eval(a.expr)
    end
  end
  local child = M.load(path, { vars = vars, read = self.opts.read }, self,
    self.address .. "module." .. name .. ".", self.depth + 1)
  self.children = self.children or {}
  self.children[name] = child
  return child
end

function Module:resolve(root, steps, node, _, apply)
  local s1 = steps[1]
  local function name_of(s)
    if not s or s.kind ~= "getattr" then eval.fail(node, root .. " needs an attribute name") end
    return s.name
  end
  if root == "var" then return apply(self:variable(name_of(s1), node), steps, 2) end
  if root == "local" then return apply(self:local_value(name_of(s1), node), steps, 2) end
  if root == "path" then
    local what = name_of(s1)
    if what == "module" then return self.dir end
    if what == "root" or what == "cwd" then return "." end
    eval.fail(node, "path." .. what .. " is not known")
  end
  if root == "terraform" then
    if name_of(s1) == "workspace" then return "default" end
    return V.unknown("terraform." .. s1.name, node)
  end
  if root == "count" or root == "each" or root == "self" then
    eval.fail(node, root .. " is only valid inside a resource with count or for_each")
  end
  if root == "data" then
    local rtype = name_of(s1)
    return self:reference("data", rtype, steps, node, apply, 2)
  end
  if root == "module" then
    local child = self:child(name_of(s1), node)
    if V.is_unknown(child) then return child end
    local out = name_of(steps[2])
    local b = child.outputs[out]
    if not b then eval.fail(node, ("module %s has no output %q"):format(s1.name, out)) end
    return apply(child:eval(b.body.attributes.value.expr), steps, 3)
  end
  if self.resources[root] or root:match("^[%a][%w]*_[%w_]+$") then
    return self:reference("resource", root, steps, node, apply, 1)
  end
  eval.fail(node, ("unknown name %s"):format(root))
end

-- Every resource and data instance of this module and its local child
-- modules: { module =, block =, inst =, type =, mode = "resource" | "data",
-- address = } in file order; unknown expansions as { unknown = U, ... }.
function Module:instances(out)
  out = out or {}
  for _, b in ipairs(self.order) do
    if b.type == "module" then
      local ok, child = pcall(self.child, self, b.labels[1], b)
      if not ok then
        out[#out + 1] = { module = self, block = b, error = tostring(child) }
      elseif V.is_unknown(child) then
        out[#out + 1] = { module = self, block = b, unknown = child,
                          address = self.address .. "module." .. b.labels[1] }
      else
        child:instances(out)
      end
    else
      local mode = b.type
      local prefix = self.address .. (mode == "data" and "data." or "") .. b.labels[1] .. "." .. b.labels[2]
      local ok, list = pcall(self.expand, self, b)
      if not ok then
        out[#out + 1] = { module = self, block = b, error = tostring(list), address = prefix }
      elseif V.is_unknown(list) then
        out[#out + 1] = { module = self, block = b, unknown = list, address = prefix }
      else
        for _, inst in ipairs(list) do
          out[#out + 1] = { module = self, block = b, inst = inst, type = b.labels[1], mode = mode,
                            address = instance_address(prefix, inst.key) }
        end
      end
    end
  end
  return out
end

return M
