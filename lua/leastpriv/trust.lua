-- Trust-policy statements: who may assume a role.
--
--   lp.trust.service("sagemaker.amazonaws.com", { source_account =, source_arn = })
--   lp.trust.aws("123456789012", { external_id = "...", mfa = true })
--   lp.trust.oidc(provider_arn, { audience = "sts.amazonaws.com", subject = "repo:o/r:ref:refs/heads/main" })
--   lp.trust.github { repo = "owner/name", branch = "main", account = "123456789012" }
--   lp.trust.saml(provider_arn)
-- Each returns a statement for a role's `trust`; `condition` adds more
-- conditions, `actions` replaces the default action list, `sid` names it.
local statement = require "leastpriv.statement"
local template = require "leastpriv.template"
local util = require "leastpriv.util"

local M = {}

local COMMON = { sid = true, condition = true, actions = true, session_tags = true }

local function options(opts, extra, fname)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(fname .. ": options must be a table", 0) end
  local allowed = {}
  for k in pairs(COMMON) do allowed[k] = true end
  for k in pairs(extra) do allowed[k] = true end
  for k in pairs(opts) do
    if not allowed[k] then
      error(("%s: unknown option '%s'%s"):format(fname, tostring(k),
        util.did_you_mean(tostring(k), util.sorted_keys(allowed))), 0)
    end
  end
  return opts
end

local function list(v)
  return type(v) == "table" and v or { v }
end

local function has_wildcard(values)
  for _, v in ipairs(list(values)) do
    if tostring(v):find("[%*%?]") then return true end
  end
  return false
end

