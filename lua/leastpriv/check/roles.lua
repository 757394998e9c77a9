-- Checks of identities as a whole, on the entities that the inputs of a
-- run produce (roles, users, groups, managed policies): names, paths,
-- inline sizes together, managed policy counts, session durations; the
-- callers' iam:PassRole against the execution roles' trust policies; and
-- the opt-in seed-review profile.
--
-- An entity: { kind = "role" | "user" | "group" | "policy" | "document",
--   name =, path =, arn =, account =, label =, file =,
--   json = { text =, base = } or line = (where it is), trust = document,
--   inline = { document... } (each with .name), managed = { arn... },
--   doc = document (kind "policy" / "document"), max_session_duration = }
local core = require "leastpriv.core"
local policy = require "leastpriv.policy"

local M = {}

local NAME = "^[%w+=,.@_%-]+$"

local function is_placeholder(s)
  return require("leastpriv.template").has_placeholder(s)
end

-- The place of entity e (its JSON element, or its script line) as a document-like table.
local function place(e, field)
  return { file = e.file, label = e.label, json = e.json, line = e.line, column = e.column,
           locate = e.locate and function(f) e.locate(f, field) end,
           suppressed = e.suppressed }
end

local function add(run, e, field, code, message, hint)
  run:add({ code = code, path = field or "", message = message, hint = hint }, place(e, field))
end

local function valid_path(p)
  if p == "/" then return true end
  return #p <= 512 and p:match("^/[\33-\127]*/$") ~= nil and not p:find("//", 1, true)
end

-- The canonical form of a document, or nil.
local function canon(d)
  if d.canon == nil then
    local ok, c = pcall(core.policy_normalize, d.document)
    d.canon = ok and c or false
  end
  return d.canon or nil
end

local function str(v) return type(v) == "string" and v or nil end

