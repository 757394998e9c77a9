-- lp.validate(x, opts) -> findings: offline checks of policies, roles and
-- whole accounts, at IAM Access Analyzer depth.
--
--   lp.validate(json_text_or_document [, { type = "trust" }])
--   lp.validate(lp.role { ... })                -- trust, inline policies, the role as a whole
--   lp.validate({ caller_role, execution_role }) -- and PassRole across them
--   lp.validate(account_dump_or_terraform_plan) -- decoded or as JSON text
--
-- A finding: { code, severity, message, path, line, column, sid, hint,
-- file, document }; severity is "error", "security", "warning" or
-- "suggestion" (lua/leastpriv/check/checks.lua, docs/checks.md).  A bad
-- policy never raises: bad JSON is a JSON_SYNTAX_ERROR finding.
-- opts: type (identity, resource, trust, scp, rcp, boundary, session, endpoint;
-- inferred when absent), service (a resource policy's service: a prefix such
-- as "s3" or a type such as "AWS::S3::Bucket"; implies type "resource"),
-- account (the owner's account ID), disable (codes),
-- limits (quotas), profile ("seed-review"), severity (code -> severity),
-- aws_managed (also check AWS managed policies of an account dump), file.
local core = require "leastpriv.core"
local util = require "leastpriv.util"
local engine = require "leastpriv.check.engine"
local roles = require "leastpriv.check.roles"
local account = require "leastpriv.check.account"
local terraform = require "leastpriv.check.terraform"
local resource_policy = require "leastpriv.check.resource_policy"

local M = {}

local OPTIONS = { type = true, account = true, disable = true, limits = true, profile = true,
                  severity = true, aws_managed = true, file = true, service = true }

-- The JSON_SYNTAX_ERROR finding for a decode error "LINE:COL: [PATH: ]message".
function M.json_error(run, err, file)
  local line, col, msg = tostring(err):match("^(%d+):(%d+): (.*)$")
  run:add({ code = "JSON_SYNTAX_ERROR", path = "", message = msg or tostring(err),
            line = tonumber(line), column = tonumber(col) },
          { file = file, label = file })
end

local function is_document(x)
  return type(x) == "table" and x.kind == nil and (x.Statement ~= nil or x.Version ~= nil)
end

local function role_entity(r, source)
  local label = require("leastpriv.template").display(util.name(r.name))
  local e = { kind = "role", name = r.name, path = r.path, label = label, file = source.file,
              inline = {}, managed = r.managed_policy_arns or {},
              max_session_duration = r.max_session_duration, description = r.description }
  if r.trust then e.trust = { document = r.trust, type = "trust", label = label .. "/trust",
                              file = source.file } end
  -- a role from lp.role, or a table from anywhere (decoded JSON): entries
  -- that are not tables are no policies (the entity checks clean the rest)
  for _, p in ipairs(type(r.policies) == "table" and r.policies or {}) do
    if type(p) == "table" then
      e.inline[#e.inline + 1] = { document = p.document, type = "identity", inline = true,
                                  name = p.name, label = label .. "/" .. util.name(p.name),
                                  file = source.file }
    end
  end
  return e
end

-- entities(run, x, source, opts) -> entities of a decoded value or DSL table.
-- source: { file =, text = (the JSON text x came from) }.
function M.entities(run, x, source, opts)
  source = source or {}
  if account.is_dump(x) then return account.entities(run, x, source) end
  if terraform.is_plan(x) then return terraform.entities(run, x, source) end
  if type(x) == "table" and x.kind == "role" then return { role_entity(x, source) } end
  if type(x) == "table" and x.kind == "policy" then
    local d = { document = x.document, type = "identity", managed = true,
                label = x.name or "policy", file = source.file }
    return { { kind = "policy", name = x.name, path = x.path, label = d.label,
               file = source.file, doc = d } }
  end
  if type(x) == "table" and not is_document(x) and #x > 0 then
    local out = {}
    for _, item in ipairs(x) do
      for _, e in ipairs(M.entities(run, item, { file = source.file }, opts)) do out[#out + 1] = e end
    end
    return out
  end
  local label = source.label or source.file
  local d = { document = x, type = opts and opts.type, service = opts and opts.service,
              label = label, file = source.file,
              text = source.text,
              json = source.text and { text = source.text, base = "" } or nil }
  -- findings about the document as an entity (seed-review) land on its root
  return { { kind = "document", label = label, file = source.file, doc = d, json = d.json } }
end

-- entities of JSON text (bad JSON: a finding, no entities)
function M.json_entities(run, text, source, opts)
  local value, err = core.json_decode(text)
  if value == nil then
    M.json_error(run, err, source.file)
    return {}
  end
  return M.entities(run, value, { file = source.file, text = text, label = source.label }, opts)
end

-- check(run, entities [, progress]): every document, then the entities as
-- a whole; progress (leastpriv.progress) ticks once per entity.
function M.check(run, entities, progress)
  for _, e in ipairs(entities) do
    if progress then progress:tick() end
    if not e.skip and not e.checked then
      if e.trust then run:document(e.trust) end
      for _, d in ipairs(e.inline or {}) do run:document(d) end
      if e.doc then run:document(e.doc) end
    end
  end
  roles.check(run, entities)
end

function M.validate(x, opts)
  if opts ~= nil and type(opts) ~= "table" then error("lp.validate: options must be a table", 2) end
  opts = opts or {}
  for k in pairs(opts) do
    if not OPTIONS[k] then error(("lp.validate: unknown option '%s'"):format(tostring(k)), 2) end
  end
  if opts.type ~= nil and not engine.TYPES[opts.type] then
    error(("lp.validate: unknown policy type '%s'"):format(tostring(opts.type)), 2)
  end
  if opts.service ~= nil then
    local svc, err = resource_policy.resolve(opts.service)
    if not svc then error("lp.validate: " .. err, 2) end
    if opts.type ~= nil and opts.type ~= "resource" then
      error(("lp.validate: service applies to resource policies, not to type '%s'"):format(opts.type), 2)
    end
    local copy = {}
    for k, v in pairs(opts) do copy[k] = v end
    copy.service, copy.type = svc, "resource"
    opts = copy
  end
  if opts.profile ~= nil and not roles.PROFILES[opts.profile] then
    error(("lp.validate: unknown profile '%s' (seed-review)"):format(tostring(opts.profile)), 2)
  end
  local tx = type(x)
  if not (tx == "string" or tx == "table" or tx == "number" or tx == "boolean" or x == core.null) then
    error("lp.validate takes JSON text, a policy document, a role, a list of them, "
      .. "an account dump or a Terraform plan", 2)
  end
  if type(x) == "string" and opts.profile == nil then       -- one document: the lean path
    local value = core.json_decode(x)
    if type(value) == "table" and is_document(value) and not account.is_dump(value) and
        not terraform.is_plan(value) then
      return engine.single(value, x, opts)
    end
  end
  local run = engine.new(opts)
  local entities
  if type(x) == "string" then
    entities = M.json_entities(run, x, { file = opts.file }, opts)
  else
    entities = M.entities(run, x, { file = opts.file }, opts)
  end
  M.check(run, entities)
  return run:result()
end

return M
