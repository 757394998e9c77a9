-- Roles: lp.role{...} -> the canonical role table (docs/internal/contracts.md).
--
--   lp.role {
--     name = "training-exec", description = "...", path = "/ml/",
--     trust = lp.trust.service("sagemaker.amazonaws.com", {...}),
--     policies = { ["training-data"] = lp.policy { ... } },
--     managed_policies = { "arn:aws:iam::aws:policy/..." },
--     permissions_boundary = "arn:...", max_session_duration = 3600,
--     tags = { team = "ml" },
--   }
local core = require "leastpriv.core"
local policy = require "leastpriv.policy"
local template = require "leastpriv.template"
local util = require "leastpriv.util"

local M = {}

local FIELDS = { name = true, path = true, description = true, max_session_duration = true,
                 tags = true, permissions_boundary = true, managed_policies = true,
                 trust = true, policies = true, tf_name = true }

local function fail(msg) error("lp.role: " .. msg, 0) end

local function check_arn(s, what)
  if type(s) ~= "string" then fail(what .. " must be an ARN string") end
  local ok, err = core.arn_check(s)
  if not ok then fail(("%s: %s"):format(what, template.display(err))) end
end

-- The trust policy from a document, a statement, or a list of statements.
local function trust_policy(t)
  if type(t) ~= "table" then
    fail("trust must be a statement (lp.trust.service(...)), a list of them, or a policy")
  end
  local doc
  if t.Statement then
    doc = policy.normalize(t, "lp.role: trust")
  else
    doc = policy.build(t.Effect and { t } or t, "lp.role: trust", {})
  end
  for i, s in ipairs(doc.Statement) do
    if not s.Principal and not s.NotPrincipal then
      fail(("trust statement %d names no principal (who may assume the role?)"):format(i))
    end
    if s.Resource or s.NotResource then
      fail(("trust statement %d has a Resource: trust policies have none"):format(i))
    end
  end
  return doc
end

local function inline_policies(p)
  if type(p) ~= "table" then fail("policies must map policy names to lp.policy{...} documents") end
  local list = {}
  if util.is_list(p) and #p > 0 then
    for i, item in ipairs(p) do
      if type(item) ~= "table" or type(item.name) ~= "string" or item.document == nil then
        fail(("policies[%d] must be { name = ..., document = lp.policy{...} }"):format(i))
      end
      list[#list + 1] = { name = item.name, document = item.document }
    end
  else
    for _, name in ipairs(util.sorted_keys(p)) do
      if type(name) ~= "string" then fail("policies must be keyed by policy name") end
      list[#list + 1] = { name = name, document = p[name] }
    end
  end
  local seen = {}
  for _, item in ipairs(list) do
    if not policy.valid_name(item.name, 128) then
      fail(("inline policy name %q must be 1-128 letters, digits or +=,.@_-"):format(item.name))
    end
    local key = item.name:lower()
    if seen[key] then fail(("two inline policies are named %q"):format(item.name)) end
    seen[key] = true
    if type(item.document) ~= "table" then
      fail(("policy %q must be a document (lp.policy{...})"):format(item.name))
    end
    item.document = policy.normalize(item.document, ("lp.role: policy %q"):format(item.name))
  end
  return list
end

function M.build(t)
  if type(t) ~= "table" then fail("takes a table of fields") end
  for k in pairs(t) do
    if not FIELDS[k] then
      fail(("unknown field '%s'%s"):format(tostring(k),
        util.did_you_mean(tostring(k), util.sorted_keys(FIELDS))))
    end
  end
  if not policy.valid_name(t.name, 64) then
    fail("name must be 1-64 letters, digits or +=,.@_-")
  end
  local role = { kind = "role", name = t.name, managed_policy_arns = {}, tags = {} }
  if t.path ~= nil then
    if not policy.valid_path(t.path) then fail('path must be "/" or begin and end with "/"') end
    role.path = t.path
  end
  if t.description ~= nil then
    local problem = policy.description_problem(t.description)
    if problem then fail("description " .. problem) end
    role.description = t.description
  end
  if t.max_session_duration ~= nil then
    local d = t.max_session_duration
    if type(d) ~= "number" or d % 1 ~= 0 or d < 3600 or d > 43200 then
      fail("max_session_duration must be whole seconds from 3600 to 43200")
    end
    role.max_session_duration = math.floor(d)
  end
  if t.tags ~= nil then
    if type(t.tags) ~= "table" then fail("tags must map tag keys to values") end
    local n = 0
    for k, v in pairs(t.tags) do
      if type(k) ~= "string" or type(v) ~= "string" then fail("tags must map strings to strings") end
      if #k < 1 or #k > 128 or #v > 256 then fail(("tag %q: key 1-128, value 0-256 characters"):format(k)) end
      if k:lower():sub(1, 4) == "aws:" then fail(("tag %q: the aws: prefix is reserved"):format(k)) end
      role.tags[k] = v
      n = n + 1
    end
    if n > 50 then fail("at most 50 tags") end
  end
  if t.permissions_boundary ~= nil then
    check_arn(t.permissions_boundary, "permissions_boundary")
    role.permissions_boundary = t.permissions_boundary
  end
  if t.managed_policies ~= nil then
    if type(t.managed_policies) ~= "table" or not util.is_list(t.managed_policies) then
      fail("managed_policies must be a list of policy ARNs")
    end
    for i, arn in ipairs(t.managed_policies) do
      check_arn(arn, ("managed_policies[%d]"):format(i))
      role.managed_policy_arns[i] = arn
    end
  end
  if t.trust == nil then fail("needs trust: who may assume the role (e.g. lp.trust.service(...))") end
  role.trust = trust_policy(t.trust)
  role.policies = t.policies ~= nil and inline_policies(t.policies) or {}
  if t.tf_name ~= nil then
    if type(t.tf_name) ~= "string" or not t.tf_name:match("^[%a_][%w_%-]*$") then
      fail("tf_name must be a Terraform identifier")
    end
    role.tf_name = t.tf_name
  end
  return role
end

function M.role(t)
  local ok, res = pcall(M.build, t)
  if not ok then error(res, 2) end
  return res
end

return M
