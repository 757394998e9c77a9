-- Input: the output of `aws iam get-account-authorization-details`.  Every
-- role (trust policy, inline policies, attached managed policies), user,
-- group and customer managed policy (its default version) becomes an
-- entity, each document with its JSON path in the dump so findings get
-- line:column.  Documents may be objects (as the AWS CLI prints them) or
-- URL-encoded JSON strings (as the API returns them).
local core = require "leastpriv.core"
local util = require "leastpriv.util"

local M = {}

-- Is the decoded value an account authorization dump?
function M.is_dump(x)
  return type(x) == "table" and (x.RoleDetailList ~= nil or x.UserDetailList ~= nil or
    x.GroupDetailList ~= nil or (x.Policies ~= nil and x.Statement == nil))
end

local function url_decode(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- The document at value v (object or encoded string): table, or nil and a message.
local function document(v)
  if type(v) == "table" then return v end
  if type(v) ~= "string" then return nil, "the policy document is missing" end
  local text = v:match("^%s*[{%[]") and v or url_decode(v)
  local doc, err = core.json_decode(text)
  if doc == nil then return nil, "the policy document is not valid JSON: " .. err end
  return doc
end

local function list(v)
  return type(v) == "table" and v or {}
end

-- Like ipairs(list(v)), over the entries that are objects only: an entry
-- of another type is not what the AWS CLI writes, and is skipped as a
-- list that is not a list is.
local function objects(v)
  local t, i = list(v), 0
  return function()
    repeat i = i + 1 until t[i] == nil or type(t[i]) == "table"
    if t[i] ~= nil then return i, t[i] end
  end
end

local function join(base, rel)
  if base == "" then return rel end
  return base .. "." .. rel
end

-- The lists of a dump, in the order entities are made.
M.LISTS = { "RoleDetailList", "UserDetailList", "GroupDetailList", "Policies" }

-- element_entities(run, list_name, v, ctx) -> the entities of an element
-- of dump list list_name ("RoleDetailList", ...), value v.  ctx: { file =,
-- base = JSON path of the element ("RoleDetailList[3]", or "" when the
-- element's own text is the located text), json = function(path) -> the
-- json field of a document at path, or nil }.  One element: one entity,
-- or none (a policy without a default version).
function M.element_entities(run, list_name, v, ctx)
  if type(v) ~= "table" then return {} end
  local file, base, json = ctx.file, ctx.base, ctx.json
  local function doc_of(dv, path, fields)
    local d, err = document(dv)
    local place = { file = file, json = json(path), label = fields.label }
    if not d then
      run:add({ code = "JSON_SYNTAX_ERROR", path = "", message = err }, place)
      return nil
    end
    fields.document = d
    fields.file = file
    fields.json = json(path)
    return fields
  end
  local function inline_of(e, raw, key)
    for j, p in objects(raw[key]) do
      local pbase = join(base, ("%s[%d]"):format(key, j - 1))
      local d = doc_of(p.PolicyDocument, join(pbase, "PolicyDocument"), {
        type = "identity", inline = true, name = p.PolicyName,
        label = ("%s/%s"):format(e.label, util.name(p.PolicyName)),
        name_path = "PolicyName", name_place = { file = file, json = json(pbase),
                                                 label = e.label } })
      if d then e.inline[#e.inline + 1] = d end
    end
  end
  local function attached(e, a)
    for _, x in objects(a) do
      if type(x.PolicyArn) == "string" then e.managed[#e.managed + 1] = x.PolicyArn end
    end
  end
  if list_name == "RoleDetailList" then
    local r = v
    local account = type(r.Arn) == "string" and r.Arn:match("^arn:[^:]*:iam::(%d+):") or nil
    local e = { kind = "role", name = r.RoleName, path = r.Path, arn = r.Arn, account = account,
                label = "role " .. util.name(r.RoleName), file = file, json = json(base),
                inline = {}, managed = {}, max_session_duration = r.MaxSessionDuration,
                description = r.Description }
    e.trust = doc_of(r.AssumeRolePolicyDocument, join(base, "AssumeRolePolicyDocument"), {
      type = "trust", account = account, label = e.label .. "/trust" })
    inline_of(e, r, "RolePolicyList")
    attached(e, r.AttachedManagedPolicies)
    if e.trust then e.trust.account = account end
    for _, d in ipairs(e.inline) do d.account = account end
    return { e }
  elseif list_name == "UserDetailList" or list_name == "GroupDetailList" then
    local user = list_name == "UserDetailList"
    local kind = user and "user" or "group"
    local name = user and v.UserName or v.GroupName
    local e = { kind = kind, name = name, path = v.Path, arn = v.Arn,
                label = kind .. " " .. util.name(name), file = file, json = json(base),
                inline = {}, managed = {} }
    inline_of(e, v, user and "UserPolicyList" or "GroupPolicyList")
    attached(e, v.AttachedManagedPolicies)
    return { e }
  elseif list_name == "Policies" then
    local p = v
    local aws_managed = type(p.Arn) == "string" and p.Arn:match("^arn:[^:]*:iam::aws:") ~= nil
    for j, ver in objects(p.PolicyVersionList) do
      if ver.IsDefaultVersion or (ver.VersionId and ver.VersionId == p.DefaultVersionId) then
        local label = ("policy %s"):format(util.name(p.PolicyName))
        local d = doc_of(ver.Document, join(base, ("PolicyVersionList[%d].Document"):format(j - 1)), {
          type = "identity", managed = true, label = label })
        if d then
          return { { kind = "policy", name = p.PolicyName, path = p.Path,
            arn = p.Arn, label = label, file = file, json = json(base), doc = d,
            skip = aws_managed and not run.opts.aws_managed } }
        end
        break
      end
    end
  end
  return {}
end

-- entities(run, dump, source) -> entities.  source: { file =, text = }.
function M.entities(run, dump, source)
  local entities = {}
  local text = source.text
  local ctx = { file = source.file,
                json = function(base) return text and { text = text, base = base } or nil end }
  for _, name in ipairs(M.LISTS) do
    for i, v in objects(dump[name]) do
      ctx.base = ("%s[%d]"):format(name, i - 1)
      for _, e in ipairs(M.element_entities(run, name, v, ctx)) do entities[#entities + 1] = e end
    end
  end
  return entities
end

return M
