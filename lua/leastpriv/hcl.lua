-- leastpriv.hcl: canonical roles and policies as Terraform HCL (the
-- resources of a main.tf).  The text comes from the C writer
-- (core.hcl_body); this module decides which resources, named how, in
-- what order.
local core = require "leastpriv.core"
local template = require "leastpriv.template"

local error, ipairs, next, pairs, pcall = error, ipairs, next, pairs, pcall
local tostring, type = tostring, type
local floor = math.floor

local M = {}

local STYLES = { jsonencode = true, document = true }
local POLICY_MODES = { inline = true, managed = true }

-- Raise a message without a position (render re-raises at the caller).
local function fail(fmt, ...)
  error(fmt:format(...), 0)
end

-- A Terraform local name from s: a placeholder counts as the last
-- identifier of its expression, other bytes outside [A-Za-z0-9_] become
-- "_", and a leading digit gets a "_" in front.
function M.local_name(s)
  s = s:gsub(template.PATTERN, function(e)
    return e:match("([A-Za-z_][A-Za-z0-9_]*)[^A-Za-z0-9_]*$") or "x"
  end)
  s = s:gsub("[^A-Za-z0-9_]", "_")
  if s == "" or s:match("^[0-9]") then s = "_" .. s end
  return s
end

-- base, or base_2, base_3, ... when base is taken in used (a set).
local function unique(used, base)
  local name, i = base, 1
  while used[name] do
    i = i + 1
    name = base .. "_" .. i
  end
  used[name] = true
  return name
end

local function is_ident(s)
  return type(s) == "string" and s:match("^[A-Za-z_][A-Za-z0-9_-]*$") ~= nil
end

local function is_list(t)
  return type(t) == "table" and (t[1] ~= nil or next(t) == nil)
end

local function check_string(v, what)
  if type(v) ~= "string" then fail("%s: expected a string, got %s", what, type(v)) end
  return v
end

local function check_strings(t, what)
  if not is_list(t) then fail("%s: expected a list of strings, got %s", what, type(t)) end
  for i, v in ipairs(t) do check_string(v, ("%s[%d]"):format(what, i - 1)) end
  return t
end

-- s, or raise when IAM would refuse it in a field of kind (or NFC would
-- change it); placeholders are left to Terraform's variable validation.
local function iam_text_ok(kind, s, what)
  if not template.has_placeholder(s) then
    local why = require("leastpriv.iam_text").check(kind, s)
    if why then fail("%s: %q %s", template.display(what), s, why) end
  end
  return s
end

local function check_doc(d, what)
  if type(d) ~= "table" then fail("%s: expected a policy document, got %s", what, type(d)) end
  return d
end

local expr = core.hcl_expr
local add_exclusive, managed_names