local function finish(fname, principal, default_actions, opts, conds)
  local actions = opts.actions or default_actions
  if opts.session_tags then
    actions = list(actions)
    local copy = {}
    for i, a in ipairs(actions) do copy[i] = a end
    copy[#copy + 1] = "sts:TagSession"
    actions = copy
  end
  local cond = statement.merge_conditions(conds, opts.condition and statement.condition(opts.condition))
  return statement.build({ sid = opts.sid, principal = principal, action = actions,
                           condition = cond }, "Allow", fname)
end

local entry = util.blamed

-- An AWS service principal, with confused-deputy protection by
-- aws:SourceAccount (StringEquals) and aws:SourceArn (ArnLike).
M.service = entry("lp.trust.service", function(services, opts)
  opts = options(opts, { source_account = true, source_arn = true }, "lp.trust.service")
  for _, s in ipairs(list(services)) do
    if type(s) ~= "string" or not s:match("^[%w%.%-]+%.amazonaws%.com[%.%w]*$") then
      error(("service principal %q must look like name.amazonaws.com"):format(tostring(s)), 0)
    end
  end
  local conds = {}
  if opts.source_account then
    conds.StringEquals = { ["aws:SourceAccount"] = opts.source_account }
  end
  if opts.source_arn then
    conds.ArnLike = { ["aws:SourceArn"] = opts.source_arn }
  end
  return finish("lp.trust.service", { Service = services }, "sts:AssumeRole", opts, conds)
end)

-- AWS principals (account IDs or IAM ARNs), optionally with an ExternalId
-- (for third parties) and MFA.
M.aws = entry("lp.trust.aws", function(principals, opts)
  opts = options(opts, { external_id = true, mfa = true }, "lp.trust.aws")
  for _, p in ipairs(list(principals)) do
    if type(p) ~= "string" or not (p:match("^%d%d%d%d%d%d%d%d%d%d%d%d$") or p:match("^arn:")) then
      error(("AWS principal %q must be a 12-digit account ID or an IAM ARN"):format(tostring(p)), 0)
    end
  end
  local conds = {}
  if opts.external_id then
    local id = opts.external_id
    local literal = type(id) == "string" and not template.has_placeholder(id)
    if type(id) ~= "string" or literal and (#id < 2 or #id > 1224 or not id:match("^[%w+=,.@:/%-]+$")) then
      error("external_id must be 2-1224 characters of letters, digits and +=,.@:/-", 0)
    end
    conds.StringEquals = { ["sts:ExternalId"] = id }
  end
  if opts.mfa then conds.Bool = { ["aws:MultiFactorAuthPresent"] = "true" } end
  return finish("lp.trust.aws", { AWS = principals }, "sts:AssumeRole", opts, conds)
end)

-- An OIDC identity provider (GitHub Actions, EKS, ...): the audience is
-- checked with StringEquals, the subject with StringLike when it has
-- wildcards and StringEquals when it has none.
M.oidc = entry("lp.trust.oidc", function(provider_arn, opts)
  opts = options(opts, { audience = true, subject = true }, "lp.trust.oidc")
  local host = type(provider_arn) == "string" and provider_arn:match(":oidc%-provider/(.+)$")
  if not host then
    error("the provider must be an ARN like arn:aws:iam::123456789012:oidc-provider/HOST", 0)
  end
  if not opts.audience and not opts.subject then
    error("give audience and/or subject: an unconditioned OIDC trust lets any identity of "
      .. "the provider in", 0)
  end
  local conds = {}
  if opts.audience then conds.StringEquals = { [host .. ":aud"] = opts.audience } end
  if opts.subject then
    local op = has_wildcard(opts.subject) and "StringLike" or "StringEquals"
    conds[op] = conds[op] or {}
    conds[op][host .. ":sub"] = opts.subject
  end
  return finish("lp.trust.oidc", { Federated = provider_arn }, "sts:AssumeRoleWithWebIdentity",
    opts, conds)
end)

-- GitHub Actions through its OIDC provider, in one line: the audience is
-- pinned to sts.amazonaws.com and the subject to one repository's branch,
-- tag, environment or pull requests, in the forms GitHub's tokens carry
-- ("repo:OWNER/REPO:ref:refs/heads/BRANCH", "...:ref:refs/tags/TAG",
-- "...:environment:NAME", "...:pull_request").
--   lp.trust.github { repo = "acme/ml", branch = "main", account = "123456789012" }
local GITHUB_HOST = "token.actions.githubusercontent.com"
M.github = entry("lp.trust.github", function(opts)
  if type(opts) ~= "table" then error("lp.trust.github takes a table { repo =, branch = | tag = | environment = }", 0) end
  opts = options(opts, { repo = true, branch = true, tag = true, environment = true, pull_request = true,
                         account = true, provider = true, partition = true }, "lp.trust.github")
  local repo = opts.repo
  if type(repo) ~= "string" or not (template.has_placeholder(repo) or repo:match("^[%w%-_.]+/[%w%-_.]+$")) then
    error("repo must be OWNER/NAME (no wildcards: they would admit other repositories)", 0)
  end
  local provider = opts.provider
  if provider == nil then
    if type(opts.account) ~= "string" then
      error("give account (the AWS account holding the GitHub OIDC provider) or provider (its ARN)", 0)
    end
    provider = ("arn:%s:iam::%s:oidc-provider/%s"):format(opts.partition or "aws", opts.account, GITHUB_HOST)
  end
  local subjects, kinds = {}, 0
  local function add(values, form, what)
    if values == nil then return end
    kinds = kinds + 1
    for _, v in ipairs(list(values)) do
      if type(v) ~= "string" or v == "" then error(what .. " must be a name or a list of names", 0) end
      if v:match("^[%*%?]+$") then
        error(("%s = %q admits every %s: name them"):format(what, v, what), 0)
      end
      subjects[#subjects + 1] = form:format(repo, v)
    end
  end
  add(opts.branch, "repo:%s:ref:refs/heads/%s", "branch")
  add(opts.tag, "repo:%s:ref:refs/tags/%s", "tag")
  add(opts.environment, "repo:%s:environment:%s", "environment")
  if opts.pull_request then
    kinds = kinds + 1
    subjects[#subjects + 1] = ("repo:%s:pull_request"):format(repo)
  end
  if kinds == 0 then
    error("give branch, tag, environment or pull_request = true: a trust of the whole repository "
      .. "lets every branch, tag and pull request's workflow in", 0)
  end
  local conds = { StringEquals = { [GITHUB_HOST .. ":aud"] = "sts.amazonaws.com" } }
  local op = has_wildcard(subjects) and "StringLike" or "StringEquals"
  conds[op] = conds[op] or {}
  conds[op][GITHUB_HOST .. ":sub"] = #subjects == 1 and subjects[1] or subjects
  return finish("lp.trust.github", { Federated = provider }, "sts:AssumeRoleWithWebIdentity", opts, conds)
end)

-- A SAML identity provider; the audience defaults to the AWS sign-in page.
M.saml = entry("lp.trust.saml", function(provider_arn, opts)
  opts = options(opts, { audience = true }, "lp.trust.saml")
  if type(provider_arn) ~= "string" or not provider_arn:match(":saml%-provider/.+$") then
    error("the provider must be an ARN like arn:aws:iam::123456789012:saml-provider/NAME", 0)
  end
  local conds = { StringEquals = { ["SAML:aud"] = opts.audience or "https://signin.aws.amazon.com/saml" } }
  return finish("lp.trust.saml", { Federated = provider_arn }, "sts:AssumeRoleWithSAML", opts, conds)
end)

return M
