-- leastpriv simulate: decide one request against a role script or an IAM
-- JSON policy, and say why.
local args = require "leastpriv.cli.args"
local simulate = require "leastpriv.simulate"
local strict = require "leastpriv.strict"

local USAGE = [[
usage: leastpriv simulate FILE --action A [--resource R] [--principal P]
                          [--context KEY=VALUE]... [--endpoint JSON]... [--explain]
                          [--pattern] [--conditions]

Decide whether the policies in FILE allow one request, as AWS would:
explicit deny, organisation policies, resource policy, identity policies,
permissions boundary, session policy (docs/simulation.md).  FILE is a role
script (.lua: a role's inline policies and trust policy) or an IAM JSON
policy document (.json: an identity policy).

--context KEY=VALUE sets a request context key (aws:SourceIp=10.0.0.1);
repeat a KEY for a multivalued key (aws:TagKeys=a --context aws:TagKeys=b).
--principal is an ARN, an account id, a service (sagemaker.amazonaws.com)
or "anonymous".  sts:AssumeRole* requests are decided by the trust policy.
--endpoint JSON: the request goes through a VPC endpoint with this policy
(an IAM JSON file; repeat for several), which must allow it too.

Prints the decision (allow, explicit_deny, implicit_deny); --explain adds
the statements that applied or failed and why.  Exit status 0 when
allowed, 1 when denied (a request AWS could never send, such as an ARN of
a type the action does not act on, is explained as invalid), 2 when the
action, the ARN or a context key is not in the catalog (with the closest
name) or on any other usage error.

--pattern: R is an ARN pattern (arn:aws:s3:::data/*); prints "all", "some"
or "none" (is the action allowed on every resource R matches?), for
"some" a resource allowed and one denied, each checked by a plain
decision; --explain lists every resource tried.  Exit status 0 for "all".

--conditions: condition keys the request does not give (--context) are
unknown; prints the condition they must meet for an Allow
("conditional: allowed when aws:PrincipalTag/team = ml and ..."), or
"always" / "never".  Exit status 0 for "always".]]

local M = {
  summary = "decide whether a role allows a request, and explain why",
  usage = USAGE,
  options = {
    { name = "action", short = "a", arg = "A", help = "the action, e.g. s3:GetObject" },
    { name = "resource", short = "r", arg = "R", help = "the resource ARN, or * [default: *]" },
    { name = "principal", short = "p", arg = "P", help = "who makes the request" },
    { name = "context", short = "c", arg = "KEY=VALUE", multi = true, help = "a request context key" },
    { name = "resource-account", arg = "ID", help = "account that owns the resource (for ARNs without one)" },
    { name = "role", arg = "NAME", help = "the role to use when FILE returns several" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "endpoint", arg = "JSON", multi = true, help = "a VPC endpoint policy the request goes through" },
    { name = "explain", short = "e", help = "print why: each statement that applied or failed" },
    { name = "pattern", help = "R is an ARN pattern: allowed on all, some or none of it?" },
    { name = "conditions", help = "under which conditions on the keys not given would it be allowed?" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

-- The { KEY = value or list } context from KEY=VALUE strings.
function M.parse_context(list)
  local ctx, seen = {}, {}
  for _, item in ipairs(list or {}) do
    local key, value = item:match("^([^=]+)=(.*)$")
    if not key then fail(("--context %q must look like KEY=VALUE"):format(item)) end
    if seen[key] then
      if type(ctx[key]) ~= "table" then ctx[key] = { ctx[key] } end
      table.insert(ctx[key], value)
    else
      ctx[key] = value
      seen[key] = true
    end
  end
  return ctx
end

local function parse_sets(list)
  local vars = {}
  for _, item in ipairs(list or {}) do
    local name, value = item:match("^([%a_][%w_]*)=(.*)$")
    if not name then fail(("--set %q must look like NAME=VALUE"):format(item)) end
    vars[name] = value
  end
  return vars
end

local function load_json_file(path)
  local text, read_err = require("leastpriv.files").read(path)
  if not text then fail(read_err) end
  local doc, err = require("leastpriv").load_json(text)
  if not doc then fail(("%s:%s"):format(path, err)) end
  return doc
end

-- FILE's policies with the --endpoint policies added.
local function with_endpoint(x, opts)
  if not opts.endpoint or #opts.endpoint == 0 then return x end
  local docs = {}
  for i, path in ipairs(opts.endpoint) do docs[i] = load_json_file(path) end
  return simulate.with_groups(x, { endpoint = docs })
end

-- The policies of FILE: a role or policy from a script, or a JSON document,
-- with the --endpoint policies.
function M.load(path, opts)
  return with_endpoint(M.load_file(path, opts), opts)
end

-- The policies of FILE alone.
function M.load_file(path, opts)
  local folder = require("leastpriv.cli.paths").one_input(path)
  if folder then fail(folder) end
  local refused = require("leastpriv.files").check_input(path)
  if refused then fail(refused) end
  if path:match("%.json$") then return load_json_file(path) end
  local ok, first, items
  if require("leastpriv.check.tf_source").is_source(path) then
    ok, items = pcall(require("leastpriv.inputs").load, path, parse_sets(opts.set))
    first = ok and items[1]
    if ok and not first then fail(("%s: no IAM role or policy in this Terraform source"):format(path)) end
  else
    ok, first, items = pcall(simulate.load, path, parse_sets(opts.set))
  end
  if not ok then fail(tostring(first)) end
  if opts.role then
    for _, item in ipairs(items) do
      if item.name == opts.role then return item end
    end
    local names = {}
    for _, item in ipairs(items) do names[#names + 1] = tostring(item.name) end
    fail(("%s: no role named %s (found: %s)"):format(path, opts.role, table.concat(names, ", ")))
  end
  return first
end

-- Compile FILE's policies; fails with a message on bad policies.
function M.compile(path, opts)
  local x = M.load(path, opts)
  local p, err = simulate.compile(x)
  if not p then fail(("%s: %s"):format(path, err)) end
  return p
end

function M.run(opts, files, io_)
  if #files ~= 1 then fail("name one role script or JSON policy (FILE)") end
  if not opts.action then fail("--action is required (e.g. --action s3:GetObject)") end
  local p = M.compile(files[1], opts)
  local req = { action = opts.action, resource = opts.resource, principal = opts.principal,
                context = M.parse_context(opts.context), resource_account = opts["resource-account"] }
  if req.resource == nil and not opts.action:lower():match("^sts:") then req.resource = "*" end
  -- a resource pattern: the action and context are checked, not the ARN
  if opts.pattern then
    local problem = strict.request_problem({ action = req.action, context = req.context })
    if problem then fail(problem) end
    return M.run_pattern(req, M.load(files[1], opts), io_, opts.explain)
  end
  -- a request that names what does not exist is an input error; one of a
  -- resource type the action does not act on is explained as invalid
  local problem, kind = strict.request_problem(req, { types = true })
  if problem and kind ~= "resource_type" then fail(problem) end
  if opts.conditions then
    local ok, d, e = pcall(simulate.simulate, req, M.load(files[1], opts), { discover = true })
    if not ok then fail(tostring(d)) end
    if e.condition == "always" then io_.stdout:write("always: allowed whatever the keys not given\n")
    elseif e.condition == "never" then io_.stdout:write(("never: %s whatever the keys not given\n"):format(d))
    else io_.stdout:write("conditional: allowed when ", e.condition, "\n") end
    if opts.explain then io_.stdout:write(e.text, "\n") end
    return e.condition == "always" and 0 or 1
  end
  local ok, decision, e = pcall(simulate.simulate, req, p, { explain = true })
  if not ok then fail(tostring(decision)) end
  if opts.explain or e.invalid then
    io_.stdout:write(e.text, "\n")
  else
    io_.stdout:write(decision, "\n")
  end
  return decision == "allow" and 0 or 1
end

-- --pattern: all, some or none, and the resources tried with --explain.
function M.run_pattern(req, x, io_, explain)
  if req.resource == nil or req.resource == "*" then fail("--pattern needs --resource with an ARN pattern") end
  local ok, a = pcall(require("leastpriv.pattern").simulate_pattern, req, x)
  if not ok then fail((tostring(a):gsub("^lp%.simulate_pattern: ", ""))) end
  local w = io_.stdout
  if a.answer == "some" then
    w:write(("some: %s is allowed on %s, denied on %s\n"):format(req.action, a.allowed, a.denied))
  elseif a.answer == "all" then
    w:write(("all: %s is allowed on every resource matching %s\n"):format(req.action, req.resource))
  else
    w:write(("none: %s is allowed on no resource matching %s\n"):format(req.action, req.resource))
  end
  if explain then
    for _, r in ipairs(a.witnesses) do w:write(("  %s: %s\n"):format(r.decision, r.resource)) end
  end
  if not a.complete then w:write("  (the search stopped at its bound: the answer may be incomplete)\n") end
  return a.answer == "all" and 0 or 1
end

return M
