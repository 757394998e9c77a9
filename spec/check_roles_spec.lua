-- The PassRole checks of lua/leastpriv/check/roles.lua on a whole account:
-- the Resource entries of iam:PassRole find the roles they name through an
-- index (role/PATH/NAME, and the literal start of a wildcard), so the work
-- grows with the roles, not with their square, and what a wildcard reaches
-- is worked out once however many callers hold it.  Bounded by the work
-- done (ARN parses and wildcard matches), not by timing.
local lp = require "leastpriv"
local core = require "leastpriv.core"

local TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": '
  .. '"lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": '
  .. '{"aws:SourceAccount": "123456789012"}}}]}'

-- n roles; role i may pass resource(i) to service.
local function dump(n, resource, service)
  local roles = {}
  for i = 1, n do
    roles[i] = ('{"Path": "/", "RoleName": "role-%d", "Arn": "arn:aws:iam::123456789012:role/role-%d", '
      .. '"AssumeRolePolicyDocument": %s, "RolePolicyList": [{"PolicyName": "pass", "PolicyDocument": '
      .. '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", '
      .. '"Resource": "%s", "Condition": {"StringEquals": {"iam:PassedToService": "%s"}}}]}}], '
      .. '"AttachedManagedPolicies": []}'):format(i, i, TRUST, resource(i), service)
  end
  return '{"RoleDetailList": [' .. table.concat(roles, ",") .. '], "Policies": []}'
end

-- lp.validate(text), counting the calls of core.arn_parse and core.glob_match.
local function counted(text)
  local parse, match = core.arn_parse, core.glob_match
  local n = { parse = 0, match = 0 }
  core.arn_parse = function(...) n.parse = n.parse + 1; return parse(...) end
  core.glob_match = function(...) n.match = n.match + 1; return match(...) end
  local ok, findings = pcall(lp.validate, text)
  core.arn_parse, core.glob_match = parse, match
  assert(ok, findings)
  return findings, n
end

local function count(findings, code)
  local n = 0
  for _, f in ipairs(findings) do if f.code == code then n = n + (f.count or 1) end end
  return n
end

describe("PassRole across an account", function()
  it("every role passing one other role by ARN: work linear in the roles", function()
    local function run(n)
      return counted(dump(n, function(i) return ("arn:aws:iam::123456789012:role/role-%d"):format(i % n + 1) end,
        "lambda.amazonaws.com"))
    end
    local f1, small = run(200)
    local f2, large = run(2000)
    assert.equal(0, count(f1, "PASS_ROLE_TO_UNTRUSTED_SERVICE"))
    assert.equal(0, count(f2, "PASS_ROLE_TO_UNTRUSTED_SERVICE"))
    -- ten times the roles, at most about ten times the work (it was a hundred)
    assert.is_true(large.parse <= 12 * small.parse, ("arn_parse %d, then %d"):format(small.parse, large.parse))
    assert.is_true(large.match <= 12 * small.match, ("glob_match %d, then %d"):format(small.match, large.match))
    assert.is_true(large.match < 20 * 2000, "glob_match calls: " .. large.match)
  end)

  it("still finds the untrusted service of the one role an ARN names", function()
    local findings = lp.validate(dump(300, function(i) return ("arn:aws:iam::123456789012:role/role-%d"):format(i % 300 + 1) end,
      "ec2.amazonaws.com"))
    assert.equal(300, count(findings, "PASS_ROLE_TO_UNTRUSTED_SERVICE"))
    assert.equal(300, count(findings, "EXECUTION_ROLE_TRUST_MISSING_SERVICE"))
    local first
    for _, f in ipairs(findings) do
      if f.code == "PASS_ROLE_TO_UNTRUSTED_SERVICE" and f.document == "role role-1/pass" then first = f end
    end
    assert.matches("^passes role%-2 to ec2%.amazonaws%.com", first.message)
  end)

  it("a wildcard every role holds is matched against the roles once, and lists at most 10 of them", function()
    local function run(n)
      return counted(dump(n, function() return "arn:aws:iam::123456789012:role/role-*" end, "ec2.amazonaws.com"))
    end
    local _, small = run(200)
    local findings, large = run(2000)
    assert.is_true(large.match <= 12 * small.match, ("glob_match %d, then %d"):format(small.match, large.match))
    assert.equal(2000, count(findings, "PASS_ROLE_BEYOND_EXECUTION_ROLES"))
    for _, f in ipairs(findings) do
      if f.code == "PASS_ROLE_BEYOND_EXECUTION_ROLES" then
        assert.matches('reaches role%-1, role%-10, role%-100, role%-1000, role%-1001, role%-1002, role%-1003, '
          .. 'role%-1004, role%-1005, role%-1006 and 1990 more roles, which ec2%.amazonaws%.com cannot assume$', f.message)
        break
      end
    end
  end)

  it("a wildcard narrows to the roles its literal start names, in every path", function()
    local text = '{"RoleDetailList": ['
      .. '{"Path": "/app/", "RoleName": "a", "Arn": "arn:aws:iam::123456789012:role/app/a", "AssumeRolePolicyDocument": '
      .. TRUST .. ', "RolePolicyList": []},'
      .. '{"Path": "/", "RoleName": "app-b", "Arn": "arn:aws:iam::123456789012:role/app-b", "AssumeRolePolicyDocument": '
      .. TRUST .. ', "RolePolicyList": []},'
      .. '{"Path": "/", "RoleName": "caller", "Arn": "arn:aws:iam::123456789012:role/caller", "AssumeRolePolicyDocument": '
      .. TRUST .. ', "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": ['
      .. '{"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::123456789012:role/app*", '
      .. '"arn:aws:iam::123456789012:role/?pp-b", "arn:aws:iam::*:role/app/a"], '
      .. '"Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}}]}], "Policies": []}'
    local msgs = {}
    for _, f in ipairs(lp.validate(text)) do
      if f.code == "PASS_ROLE_BEYOND_EXECUTION_ROLES" then msgs[#msgs + 1] = f.message end
    end
    assert.same({
      'iam:PassRole on "arn:aws:iam::123456789012:role/app*" reaches a, app-b, which ec2.amazonaws.com cannot assume',
      'iam:PassRole on "arn:aws:iam::123456789012:role/?pp-b" reaches app-b, which ec2.amazonaws.com cannot assume',
      'iam:PassRole on "arn:aws:iam::*:role/app/a" reaches a, which ec2.amazonaws.com cannot assume',
    }, msgs)
  end)
end)
