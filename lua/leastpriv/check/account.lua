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

-- entities(run, dump, source) -> entities.  source: { file =, text = }.
function M.entities(run, dump, source)
  local entities = {}
  local file, text = source.file, source.text
  local function json(base) return text and { text = text, base = base } or nil end
  local function doc_of(v, base, fields)
    local d, err = document(v)
    local place = { file = file, json = json(base), label = fields.label }
    if not d then
      run:add({ code = "JSON_SYNTAX_ERROR", path = "", message = err }, place)
      return nil
    end
    fields.document = d
    fields.file = file
    fields.json = type(v) == "table" and json(base) or json(base)
    return fields
  end
  local function inline_of(e, raw, key, base)
    for j, p in objects(raw[key]) do
      local pbase = ("%s.%s[%d]"):format(base, key, j - 1)
      local d = doc_of(p.PolicyDocument, pbase .. ".PolicyDocument", {
        type = "identity", inline = true, name = p.PolicyName,
        label = ("%s/%s"):format(e.label, util.name(p.PolicyName)),
        name_path = "PolicyName", name_place = { file = file, json = json(pbase),
                                                 label = e.label } })
      if d then e.inline[#e.inline + 1] = d end
    end
  end
  local function attached(e, v)
    for _, a in objects(v) do
      if type(a.PolicyArn) == "string" then e.managed[#e.managed + 1] = a.PolicyArn end
    end
  end

  for i, r in objects(dump.RoleDetailList) do
    local base = ("RoleDetailList[%d]"):format(i - 1)
    local account = type(r.Arn) == "string" and r.Arn:match("^arn:[^:]*:iam::(%d+):") or nil
    local e = { kind = "role", name = r.RoleName, path = r.Path, arn = r.Arn, account = account,
                label = "role " .. util.name(r.RoleName), file = file, json = json(base),
                inline = {}, managed = {}, max_session_duration = r.MaxSessionDuration,
                description = r.Description }
    e.trust = doc_of(r.AssumeRolePolicyDocument, base .. ".AssumeRolePolicyDocument", {
      type = "trust", account = account, label = e.label .. "/trust" })
    e.label = "role " .. util.name(r.RoleName)
    inline_of(e, r, "RolePolicyList", base)
    attached(e, r.AttachedManagedPolicies)
    if e.trust then e.trust.account = account end
    for _, d in ipairs(e.inline) do d.account = account end
    entities[#entities + 1] = e
  end
  for i, u in objects(dump.UserDetailList) do
    local base = ("UserDetailList[%d]"):format(i - 1)
    local e = { kind = "user", name = u.UserName, path = u.Path, arn = u.Arn,
                label = "user " .. util.name(u.UserName), file = file, json = json(base),
                inline = {}, managed = {} }
    inline_of(e, u, "UserPolicyList", base)
    attached(e, u.AttachedManagedPolicies)
    entities[#entities + 1] = e
  end
  for i, g in objects(dump.GroupDetailList) do
    local base = ("GroupDetailList[%d]"):format(i - 1)
    local e = { kind = "group", name = g.GroupName, path = g.Path, arn = g.Arn,
                label = "group " .. util.name(g.GroupName), file = file, json = json(base),
                inline = {}, managed = {} }
    inline_of(e, g, "GroupPolicyList", base)
    attached(e, g.AttachedManagedPolicies)
    entities[#entities + 1] = e
  end
  for i, p in objects(dump.Policies) do
    local base = ("Policies[%d]"):format(i - 1)
    local aws_managed = type(p.Arn) == "string" and p.Arn:match("^arn:[^:]*:iam::aws:") ~= nil
    for j, ver in objects(p.PolicyVersionList) do
      if ver.IsDefaultVersion or (ver.VersionId and ver.VersionId == p.DefaultVersionId) then
        local label = ("policy %s"):format(util.name(p.PolicyName))
        local d = doc_of(ver.Document, ("%s.PolicyVersionList[%d].Document"):format(base, j - 1), {
          type = "identity", managed = true, label = label })
        if d then
          entities[#entities + 1] = { kind = "policy", name = p.PolicyName, path = p.Path,
            arn = p.Arn, label = label, file = file, json = json(base), doc = d,
            skip = aws_managed and not run.opts.aws_managed }
        end
        break
      end
    end
  end
  return entities
end

return M
