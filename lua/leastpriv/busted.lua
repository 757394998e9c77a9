-- luassert assertions for unit-testing roles with busted.
--
--   local lpb = require "leastpriv.busted"      -- registers the assertions
--   local role = lpb.load("examples/sagemaker/execution_role.lua")
--   assert.allows(role, "s3:GetObject", "arn:aws:s3:::data/in/x")
--   assert.denies(role, "s3:PutObject", "arn:aws:s3:::data/in/x")
--   assert.allows(role, "cloudwatch:PutMetricData", "*", { ["cloudwatch:namespace"] = "ns" })
--   assert.grants_only(role, { { "s3:GetObject", "arn:aws:s3:::data/in/*" }, ... })
--
-- The fourth argument of allows/denies is the request context, or a table
-- { context =, principal =, resource_account =, endpoint = } for more of
-- the request (endpoint: the policy of a VPC endpoint it goes through).
-- Failure messages carry the decision's explanation; grants_only lists
-- every grant beyond the list.
--
-- The assertions are strict (leastpriv.strict): a request AWS could never
-- send fails the assertion, negated or not, naming the problem (an action
-- not in the catalog, a malformed ARN, an ARN of a type the action does not
-- act on, a context key the catalog does not know; for grants_only, a
-- pattern that matches no action), since a test of it could never fail.
local assert = require "luassert"
local say = require "say"
local simulate = require "leastpriv.simulate"
local strict = require "leastpriv.strict"

local M = {}

local REQUEST_FIELDS = { context = true, principal = true, resource_account = true, endpoint = true }

-- The request for (action, resource, extra).
local function request_of(action, resource, extra)
  local req = { action = action, resource = resource }
  if type(extra) == "table" then
    local is_request = false
    for k in pairs(extra) do if REQUEST_FIELDS[k] then is_request = true end end
    if is_request then
      for k, v in pairs(extra) do req[k] = v end
    else
      req.context = extra
    end
  end
  return req
end

-- Fail the assertion, negated or not (luassert fails when the result
-- equals "not state.mod"), with the problem as its message.
local function misuse(state, name, problem)
  state.failure_message = ("assert.%s: %s; the assertion could never fail"):format(name, problem)
  return not state.mod
end

local function decision_assertion(want)
  return function(state, arguments)
    local role, action, resource, extra = arguments[1], arguments[2], arguments[3], arguments[4]
    if type(action) ~= "string" then
      error(("assert.%s(role, action, resource [, context]): action must be a string")
        :format(want == "allow" and "allows" or "denies"), 3)
    end
    local req = request_of(action, resource, extra)
    if req.endpoint then     -- the request goes through a VPC endpoint with this policy
      role = simulate.with_groups(role, { endpoint = req.endpoint })
      req.endpoint = nil
    end
    local name = want == "allow" and "allows" or "denies"
    local problem = strict.request_problem(req)
    if problem then return misuse(state, name, problem) end
    local decision, e = simulate.simulate(req, role, { explain = true })
    problem = strict.invalid_problem(req, e)
    if problem then return misuse(state, name, problem) end
    local passed
    if want == "allow" then passed = decision == "allow" else passed = decision ~= "allow" end
    local verb = want == "allow" and "allow" or "deny"
    local expected = state.mod and verb or ("not " .. verb)
    state.failure_message = ("expected the policies to %s %s on %s, but the decision is %s\n%s")
      :format(expected, action, tostring(resource or "*"), decision, e.text)
    return passed
  end
end

-- The grants of role that no entry of list covers (see simulate.excess).
M.excess = simulate.excess

local MAX_LISTED = 40

