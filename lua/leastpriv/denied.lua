-- Reading AWS's AccessDenied messages.  The formats are those of AWS's
-- "Troubleshoot access denied error messages" (IAM User Guide):
--
--   User: ARN is not authorized to perform: ACTION [on resource: ARN]
--     [because no identity-based policy allows the ACTION action]
--     [because no resource-based policy | session policy | permissions
--      boundary | VPC endpoint policy allows the ACTION action]
--     [with an explicit deny in a(n) service control policy | resource
--      control policy | identity-based policy | resource-based policy |
--      permissions boundary | session policy | VPC endpoint policy[: ARN]]
--
-- and the JSON that `aws sts decode-authorization-message` prints for an
-- "Encoded authorization failure message" (allowed, explicitDeny,
-- matchedStatements, context.principal, context.action, context.resource,
-- context.conditions).
--
--   denied.parse(text) -> { principal =, action =, resource =, policy_type =,
--                           explicit = bool, policy_arn =, context = {} } | nil, err
local core = require "leastpriv.core"

local M = {}

-- The policy types of the messages, as leastpriv's simulation names them.
M.TYPES = {
  ["identity-based policy"] = "identity", ["resource-based policy"] = "resource",
  ["session policy"] = "session", ["permissions boundary"] = "boundary",
  ["service control policy"] = "scp", ["resource control policy"] = "rcp",
  ["VPC endpoint policy"] = "endpoint",
}

M.WORDS = {
  identity = "an identity-based policy (the role's or user's own policies)",
  resource = "a resource-based policy (the bucket's, key's, queue's ... policy, or a role's trust policy)",
  session = "a session policy (passed when the role was assumed)",
  boundary = "a permissions boundary",
  scp = "a service control policy (AWS Organizations, above the account)",
  rcp = "a resource control policy (AWS Organizations, above the account)",
  endpoint = "a VPC endpoint policy (the request went through an endpoint)",
}

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

-- decode-authorization-message output (or its DecodedMessage string).
local function from_decoded(doc)
  if type(doc) == "table" and type(doc.DecodedMessage) == "string" then
    local inner = core.json_decode(doc.DecodedMessage)
    if type(inner) == "table" then doc = inner end
  end
  if type(doc) ~= "table" or type(doc.context) ~= "table" then return nil end
  local c = doc.context
  local out = { format = "decoded", explicit = doc.explicitDeny == true, allowed = doc.allowed == true,
                context = {} }
  out.principal = type(c.principal) == "table" and (c.principal.arn or c.principal.id) or nil
  out.action = type(c.action) == "string" and c.action or nil
  out.resource = type(c.resource) == "string" and c.resource or nil
  local items = type(c.conditions) == "table" and c.conditions.items or {}
  for _, item in ipairs(type(items) == "table" and items or {}) do
    if type(item) == "table" and type(item.key) == "string" then
      local values = {}
      local vitems = type(item.values) == "table" and item.values.items or {}
      for _, v in ipairs(type(vitems) == "table" and vitems or {}) do
        if type(v) == "table" and v.value ~= nil then values[#values + 1] = tostring(v.value) end
      end
      -- the decoded context spells global keys without "aws:"
      local key = item.key:find(":", 1, true) and item.key or ("aws:" .. item.key)
      out.context[key] = #values == 1 and values[1] or values
    end
  end
  if doc.explicitDeny then out.explicit = true end
  if not out.action then return nil end
  return out
end

function M.parse(text)
  if type(text) ~= "string" then return nil, "the message must be text" end
  text = trim(text)
  if text:sub(1, 1) == "{" then
    local doc, err = core.json_decode(text)
    if doc == nil then return nil, "not an AccessDenied message nor decode-authorization-message JSON: " .. err end
    local out = from_decoded(doc)
    if not out then return nil, "JSON without the context (principal, action, resource) of a decoded authorization message" end
    return out
  end
  if text:find("Encoded authorization failure message", 1, true) then
    return nil, "an encoded message: decode it first with `aws sts decode-authorization-message "
      .. "--encoded-message ...` and pass the JSON it prints"
  end
  -- the message may be wrapped in an SDK's "An error occurred (AccessDenied) when calling ...: "
  local principal, action, rest = text:match("User: \"?([^%s\"]+)\"? is not authorized to perform: ([%w%-]+:[%w%*]+)(.*)$")
  if not principal then
    return nil, "not an AccessDenied message: expected \"User: ARN is not authorized to perform: ACTION ...\""
  end
  local out = { format = "message", principal = principal, action = action, context = {} }
  out.resource = rest:match("^ on resource: ?\"([^\"]+)\"") or rest:match("^ on resource: ?(%S+)")
  if out.resource then out.resource = out.resource:gsub("[.,;]$", "") end
  local explicit = rest:match("with an explicit deny in an? ([%w%- ]-)%s*[:.]?%s*$")
    or rest:match("with an explicit deny in an? ([%w%- ]-): (%S+)")
  local policy_arn = rest:match("with an explicit deny in an? [%w%- ]-: (arn:%S+)")
  if explicit then
    out.explicit = true
    out.policy_type = M.TYPES[explicit]
    out.policy_arn = policy_arn and policy_arn:gsub("[.,;]$", "")
  else
    local none = rest:match("because no ([%w%- ]-) allows the ")
    if none then out.policy_type = M.TYPES[none] end
    out.explicit = false
  end
  return out
end

-- A one-paragraph reading of a parsed message.
function M.describe(d)
  local lines = {}
  lines[#lines + 1] = ("%s was denied %s%s."):format(d.principal or "the caller", d.action,
    d.resource and (" on " .. d.resource) or "")
  if d.explicit and d.format == "decoded" then
    lines[#lines + 1] = "An explicit Deny refused it (decode-authorization-message: explicitDeny)."
  elseif d.explicit then
    lines[#lines + 1] = ("An explicit Deny refused it, in %s%s."):format(
      M.WORDS[d.policy_type] or "a policy", d.policy_arn and (" (" .. d.policy_arn .. ")") or "")
  elseif d.format == "decoded" then
    lines[#lines + 1] = "No statement allowed it (an implicit deny: decode-authorization-message found no "
      .. "explicit Deny)."
  elseif d.policy_type then
    lines[#lines + 1] = ("Nothing allowed it: no statement of %s allows %s%s."):format(
      M.WORDS[d.policy_type], d.action, d.resource and (" on " .. d.resource) or "")
  else
    lines[#lines + 1] = "The message does not say which policy type refused it (an older format)."
  end
  if d.policy_type == "scp" or d.policy_type == "rcp" then
    lines[#lines + 1] = "No change to the role can fix this: the organization's policy must allow it."
  elseif d.policy_type == "resource" then
    lines[#lines + 1] = "The resource's own policy must allow the principal (or, within one account, "
      .. "the identity policy must, and the resource policy must not deny it)."
  end
  return table.concat(lines, "\n")
end

-- The role name of a principal ARN (a role, or a session of one).
function M.role_name(principal)
  if type(principal) ~= "string" then return nil end
  local name = principal:match("^arn:[^:]+:sts::%d*:assumed%-role/([^/]+)/")
    or principal:match("^arn:[^:]+:iam::%d*:role/(.+)$")
  if name then return name:match("([^/]+)$") end
end

return M
