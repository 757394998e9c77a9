-- Input: `terraform show -json` output (a plan, or a state).  IAM resources
-- become entities named by their Terraform address: aws_iam_role (its
-- assume_role_policy, inline_policy blocks, managed_policy_arns),
-- aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy,
-- aws_iam_policy, aws_iam_role_policy_attachment, and
-- data.aws_iam_policy_document whose rendered JSON the plan holds (unless a
-- resource holds the same JSON); resource policies (aws_s3_bucket_policy,
-- aws_kms_key, aws_sqs_queue_policy, ... : check/resource_policy.lua) with
-- their service, and SCPs and RCPs (aws_organizations_policy).  Findings
-- point at the attribute that holds the JSON.
--
-- Values Terraform knows only after apply (check/plan_refs.lua): a role
-- policy or attachment whose `role` is unknown is linked to its role
-- through the configuration's references, an attachment whose policy_arn
-- is unknown to the aws_iam_policy it names; a policy that is unknown
-- cannot be checked and is reported (POLICY_UNKNOWN_UNTIL_APPLY), which
-- fails the gate, and listed as the second result for `diff`.
local core = require "leastpriv.core"
local util = require "leastpriv.util"
local plan_refs = require "leastpriv.check.plan_refs"
local resource_policy = require "leastpriv.check.resource_policy"

local M = {}

function M.is_plan(x)
  return type(x) == "table" and type(x.format_version) == "string" and
    (x.planned_values ~= nil or x.values ~= nil or x.prior_state ~= nil or x.resource_changes ~= nil)
end

