-- luacheck: no max line length
-- tools/conformance/generate.lua: writes spec/conformance/*.json, the
-- conformance suite (format: docs/conformance.md).
--
--   lua5.4 tools/conformance/generate.lua        (from the repository root)
--
-- Every expectation below is written by hand from the AWS documentation
-- sentence its case names (tools/conformance/rules.lua); nothing here runs
-- the engine.  Tables of rows (an operator, a policy value, a request value,
-- whether the condition holds) are expanded into cases, one a row.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = (os.getenv("BUILD") or "build") .. "/?.so;" .. package.cpath
local core = require "leastpriv.core"
local RULES = require "tools.conformance.rules"

local A, B = "111111111111", "222222222222"
local SESSION = ("arn:aws:sts::%s:assumed-role/app/s1"):format(A)
local ROLE = ("arn:aws:iam::%s:role/app"):format(A)
local USER = ("arn:aws:iam::%s:user/alice"):format(A)
local ROOT = ("arn:aws:iam::%s:root"):format(A)
local B_SESSION = ("arn:aws:sts::%s:assumed-role/app/s1"):format(B)
local Q = ("arn:aws:sqs:us-east-1:%s:q"):format(A)
local SEND = "sqs:SendMessage"

local function array(t) return setmetatable(t, core.array_mt) end

local function stmt(effect, action, resource, extra)
  local s = { Effect = effect, Action = action, Resource = resource }
  if action == nil then s.Action = "*" elseif action == false then s.Action = nil end
  if resource == nil then s.Resource = "*" elseif resource == false then s.Resource = nil end
  for k, v in pairs(extra or {}) do s[k] = v end
  return s
end
local function doc(...)
  return { Version = "2012-10-17", Statement = array { ... } }
end
local function allow(action, resource, extra) return doc(stmt("Allow", action, resource, extra)) end
local function deny(action, resource, extra) return doc(stmt("Deny", action, resource, extra)) end
local function rp(principal, action, resource, effect)
  return doc(stmt(effect or "Allow", action or "*", resource or "*", { Principal = principal }))
end

local files, order = {}, {}
local function file(name, description)
  files[name] = { description = description, cases = {} }
  order[#order + 1] = name
  return files[name]
end
local seen = {}
local function add(f, c)
  assert(RULES[c.rule], "unknown rule " .. tostring(c.rule))
  assert(not seen[c.id], "duplicate id " .. c.id)
  seen[c.id] = true
  local req = { action = c.action or SEND, resource = c.resource, principal = c.principal,
                context = c.context, resource_account = c.resource_account }
  if req.resource == nil and not c.no_resource then req.resource = Q end
  if req.principal == nil and not c.no_principal then req.principal = SESSION end
  local p = {}
  for k, v in pairs(c.policies) do
    if k == "scp" or k == "rcp" then
      local levels = {}
      for i, level in ipairs(v) do levels[i] = array(level.Statement and { level } or level) end
      p[k] = array(levels)
    else
      p[k] = array(v.Statement and { v } or v)
    end
  end
  f.cases[#f.cases + 1] = { id = c.id, rule = c.rule, note = c.note, policies = p, request = req,
                            query = c.query,
                            expect = { decision = c.decision, decided_by = c.by, answer = c.answer,
                                       condition = c.condition } }
end

-- ---- evaluation order ----
local f = file("evaluation_order", "The order of AWS's evaluation: explicit deny, RCPs, SCPs, resource policies, identity policies, permissions boundaries, session policies.")
add(f, { id = "order-default-deny", rule = "default_deny", policies = { identity = allow("s3:GetObject") },
         decision = "implicit_deny", by = "identity" })
add(f, { id = "order-no-policies", rule = "implicit_deny", policies = {}, decision = "implicit_deny", by = "identity" })
add(f, { id = "order-identity-allow", rule = "explicit_allow", policies = { identity = allow() },
         decision = "allow", by = "identity" })
add(f, { id = "order-root-user", rule = "default_deny", principal = ROOT, policies = {},
         decision = "allow", by = "identity", note = "the account's root user needs no identity policy in its account" })
for _, kind in ipairs { "identity", "boundary", "session" } do
  local p = { identity = allow() }
  p[kind] = kind == "identity" and { allow(), deny("sqs:*") } or { allow(), deny(SEND) }
  add(f, { id = "order-deny-" .. kind, rule = "deny_trumps", policies = p, decision = "explicit_deny", by = kind })
end
add(f, { id = "order-deny-resource", rule = "deny_everywhere",
         policies = { identity = allow(), resource = rp("*", "*", "*", "Deny") }, decision = "explicit_deny", by = "resource" })
add(f, { id = "order-deny-scp", rule = "deny_everywhere",
         policies = { identity = allow(), scp = { { allow(), deny("sqs:*") } } }, decision = "explicit_deny", by = "scp" })
add(f, { id = "order-deny-rcp", rule = "deny_everywhere",
         policies = { identity = allow(), rcp = { { rp("*"), rp("*", "sqs:*", "*", "Deny") } } }, decision = "explicit_deny", by = "rcp" })
add(f, { id = "order-deny-beats-resource-allow", rule = "deny_overrides",
         policies = { identity = deny(SEND), resource = rp({ AWS = SESSION }) }, decision = "explicit_deny", by = "identity" })
add(f, { id = "order-deny-with-condition-not-met", rule = "deny_trumps",
         policies = { identity = { allow(), deny(SEND, "*", { Condition = { Bool = { ["aws:SecureTransport"] = "false" } } }) } },
         context = { ["aws:SecureTransport"] = "true" }, decision = "allow", by = "identity" })
add(f, { id = "order-scp-all-levels", rule = "scp_levels",
         policies = { identity = allow(), scp = { allow(), allow("sqs:*"), allow(SEND) } }, decision = "allow", by = "identity" })
for lvl = 1, 3 do
  local levels = { allow(), allow(), allow() }
  levels[lvl] = allow("s3:*")
  add(f, { id = "order-scp-level-" .. lvl .. "-missing", rule = "scp_levels",
           policies = { identity = allow(), scp = levels }, decision = "implicit_deny", by = "scp" })
end
add(f, { id = "order-scp-does-not-grant", rule = "scp_levels", policies = { scp = { allow() } },
         decision = "implicit_deny", by = "identity" })
add(f, { id = "order-scp-service-principal", rule = "scp_principals", principal = "sqs.amazonaws.com",
         policies = { resource = rp({ Service = "sqs.amazonaws.com" }), scp = { allow("s3:*") } },
         decision = "allow", by = "resource", note = "SCPs cap the account's principals, not a service principal" })
add(f, { id = "order-rcp-all-levels", rule = "rcp_levels",
         policies = { identity = allow(), rcp = { rp("*"), rp("*", "sqs:*") } }, decision = "allow", by = "identity" })
for lvl = 1, 2 do
  local levels = { rp("*", "*"), rp("*", "*") }
  levels[lvl] = rp("*", "s3:*")
  add(f, { id = "order-rcp-level-" .. lvl .. "-missing", rule = "rcp_levels",
           policies = { identity = allow(), rcp = levels }, decision = "implicit_deny", by = "rcp" })
end
add(f, { id = "order-boundary-allows", rule = "boundary", policies = { identity = allow(), boundary = allow("sqs:*") },
         decision = "allow", by = "identity" })
add(f, { id = "order-boundary-caps", rule = "boundary", policies = { identity = allow(), boundary = allow("s3:*") },
         decision = "implicit_deny", by = "boundary" })
add(f, { id = "order-boundary-does-not-grant", rule = "boundary", policies = { boundary = allow() },
         decision = "implicit_deny", by = "identity" })
add(f, { id = "order-session-allows", rule = "session", policies = { identity = allow(), session = allow(SEND) },
         decision = "allow", by = "identity" })
add(f, { id = "order-session-caps", rule = "session", policies = { identity = allow(), session = allow("s3:*") },
         decision = "implicit_deny", by = "session" })
add(f, { id = "order-session-does-not-grant", rule = "session", policies = { session = allow() },
         decision = "implicit_deny", by = "identity" })
add(f, { id = "order-federated-user-needs-session", rule = "federated_session",
         principal = ("arn:aws:sts::%s:federated-user/bob"):format(A), policies = { identity = allow() },
         decision = "implicit_deny", by = "session" })
add(f, { id = "order-federated-user-with-session", rule = "federated_session",
         principal = ("arn:aws:sts::%s:federated-user/bob"):format(A), policies = { identity = allow(), session = allow() },
         decision = "allow", by = "identity" })
add(f, { id = "order-resource-names-session-beats-boundary", rule = "same_account_resource",
         policies = { resource = rp({ AWS = SESSION }), boundary = allow("s3:*") }, decision = "allow", by = "resource" })
add(f, { id = "order-resource-names-session-beats-session-policy", rule = "same_account_resource",
         policies = { resource = rp({ AWS = SESSION }), session = allow("s3:*") }, decision = "allow", by = "resource" })
add(f, { id = "order-resource-names-role", rule = "same_account_resource",
         policies = { resource = rp({ AWS = ROLE }) }, decision = "allow", by = "resource" })
add(f, { id = "order-resource-names-role-capped-by-boundary", rule = "same_account_resource",
         policies = { resource = rp({ AWS = ROLE }), boundary = allow("s3:*") }, decision = "implicit_deny", by = "boundary" })
add(f, { id = "order-resource-names-user", rule = "same_account_resource", principal = USER,
         policies = { resource = rp({ AWS = USER }) }, decision = "allow", by = "resource" })
add(f, { id = "order-resource-names-account-delegates", rule = "union",
         policies = { resource = rp({ AWS = A }) }, decision = "implicit_deny", by = "identity" })
add(f, { id = "order-resource-names-account-with-identity", rule = "union",
         policies = { identity = allow(), resource = rp({ AWS = "arn:aws:iam::" .. A .. ":root" }) }, decision = "allow", by = "identity" })
add(f, { id = "order-union-identity", rule = "union", action = "sqs:ReceiveMessage",
         policies = { identity = allow("sqs:ReceiveMessage"), resource = rp({ AWS = SESSION }, SEND) }, decision = "allow", by = "identity" })
add(f, { id = "order-union-resource", rule = "union",
         policies = { identity = allow("sqs:ReceiveMessage"), resource = rp({ AWS = SESSION }, SEND) }, decision = "allow", by = "resource" })
add(f, { id = "order-resource-other-principal", rule = "implicit_deny",
         policies = { resource = rp({ AWS = USER }) }, decision = "implicit_deny", by = "identity" })
add(f, { id = "order-star-principal", rule = "same_account_resource",
         policies = { resource = rp("*") }, decision = "allow", by = "resource" })
add(f, { id = "order-anonymous-star", rule = "anonymous", principal = "anonymous",
         policies = { resource = rp("*") }, decision = "allow", by = "resource" })
add(f, { id = "order-anonymous-account", rule = "anonymous", principal = "anonymous",
         policies = { identity = allow(), resource = rp({ AWS = A }) }, decision = "implicit_deny", by = "resource" })
add(f, { id = "order-service-principal-named", rule = "same_account_resource", principal = "sns.amazonaws.com",
         policies = { resource = rp({ Service = "sns.amazonaws.com" }) }, decision = "allow", by = "resource" })
add(f, { id = "order-service-principal-not-named", rule = "implicit_deny", principal = "sns.amazonaws.com",
         policies = { identity = allow(), resource = rp({ Service = "s3.amazonaws.com" }) }, decision = "implicit_deny", by = "resource" })

-- ---- cross-account ----
f = file("cross_account", "Requests whose principal and resource are in different accounts.")
local QB = ("arn:aws:sqs:us-east-1:%s:q"):format(B)
add(f, { id = "cross-both-allow", rule = "cross_resource", principal = SESSION, resource = QB,
         policies = { identity = allow(), resource = rp({ AWS = A }) }, decision = "allow", by = "resource" })
add(f, { id = "cross-no-identity", rule = "cross_identity", resource = QB,
         policies = { resource = rp({ AWS = A }) }, decision = "implicit_deny", by = "identity" })
add(f, { id = "cross-names-session-no-identity", rule = "cross_identity", resource = QB,
         policies = { resource = rp({ AWS = SESSION }) }, decision = "implicit_deny", by = "identity" })
add(f, { id = "cross-no-resource-policy", rule = "cross_resource", resource = QB,
         policies = { identity = allow() }, decision = "implicit_deny", by = "resource" })
add(f, { id = "cross-resource-names-other-account", rule = "cross_resource", resource = QB,
         policies = { identity = allow(), resource = rp({ AWS = B }) }, decision = "implicit_deny", by = "resource" })
add(f, { id = "cross-names-role", rule = "cross_resource", resource = QB,
         policies = { identity = allow(), resource = rp({ AWS = ROLE }) }, decision = "allow", by = "resource" })
add(f, { id = "cross-names-star", rule = "cross_resource", resource = QB,
         policies = { identity = allow(), resource = rp("*") }, decision = "allow", by = "resource" })
add(f, { id = "cross-boundary-caps", rule = "boundary", resource = QB,
         policies = { identity = allow(), boundary = allow("s3:*"), resource = rp({ AWS = A }) }, decision = "implicit_deny", by = "boundary" })
add(f, { id = "cross-resource-deny", rule = "deny_everywhere", resource = QB,
         policies = { identity = allow(), resource = doc(stmt("Allow", "*", "*", { Principal = { AWS = A } }),
                                                         stmt("Deny", SEND, "*", { Principal = "*" })) },
         decision = "explicit_deny", by = "resource" })
add(f, { id = "cross-s3-resource-account", rule = "cross_resource", action = "s3:GetObject",
         resource = "arn:aws:s3:::other-bucket/k", resource_account = B,
         policies = { identity = allow() }, decision = "implicit_deny", by = "resource" })
add(f, { id = "cross-s3-bucket-policy", rule = "cross_resource", action = "s3:GetObject",
         resource = "arn:aws:s3:::other-bucket/k", resource_account = B,
         policies = { identity = allow(), resource = rp({ AWS = A }) }, decision = "allow", by = "resource" })
add(f, { id = "cross-s3-same-account", rule = "union", action = "s3:GetObject",
         resource = "arn:aws:s3:::my-bucket/k", resource_account = A,
         policies = { identity = allow() }, decision = "allow", by = "identity" })

-- ---- trust policies ----
f = file("trust", "sts:AssumeRole: the role's trust policy is the resource policy; the caller's own policies are its identity side.")
local function trust(principal, extra)
  return doc(stmt("Allow", "sts:AssumeRole", false, { Principal = principal, Condition = extra }))
end
add(f, { id = "trust-service", rule = "trust_policy", action = "sts:AssumeRole", no_resource = true,
         principal = "sagemaker.amazonaws.com", policies = { trust = trust({ Service = "sagemaker.amazonaws.com" }) },
         decision = "allow", by = "trust" })
add(f, { id = "trust-other-service", rule = "trust_policy", action = "sts:AssumeRole", no_resource = true,
         principal = "ec2.amazonaws.com", policies = { trust = trust({ Service = "sagemaker.amazonaws.com" }) },
         decision = "implicit_deny", by = "trust" })
add(f, { id = "trust-names-session", rule = "same_account_resource", action = "sts:AssumeRole", no_resource = true,
         policies = { trust = trust({ AWS = SESSION }) }, decision = "allow", by = "trust" })
add(f, { id = "trust-names-account-needs-caller", rule = "union", action = "sts:AssumeRole", no_resource = true,
         policies = { trust = trust({ AWS = A }) }, decision = "implicit_deny", by = "caller" })
add(f, { id = "trust-names-account-caller-allows", rule = "union", action = "sts:AssumeRole", no_resource = true,
         policies = { trust = trust({ AWS = A }), caller = allow("sts:AssumeRole") }, decision = "allow", by = "caller" })
add(f, { id = "trust-cross-account", rule = "cross_identity", action = "sts:AssumeRole", no_resource = true,
         principal = B_SESSION, resource_account = A,
         policies = { trust = trust({ AWS = B }), caller = allow("sts:AssumeRole") },
         decision = "allow", by = "trust" })
add(f, { id = "trust-cross-account-no-caller", rule = "cross_identity", action = "sts:AssumeRole", no_resource = true,
         principal = B_SESSION, resource_account = A, policies = { trust = trust({ AWS = B }) },
         decision = "implicit_deny", by = "caller" })
add(f, { id = "trust-role-policies-do-not-apply", rule = "trust_policy", action = "sts:AssumeRole", no_resource = true,
         policies = { trust = trust({ AWS = SESSION }), identity = deny(), boundary = deny() }, decision = "allow", by = "trust" })
add(f, { id = "trust-condition", rule = "trust_policy", action = "sts:AssumeRole", no_resource = true,
         principal = "sagemaker.amazonaws.com", context = { ["aws:SourceAccount"] = B },
         policies = { trust = trust({ Service = "sagemaker.amazonaws.com" }, { StringEquals = { ["aws:SourceAccount"] = A } }) },
         decision = "implicit_deny", by = "trust" })
add(f, { id = "trust-deny", rule = "deny_everywhere", action = "sts:AssumeRole", no_resource = true,
         policies = { trust = doc(stmt("Allow", "sts:AssumeRole", false, { Principal = { AWS = SESSION } }),
                                  stmt("Deny", "sts:AssumeRole", false, { Principal = "*" })) },
         decision = "explicit_deny", by = "trust" })

-- ---- matching of actions, resources, principals ----
f = file("matching", "Action, NotAction, Resource, NotResource and NotPrincipal matching.")
local function m(id, rule, policies, decision, by, extra)
  local c = { id = id, rule = rule, policies = policies, decision = decision, by = by or "identity" }
  for k, v in pairs(extra or {}) do c[k] = v end
  add(f, c)
end
m("action-case", "action_case", { identity = allow("SQS:sendmessage") }, "allow")
m("action-case-request", "action_case", { identity = allow(SEND) }, "allow", nil, { action = "sqs:SENDMESSAGE" })
for i, pat in ipairs { "sqs:Send*", "sqs:?endMessage", "sqs:*Message", "sqs:*", "*", "sqs:S*M*e" } do
  m("action-wildcard-" .. i, "action_wildcard", { identity = allow(pat) }, "allow")
end
for i, pat in ipairs { "sqs:Receive*", "sqs:?Message", "s3:*", "sqs:SendMessageBatch" } do
  m("action-wildcard-miss-" .. i, "action_wildcard", { identity = allow(pat) }, "implicit_deny")
end
m("notaction-other-service", "notaction", { identity = doc(stmt("Allow", false, "*", { NotAction = "s3:*" })) }, "allow")
m("notaction-listed", "notaction", { identity = doc(stmt("Allow", false, "*", { NotAction = "sqs:*" })) }, "implicit_deny")
m("notaction-deny", "notaction", { identity = { allow(), doc(stmt("Deny", false, "*", { NotAction = "s3:*" })) } },
  "explicit_deny")
for i, pat in ipairs { "arn:aws:sqs:*:" .. A .. ":*", "arn:aws:sqs:us-east-1:*:q", "arn:aws:sqs:us-east-1:" .. A .. ":?",
                       "arn:aws:sqs:us-east-1:" .. A .. ":*" } do
  m("resource-wildcard-" .. i, "resource_wildcard", { identity = allow(SEND, pat) }, "allow")
end
for i, pat in ipairs { "arn:aws:sqs:us-west-2:" .. A .. ":q", "arn:aws:sqs:us-east-1:" .. B .. ":q",
                       "arn:aws:sqs:us-east-1:" .. A .. ":q?" } do
  m("resource-wildcard-miss-" .. i, "resource_wildcard", { identity = allow(SEND, pat) }, "implicit_deny")
end
m("resource-case", "resource_case", { identity = allow(SEND, "arn:aws:sqs:us-east-1:" .. A .. ":Q") }, "implicit_deny")
m("resource-s3-star-crosses-slash", "resource_wildcard", { identity = allow("s3:GetObject", "arn:aws:s3:::data/*") },
  "allow", nil, { action = "s3:GetObject", resource = "arn:aws:s3:::data/a/b/c.csv" })
m("resource-s3-question", "resource_wildcard", { identity = allow("s3:GetObject", "arn:aws:s3:::data/?") },
  "implicit_deny", nil, { action = "s3:GetObject", resource = "arn:aws:s3:::data/ab" })
m("notresource-other", "notresource",
  { identity = doc(stmt("Allow", SEND, false, { NotResource = "arn:aws:sqs:us-east-1:" .. A .. ":other" })) }, "allow")
m("notresource-listed", "notresource", { identity = doc(stmt("Allow", SEND, false, { NotResource = Q })) }, "implicit_deny")
m("notresource-deny", "notresource",
  { identity = { allow(), doc(stmt("Deny", SEND, false, { NotResource = "arn:aws:sqs:*:*:safe-*" })) } }, "explicit_deny")
local function np(effect, list) return doc(stmt(effect, "sqs:*", "*", { NotPrincipal = { AWS = list } })) end
m("notprincipal-allow-others", "notprincipal_allow", { resource = np("Allow", { USER }) }, "allow", "resource")
m("notprincipal-allow-excludes-session", "notprincipal_allow", { resource = np("Allow", { SESSION }) }, "implicit_deny")
m("notprincipal-allow-excludes-user", "notprincipal_allow", { resource = np("Allow", { USER }) }, "implicit_deny", nil,
  { principal = USER })
m("notprincipal-allow-excludes-role", "notprincipal_allow", { resource = np("Allow", { ROLE }) }, "implicit_deny", nil,
  { principal = ROLE })
m("notprincipal-deny-session-only", "notprincipal_deny", { identity = allow(), resource = np("Deny", { SESSION }) },
  "explicit_deny", "resource")
m("notprincipal-deny-all-identities", "notprincipal_deny",
  { identity = allow(), resource = np("Deny", { SESSION, ROLE, ROOT }) }, "allow")
m("notprincipal-deny-others", "notprincipal_deny", { identity = allow(), resource = np("Deny", { USER, ROOT }) },
  "explicit_deny", "resource")

-- ---- conditions ----
f = file("conditions", "Every condition operator, ...IfExists, the set qualifiers, absent keys and bad values.")
local KEYS = { String = "aws:PrincipalTag/team", Numeric = "aws:MultiFactorAuthAge", Date = "aws:CurrentTime",
               Bool = "aws:SecureTransport", Binary = "aws:PrincipalTag/bin", Ip = "aws:SourceIp",
               Arn = "aws:PrincipalArn", Null = "aws:PrincipalTag/team" }
local RULE_OF = { String = "string_ops", Numeric = "numeric_ops", Date = "date_ops", Bool = "bool_ops",
                  Binary = "binary_ops", Ip = "ip_ops", Arn = "arn_ops" }
local n = 0
local function cond_case(op, family, value, request, holds, rule, note)
  n = n + 1
  local key = KEYS[family]
  local ctx
  if request ~= nil then ctx = { [key] = type(request) == "table" and array(request) or request } end
  add(f, { id = ("cond-%03d-%s"):format(n, op:gsub(":", "-")), rule = rule or RULE_OF[family], note = note,
           principal = family == "Arn" and nil or SESSION,
           context = ctx, policies = { identity = allow(SEND, Q, { Condition = { [op] = { [key] = value } } }) },
           decision = holds and "allow" or "implicit_deny", by = "identity" })
end
local ARN_ROLE = "arn:aws:iam::" .. A .. ":role/app"
-- The request's aws:PrincipalArn is given explicitly in these rows.
local ROWS = {
  { "StringEquals", "String", "ml", "ml", true }, { "StringEquals", "String", "ml", "ML", false },
  { "StringEquals", "String", "ml", "mlx", false }, { "StringEquals", "String", { "ml", "web" }, "web", true, "multi_and_or" },
  { "StringEquals", "String", "m*", "ml", false, nil, "no wildcards in StringEquals" },
  { "StringNotEquals", "String", "ml", "web", true }, { "StringNotEquals", "String", "ml", "ml", false },
  { "StringNotEquals", "String", { "ml", "web" }, "web", false, "multi_nor" },
  { "StringNotEquals", "String", { "ml", "web" }, "ops", true, "multi_nor" },
  { "StringEqualsIgnoreCase", "String", "ml", "ML", true }, { "StringEqualsIgnoreCase", "String", "ml", "web", false },
  { "StringNotEqualsIgnoreCase", "String", "ml", "ML", false }, { "StringNotEqualsIgnoreCase", "String", "ml", "web", true },
  { "StringLike", "String", "m*", "ml", true }, { "StringLike", "String", "m?", "ml", true },
  { "StringLike", "String", "m?", "mlx", false }, { "StringLike", "String", "*l*", "xlx", true },
  { "StringLike", "String", "M*", "ml", false }, { "StringLike", "String", { "a*", "m*" }, "ml", true, "multi_and_or" },
  { "StringNotLike", "String", "m*", "web", true }, { "StringNotLike", "String", "m*", "ml", false },
  { "StringNotLike", "String", { "a*", "m*" }, "ml", false, "multi_nor" },
  { "NumericEquals", "Numeric", "10", "10", true }, { "NumericEquals", "Numeric", "10", "10.0", true },
  { "NumericEquals", "Numeric", "10", "11", false }, { "NumericEquals", "Numeric", "10", "10abc", false },
  { "NumericNotEquals", "Numeric", "10", "11", true }, { "NumericNotEquals", "Numeric", "10", "10", false },
  { "NumericLessThan", "Numeric", "10", "9", true }, { "NumericLessThan", "Numeric", "10", "10", false },
  { "NumericLessThan", "Numeric", "10", "-1", true }, { "NumericLessThan", "Numeric", "10", "9.5", true },
  { "NumericLessThanEquals", "Numeric", "10", "10", true }, { "NumericLessThanEquals", "Numeric", "10", "11", false },
  { "NumericGreaterThan", "Numeric", "10", "11", true }, { "NumericGreaterThan", "Numeric", "10", "10", false },
  { "NumericGreaterThan", "Numeric", "1.5", "1.25", false },
  { "NumericGreaterThanEquals", "Numeric", "10", "10", true }, { "NumericGreaterThanEquals", "Numeric", "10", "9", false },
  { "DateEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z", true },
  { "DateEquals", "Date", "2024-06-01T00:00:00Z", "1717200000", true, nil, "epoch seconds and ISO 8601 name one instant" },
  { "DateEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-01T02:00:00+02:00", true },
  { "DateEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z", false },
  { "DateNotEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z", false },
  { "DateNotEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z", true },
  { "DateLessThan", "Date", "2024-06-01T00:00:00Z", "2024-05-31T23:59:59Z", true },
  { "DateLessThan", "Date", "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z", false },
  { "DateLessThanEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z", true },
  { "DateLessThanEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-01T00:00:01Z", false },
  { "DateGreaterThan", "Date", "2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z", true },
  { "DateGreaterThan", "Date", "2024-06-01T00:00:00Z", "1700000000", false },
  { "DateGreaterThanEquals", "Date", "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z", true },
  { "DateGreaterThanEquals", "Date", "2024-06-01", "2024-05-31T12:00:00Z", false },
  { "Bool", "Bool", "true", "true", true }, { "Bool", "Bool", "true", "false", false },
  { "Bool", "Bool", "true", true, true }, { "Bool", "Bool", "false", "false", true },
  { "BinaryEquals", "Binary", "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", true },
  { "BinaryEquals", "Binary", "QmluYXJ5VmFsdWU=", "b3RoZXI=", false },
  { "IpAddress", "Ip", "10.0.0.0/8", "10.1.2.3", true }, { "IpAddress", "Ip", "10.0.0.0/8", "192.168.0.1", false },
  { "IpAddress", "Ip", "2001:db8::/32", "2001:db8::1", true }, { "IpAddress", "Ip", "10.0.0.0/8", "2001:db8::1", false },
  { "IpAddress", "Ip", "203.0.113.5", "203.0.113.5", true }, { "IpAddress", "Ip", "203.0.113.5", "203.0.113.6", false },
  { "IpAddress", "Ip", { "192.168.0.0/16", "10.0.0.0/8" }, "10.9.9.9", true, "multi_and_or" },
  { "NotIpAddress", "Ip", "10.0.0.0/8", "192.168.0.1", true }, { "NotIpAddress", "Ip", "10.0.0.0/8", "10.1.2.3", false },
  { "ArnEquals", "Arn", ARN_ROLE, ARN_ROLE, true }, { "ArnEquals", "Arn", ARN_ROLE, "arn:aws:iam::" .. A .. ":role/other", false },
  { "ArnLike", "Arn", "arn:aws:iam::" .. A .. ":role/*", ARN_ROLE, true },
  { "ArnLike", "Arn", "arn:aws:iam::*:role/app", "arn:aws:iam::" .. B .. ":role/app", true },
  { "ArnLike", "Arn", "arn:aws:iam::" .. A .. ":role/*", "arn:aws:iam::" .. A .. ":user/u", false },
  { "ArnNotEquals", "Arn", ARN_ROLE, "arn:aws:iam::" .. A .. ":role/other", true },
  { "ArnNotEquals", "Arn", ARN_ROLE, ARN_ROLE, false },
  { "ArnNotLike", "Arn", "arn:aws:iam::" .. A .. ":role/*", "arn:aws:iam::" .. A .. ":user/u", true },
  { "ArnNotLike", "Arn", "arn:aws:iam::" .. A .. ":role/*", ARN_ROLE, false },
  { "Null", "Null", "true", nil, true, "null" }, { "Null", "Null", "true", "ml", false, "null" },
  { "Null", "Null", "false", "ml", true, "null" }, { "Null", "Null", "false", nil, false, "null" },
}
for _, r in ipairs(ROWS) do cond_case(r[1], r[2], r[3], r[4], r[5], r[6], r[7]) end
-- every operator with the key absent: positive ones fail, negated ones hold
local OPS = {
  { "StringEquals", "String", "ml" }, { "StringNotEquals", "String", "ml", true },
  { "StringEqualsIgnoreCase", "String", "ml" }, { "StringNotEqualsIgnoreCase", "String", "ml", true },
  { "StringLike", "String", "m*" }, { "StringNotLike", "String", "m*", true },
  { "NumericEquals", "Numeric", "10" }, { "NumericNotEquals", "Numeric", "10", true },
  { "NumericLessThan", "Numeric", "10" }, { "NumericLessThanEquals", "Numeric", "10" },
  { "NumericGreaterThan", "Numeric", "10" }, { "NumericGreaterThanEquals", "Numeric", "10" },
  { "DateEquals", "Date", "2024-06-01T00:00:00Z" }, { "DateNotEquals", "Date", "2024-06-01T00:00:00Z", true },
  { "DateLessThan", "Date", "2024-06-01T00:00:00Z" }, { "DateLessThanEquals", "Date", "2024-06-01T00:00:00Z" },
  { "DateGreaterThan", "Date", "2024-06-01T00:00:00Z" }, { "DateGreaterThanEquals", "Date", "2024-06-01T00:00:00Z" },
  { "Bool", "Bool", "true" }, { "BinaryEquals", "Binary", "QmluYXJ5VmFsdWU=" },
  { "IpAddress", "Ip", "10.0.0.0/8" }, { "NotIpAddress", "Ip", "10.0.0.0/8", true },
  { "ArnEquals", "Arn", ARN_ROLE }, { "ArnLike", "Arn", ARN_ROLE },
  { "ArnNotEquals", "Arn", ARN_ROLE, true }, { "ArnNotLike", "Arn", ARN_ROLE, true },
}
-- A session principal implies aws:PrincipalArn (its role's ARN), so the
-- absent-key rows for the Arn family use a key nothing implies.
KEYS.Arn = "aws:SourceArn"
for _, o in ipairs(OPS) do cond_case(o[1], o[2], o[3], nil, o[4] == true, "absent_key") end
-- ...IfExists: an absent key makes any operator hold; a present one is tested
local SAMPLE = { String = { "ml", "ml", "web" }, Numeric = { "10", "10", "11" },
                 Date = { "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z" },
                 Bool = { "true", "true", "false" }, Binary = { "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", "b3RoZXI=" },
                 Ip = { "10.0.0.0/8", "10.0.0.1", "192.168.0.1" }, Arn = { ARN_ROLE, ARN_ROLE, "arn:aws:iam::" .. A .. ":role/x" } }
for _, o in ipairs(OPS) do
  local op = o[1] .. "IfExists"
  cond_case(op, o[2], o[3], nil, true, "ifexists")
  local s = SAMPLE[o[2]]
  if op:match("^StringEquals") or op:match("^NumericEquals") or op:match("^DateEquals") or op:match("^Bool")
      or op:match("^BinaryEquals") or op:match("^IpAddress") or op:match("^ArnEquals") or op:match("^ArnLike") then
    cond_case(op, o[2], s[1], s[2], true, "ifexists")
    cond_case(op, o[2], s[1], s[3], false, "ifexists")
  end
end
-- bad request values never match a positive operator
for _, r in ipairs {
  { "NumericLessThan", "Numeric", "10", "abc" }, { "NumericGreaterThan", "Numeric", "10", "ten" },
  { "DateLessThan", "Date", "2024-06-01T00:00:00Z", "yesterday" },
  { "DateGreaterThan", "Date", "2024-06-01T00:00:00Z", "2024-13-45" },
  { "IpAddress", "Ip", "10.0.0.0/8", "not-an-ip" }, { "IpAddress", "Ip", "10.0.0.0/8", "10.0.0.256" },
  { "Bool", "Bool", "true", "yes" }, { "ArnLike", "Arn", "arn:aws:iam::*:role/*", "not-an-arn" },
} do cond_case(r[1], r[2], r[3], r[4], false) end
-- several operators AND; several keys AND
local function multi(id, conds, ctx, holds, rule)
  add(f, { id = id, rule = rule, context = ctx, policies = { identity = allow(SEND, Q, { Condition = conds }) },
           decision = holds and "allow" or "implicit_deny", by = "identity" })
end
local TWO = { StringEquals = { ["aws:PrincipalTag/team"] = "ml" }, Bool = { ["aws:SecureTransport"] = "true" } }
multi("cond-and-operators-both", TWO, { ["aws:PrincipalTag/team"] = "ml", ["aws:SecureTransport"] = "true" }, true, "multi_and")
multi("cond-and-operators-one", TWO, { ["aws:PrincipalTag/team"] = "ml", ["aws:SecureTransport"] = "false" }, false, "multi_and")
local KEYS2 = { StringEquals = { ["aws:PrincipalTag/team"] = "ml", ["aws:PrincipalTag/env"] = "prod" } }
multi("cond-and-keys-both", KEYS2, { ["aws:PrincipalTag/team"] = "ml", ["aws:PrincipalTag/env"] = "prod" }, true, "multi_and")
multi("cond-and-keys-one", KEYS2, { ["aws:PrincipalTag/team"] = "ml", ["aws:PrincipalTag/env"] = "dev" }, false, "multi_and")
multi("cond-key-name-case", { StringEquals = { ["AWS:PRINCIPALTAG/TEAM"] = "ml" } }, { ["aws:PrincipalTag/team"] = "ml" },
  true, "string_ops")
-- set qualifiers over a multivalued key
local function set(id, op, values, request, holds, rule)
  local ctx
  if request then ctx = { ["aws:TagKeys"] = array(request) } end
  add(f, { id = id, rule = rule, context = ctx,
           policies = { identity = allow(SEND, Q, { Condition = { [op] = { ["aws:TagKeys"] = values } } }) },
           decision = holds and "allow" or "implicit_deny", by = "identity" })
end
set("set-forall-subset", "ForAllValues:StringEquals", { "a", "b" }, { "a" }, true, "forall")
set("set-forall-all", "ForAllValues:StringEquals", { "a", "b" }, { "b", "a" }, true, "forall")
set("set-forall-extra", "ForAllValues:StringEquals", { "a", "b" }, { "a", "c" }, false, "forall")
set("set-forall-absent", "ForAllValues:StringEquals", { "a", "b" }, nil, true, "forall")
set("set-forall-empty", "ForAllValues:StringEquals", { "a", "b" }, {}, true, "forall")
set("set-forall-like", "ForAllValues:StringLike", "key1*", { "key1a", "key1b" }, true, "forall")
set("set-forall-like-miss", "ForAllValues:StringLike", "key1*", { "key1a", "key2" }, false, "forall")
set("set-forall-notlike", "ForAllValues:StringNotLike", "key1*", { "x", "y" }, true, "forall")
set("set-forall-notlike-miss", "ForAllValues:StringNotLike", "key1*", { "x", "key1a" }, false, "forall")
set("set-forall-ignorecase", "ForAllValues:StringEqualsIgnoreCase", { "A" }, { "a" }, true, "forall")
set("set-foranyvalue-one", "ForAnyValue:StringEquals", { "a", "b" }, { "c", "b" }, true, "foranyvalue")
set("set-foranyvalue-none", "ForAnyValue:StringEquals", { "a", "b" }, { "c" }, false, "foranyvalue")
set("set-foranyvalue-absent", "ForAnyValue:StringEquals", { "a", "b" }, nil, false, "foranyvalue")
set("set-foranyvalue-empty", "ForAnyValue:StringEquals", { "a", "b" }, {}, false, "foranyvalue")
set("set-foranyvalue-like", "ForAnyValue:StringLike", "key1*", { "x", "key1a" }, true, "foranyvalue")
set("set-foranyvalue-notequals", "ForAnyValue:StringNotEquals", "a", { "a", "b" }, true, "foranyvalue")
set("set-foranyvalue-notequals-miss", "ForAnyValue:StringNotEquals", "a", { "a" }, false, "foranyvalue")
set("set-foranyvalue-ifexists-absent", "ForAnyValue:StringEqualsIfExists", { "a" }, nil, true, "ifexists")
set("set-forall-ifexists-present", "ForAllValues:StringEqualsIfExists", { "a" }, { "b" }, false, "ifexists")
set("set-deny-forall-absent", "ForAllValues:StringEquals", { "a" }, nil, true, "forall")

-- ---- policy variables ----
f = file("variables", "Policy variables in Resource and Condition values, defaults, versions and unresolved variables.")
local function var(id, rule, resource_pat, resource, principal, holds, extra)
  local c = { id = id, rule = rule, action = "s3:GetObject", resource = resource, principal = principal,
              policies = { identity = allow("s3:GetObject", resource_pat) },
              decision = holds and "allow" or "implicit_deny", by = "identity" }
  for k, v in pairs(extra or {}) do c[k] = v end
  add(f, c)
end
local HOME = "arn:aws:s3:::data/home/${aws:username}/*"
var("var-username", "variables", HOME, "arn:aws:s3:::data/home/alice/x", USER, true)
var("var-username-other", "variables", HOME, "arn:aws:s3:::data/home/bob/x", USER, false)
var("var-unresolved", "variables_missing", HOME, "arn:aws:s3:::data/home/alice/x", SESSION, false,
  { note = "a role session has no aws:username" })
var("var-default", "variables_default", "arn:aws:s3:::data/${aws:PrincipalTag/team, 'ml'}/*",
  "arn:aws:s3:::data/ml/x", SESSION, true)
var("var-default-overridden", "variables_default", "arn:aws:s3:::data/${aws:PrincipalTag/team, 'ml'}/*",
  "arn:aws:s3:::data/ml/x", SESSION, false, { context = { ["aws:PrincipalTag/team"] = "web" } })
var("var-tag", "variables", "arn:aws:s3:::data/${aws:PrincipalTag/team}/*", "arn:aws:s3:::data/web/x", SESSION, true,
  { context = { ["aws:PrincipalTag/team"] = "web" } })
var("var-value-is-literal", "variables", "arn:aws:s3:::data/${aws:PrincipalTag/team}/x", "arn:aws:s3:::data/anything/x",
  SESSION, false, { context = { ["aws:PrincipalTag/team"] = "*" }, note = "a substituted * is no wildcard" })
var("var-escape-star", "variables", "arn:aws:s3:::data/${*}", "arn:aws:s3:::data/x", SESSION, false)
var("var-escape-star-literal", "variables", "arn:aws:s3:::data/${*}", "arn:aws:s3:::data/*", SESSION, true)
add(f, { id = "var-version-2008-literal", rule = "variables_version", action = "s3:GetObject", principal = USER,
         resource = "arn:aws:s3:::data/home/alice/x",
         policies = { identity = { Version = "2008-10-17", Statement = array { stmt("Allow", "s3:GetObject", HOME) } } },
         decision = "implicit_deny", by = "identity" })
add(f, { id = "var-no-version-literal", rule = "variables_version", action = "s3:GetObject", principal = USER,
         resource = "arn:aws:s3:::data/home/${aws:username}/x",
         policies = { identity = { Statement = array { stmt("Allow", "s3:GetObject", HOME) } } },
         decision = "allow", by = "identity" })
local function cvar(id, rule, value, ctx, principal, holds)
  add(f, { id = id, rule = rule, action = "s3:ListBucket", resource = "arn:aws:s3:::data", principal = principal,
           context = ctx, policies = { identity = allow("s3:ListBucket", "arn:aws:s3:::data",
             { Condition = { StringLike = { ["s3:prefix"] = value } } }) },
           decision = holds and "allow" or "implicit_deny", by = "identity" })
end
cvar("var-condition", "variables", "home/${aws:username}/*", { ["s3:prefix"] = "home/alice/docs" }, USER, true)
cvar("var-condition-other", "variables", "home/${aws:username}/*", { ["s3:prefix"] = "home/bob/docs" }, USER, false)
cvar("var-condition-unresolved", "variables_missing", "home/${aws:username}/*", { ["s3:prefix"] = "home/alice/docs" },
  SESSION, false)

-- ---- what AWS decides whatever the policies say (issue 14, items 1-5) ----
f = file("aws_rules", "sts:GetCallerIdentity, KMS key policies, refused requests, Allow with NotPrincipal, the caller's own caps on sts:AssumeRole.")
local function a(c)
  c.action, c.resource = "sts:GetCallerIdentity", "*"
  add(f, c)
end
a({ id = "gci-no-policy", rule = "get_caller_identity", policies = {}, decision = "allow", by = "aws" })
a({ id = "gci-identity-deny", rule = "get_caller_identity", policies = { identity = deny("sts:*") }, decision = "allow", by = "aws" })
a({ id = "gci-session-deny", rule = "get_caller_identity", policies = { identity = allow(), session = deny() }, decision = "allow", by = "aws" })
a({ id = "gci-boundary-deny", rule = "get_caller_identity", policies = { identity = allow(), boundary = deny() }, decision = "allow", by = "aws" })
a({ id = "gci-scp-deny", rule = "get_caller_identity", policies = { scp = { deny() } }, decision = "allow", by = "aws" })
a({ id = "gci-user", rule = "get_caller_identity", principal = USER, policies = { identity = deny() }, decision = "allow", by = "aws" })
local KEY = ("arn:aws:kms:us-east-1:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab"):format(A)
local function kp(principal) return rp({ AWS = principal }, "kms:*", "*") end
local function k(c) c.action = c.action or "kms:Decrypt"; c.resource = c.resource or KEY; c.rule = "kms_key_policy"; add(f, c) end
k({ id = "kms-other-principal", policies = { identity = allow(), resource = kp(ARN_ROLE:gsub("app$", "other")) },
    decision = "implicit_deny", by = "resource" })
k({ id = "kms-account", policies = { identity = allow(), resource = kp(ROOT) }, decision = "allow", by = "identity" })
k({ id = "kms-account-no-identity", policies = { identity = allow("s3:*"), resource = kp(ROOT) },
    decision = "implicit_deny", by = "identity" })
k({ id = "kms-names-session", policies = { resource = kp(SESSION) }, decision = "allow", by = "resource" })
k({ id = "kms-iam-deny", policies = { identity = deny("kms:Decrypt"), resource = kp(SESSION) },
    decision = "explicit_deny", by = "identity" })
k({ id = "kms-default-key-policy", policies = { identity = allow() }, decision = "allow", by = "identity",
    note = "no key policy given: the default one (the account may use IAM policies) is assumed" })
k({ id = "kms-default-key-policy-no-identity", policies = {}, decision = "implicit_deny", by = "identity" })
k({ id = "kms-default-key-policy-cross-account", principal = B_SESSION, policies = { identity = allow() },
    decision = "implicit_deny", by = "resource" })
k({ id = "kms-root-needs-key-policy", principal = ROOT, policies = { resource = kp(ARN_ROLE) },
    decision = "implicit_deny", by = "resource" })
local function refused(id, rule, action, resource, principal, decision)
  add(f, { id = id, rule = rule, action = action, resource = resource, principal = principal,
           policies = { identity = allow(), resource = rp("*") }, decision = decision or "explicit_deny",
           by = (decision or "explicit_deny") == "explicit_deny" and "aws" or "resource" })
end
for _, act in ipairs { "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
                       "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy" } do
  refused("refused-managed-" .. act:sub(5), "managed_policy", act, "arn:aws:iam::aws:policy/ReadOnlyAccess")
end
refused("refused-managed-read-ok", "managed_policy", "iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess", nil, "allow")
local SSO_ROLE = "arn:aws:iam::" .. A .. ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"
for _, act in ipairs { "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole", "iam:UpdateAssumeRolePolicy",
                       "iam:TagRole", "iam:PutRolePermissionsBoundary" } do
  refused("refused-sso-" .. act:sub(5), "identity_center_roles", act, SSO_ROLE)
end
refused("refused-sso-read-ok", "identity_center_roles", "iam:GetRole", SSO_ROLE, nil, "allow")
for _, act in ipairs { "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias" } do
  refused("refused-alias-" .. act:sub(5), "kms_alias", act, ("arn:aws:kms:us-east-1:%s:alias/aws/ebs"):format(A))
end
refused("refused-alias-own-ok", "kms_alias", "kms:CreateAlias", ("arn:aws:kms:us-east-1:%s:alias/app"):format(A), nil, "allow")
local T = doc(stmt("Allow", "sts:AssumeRole", false, { Principal = { AWS = A } }))
local function caller(id, p, decision, by)
  p.trust = T
  add(f, { id = id, rule = "caller_caps", action = "sts:AssumeRole", no_resource = true, policies = p,
           decision = decision, by = by })
end
caller("caller-boundary-caps", { caller = allow(), caller_boundary = allow("s3:*") }, "implicit_deny", "caller_boundary")
caller("caller-boundary-allows", { caller = allow(), caller_boundary = allow("sts:AssumeRole") }, "allow", "caller")
caller("caller-boundary-deny", { caller = allow(), caller_boundary = { allow(), deny("sts:*") } }, "explicit_deny", "caller_boundary")
caller("caller-session-caps", { caller = allow(), caller_session = allow("s3:*") }, "implicit_deny", "caller_session")
caller("caller-session-deny", { caller = allow(), caller_session = deny() }, "explicit_deny", "caller_session")
caller("caller-role-boundary-ignored", { caller = allow(), boundary = deny() }, "allow", "caller")

-- ---- VPC endpoint policies (issue 14, item 6) ----
f = file("endpoint", "A request made through a VPC endpoint must also be allowed by the endpoint policy.")
local function ep(id, rule, p, decision, by, extra)
  local c = { id = id, rule = rule, policies = p, decision = decision, by = by }
  for kk, v in pairs(extra or {}) do c[kk] = v end
  add(f, c)
end
ep("endpoint-default-full-access", "endpoint_default", { identity = allow(), endpoint = rp("*") }, "allow", "identity")
ep("endpoint-does-not-allow", "endpoint", { identity = allow(), endpoint = rp("*", "s3:*") }, "implicit_deny", "endpoint")
ep("endpoint-does-not-grant", "endpoint", { endpoint = rp("*") }, "implicit_deny", "identity")
ep("endpoint-deny", "endpoint", { identity = allow(), endpoint = doc(stmt("Allow", "*", "*", { Principal = "*" }),
  stmt("Deny", SEND, "*", { Principal = "*" })) }, "explicit_deny", "endpoint")
ep("endpoint-resource-scoped", "endpoint", { identity = allow(), endpoint = rp("*", "sqs:*", "arn:aws:sqs:*:*:other") },
  "implicit_deny", "endpoint")
ep("endpoint-principal-arn-condition", "endpoint",
  { identity = allow(), endpoint = doc(stmt("Allow", "*", "*", { Principal = "*",
      Condition = { ArnEquals = { ["aws:PrincipalArn"] = ARN_ROLE } } })) }, "allow", "identity")
ep("endpoint-principal-arn-condition-other", "endpoint",
  { identity = allow(), endpoint = doc(stmt("Allow", "*", "*", { Principal = "*",
      Condition = { ArnEquals = { ["aws:PrincipalArn"] = USER } } })) }, "implicit_deny", "endpoint")
ep("endpoint-account-means-root", "endpoint_principal", { identity = allow(), endpoint = rp({ AWS = A }) },
  "implicit_deny", "endpoint")
ep("endpoint-account-root", "endpoint_principal", { endpoint = rp({ AWS = A }) }, "allow", "identity",
  { principal = ROOT })
ep("endpoint-names-session", "endpoint", { identity = allow(), endpoint = rp({ AWS = SESSION }) }, "allow", "identity")
ep("endpoint-names-role", "endpoint", { identity = allow(), endpoint = rp({ AWS = ROLE }) }, "allow", "identity")
ep("endpoint-resource-policy-still-applies", "endpoint",
  { resource = rp({ AWS = SESSION }), endpoint = rp("*") }, "allow", "resource")
ep("endpoint-resource-deny-still-applies", "endpoint",
  { identity = allow(), resource = rp("*", "*", "*", "Deny"), endpoint = rp("*") }, "explicit_deny", "resource")
ep("endpoint-anonymous", "endpoint", { resource = rp("*"), endpoint = rp("*", "s3:*") }, "implicit_deny", "endpoint",
  { principal = "anonymous" })
ep("endpoint-trust", "endpoint", { trust = doc(stmt("Allow", "sts:AssumeRole", false, { Principal = { AWS = SESSION } })),
  endpoint = rp("*", "s3:*") }, "implicit_deny", "endpoint", { action = "sts:AssumeRole", no_resource = true })

-- ---- questions: resource patterns and unknown context (items 7, 8) ----
f = file("questions", "A resource pattern as the request (all / some / none) and unknown context (the condition an Allow needs).")
local CARVED = { allow("s3:GetObject", "arn:aws:s3:::data/*"), deny("s3:GetObject", "arn:aws:s3:::data/secret/*") }
local function pat(id, pattern, answer, policies)
  add(f, { id = id, rule = "resource_pattern", action = "s3:GetObject", resource = pattern, query = "pattern",
           policies = { identity = policies or CARVED }, answer = answer })
end
pat("pattern-some-deny-carves", "arn:aws:s3:::data/*", "some")
pat("pattern-all-inside", "arn:aws:s3:::data/in/*", "all")
pat("pattern-none-outside", "arn:aws:s3:::other/*", "none")
pat("pattern-none-denied", "arn:aws:s3:::data/secret/*", "none")
pat("pattern-notresource", "arn:aws:s3:::data/*", "some",
  { allow("s3:GetObject"), doc(stmt("Deny", "s3:GetObject", false, { NotResource = "arn:aws:s3:::data/public/*" })) })
local function cnd(id, rule, policies, condition, context)
  add(f, { id = id, rule = rule, action = "s3:GetObject", resource = "arn:aws:s3:::b/k", query = "conditions",
           context = context, policies = { identity = policies }, condition = condition })
end
local TT = allow("s3:GetObject", "*", { Condition = { StringEquals = { ["aws:PrincipalTag/team"] = "ml" },
                                                      Bool = { ["aws:SecureTransport"] = "true" } } })
cnd("conditions-and", "multi_and", TT, "aws:SecureTransport = true and aws:PrincipalTag/team = ml")
cnd("conditions-known-key", "multi_and", TT, "aws:PrincipalTag/team = ml", { ["aws:SecureTransport"] = "true" })
cnd("conditions-never", "multi_and", TT, "never", { ["aws:SecureTransport"] = "false" })
cnd("conditions-always", "explicit_allow", allow("s3:*"), "always")
cnd("conditions-or", "union", { allow("s3:GetObject", "*", { Condition = { StringEquals = { ["aws:PrincipalTag/team"] = array { "ml", "data" } } } }),
  allow("s3:GetObject", "*", { Condition = { NumericLessThan = { ["aws:MultiFactorAuthAge"] = "3600" } } }) },
  "aws:MultiFactorAuthAge < 3600 or aws:PrincipalTag/team in (ml, data)")
cnd("conditions-deny", "deny_overrides", { allow("s3:*"), deny("*", "*", { Condition = { Bool = { ["aws:SecureTransport"] = "false" } } }) },
  "aws:SecureTransport != false")

-- ---- write ----
local total = 0
for _, name in ipairs(order) do
  local fl = files[name]
  local used = {}
  for _, c in ipairs(fl.cases) do used[c.rule] = RULES[c.rule] end
  local rules = {}
  for id, r in pairs(used) do rules[id] = { source = r[1], quote = r[2] } end
  local out = { format = "leastpriv-conformance/1", description = fl.description, rules = rules,
                cases = array(fl.cases) }
  local path = "spec/conformance/" .. name .. ".json"
  local fh = assert(io.open(path, "wb"))
  fh:write(core.json_encode(out), "\n")
  fh:close()
  total = total + #fl.cases
  io.write(("%-40s %4d cases\n"):format(path, #fl.cases))
end
io.write(("%d cases\n"):format(total))