local function grants_only(state, arguments)
  local role, list = arguments[1], arguments[2]
  if type(list) ~= "table" then
    error("assert.grants_only(role, { { action, resource }, ... }): the list must be a table", 3)
  end
  for i, item in ipairs(list) do
    if type(item) ~= "table" or type(item[1] or item.action) ~= "string"
        or type(item[2] or item.resource) ~= "string" then
      error(("assert.grants_only: entry %d must be { action, resource }"):format(i), 3)
    end
    local problem = strict.grant_problem(item[1] or item.action, item[2] or item.resource)
    if problem then return misuse(state, "grants_only", ("entry %d: %s"):format(i, problem)) end
  end
  local excess = M.excess(role, list)
  if #excess == 0 then
    state.failure_message = "expected the policies to grant more than the list, but they grant only it"
    return true
  end
  local lines = { ("the policies grant %d permission%s beyond the list:"):format(
    #excess, #excess == 1 and "" or "s") }
  for i, g in ipairs(excess) do
    if i > MAX_LISTED then
      lines[#lines + 1] = ("  ... and %d more"):format(#excess - MAX_LISTED)
      break
    end
    local where = g.except and ("* except " .. table.concat(g.except, ", ")) or g.resource
    lines[#lines + 1] = ("  %s on %s%s (%s%s)"):format(g.action, where,
      g.conditional and " if its conditions hold" or "", g.policy or "policy",
      g.sid and (" " .. g.sid) or "")
  end
  state.failure_message = table.concat(lines, "\n")
  return false
end

local function has_key(key)
  local ok, v = pcall(say, key)
  return ok and v ~= nil
end

local function register(name, fn)
  local pos, neg = "assertion.leastpriv." .. name .. ".positive", "assertion.leastpriv." .. name .. ".negative"
  if not has_key(pos) then
    say:set(pos, "(leastpriv: see the message above)")
    say:set(neg, "(leastpriv: see the message above)")
  end
  assert:register("assertion", name, fn, pos, neg)
end

-- allows_all / allows_none(role, action, pattern [, extra]): the action is
-- allowed on every resource the ARN pattern matches / on none of them
-- (lp.simulate_pattern); a failure names a resource each way.
local function pattern_assertion(want)
  return function(state, arguments)
    local role, action, pattern, extra = arguments[1], arguments[2], arguments[3], arguments[4]
    if type(action) ~= "string" or type(pattern) ~= "string" then
      error(("assert.allows_%s(role, action, pattern [, context]): action and pattern must be strings")
        :format(want), 3)
    end
    local req = request_of(action, pattern, extra)
    if req.endpoint then
      role = simulate.with_groups(role, { endpoint = req.endpoint })
      req.endpoint = nil
    end
    local a = require("leastpriv.pattern").simulate_pattern(req, role)
    state.failure_message = ("expected %s to be allowed on %s resources matching %s, but the answer is %s%s%s")
      :format(action, want == "all" and "all" or "no", pattern, a.answer,
        a.allowed and ("; allowed on " .. a.allowed) or "", a.denied and ("; denied on " .. a.denied) or "")
    return a.answer == want
  end
end

-- allows_when(role, action, resource, condition [, extra]): with the keys
-- extra does not give unknown, the condition for an Allow is condition
-- (lp.simulate with discover: words, or "always" / "never").
local function allows_when(state, arguments)
  local role, action, resource, want, extra = arguments[1], arguments[2], arguments[3], arguments[4], arguments[5]
  if type(action) ~= "string" or type(want) ~= "string" then
    error("assert.allows_when(role, action, resource, condition [, context]): action and condition must be strings", 3)
  end
  local req = request_of(action, resource, extra)
  if req.endpoint then
    role = simulate.with_groups(role, { endpoint = req.endpoint })
    req.endpoint = nil
  end
  local _, e = simulate.simulate(req, role, { discover = true })
  state.failure_message = ("expected %s on %s to be allowed when %s, but it is allowed when %s")
    :format(action, tostring(resource or "*"), want, e.condition)
  return e.condition == want
end

register("allows", decision_assertion("allow"))
register("allows_when", allows_when)
register("allows_all", pattern_assertion("all"))
register("allows_none", pattern_assertion("none"))
register("denies", decision_assertion("deny"))
register("grants_only", grants_only)

-- The folder of the spec file that called the function calling this one,
-- or nil (debug is the test runner's, trusted code: never a role script's).
local function caller_folder()
  local info = debug.getinfo(3, "S")
  local source = info and info.source or ""
  if source:sub(1, 1) ~= "@" then return nil end
  return source:sub(2):match("^(.*)[/\\]") or "."
end

local function readable(path)
  local f = io.open(path, "r")
  if f then f:close() end
  return f ~= nil
end

-- load(path [, vars]) -> the first role or policy of a role script, with
-- its lp.var inputs filled (vars, else their defaults); all items second.
-- path is taken from the current directory, else from the calling spec
-- file's folder (so a spec can name "roles/x.lua" beside it).
function M.load(path, vars)
  if type(path) ~= "string" then error("lpb.load(path [, vars]): path must be a string", 2) end
  local folder = caller_folder()
  if not readable(path) and folder and path:sub(1, 1) ~= "/" then
    local beside = folder .. "/" .. path
    if readable(beside) then path = beside
    else error(("%s: cannot read the file (nor %s, beside the spec)"):format(path, beside), 2) end
  end
  return simulate.load(path, vars)
end

return M