-- Every resource of a module tree: { r = resource, path = JSON path }.
local function walk(module, base, out)
  if type(module) ~= "table" then return end
  for i, r in ipairs(type(module.resources) == "table" and module.resources or {}) do
    if type(r) == "table" then
      out[#out + 1] = { r = r, path = ("%s.resources[%d]"):format(base, i - 1) }
    end
  end
  for i, child in ipairs(type(module.child_modules) == "table" and module.child_modules or {}) do
    walk(child, ("%s.child_modules[%d]"):format(base, i - 1), out)
  end
end

local function resources(plan)
  local out, seen, list = {}, {}, {}
  if type(plan.planned_values) == "table" then
    walk(plan.planned_values.root_module, "planned_values.root_module", list)
  end
  if type(plan.values) == "table" then walk(plan.values.root_module, "values.root_module", list) end
  if type(plan.prior_state) == "table" and type(plan.prior_state.values) == "table" then
    walk(plan.prior_state.values.root_module, "prior_state.values.root_module", list)
  end
  for _, x in ipairs(list) do
    local addr = x.r.address
    if type(addr) == "string" and not seen[addr] then
      seen[addr] = true
      out[#out + 1] = x
    end
  end
  return out
end

local function str(v) return type(v) == "string" and v or nil end

-- The ARN a managed policy is known by before apply: its address.
local function arn_after_apply(address)
  return address .. ".arn (known after apply)"
end

-- entities(run, plan, source) -> entities, unknown.  source: { file =,
-- text = }.  unknown: list of { label =, attribute =, refs = } for the
-- policies known only after apply (each also reported as a finding).
function M.entities(run, plan, source)
  local file, text = source.file, source.text
  local entities, roles, resource_json, unknown = {}, {}, {}, {}
  local list = resources(plan)
  local planned = {}
  for _, x in ipairs(list) do planned[x.r.address] = x end
  local refs = plan_refs.index(plan, planned)

  -- a policy attribute known only after apply: a finding, and an entry
  local function check_unknown(x, attr, sub_index, sub_field, what)
    local u = plan_refs.unknown(refs, x.r.address, attr, sub_index, sub_field)
    if not u then return false end
    local addr = util.name(x.r.address)
    local shown = {}   -- "aws_s3_bucket.new.arn", not also "aws_s3_bucket.new"
    for _, ref in ipairs(u.refs) do
      local covered = false
      for _, other in ipairs(u.refs) do
        local c = other:sub(#ref + 1, #ref + 1)
        if other ~= ref and other:sub(1, #ref) == ref and (c == "." or c == "[") then covered = true end
      end
      if not covered then shown[#shown + 1] = ref end
    end
    local from = #shown > 0 and (" (it refers to " .. table.concat(shown, ", ") .. ")") or ""
    run:add({ code = "POLICY_UNKNOWN_UNTIL_APPLY", path = "",
      message = ("%s: %s is known only after apply%s, so it is not checked"):format(addr, what, from),
      hint = "check the policy once applied (or its Terraform source); "
        .. "--disable POLICY_UNKNOWN_UNTIL_APPLY accepts it unchecked" },
      { file = file, label = addr, json = text and { text = text, base = u.path } or nil })
    unknown[#unknown + 1] = { label = addr, attribute = what, refs = u.refs }
    return true
  end

  local function doc(json_text, path, fields)
    local place = { file = file, label = fields.label,
                    json = text and { text = text, base = path } or nil }
    local d, err = core.json_decode(json_text)
    if d == nil then
      run:add({ code = "JSON_SYNTAX_ERROR", path = "",
        message = ("%s holds invalid JSON: %s"):format(fields.label, err) }, place)
      return nil
    end
    fields.document = d
    fields.text = json_text          -- sizes count the JSON as written
    fields.file = file
    fields.json = place.json         -- findings land on the attribute that holds it
    return fields
  end

  for _, x in ipairs(list) do
    local r, v = x.r, x.r.values
    if type(v) == "table" and r.mode ~= "data" then
      local held = resource_policy.TERRAFORM[r.type]
      for _, key in ipairs { "policy", "assume_role_policy", held and held[1] } do
        if str(v[key]) then resource_json[v[key]] = true end
      end
    end
  end

  local function role_entity(name, address, path)
    local e = roles[name or address]
    if not e then
      e = { kind = "role", name = name, label = address, file = file, inline = {}, managed = {},
            json = text and { text = text, base = path } or nil }
      roles[name or address] = e
      entities[#entities + 1] = e
    end
    return e
  end

  -- the role that attribute `role` of resource x names: by its value, or
  -- (unknown before apply) by the configuration's reference
  local function role_of(x, v)
    if str(v.role) then return role_entity(str(v.role), util.name(x.r.address), x.path) end
    local target = plan_refs.target(refs, x.r.address, "role", "aws_iam_role")
    if not target then return nil end
    local tv = type(target.r.values) == "table" and target.r.values or {}
    return role_entity(str(tv.name), util.name(target.r.address), target.path)
  end

  for _, x in ipairs(list) do
    local r, v, p = x.r, x.r.values, x.path
    local addr = util.name(r.address)
    if type(v) ~= "table" then v = {} end
    if r.mode ~= "data" and r.type == "aws_iam_role" then
      local e = role_entity(str(v.name), addr, p)
      e.label, e.name, e.path = addr, str(v.name) or e.name, str(v.path)
      e.json = text and { text = text, base = p .. ".values" } or nil
      e.max_session_duration = type(v.max_session_duration) == "number" and v.max_session_duration or nil
      e.description = str(v.description)
      if str(v.assume_role_policy) then
        e.trust = doc(v.assume_role_policy, p .. ".values.assume_role_policy",
          { type = "trust", label = addr .. " (assume_role_policy)" })
      else
        check_unknown(x, "assume_role_policy", nil, nil, "the trust policy (assume_role_policy)")
      end
      local ch = refs.changes[r.address]
      local au = ch and type(ch.change.after_unknown) == "table" and ch.change.after_unknown.inline_policy
      for i in ipairs(type(au) == "table" and au or {}) do
        check_unknown(x, "inline_policy", i, "policy", ("inline_policy block %d's policy"):format(i))
      end
      for i, b in ipairs(type(v.inline_policy) == "table" and v.inline_policy or {}) do
        if type(b) == "table" and str(b.policy) and b.policy ~= "" then
          local d = doc(b.policy, ("%s.values.inline_policy[%d].policy"):format(p, i - 1),
            { type = "identity", inline = true, name = str(b.name),
              label = ("%s (inline_policy %s)"):format(addr, util.name(b.name)) })
          if d then e.inline[#e.inline + 1] = d end
        end
      end
      for _, arn in ipairs(type(v.managed_policy_arns) == "table" and v.managed_policy_arns or {}) do
        e.managed[#e.managed + 1] = arn
      end
    elseif r.mode ~= "data" and (r.type == "aws_iam_role_policy" or r.type == "aws_iam_user_policy"
                                 or r.type == "aws_iam_group_policy") then
      if str(v.policy) then
        local d = doc(v.policy, p .. ".values.policy", { type = "identity", inline = true,
          name = str(v.name), label = addr,
          name_path = "" })
        if d then
          d.name_place = { file = file, label = addr, json = text and { text = text, base = p .. ".values.name" } }
          local e = r.type == "aws_iam_role_policy" and role_of(x, v)
          if e then
            e.inline[#e.inline + 1] = d
          else
            entities[#entities + 1] = { kind = r.type == "aws_iam_user_policy" and "user" or
              r.type == "aws_iam_group_policy" and "group" or "role", label = addr, file = file,
              inline = { d }, managed = {}, json = text and { text = text, base = p .. ".values" } }
          end
        end
      else
        check_unknown(x, "policy", nil, nil, "the policy")
      end
    elseif r.mode ~= "data" and r.type == "aws_iam_role_policy_attachment" then
      local arn = str(v.policy_arn)
      if not arn then
        local target, ref = plan_refs.target(refs, r.address, "policy_arn", "aws_iam_policy")
        local tv = target and type(target.r.values) == "table" and target.r.values or {}
        arn = target and (str(tv.arn) or arn_after_apply(util.name(target.r.address)))
          or (ref and ref .. " (known after apply)")
      end
      local e = arn and role_of(x, v)
      if e then e.managed[#e.managed + 1] = arn end
    elseif r.mode ~= "data" and r.type == "aws_iam_policy" then
      if str(v.policy) then
        local d = doc(v.policy, p .. ".values.policy", { type = "identity", managed = true,
          label = addr })
        if d then
          entities[#entities + 1] = { kind = "policy", name = str(v.name), path = str(v.path),
            arn = str(v.arn) or arn_after_apply(addr), label = addr, file = file, doc = d,
            json = text and { text = text, base = p .. ".values" } or nil }
        end
      else
        check_unknown(x, "policy", nil, nil, "the policy")
      end
    elseif r.mode ~= "data" and resource_policy.TERRAFORM[r.type] then
      local held = resource_policy.TERRAFORM[r.type]
      local attr, ptype, service = held[1], held[2], held[3]
      if ptype == "org" then ptype = resource_policy.ORGANIZATIONS[v.type] end
      if ptype and str(v[attr]) and v[attr] ~= "" then
        local d = doc(v[attr], ("%s.values.%s"):format(p, attr), { type = ptype, service = service,
          label = ("%s (%s)"):format(addr, attr) })
        if d then
          -- findings about the document as an entity land on the attribute
          entities[#entities + 1] = { kind = "document", label = addr, file = file, doc = d, json = d.json }
        end
      elseif ptype and not str(v[attr]) then
        check_unknown(x, attr, nil, nil, ("the %s policy (%s)"):format(ptype == "resource" and "resource" or ptype:upper(), attr))
      end
    elseif r.mode == "data" and r.type == "aws_iam_policy_document" then
      if str(v.json) and not resource_json[v.json] then
        local d = doc(v.json, p .. ".values.json", { label = addr })
        if d then
          -- findings about the document as an entity land on the attribute
          entities[#entities + 1] = { kind = "document", label = addr, file = file, doc = d, json = d.json }
        end
      end
    end
  end
  return entities, unknown
end

return M
