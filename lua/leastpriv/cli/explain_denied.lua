-- leastpriv explain-denied: why was I denied, and the narrowest fix.
local args = require "leastpriv.cli.args"
local denied = require "leastpriv.denied"
local inputs = require "leastpriv.inputs"
local simulate = require "leastpriv.simulate"

local M = {
  summary = "read an AccessDenied message: which policy refused, and the narrowest fix",
  usage = [[
usage: leastpriv explain-denied MESSAGE|- [FILE...] [--role NAME]
                               [--context KEY=VALUE]... [--set NAME=VALUE]... [--json]

Read AWS's AccessDenied message MESSAGE ("-": standard input): "User: ARN
is not authorized to perform: ACTION on resource: ARN because no
identity-based policy allows the ACTION action", "... with an explicit deny
in a service control policy", "... no resource-based policy / session
policy / permissions boundary / VPC endpoint policy ...", or the JSON that
`aws sts decode-authorization-message` prints.  Say which policy type
refused the request, and why.

With FILE... (role scripts, JSON, account dumps, plans, .tf modules), find
the role the message names (its session's role, or --role NAME), decide the
same request with it, and say what in those files refuses it: the Deny
statement that matched, the condition that failed, or, when nothing allows
it, the narrowest statement to add (the action on that resource), checked
by deciding the request again with it.

Exit status: 0 the message is explained (and the files, when given, allow
the request: the refusal is outside them), 1 the files deny it too (the
fix shown goes in them), 2 a message that cannot be read, or a usage or
input error.]],
  options = {
    { name = "role", arg = "NAME", help = "the role of FILE... to use (default: the message's role)" },
    { name = "context", short = "c", arg = "KEY=VALUE", multi = true, help = "a request context key" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "json", help = "the explanation as JSON" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

local function lua_string(s) return ("%q"):format(s) end

-- The role (or policy) of items that the message is about: --role NAME,
-- else the role the message's principal names, else the only one.
local function pick(items, want, explicit, files)
  local names = {}
  for _, item in ipairs(items) do
    names[#names + 1] = item.name and tostring(item.name) or "a policy document"
    if want and item.name == want then return item end
  end
  if explicit then
    fail(("no role named %s in %s (found: %s)"):format(want, table.concat(files, ", "), table.concat(names, ", ")))
  end
  if #items == 1 then return items[1] end
  fail(("%s hold several roles and none is the message's (%s): name one with --role"):format(
    table.concat(files, ", "), table.concat(names, ", ")))
end

-- The role with one more Allow statement, in a policy of its own.
local function with_statement(item, st)
  local doc = { Version = "2012-10-17", Statement = { st } }
  if item.kind == "role" then
    local copy = {}
    for k, v in pairs(item) do copy[k] = v end
    copy.policies = {}
    for i, p in ipairs(item.policies or {}) do copy.policies[i] = p end
    copy.policies[#copy.policies + 1] = { name = "leastpriv-proposed", document = doc }
    return copy
  end
  local list = { item.document or item, doc }
  return list
end

function M.run(opts, files, io_)
  local out = io_.stdout
  local message = table.remove(files, 1)
  if not message then fail("give the AccessDenied message (or - to read it from standard input)") end
  if message == "-" then message = io.stdin:read("*a") or "" end
  local d, err = denied.parse(message)
  if not d then fail(err) end
  for _, kv in ipairs(opts.context or {}) do
    local k, v = kv:match("^([^=]+)=(.*)$")
    if not k then fail(("--context %q must look like KEY=VALUE"):format(kv)) end
    d.context[k] = v
  end
  local report = { principal = d.principal, action = d.action, resource = d.resource,
                   policy_type = d.policy_type, explicit = d.explicit, policy_arn = d.policy_arn,
                   reading = denied.describe(d) }
  local status = 0
  if #files > 0 then
    local expanded, perr = require("leastpriv.cli.paths").expand(files)
    if not expanded then fail(perr) end
    local items = {}
    for _, path in ipairs(expanded) do
      local ok, list = pcall(inputs.load, path, args.sets(opts.set))
      if not ok then fail(tostring(list)) end
      for _, item in ipairs(list) do items[#items + 1] = item end
    end
    if #items == 0 then fail("no role or policy in " .. table.concat(files, ", ")) end
    local item = pick(items, opts.role or denied.role_name(d.principal), opts.role ~= nil, files)
    local request = { action = d.action, resource = d.resource or "*", context = d.context }
    if d.principal and d.principal:match("^arn:") then request.principal = d.principal end
    local ok, decision, why = pcall(simulate.simulate, request, item, { explain = true })
    if not ok then fail(tostring(decision)) end
    report.role = item.name or "the policy"
    report.decision = decision
    report.explanation = why.text
    if decision == "allow" then
      report.verdict = ("%s allows it: the refusal comes from outside these files%s"):format(
        tostring(item.name), d.policy_type and (": " .. denied.WORDS[d.policy_type]) or "")
    else
      status = 1
      local deny, cond
      for _, s in ipairs(why.statements or {}) do
        if s.effect == "Deny" and s.result == "match" then deny = deny or s end
        if s.effect == "Allow" and s.condition then cond = cond or s end
      end
      if deny then
        report.verdict = ("statement %d%s of %s %s denies it: narrow or remove that Deny"):format(
          deny.index, deny.sid and (" " .. deny.sid) or "", deny.kind, tostring(deny.policy))
        report.deny = { policy = deny.policy, kind = deny.kind, index = deny.index, sid = deny.sid }
      elseif cond then
        report.verdict = ("statement %d%s of %s %s would allow it, but its condition fails: %s %s"):format(
          cond.index, cond.sid and (" " .. cond.sid) or "", cond.kind, tostring(cond.policy),
          tostring(cond.condition.operator), tostring(cond.condition.key))
      else
        local st = { Effect = "Allow", Action = { d.action }, Resource = { d.resource or "*" } }
        local fixed = simulate.simulate(request, with_statement(item, st))
        report.proposal = {
          lua = ("lp.allow { action = %s, resource = %s }"):format(lua_string(d.action), lua_string(d.resource or "*")),
          statement = st, verified = fixed == "allow",
        }
        report.verdict = "nothing in these files allows it: add the statement below"
          .. (fixed == "allow" and " (with it, the request is allowed)" or
              " (even with it the request is not allowed: see the explanation)")
      end
    end
  end
  if opts.json then
    local core = require "leastpriv.core"
    if report.proposal then
      report.proposal.statement.Action = setmetatable(report.proposal.statement.Action, core.array_mt)
      report.proposal.statement.Resource = setmetatable(report.proposal.statement.Resource, core.array_mt)
    end
    out:write(core.json_encode(report), "\n")
    return status
  end
  out:write(report.reading, "\n")
  if report.decision then
    out:write("\nWith ", tostring(report.role), ": ", report.explanation:gsub("\n", "\n  "), "\n")
    out:write("\n", report.verdict, "\n")
    if report.proposal then out:write("\n  ", report.proposal.lua, "\n") end
  end
  return status
end

return M