-- Entities come from outside data too (account dumps, plans, decoded
-- JSON): keep the fields these checks read only when they have the type
-- the checks expect (strings; a number of seconds; lists of ARNs and of
-- documents), as fresh lists.
local function clean(e)
  e.name, e.path, e.arn, e.account = str(e.name), str(e.path), str(e.arn), str(e.account)
  if e.description ~= nil and type(e.description) ~= "string" then e.description = nil end
  if type(e.max_session_duration) ~= "number" then e.max_session_duration = nil end
  local managed, inline = {}, {}
  for _, arn in ipairs(type(e.managed) == "table" and e.managed or {}) do
    if type(arn) == "string" then managed[#managed + 1] = arn end
  end
  for _, d in ipairs(type(e.inline) == "table" and e.inline or {}) do
    if type(d) == "table" then
      d.name = str(d.name)
      inline[#inline + 1] = d
    end
  end
  e.managed, e.inline = managed, inline
end

local function names_and_sizes(run, e)
  local limits = run.limits
  local kind = e.kind
  local name_field = kind == "role" and "RoleName" or kind == "user" and "UserName"
                     or kind == "group" and "GroupName" or nil
  if kind == "role" and e.name and not is_placeholder(e.name) and
      (#e.name > 64 or not e.name:match(NAME)) then
    add(run, e, name_field, "INVALID_ROLE_NAME",
      ("role name %q must be 1 to 64 letters, digits or +=,.@_-"):format(e.name))
  end
  if e.path and not is_placeholder(e.path) and not valid_path(e.path) then
    add(run, e, "Path", "INVALID_PATH",
      ("path %q must be \"/\" or begin and end with \"/\" (at most 512 characters)"):format(e.path))
  end
  if kind == "role" and e.description ~= nil then
    local problem = policy.description_problem(e.description)
    if problem then
      add(run, e, "Description", "INVALID_ROLE_DESCRIPTION", "the role description " .. problem)
    end
  end
  if e.max_session_duration and (e.max_session_duration < 3600 or e.max_session_duration > 43200) then
    add(run, e, "MaxSessionDuration", "INVALID_SESSION_DURATION",
      ("maximum session duration %s s is outside 3,600 to 43,200 s (1 to 12 hours)"):format(
        tostring(e.max_session_duration)))
  end
  local seen, total = {}, 0
  for _, d in ipairs(e.inline or {}) do
    local n = d.name
    if n and not is_placeholder(n) then
      if #n > 128 or not n:match(NAME) then
        run:add({ code = "INVALID_POLICY_NAME", path = d.name_path or "",
          message = ("policy name %q must be 1 to 128 letters, digits or +=,.@_-"):format(n) },
          d.name_place or d)
      end
      local key = n:lower()
      if seen[key] then
        run:add({ code = "DUPLICATE_POLICY_NAME", path = d.name_path or "",
          message = ("%s has two inline policies named %q (names ignore case)"):format(
            e.label or kind, n) }, d.name_place or d)
      end
      seen[key] = true
    end
    total = total + (d.chars or 0)
  end
  if e.kind == "policy" and e.name and not is_placeholder(e.name) and
      (#e.name > 128 or not e.name:match(NAME)) then
    add(run, e, "PolicyName", "INVALID_POLICY_NAME",
      ("policy name %q must be 1 to 128 letters, digits or +=,.@_-"):format(e.name))
  end
  local inline_limit = kind == "role" and limits.role_inline_size or kind == "user" and
    limits.user_inline_size or kind == "group" and limits.group_inline_size
  if inline_limit and total > inline_limit then
    add(run, e, nil, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
      ("the inline policies of %s have %d characters without whitespace together: a %s holds "
       .. "at most %d"):format(e.label or kind, total, kind, inline_limit),
      "move permissions to managed policies or merge statements")
  end
  if (kind == "role" or kind == "user") and e.managed and #e.managed > limits.managed_policies_per_role then
    add(run, e, "AttachedManagedPolicies", "TOO_MANY_MANAGED_POLICIES",
      ("%s has %d managed policies attached: at most %d"):format(e.label or kind, #e.managed,
        limits.managed_policies_per_role),
      "AWS raises the quota to 20 on request (then set managed_policies_per_role)")
  end
end


-- ---- PassRole against trust policies ----

local function list(v)
  if v == nil then return {} end
  if type(v) == "table" then return v end
  return { v }
end

-- Services the trust document lets assume the role.
local function trusted_services(d)
  local c = d and canon(d)
  local out = {}
  if not c then return out end
  for _, s in ipairs(c.Statement) do
    if s.Effect == "Allow" and type(s.Principal) == "table" then
      for _, svc in ipairs(list(s.Principal.Service)) do out[#out + 1] = svc end
    end
  end
  return out
end

local POSITIVE = { StringEquals = true, StringLike = true, ["ForAnyValue:StringEquals"] = true,
                   ["ForAnyValue:StringLike"] = true, StringEqualsIgnoreCase = true }

-- The iam:PassedToService values of a statement's positive conditions, or nil.
local function passed_to(s)
  local out
  for op, keys in pairs(s.Condition or {}) do
    if POSITIVE[op] then
      for key, values in pairs(keys) do
        if key:lower() == "iam:passedtoservice" then
          out = out or {}
          for _, v in ipairs(values) do out[#out + 1] = v end
        end
      end
    end
  end
  if out then table.sort(out) end
  return out
end

local function allows_passrole(s)
  if s.Effect ~= "Allow" or not s.Action then return false end
  for _, a in ipairs(s.Action) do
    if core.glob_match(a, "iam:PassRole", true) then return true end
  end
  return false
end

-- "role/PATH/NAME" of a role entity.
local function role_part(e)
  local path = e.path or "/"
  return "role" .. path .. (e.name or "")
end

-- Does resource pattern r (a Resource entry) name role entity e?
local function names_role(r, e)
  if r == "*" then return true end
  local parts = core.arn_parse(r)
  if not parts or parts.service ~= "iam" then return false end
  if e.account and parts.account ~= "" and not core.glob_match(parts.account, e.account) then
    return false
  end
  return core.glob_match(parts.resource, role_part(e))
end

-- The roles a Resource entry can name, found through an index instead of
-- a walk over every role (an account where each role may pass one other
-- had PassRole checks quadratic in the roles): an ARN without wildcards
-- looks its role/PATH/NAME up; one with wildcards narrows to the roles
-- whose role/PATH/NAME starts with its literal part (a binary search in
-- the sorted list).  Every candidate is still matched by names_role, and
-- they come back in the order of the entities.
local function role_index(roles)
  local by_part, sorted = {}, {}
  for i, e in ipairs(roles) do
    e._index = i
    local part = role_part(e)
    by_part[part] = by_part[part] or {}
    table.insert(by_part[part], e)
    sorted[i] = { part = part, role = e }
  end
  table.sort(sorted, function(a, b)
    if a.part ~= b.part then return a.part < b.part end
    return a.role._index < b.role._index
  end)
  return { roles = roles, by_part = by_part, sorted = sorted }
end

local function candidates(index, r)
  if r == "*" then return index.roles end
  local parts = core.arn_parse(r)
  if not parts or parts.service ~= "iam" or type(parts.resource) ~= "string" then return {} end
  local resource = parts.resource
  local literal = resource:match("^[^%*%?\1]*")
  if #literal == #resource then return index.by_part[resource] or {} end
  local sorted, lo, hi = index.sorted, 1, #index.sorted + 1
  while lo < hi do                    -- the first part >= literal
    local mid = math.floor((lo + hi) / 2)
    if sorted[mid].part < literal then lo = mid + 1 else hi = mid end
  end
  local out = {}
  for i = lo, #sorted do
    if sorted[i].part:sub(1, #literal) ~= literal then break end
    out[#out + 1] = sorted[i].role
  end
  table.sort(out, function(a, b) return a._index < b._index end)
  return out
end

local NONE = {}
local SHOW_ROLES = 10     -- role names a message lists, then how many more

-- "a, b, c" of a sorted list of names, the first SHOW_ROLES of them.
local function role_names(names)
  if #names <= SHOW_ROLES then return table.concat(names, ", ") end
  return ("%s and %d more roles"):format(table.concat(names, ", ", 1, SHOW_ROLES), #names - SHOW_ROLES)
end

local function trusts(services, s)
  for _, t in ipairs(services) do
    if core.glob_match(s, t, true) or core.glob_match(t, s, true) then return true end
  end
  return false
end

-- A PassRole resource whose role name is literal and is the name of roles
-- of the run, none of which it matches (their path differs:
-- role/ml-train-exec for role/service-role/ml-train-exec): role names are
-- unique in an account whatever the path, so it names no role at all.
-- by_name: lower-case role name -> roles of that name.
local function path_mismatch(run, d, path, r, by_name)
  local parts = not is_placeholder(r) and core.arn_parse(r)
  if not parts or parts.service ~= "iam" then return end
  local name = parts.resource:match("^role/.-([^/]+)$")
  if not name or name:find("[%*%?]") then return end
  local same = by_name[name:lower()]
  if not same then return end
  local others = {}
  for _, role in ipairs(same) do
    if names_role(r, role) then return end
    if not (role.account and parts.account ~= "" and not core.glob_match(parts.account, role.account)) then
      others[#others + 1] = role_part(role)
    end
  end
  if #others == 0 then return end
  table.sort(others)
  run:add({ code = "PASS_ROLE_PATH_MISMATCH", path = path,
    message = ("iam:PassRole names %s, but the role %s of this run is %s: the path differs, "
      .. "so the pass is denied"):format(parts.resource, name, table.concat(others, " and ")),
    hint = ("use the role's ARN with its path (...:%s)"):format(others[1]) }, d)
end

local function passrole(run, entities)
  local roles, by_arn, by_name = {}, {}, {}
  for _, e in ipairs(entities) do
    if e.kind == "role" and e.name and not is_placeholder(e.name) and e.trust then
      roles[#roles + 1] = e
      e.services = trusted_services(e.trust)
      local key = e.name:lower()
      by_name[key] = by_name[key] or {}
      table.insert(by_name[key], e)
    end
    if e.kind == "policy" and e.arn then by_arn[e.arn] = e end
  end
  if #roles == 0 then return end
  local index = role_index(roles)
  local reported, beyond_memo = {}, {}
  for _, caller in ipairs(entities) do
    local docs = {}
    for _, d in ipairs(caller.inline or {}) do docs[#docs + 1] = d end
    for _, arn in ipairs(caller.managed or {}) do
      if by_arn[arn] then docs[#docs + 1] = by_arn[arn].doc end
    end
    if caller.kind == "policy" or caller.kind == "document" then docs[#docs + 1] = caller.doc end
    for _, d in ipairs(docs) do
      local c = d and canon(d)
      for si, s in ipairs(c and c.Statement or {}) do
        if allows_passrole(s) and s.Resource then
          local services = passed_to(s)
          for ri, r in ipairs(s.Resource) do
            path_mismatch(run, d, ("Statement[%d].Resource[%d]"):format(si - 1, ri - 1), r, by_name)
            local exact = not r:find("[%*%?]") and not is_placeholder(r)
            -- what a wildcard reaches depends on it and the services only:
            -- worked out once per account, however many callers hold it
            local memo_key = not exact and r .. "\0" .. (services and table.concat(services, "\0") or "\1")
            local beyond = memo_key and beyond_memo[memo_key] or nil
            local known = beyond ~= nil
            beyond = beyond or {}
            for _, role in ipairs(known and NONE or candidates(index, r)) do
              if names_role(r, role) then
                if services then
                  for _, svc in ipairs(services) do
                    if not trusts(role.services, svc) then
                      if exact then
                        run:add({ code = "PASS_ROLE_TO_UNTRUSTED_SERVICE",
                          path = ("Statement[%d].Resource[%d]"):format(si - 1, ri - 1),
                          message = ("passes %s to %s, which its trust policy does not let "
                            .. "assume it (it trusts %s)"):format(role.name, svc,
                            #role.services > 0 and table.concat(role.services, ", ") or "no service"),
                          hint = ("add %s to the trust policy of %s, or fix iam:PassedToService")
                            :format(svc, role.name) }, d)
                        local key = role.name .. "|" .. svc
                        if role.trust and not reported[key] then
                          reported[key] = true
                          run:add({ code = "EXECUTION_ROLE_TRUST_MISSING_SERVICE", path = "Statement",
                            message = ("%s is passed to %s (by %s), but its trust policy does not "
                              .. "name that service"):format(role.name, svc, caller.label or "a caller"),
                            hint = ('trust { "Service": "%s" } with aws:SourceAccount / aws:SourceArn')
                              :format(svc) }, role.trust)
                        end
                      else
                        beyond[#beyond + 1] = role.name
                      end
                      break
                    end
                  end
                elseif #role.services == 0 then
                  beyond[#beyond + 1] = role.name
                end
              end
            end
            if not known then
              table.sort(beyond)
              if memo_key then beyond_memo[memo_key] = beyond end
            end
            if #beyond > 0 then
              local names = role_names(beyond)
              run:add({ code = "PASS_ROLE_BEYOND_EXECUTION_ROLES",
                path = ("Statement[%d].Resource[%d]"):format(si - 1, ri - 1),
                message = services
                  and ("iam:PassRole on %q reaches %s, which %s cannot assume"):format(r,
                    names, table.concat(services, " or "))
                  or ("iam:PassRole on %q reaches %s, which no service can assume"):format(r, names),
                hint = "name the execution role's ARN, or a path that holds only execution roles" }, d)
            end
          end
        end
      end
    end
  end
end


-- ---- the seed review profile ----

local function s3_wildcards(run, d)
  local c = canon(d)
  for si, s in ipairs(c and c.Statement or {}) do
    if s.Effect == "Allow" then
      local s3 = false
      for ai, a in ipairs(s.Action or {}) do
        local low = a:lower()
        if low == "*" or low:match("^s3:") or (a:find("[%*%?]") and
            core.glob_match(a:match("^([^:]*)") or a, "s3", true)) then
          s3 = true
          if a:find("[%*%?]") then
            run:add({ code = "SEED_REVIEW_S3_WILDCARD", path = ("Statement[%d].Action[%d]"):format(si - 1, ai - 1),
              message = ("%q is a wildcard over S3 actions"):format(a),
              hint = "list the S3 actions the job calls" }, d)
          end
        end
      end
      if s3 then
        for ri, r in ipairs(s.Resource or {}) do
          local bucket = r == "*" and "*" or r:match("^arn:[^:]*:s3:::([^/]*)")
          if bucket and bucket:find("[%*%?]") then
            run:add({ code = "SEED_REVIEW_S3_WILDCARD", path = ("Statement[%d].Resource[%d]"):format(si - 1, ri - 1),
              message = ("S3 actions on %q reach buckets by wildcard"):format(r),
              hint = "name the bucket (arn:aws:s3:::BUCKET and arn:aws:s3:::BUCKET/PREFIX*)" }, d)
          end
        end
      end
    end
  end
end

local function seed_review(run, entities)
  local roles = {}
  for _, e in ipairs(entities) do
    if e.kind == "role" then roles[#roles + 1] = e end
    if e.kind == "policy" then
      add(run, e, nil, "SEED_REVIEW_MANAGED_POLICIES",
        ("%s is a managed policy: the review allows none"):format(e.label or "the policy"))
    end
  end
  if #roles ~= 1 then
    local e = roles[2] or entities[1]
    if e then
      add(run, e, nil, "SEED_REVIEW_ROLE_COUNT",
        ("the review expects exactly one role, found %d"):format(#roles))
    end
  end
  for _, e in ipairs(roles) do
    local n = #(e.inline or {})
    if n ~= 1 then
      add(run, e, nil, "SEED_REVIEW_INLINE_POLICY_COUNT",
        ("%s has %d inline policies: the review expects exactly one"):format(e.label, n))
    end
    if e.managed and #e.managed > 0 then
      add(run, e, "AttachedManagedPolicies", "SEED_REVIEW_MANAGED_POLICIES",
        ("%s has managed policies attached (%s): the review allows none"):format(e.label,
          table.concat(e.managed, ", ")))
    end
    for _, d in ipairs(e.inline or {}) do s3_wildcards(run, d) end
  end
end

-- Customer managed policy names are unique in an account, ignoring case:
-- of two policies with one name in one plan or dump, the second cannot be
-- created.  (AWS managed policies live apart, under arn:aws:iam::aws:.)
local function managed_names(run, entities)
  local seen = {}
  for _, e in ipairs(entities) do
    if e.kind == "policy" and type(e.name) == "string" and not is_placeholder(e.name)
        and not (type(e.arn) == "string" and e.arn:match("^arn:[^:]*:iam::aws:")) then
      local key = (e.file or "") .. "\0" .. e.name:lower()
      local first = seen[key]
      if first then
        add(run, e, "PolicyName", "DUPLICATE_MANAGED_POLICY_NAME",
          ("managed policy name %q is also the name of %s: names are unique per account, "
           .. "ignoring case"):format(e.name, first.label or first.name))
      else
        seen[key] = e
      end
    end
  end
end

-- each(run, e): the checks of one entity on its own (names, paths, sizes).
function M.each(run, e)
  clean(e)
  names_and_sizes(run, e)
end

-- check(run, entities): the entity-level checks.  Entities marked checked
-- (a streamed account dump's: account_stream.lua) had each() already.
function M.check(run, entities)
  for _, e in ipairs(entities) do
    if not e.checked then M.each(run, e) end
  end
  managed_names(run, entities)
  passrole(run, entities)
  if run.opts.profile == "seed-review" then seed_review(run, entities) end
end

M.canon = canon
M.allows_passrole = allows_passrole
M.PROFILES = { ["seed-review"] = true }

return M
