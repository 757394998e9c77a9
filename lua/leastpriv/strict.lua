-- Strict requests: what makes a simulated request one that AWS could never
-- send, so that a test of it could never fail.  `assert.denies(role,
-- "s3:PutObjekt", arn)` holds for every role (no such action); so does a
-- request with a misspelt context key, a malformed ARN, or an ARN of a
-- resource type the action does not act on.  The checks read the catalog
-- only: they sit above the decision (csrc/eval.c) and never change it.
--
--   local strict = require "leastpriv.strict"
--   local problem = strict.request_problem({ action =, resource =, context = })
--   local d, e = P:decide(request)             -- e.invalid: the engine's own finding
--   problem = strict.invalid_problem(request, e)
--   local problem = strict.grant_problem("s3:Get*", "arn:aws:s3:::b/*")
--
-- Each returns nil when all is well, else one sentence naming the problem
-- with a did-you-mean where the catalog has a close name.  request_problem
-- costs about a microsecond; the resource type is left to the engine,
-- which knows it cheaply (a catalog scan here costs a fraction of a ms).
local core = require "leastpriv.core"
local catalog = require "leastpriv.catalog"
local util = require "leastpriv.util"

local M = {}

local function has_wildcard(s) return s:find("[%*%?]") ~= nil end

-- The "(did you mean X?)" of a catalog lookup's error, or nil.
local function suggestion_of(err)
  return err and err:match("(%(did you mean .-%))$")
end

-- " (did you mean X?)" from a catalog error, or "".
local function did_you_mean(err)
  local s = suggestion_of(err)
  return s and (" " .. s) or ""
end

-- The problem with an action name of a request, or nil and its canonical
-- name.
local function action_problem(action)
  if type(action) ~= "string" then return "the action must be a string" end
  if has_wildcard(action) then
    return ("%s is a pattern: a request is for one action (grants_only takes patterns)"):format(action)
  end
  local name = catalog.actions.find(action)
  if name then return nil, name end
  local _, err = catalog.actions.get(action)
  local service = action:match("^([^:]*):")
  if not service then
    return ("%s is not an action: actions look like service:ActionName"):format(action)
  end
  local svc, serr = catalog.services.get(service)
  if not svc then
    return ("%s is not an action in the catalog: no service %s%s"):format(action, service, did_you_mean(serr))
  end
  return ("%s is not an action in the catalog%s"):format(action, did_you_mean(err))
end

-- The names of the resource types action (a catalog record) acts on.
local function type_names(rec)
  local names = {}
  for i, rt in ipairs(rec.resource_types or {}) do names[i] = rt.name end
  return table.concat(names, ", ")
end

-- The names of the catalog resource types of arn, or "".
local function arn_type_names(arn)
  local list = catalog.resource_types_for_arn(arn) or {}
  local names = {}
  for i, rt in ipairs(list) do names[i] = rt.service .. " " .. rt.name end
  return table.concat(names, ", ")
end

-- The problem with resource as an ARN (malformed), or nil.  Cheap.
local function arn_problem(resource)
  if resource == nil or resource == "*" then return nil end
  if type(resource) ~= "string" then return "the resource must be an ARN or \"*\"" end
  local parts, err = core.arn_parse(resource)
  if not parts then return ("malformed ARN: %s"):format(err) end
  return nil, parts
end

