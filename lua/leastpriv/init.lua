-- leastpriv: AWS IAM policy-as-code.  The public Lua API.
--
--   local lp = require "leastpriv"
--   local aws = lp.scope { account = "123456789012", region = "us-east-1" }
--   return lp.role {
--     name = "trainer",
--     trust = lp.trust.service("sagemaker.amazonaws.com"),
--     policies = { data = lp.policy {
--       lp.allow { action = "s3:GetObject", resource = aws.s3.objects("bucket", "in/") },
--     } },
--   }
--
-- See README.md for the whole API and docs/internal/contracts.md for shapes.
local core = require "leastpriv.core"
local catalog = require "leastpriv.catalog"
local statement = require "leastpriv.statement"
local policy = require "leastpriv.policy"
local role = require "leastpriv.role"
local scope = require "leastpriv.scope"
local template = require "leastpriv.template"

local lp = { core = core, _VERSION = core._VERSION, null = core.null }

-- Building roles and policies.
lp.allow = statement.allow
lp.deny = statement.deny
lp.statement = statement.statement
lp.policy = policy.policy
lp.managed_policy = policy.managed_policy
lp.role = role.role
lp.trust = require "leastpriv.trust"
lp.var = template.var
lp.scope = scope.new

-- Generating least-privilege statements from the catalog.
local grant = require "leastpriv.grant"
lp.grant = grant.grant
lp.needs = grant.needs

-- The AWS catalog.
lp.catalog = catalog
lp.actions = catalog.actions
lp.services = catalog.services
lp.condition_keys = catalog.condition_keys
lp.resource_types = catalog.resource_types

-- ARNs.
lp.arn = {
  parse = core.arn_parse,             -- (s) -> parts | nil, err
  check = core.arn_check,             -- (s) -> true | false, err
  format = core.arn_format,           -- (parts) -> s
  match = core.arn_match,             -- (pattern, arn): Resource-element semantics
  like = core.arn_like,               -- (pattern, arn): ArnLike semantics
  build = catalog.arn_build,          -- (service, resource_type, vars) -> arn | nil, err
  resource_types = catalog.resource_types_for_arn,  -- (arn [, service]) -> list
}

-- Wildcard matching as IAM does it; nocase for action names.
lp.glob_match = core.glob_match

-- Reading and writing documents.

-- load_json(text [, opts]) -> value | nil, "LINE:COL: PATH: message".
-- Strict JSON: duplicate keys are errors; at most 16 MiB and 64 levels.
-- Arrays carry lp.core.array_mt (so [] and {} stay apart), null is lp.null.
-- opts.positions = true: a second result maps each element's JSON path
-- ("Statement[0].Action") to { line, col }; PATH.."#key" is a member's name.
function lp.load_json(text, opts)
  if type(text) ~= "string" then error("lp.load_json takes a string", 2) end
  if opts ~= nil and type(opts) ~= "table" then error("lp.load_json: options must be a table", 2) end
  return core.json_decode(text, opts and { positions = opts.positions })
end

local function as_document(doc, fname)
  if type(doc) ~= "table" then error(fname .. " takes a policy document", 3) end
  if doc.kind == "role" then
    error(fname .. " renders one policy document; pass role.trust or a policy of role.policies", 3)
  end
  if doc.kind == "policy" then doc = doc.document end
  local ok, res = pcall(policy.normalize, doc, fname)
  if not ok then error(res, 3) end
  return res
end

-- json(doc [, opts]) -> IAM JSON text.  opts: compact, vars (values for
-- lp.var placeholders).
function lp.json(doc, opts)
  opts = opts or {}
  doc = as_document(doc, "lp.json")
  if opts.vars then
    local ok, res = pcall(template.substitute, doc, opts.vars, template.declared())
    if not ok then error("lp.json: " .. tostring(res), 2) end
    doc = res
  end
  return core.policy_json(doc, { compact = opts.compact })
end

-- hcl(x [, opts]) -> Terraform text.  x: a role, a managed policy, a list of
-- them, or a document (then the jsonencode(...) expression alone).
-- opts.style: "jsonencode" (default) or "document" (aws_iam_policy_document).
function lp.hcl(x, opts)
  opts = opts or {}
  if type(x) ~= "table" then error("lp.hcl takes a role, a policy or a document", 2) end
  if x.kind == nil and (x.Statement or x.Version) then
    local doc = as_document(x, "lp.hcl")
    return core.hcl_policy(doc, { style = opts.style or "jsonencode", name = opts.name or "policy" })
  end
  return require("leastpriv.hcl").render(x, opts)
end

-- Simulation (issue 5): compile once, decide requests, explain decisions.
-- (loaded on first use, like validation)
local function simulate(name)
  return function(...) return require("leastpriv.simulate")[name](...) end
end
lp.compile = simulate "compile"      -- (policies [, opts]) -> Policy | nil, err
lp.simulate = simulate "simulate"    -- (request, policies [, opts]) -> decision [, explanation]
lp.effective = simulate "effective"  -- (policies, resource [, context]) -> allowed actions
lp.grants = simulate "grants"        -- (policies) -> every { action, resource } allowed
function lp.simulate_pattern(...)        -- (request with an ARN pattern, policies) -> all / some / none
  return require("leastpriv.pattern").simulate_pattern(...)
end
lp.with_groups = simulate "with_groups"  -- (policies, { endpoint = ... }) -> policies with more groups
-- end of simulation

-- Validation (issue 4): findings as data, never a raise on a bad policy.
-- validate(x [, opts]) -> { { code, severity, message, path, line, column,
-- sid, hint, file, document }... }; see lua/leastpriv/validate.lua.
-- (loaded on first use: its check tables cost more than the rest of the
-- module together, and role scripts that only render never need them)
function lp.validate(...)
  return require("leastpriv.validate").validate(...)
end
-- end of validation

-- The default scope (no account or region): lp.s3.bucket("x"), lp.sagemaker...
local default_scope = scope.new {}
return setmetatable(lp, { __index = default_scope })
