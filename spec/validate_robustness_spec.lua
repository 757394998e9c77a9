-- lp.validate never raises on bad policies: corpus policies with random
-- (seeded) structural mutations and byte flips always give a list of
-- well-formed findings.
local lp = require "leastpriv"
package.path = "bench/?.lua;" .. package.path
local corpus = require "corpus"

local seed = 4242
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end

local WEIRD = {
  function() return 42 end, function() return true end, function() return lp.null end,
  function() return {} end, function() return setmetatable({}, lp.core.array_mt) end,
  function() return "" end, function() return "*" end, function() return string.rep("a", 5000) end,
  function() return "arn:aws:s3:::b/${aws:username" end, function() return "\248var.x\249" end,
  function() return "ﬀ\0x" end, function() return { 1, { 2, { 3 } } } end,
  function() return { Statement = { Effect = "Allow" } } end,
  function() return "arn:::::" end, function() return "s3:" end, function() return ":" end,
  function() return { AWS = { 1 } } end, function() return { ["ForAllValues:Null"] = { x = {} } } end,
}

-- Replace a random node of t (depth-first pick) with a weird value.
local function mutate(t, depth)
  if type(t) ~= "table" or depth > 6 then return WEIRD[rand(#WEIRD)]() end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  if #keys == 0 or rand(4) == 1 then return WEIRD[rand(#WEIRD)]() end
  local k = keys[rand(#keys)]
  t[k] = mutate(t[k], depth + 1)
  return t
end

local FIELDS = { code = "string", severity = "string", message = "string" }

local function well_formed(findings)
  assert.is_table(findings)
  for _, f in ipairs(findings) do
    for k, ty in pairs(FIELDS) do assert.equal(ty, type(f[k]), k) end
  end
end

describe("lp.validate on mutated policies", function()
  local list = corpus.policies(300, 7)

  it("never raises on structurally mutated documents", function()
    for _, p in ipairs(list) do
      for _ = 1, 3 do
        local doc = mutate(lp.load_json(p.text), 0)
        for _, ty in ipairs { "identity", "trust", "resource", "scp", "rcp" } do
          local ok, res = pcall(lp.validate, doc, { type = ty })
          assert.is_true(ok, tostring(res))
          well_formed(res)
        end
      end
    end
  end)

  it("never raises on texts with flipped bytes", function()
    for _, p in ipairs(list) do
      local bytes = { p.text:byte(1, -1) }
      for _ = 1, 3 do
        local i = rand(#bytes)
        local copy = { table.unpack(bytes) }
        copy[i] = rand(256) - 1
        local ok, res = pcall(lp.validate, string.char(table.unpack(copy)))
        assert.is_true(ok, tostring(res))
        well_formed(res)
      end
    end
  end)

  it("never raises on roles and lists built from mutated documents", function()
    for i = 1, 60 do
      local doc = mutate(lp.load_json(list[i].text), 0)
      local role = { kind = "role", name = "r" .. i, trust = mutate(lp.load_json(list[i + 1].text), 0),
                     policies = { { name = "p", document = doc } }, managed_policy_arns = {} }
      local ok, res = pcall(lp.validate, { role, doc })
      assert.is_true(ok, tostring(res))
      well_formed(res)
    end
  end)
end)

-- Lua 5.1 and LuaJIT reserve at most LUAL_BUFFERSIZE (8 KB here) of a
-- luaL_Buffer at once: every string the checker lower-cases or escapes must
-- go in chunks, or a long one makes lp.validate raise there.
describe("lp.validate on strings longer than one Lua buffer", function()
  local long = string.rep("Ab", 20000)            -- 40,000 bytes

  local function check(doc, opts)
    local ok, findings = pcall(lp.validate, doc, opts)
    assert.is_true(ok, tostring(findings))
    well_formed(findings)
    return findings
  end

  it("folds a long condition key, action name and IgnoreCase values", function()
    local findings = check({ Version = "2012-10-17", Statement = { {
      Effect = "Allow", Action = { "s3:Get" .. long, "S3:GET" .. long, "s3:" .. long .. "*" },
      Resource = "arn:aws:s3:::b/*",
      Condition = {
        StringEqualsIgnoreCase = { ["aws:PrincipalTag/" .. long] = { long, long:upper() },
                                   ["s3:" .. long] = "x" },
        StringEquals = { ["AWS:PRINCIPALTAG/" .. long] = "y" },
      } } } })
    local seen = {}
    for _, f in ipairs(findings) do seen[f.code] = true end
    assert.is_true(seen.INVALID_ACTION)
    assert.is_true(seen.REDUNDANT_CONDITION_VALUE)      -- the two values fold to one
  end)

  it("reads and reports long ARNs, principals and Sids in every policy type", function()
    for _, t in ipairs { "identity", "resource", "trust", "scp" } do
      check({ Version = "2012-10-17", Statement = { {
        Sid = long, Effect = "Allow", Action = "sts:AssumeRole",
        Principal = { AWS = "arn:aws:iam::111122223333:role/" .. long, Service = long .. ".amazonaws.com" },
        Resource = "arn:aws:s3:::" .. long } } }, { type = t })
    end
  end)

  it("renders a long value in the JSON the findings come from", function()
    local text = lp.core.json_encode({ Version = "2012-10-17", Statement = { {
      Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/" .. long .. "\n\"" } } })
    check(text)
  end)
end)

describe("lp.validate on inputs whose entries have the wrong type", function()
  -- Found by the validate fuzz target: the account dump and Terraform plan
  -- readers and the checks of roles indexed entries that were not tables
  -- and used names, paths and ARNs that were not strings.
  local POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
    .. '"Resource": "*"}]}'
  local TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
    .. '{"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'

  local function codes(res)
    local set = {}
    for _, f in ipairs(res) do set[f.code] = true end
    return set
  end

  local function validates(x)
    local out
    for _, opts in ipairs { {}, { profile = "seed-review" } } do
      local ok, res = pcall(lp.validate, x, opts)
      assert.is_true(ok, tostring(res))
      well_formed(res)
      out = out or res
    end
    return codes(out)
  end

  it("skips the entries of an account dump that are not objects", function()
    local dump = '{"RoleDetailList": [2, null, "x", {"RoleName": 60, "Path": {}, "MaxSessionDuration": 1e300, '
      .. '"Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": ' .. TRUST .. ', '
      .. '"RolePolicyList": [3, {"PolicyName": 5, "PolicyDocument": ' .. POLICY .. '}], '
      .. '"AttachedManagedPolicies": [2, {"PolicyArn": 7}, {"PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}], '
      .. '"UserDetailList": [true], "GroupDetailList": [[]], '
      .. '"Policies": [1, {"PolicyName": "p", "PolicyVersionList": [true, {"IsDefaultVersion": true, '
      .. '"Document": ' .. POLICY .. '}]}]}'
    local found = validates(dump)
    assert.is_true(found.RESOURCE_STAR)                 -- the inline and the managed policy
    assert.is_true(found.INVALID_SESSION_DURATION)      -- 1e300 seconds
  end)

  it("skips the resources of a Terraform plan that are not objects", function()
    local plan = '{"format_version": "1.0", "planned_values": {"root_module": {"resources": [1, null, '
      .. '{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "values": '
      .. '{"name": "p", "policy": ' .. ('%q'):format(POLICY) .. '}}], "child_modules": [7, {"resources": "x"}]}}}'
    assert.is_true(validates(plan).RESOURCE_STAR)
  end)

  it("names entities whose names are not strings the same way every time", function()
    -- found by the validate target: labels held a table's address
    local dump = '{"RoleDetailList": [{"RoleName": {"a": 1}, "RolePolicyList": [{"PolicyName": [1], '
      .. '"PolicyDocument": ' .. POLICY .. '}]}], "UserDetailList": [{"UserName": true, '
      .. '"UserPolicyList": [{"PolicyName": null, "PolicyDocument": ' .. POLICY .. '}]}]}'
    local first = lp.validate(dump)
    assert.same(first, lp.validate(dump))
    local labels = {}
    for _, f in ipairs(first) do labels[f.document] = true end
    assert.same({ ["role (table)/(table)"] = true, ["role (table)/trust"] = true,
                  ["user true/(userdata)"] = true }, labels)
    local role = { kind = "role", name = {}, policies = { { name = {}, document = lp.load_json(POLICY) } } }
    local res = lp.validate(role)
    assert.equal("(table)/(table)", res[1].document)
    assert.same(res, lp.validate(role))
  end)

  it("takes role tables whose fields have the wrong type", function()
    local doc = lp.load_json(POLICY)
    validates { kind = "role", name = {}, path = 3, policies = true, managed_policy_arns = { 1 },
                max_session_duration = "x", trust = lp.load_json(TRUST) }
    assert.is_true(validates({ kind = "role", name = "r", policies = { 1, { name = 2, document = doc } },
                               managed_policy_arns = "arn" }).RESOURCE_STAR)
    validates('{"kind": "role", "name": "r", "policies": [1, true], "path": "/", "managed_policy_arns": [[]]}')
  end)
end)

describe("lp.validate labels from names of the wrong type", function()
  -- Found by the validate fuzz target: a RoleName that is an object was
  -- labelled with tostring(), a table address that changes from run to run.
  it("are the same from run to run, and name the type", function()
    local dump = '{"RoleDetailList": [{"RoleName": {"x": 1}, "Path": "/", "AssumeRolePolicyDocument": '
      .. '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": '
      .. '"sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}]}'
    local a, b = lp.validate(dump), lp.validate(dump)
    assert.same(a, b)
    assert.truthy(#a > 0)
    for _, f in ipairs(a) do assert.matches("^role %(table%)", f.document) end
    local role = lp.validate({ kind = "role", name = { 1 }, trust = lp.load_json(
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": '
      .. '"sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}') })
    for _, f in ipairs(role) do assert.matches("^%(table%)", f.document) end
  end)
end)