-- The problem with resource (a well-formed ARN, or an ARN pattern when
-- pattern is true) as a resource of the catalog action named action (nil:
-- check the ARN's type only), or nil.  Scans the catalog's resource
-- types: a fraction of a millisecond.
local function type_problem(resource, action, pattern)
  if resource == nil or resource == "*" then return nil end
  local problem, parts = arn_problem(resource)
  if problem then return problem end
  local typed = arn_type_names(resource)
  if typed == "" and not pattern then
    local svc, serr = catalog.services.get(parts.service)
    if not svc then
      return ("%s is not an ARN of any resource type in the catalog: no service %s%s")
        :format(resource, parts.service, did_you_mean(serr)), "arn"
    end
    return ("%s is not an ARN of any resource type of %s in the catalog"):format(resource, parts.service), "arn"
  end
  if action and not core.eval_applies(action, resource) then
    local rec = catalog.actions.get(action)
    if rec.wildcard_only then
      return ("%s acts only on \"*\" (it has no resource type), not on %s"):format(rec.name, resource),
        "resource_type"
    end
    return ("%s does not act on %s%s: it acts on %s"):format(rec.name, resource,
      typed ~= "" and (" (" .. typed .. ")") or "", type_names(rec)), "resource_type"
  end
  return nil
end

-- Did-you-mean for a tag-key form whose prefix is misspelt
-- ("aws:ResourceTagg/team" -> "aws:ResourceTag/team") or that lacks its
-- tag key ("aws:ResourceTag" -> "aws:ResourceTag/<tag-key>").
local tag_prefixes
local function tag_suggestion(key)
  if not tag_prefixes then
    tag_prefixes = {}
    local seen = {}
    for _, name in ipairs(catalog.condition_keys.list()) do
      local prefix = name:match("^([^/]+)/")
      if prefix and not seen[prefix] then seen[prefix] = true; tag_prefixes[#tag_prefixes + 1] = prefix end
    end
  end
  local prefix, rest = key:match("^([^/]+)/(.*)$")
  if not prefix then
    for _, p in ipairs(tag_prefixes) do
      if p:lower() == key:lower() then return (" (did you mean %s/<tag-key>?)"):format(p) end
    end
    return ""
  end
  if rest == "" then return (" (the tag key after %s/ is missing)"):format(prefix) end
  local best = util.closest(prefix, tag_prefixes)
  return best and (" (did you mean %s/%s?)"):format(best, rest) or ""
end

-- The claims every OIDC identity provider's tokens may carry, as IAM names
-- them in keys ("accounts.google.com:aud"): amr, aud, azp, email, oaud, sub.
local OIDC_CLAIMS = { amr = true, aud = true, azp = true, email = true, oaud = true, sub = true }

-- The catalog's claims of identity provider host (by its keys), or nil.
local provider_claims
local function claims_of(host)
  if not provider_claims then
    provider_claims = {}
    for _, name in ipairs(catalog.condition_keys.list()) do
      local h = name:match("^([^:]*%.[^:]*):.")
      if h then
        h = h:lower()
        provider_claims[h] = provider_claims[h] or {}
        table.insert(provider_claims[h], name)
      end
    end
  end
  return provider_claims[host:lower()]
end

-- The problem with a key of an identity provider (its prefix is a host,
-- as in "token.actions.githubusercontent.com:sub"), or nil: a standard
-- claim, or a claim the catalog lists for that host; a host the catalog
-- does not know may carry any claim (a provider of one's own).
local function provider_key_problem(key, host, claim)
  if OIDC_CLAIMS[claim:lower()] then return nil end
  local known = claims_of(host)
  if not known then return nil end
  local best = util.closest(key, known)
  return ("context key %s is not a claim the catalog knows for %s%s"):format(key, host,
    best and (" (did you mean %s?)"):format(best) or "")
end

-- Known context keys, by name as given (a lookup builds the key's whole
-- record: keep the answer; emptied past MAX_KNOWN names, since tag keys
-- can be anything).
local known_keys, n_known, MAX_KNOWN = {}, 0, 4096

-- The problem with a request context key, or nil.
local function key_problem(key)
  if type(key) ~= "string" then return ("context keys must be strings, not %s"):format(type(key)) end
  if known_keys[key] then return nil end
  local rec, err = catalog.condition_keys.get(key)
  if rec then
    if n_known >= MAX_KNOWN then known_keys, n_known = {}, 0 end
    known_keys[key], n_known = true, n_known + 1
    return nil
  end
  local host, claim = key:match("^([^:]*%.[^:]*):(.+)$")
  if host then return provider_key_problem(key, host, claim) end
  local hint = tag_suggestion(key)
  if hint == "" then hint = did_you_mean(err) end
  return ("context key %s is not a condition key in the catalog%s"):format(key, hint)
end

-- request_problem(request [, opts]) -> nil | sentence, kind: the
-- request's action is a catalog action, its resource "*", absent or a
-- well-formed ARN, and each context key a catalog condition key (globals
-- like aws:SourceIp and tag-key forms like aws:ResourceTag/team included).
-- opts.types: also that the ARN is of a type the action acts on (a scan of
-- the catalog; the engine finds the same cheaply: see invalid_problem).
-- kind: "action", "arn" (malformed, or with opts.types of no catalog
-- type), "resource_type" (a type the action does not act on), "context".
function M.request_problem(request, opts)
  if type(request) ~= "table" then return "the request must be a table", "request" end
  local problem, action = action_problem(request.action)
  if problem then return problem, "action" end
  problem = arn_problem(request.resource)
  if problem then return problem, "arn" end
  local context = request.context
  if context ~= nil then
    if type(context) ~= "table" then return "the context must be a table of KEY = value", "context" end
    for _, key in ipairs(util.sorted_keys(context)) do
      problem = key_problem(key)
      if problem then return problem, "context" end
    end
  end
  if opts and opts.types then
    local kind
    problem, kind = type_problem(request.resource, action, false)
    if problem then return problem, kind end
  end
  return nil
end

-- invalid_problem(request, explanation) -> nil | sentence: when the
-- engine found the request invalid (explanation.invalid: an ARN of no
-- catalog type, or of a type the action does not act on), the sentence
-- that says why, with the types the action acts on.
function M.invalid_problem(request, e)
  if not (e and e.invalid) then return nil end
  local _, action = action_problem(request.action)
  return (type_problem(request.resource, action, false)) or e.invalid
end

-- grant_problem(action, resource) -> nil | sentence: the action pattern
-- matches catalog actions, the resource is "*" or a well-formed ARN
-- pattern, and at least one of the actions can act on it.
function M.grant_problem(action, resource)
  if type(action) ~= "string" then return "the action must be a string" end
  local actions
  if has_wildcard(action) then
    actions = catalog.actions.expand(action)
    if #actions == 0 then
      local service = action:match("^([^:]*):")
      local hint = ""
      if service and not has_wildcard(service) then
        local svc, serr = catalog.services.get(service)
        if not svc then hint = ": no service " .. service .. did_you_mean(serr)
        else
          local best = util.closest(action, catalog.actions.list { service = svc.prefix })
          if best then hint = (" (did you mean %s?)"):format(best) end
        end
      end
      return ("%s matches no action in the catalog%s"):format(action, hint)
    end
  else
    local problem, name = action_problem(action)
    if problem then return problem end
    actions = { name }
  end
  if resource == "*" then return nil end
  local problem = type_problem(resource, nil, true)
  if problem then return problem end
  for _, a in ipairs(actions) do
    if core.eval_applies(a, resource) then return nil end
  end
  if #actions == 1 then
    return type_problem(resource, actions[1], true)
  end
  local typed = arn_type_names(resource)
  return ("no action matching %s acts on %s%s"):format(action, resource,
    typed ~= "" and (" (" .. typed .. ")") or "")
end

return M