local function add_attr(body, name, value)
  if value ~= nil then body[#body + 1] = { attr = name, value = value } end
end

local function add_resource(out, rtype, name, body)
  out[#out + 1] = { block = "resource", labels = { rtype, name }, body = body }
end

-- The value of a policy attribute: jsonencode({...}), or in document style
-- a reference to a data block appended to out (before the resource).
local function policy_value(out, st, doc, base)
  if st.style == "document" then
    local name = unique(st.used.data, base)
    out[#out + 1] = { block = "data", labels = { "aws_iam_policy_document", name },
                      policy = doc }
    return expr("data.aws_iam_policy_document." .. name .. ".json")
  end
  return core.hcl_jsonencode(doc)
end

-- The last segment of an ARN ("AmazonS3ReadOnlyAccess"), for a local name.
local function arn_tail(arn)
  local s = arn:gsub(template.PATTERN, function(e)
    return M.local_name(template.OPEN .. e .. template.CLOSE)
  end)
  return s:match("([^/:]+)$") or s
end

-- The attributes of an aws_iam_role, in a fixed order.
local function role_body(out, st, r, tf, what)
  local body = {}
  add_attr(body, "name", r.name)
  if r.path ~= nil then add_attr(body, "path", check_string(r.path, what .. ".path")) end
  if r.description ~= nil then
    add_attr(body, "description", iam_text_ok("description", check_string(r.description,
                                               what .. ".description"), what .. ".description"))
  end
  local d = r.max_session_duration
  if d ~= nil then
    if type(d) ~= "number" or d ~= floor(d) then
      fail("%s.max_session_duration: expected an integer (seconds), got %s", what, tostring(d))
    end
    add_attr(body, "max_session_duration", d)
  end
  if r.permissions_boundary ~= nil then
    add_attr(body, "permissions_boundary",
             check_string(r.permissions_boundary, what .. ".permissions_boundary"))
  end
  add_attr(body, "assume_role_policy", policy_value(out, st, r.trust, tf .. "_assume_role"))
  if r.tags ~= nil then
    if type(r.tags) ~= "table" then fail("%s.tags: expected a map, got %s", what, type(r.tags)) end
    for k, v in pairs(r.tags) do
      iam_text_ok("tag key", check_string(k, what .. ".tags key"), what .. ".tags key")
      iam_text_ok("tag value", check_string(v, what .. ".tags." .. k), what .. ".tags." .. k)
    end
    if next(r.tags) ~= nil then add_attr(body, "tags", r.tags) end
  end
  return body
end

-- One inline policy of a role: aws_iam_role_policy, or (policies =
-- "managed") aws_iam_policy plus an attachment.  Returns its address.
-- The local name of a role's inline policy: the policy's own name, or
-- ROLE_POLICY when several roles of the render have a policy of that name
-- (so an address never depends on the order of the roles).
local function inline_policy_base(st, p, role_tf)
  local base = M.local_name(p.name)
  if (st.inline_names[base] or 0) > 1 then base = role_tf .. "_" .. base end
  return base
end

local function add_role_policy(out, st, p, ref, what, role_tf)
  if type(p) ~= "table" then fail("%s: expected { name =, document = }", what) end
  check_string(p.name, what .. ".name")
  check_doc(p.document, what .. ".document")
  local base = inline_policy_base(st, p, role_tf)
  if st.policies == "managed" then
    local pn = unique(st.used.aws_iam_policy, base)
    local value = policy_value(out, st, p.document, pn)
    add_resource(out, "aws_iam_policy", pn, {
      { attr = "name", value = st.managed_name[p] or p.name },
      { attr = "policy", value = value } })
    add_resource(out, "aws_iam_role_policy_attachment",
                 unique(st.used.aws_iam_role_policy_attachment, pn), {
      { attr = "role", value = expr(ref .. ".name") },
      { attr = "policy_arn", value = expr("aws_iam_policy." .. pn .. ".arn") } })
    return "aws_iam_policy." .. pn
  end
  local pn = unique(st.used.aws_iam_role_policy, base)
  local value = policy_value(out, st, p.document, pn)
  add_resource(out, "aws_iam_role_policy", pn, {
    { attr = "name", value = p.name },
    { attr = "role", value = expr(ref .. ".id") },
    { attr = "policy", value = value } })
  return "aws_iam_role_policy." .. pn
end

-- With opts.exclusive: the role's inline policies and attachments as the
-- only ones (aws_iam_role_policies_exclusive, ..._attachments_exclusive),
-- so that Terraform removes those added by hand.  Never the deprecated
-- inline_policy / managed_policy_arns arguments of aws_iam_role.
function add_exclusive(out, st, entry, ref)
  local names, arns = {}, {}
  for _, address in ipairs(entry.policies) do
    if st.policies == "managed" then                 -- aws_iam_policy.NAME
      arns[#arns + 1] = expr(address .. ".arn")
    else                                             -- aws_iam_role_policy.NAME
      names[#names + 1] = expr(address .. ".name")
    end
  end
  for _, address in ipairs(entry.attachments) do arns[#arns + 1] = expr(address .. ".policy_arn") end
  add_resource(out, "aws_iam_role_policies_exclusive",
               unique(st.used.aws_iam_role_policies_exclusive, entry.tf), {
    { attr = "role_name", value = expr(ref .. ".name") },
    { attr = "policy_names", value = setmetatable(names, core.array_mt) } })
  add_resource(out, "aws_iam_role_policy_attachments_exclusive",
               unique(st.used.aws_iam_role_policy_attachments_exclusive, entry.tf), {
    { attr = "role_name", value = expr(ref .. ".name") },
    { attr = "policy_arns", value = setmetatable(arns, core.array_mt) } })
  entry.exclusive = { "aws_iam_role_policies_exclusive." .. entry.tf,
                      "aws_iam_role_policy_attachments_exclusive." .. entry.tf }
end

local function add_role(out, st, r, what)
  check_string(r.name, what .. ".name")
  check_doc(r.trust, what .. ".trust")
  local tf = r.tf_name or unique(st.used.aws_iam_role, M.local_name(r.name))
  local ref = "aws_iam_role." .. tf
  add_resource(out, "aws_iam_role", tf, role_body(out, st, r, tf, what))

  local entry = { kind = "role", tf = tf, address = ref, name = r.name, item = r,
                  policies = {}, attachments = {} }
  local policies = r.policies or {}
  if not is_list(policies) then fail("%s.policies: expected a list", what) end
  for i, p in ipairs(policies) do
    entry.policies[i] = add_role_policy(out, st, p, ref, ("%s.policies[%d]"):format(what, i - 1), tf)
  end
  local arns = check_strings(r.managed_policy_arns or {}, what .. ".managed_policy_arns")
  for i, arn in ipairs(arns) do
    local an = unique(st.used.aws_iam_role_policy_attachment,
                      tf .. "_" .. M.local_name(arn_tail(arn)))
    add_resource(out, "aws_iam_role_policy_attachment", an, {
      { attr = "role", value = expr(ref .. ".name") },
      { attr = "policy_arn", value = arn } })
    entry.attachments[i] = "aws_iam_role_policy_attachment." .. an
  end
  if st.exclusive then add_exclusive(out, st, entry, ref) end
  st.index[#st.index + 1] = entry
end

local function add_policy(out, st, p, what)
  check_string(p.name, what .. ".name")
  check_doc(p.document, what .. ".document")
  local tf = p.tf_name or unique(st.used.aws_iam_policy, M.local_name(p.name))
  local body = {}
  add_attr(body, "name", p.name)
  if p.path ~= nil then add_attr(body, "path", check_string(p.path, what .. ".path")) end
  if p.description ~= nil then
    add_attr(body, "description", check_string(p.description, what .. ".description"))
  end
  add_attr(body, "policy", policy_value(out, st, p.document, tf))
  add_resource(out, "aws_iam_policy", tf, body)
  st.index[#st.index + 1] = { kind = "policy", tf = tf, address = "aws_iam_policy." .. tf,
                              name = p.name, item = p }
end

-- The list of roles and standalone policies in x (one of them, or a list).
function M.items_of(x)
  if type(x) ~= "table" then
    fail("expected a role, a policy, or a list of them, got %s", type(x))
  end
  if x.kind ~= nil then return { x } end
  if x[1] == nil then fail("expected a role, a policy, or a list of them") end
  return x
end

-- Check kinds and reserve explicit tf_names, so that derived names avoid them.
local function reserve(list, st)
  for i, x in ipairs(list) do
    local what = ("[%d]"):format(i - 1)
    if type(x) ~= "table" then fail("%s: expected a role or a policy, got %s", what, type(x)) end
    if x.kind ~= "role" and x.kind ~= "policy" then
      fail("%s: expected kind \"role\" or \"policy\", got %s", what, tostring(x.kind))
    end
    if x.tf_name ~= nil then
      local used = x.kind == "role" and st.used.aws_iam_role or st.used.aws_iam_policy
      if not is_ident(x.tf_name) then
        fail("%s: tf_name must be an identifier ([A-Za-z_][A-Za-z0-9_-]*), got %s",
             what, tostring(x.tf_name))
      end
      if used[x.tf_name] then fail("%s: tf_name %q is used twice", what, x.tf_name) end
      used[x.tf_name] = true
    end
  end
end

-- With policies = "managed", the IAM names of the managed policies made
-- from inline ones (policy -> name): ROLE-POLICY where a policy name is
-- used more than once in the render, since managed policy names are
-- unique per account (ignoring case).  Raises when two would still clash.
function managed_names(list)
  local count, names = {}, {}
  local function each(fn)
    for _, x in ipairs(list) do
      if x.kind == "role" and type(x.policies) == "table" then
        for _, p in ipairs(x.policies) do
          if type(p) == "table" and type(p.name) == "string" then fn(p, x) end
        end
      elseif x.kind == "policy" and type(x.name) == "string" then
        fn(nil, x)
      end
    end
  end
  each(function(p, x)
    local key = (p and p.name or x.name):lower()
    count[key] = (count[key] or 0) + 1
  end)
  local taken = {}
  each(function(p, x)
    local name = p and p.name or x.name
    if p and count[name:lower()] > 1 and type(x.name) == "string" then
      name = x.name .. "-" .. p.name
      names[p] = name
    end
    local key = name:lower()
    if taken[key] then
      fail("two managed policies would be named %q (names are unique per account, ignoring case)",
           template.display(name))
    end
    taken[key] = true
  end)
  return names
end

-- assemble(list [, opts]) -> items for core.hcl_body, index.
-- index holds, in input order, { kind = "role" | "policy", tf =, address =,
-- name =, item = } (roles also: policies, attachments = lists of addresses).
function M.assemble(list, opts)
  opts = opts or {}
  local st = {
    style = opts.style or "jsonencode",
    policies = opts.policies or "inline",
    exclusive = opts.exclusive and true or false,
    used = { aws_iam_role = {}, aws_iam_role_policy = {}, aws_iam_policy = {},
             aws_iam_role_policy_attachment = {}, data = {},
             aws_iam_role_policies_exclusive = {}, aws_iam_role_policy_attachments_exclusive = {} },
    index = {},
  }
  if not STYLES[st.style] then
    fail("opts.style must be \"jsonencode\" or \"document\", got %s", tostring(st.style))
  end
  if not POLICY_MODES[st.policies] then
    fail("opts.policies must be \"inline\" or \"managed\", got %s", tostring(st.policies))
  end
  reserve(list, st)
  st.inline_names = {}
  for _, x in ipairs(list) do
    if x.kind == "role" and type(x.policies) == "table" then
      for _, p in ipairs(x.policies) do
        if type(p) == "table" and type(p.name) == "string" then
          local n = M.local_name(p.name)
          st.inline_names[n] = (st.inline_names[n] or 0) + 1
        end
      end
    end
  end
  st.managed_name = st.policies == "managed" and managed_names(list) or {}
  local out = {}
  for i, x in ipairs(list) do
    local what = #list > 1 and ("[%d]"):format(i - 1) or x.kind
    if x.kind == "role" then add_role(out, st, x, what)
    else add_policy(out, st, x, what) end
  end
  return out, st.index
end

local function render(x, opts)
  opts = opts or {}
  if type(opts) ~= "table" then fail("opts: expected a table, got %s", type(opts)) end
  if type(x) == "table" and x.kind == nil and x.Statement ~= nil then   -- a bare document
    local style = opts.style or "jsonencode"
    if style == "document" then
      return core.hcl_policy(x, { style = "document", name = opts.name or "policy" })
    elseif style == "jsonencode" then
      return core.hcl_policy(x, { indent = opts.indent }) .. "\n"
    end
    fail("opts.style must be \"jsonencode\" or \"document\", got %s", tostring(style))
  end
  return core.hcl_body((M.assemble(M.items_of(x), opts)))
end

-- render(x [, opts]) -> Terraform text.
-- x: a canonical role, a standalone policy, a list of them, or a bare
-- canonical document (then the jsonencode(...) expression, or with style
-- "document" a data block named opts.name).  opts.style = "jsonencode"
-- (default) | "document"; opts.policies = "inline" (default) | "managed"
-- (each inline policy as aws_iam_policy plus an attachment); opts.exclusive
-- = true: each role's policies and attachments as the only ones
-- (aws_iam_role_policies_exclusive, aws_iam_role_policy_attachments_exclusive).
function M.render(x, opts)
  local ok, res = pcall(render, x, opts)
  if not ok then error(res, 2) end
  return res
end

-- The same, raising the bare message (no source position): for callers
-- that name the input themselves (leastpriv render names the script).
M.render_bare = render

M.fail = fail
M.is_ident = is_ident

return M
