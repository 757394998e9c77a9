-- bench/simulate.lua: the evaluation engine.
--
--   lua5.4 bench/simulate.lua [--quick]          speed (bench/run runs this)
--   lua5.4 bench/simulate.lua --diff [--quick]   differential test against
--                                                @cloud-copilot/iam-simulate
--
-- Speed: decisions per second on the SageMaker example roles (a fixed mix of
-- allowed and denied requests, with conditions, trust requests included),
-- through a compiled Policy and through lp.simulate (cached compile);
-- lp.effective over the whole catalog for one ARN and for "*".  The peer,
-- when node and npm are present, decides the same requests in its own
-- process (bench/simulate_peer.sh) and the ratio is printed.
--
-- Differential: random policies (every condition operator, IfExists and set
-- operators, wildcards, NotAction / NotResource / NotPrincipal, variables,
-- both versions; identity, resource, boundary, session, SCP and RCP
-- policies) and random requests from a fixed seed go to both engines; every
-- disagreement is listed with our explanation.  docs/simulation.md says why
-- each kind of disagreement is the peer's deviation from AWS's docs.
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local lp = require "leastpriv"
local core = require "leastpriv.core"
local simulate = require "leastpriv.simulate"

local DIFF = false
for _, a in ipairs(arg or {}) do if a == "--diff" then DIFF = true end end
local BUILD = os.getenv("BUILD") or "build"
local OUTDIR = BUILD .. "/bench"
os.execute("mkdir -p " .. OUTDIR)

local function array(t) return setmetatable(t, core.array_mt) end

local function write_json(path, value)
  local f = assert(io.open(path, "wb"))
  f:write(core.json_encode(value, { compact = true }))
  f:close()
end

-- Run the peer: returns its output lines, or nil and why it was skipped.
local function peer(mode, file)
  local p = io.popen(("sh bench/simulate_peer.sh run %s %s %s 2>&1"):format(mode, file,
    bench.QUICK and "--quick" or ""))
  local out = p:read("*a")
  p:close()
  if out:match("^SKIP ") then return nil, out:gsub("^SKIP ", ""):gsub("\n.*", "") end
  local lines = {}
  for line in out:gmatch("[^\n]+") do lines[#lines + 1] = line end
  return lines
end

-- A peer Simulation for our policy groups and request.
local function to_peer(groups, req, account)
  local function named(list, kind)
    local out = {}
    for i, d in ipairs(list or {}) do out[i] = { name = kind .. i, policy = d } end
    return array(out)
  end
  local function levels(list, kind)
    local out = {}
    for i, level in ipairs(list or {}) do
      out[i] = { orgIdentifier = kind .. "-level-" .. i, policies = named(level, kind .. i .. "-") }
    end
    return array(out)
  end
  local ctx = {}
  for k, v in pairs(req.context or {}) do
    ctx[k] = type(v) == "table" and array(v) or v
  end
  local rcps = {}
  for i, level in ipairs(groups.rcp or {}) do   -- the peer adds RCPFullAWSAccess itself
    local denies = {}
    for _, d in ipairs(level) do if d.Statement[1].Effect == "Deny" then denies[#denies + 1] = d end end
    rcps[i] = denies
  end
  return {
    request = { principal = req.principal, action = req.action,
                resource = { resource = req.resource, accountId = req.resource_account or account },
                contextVariables = ctx },
    identityPolicies = named(groups.identity, "identity"),
    serviceControlPolicies = levels(groups.scp, "scp"),
    resourceControlPolicies = levels(rcps, "rcp"),
    resourcePolicy = groups.resource and groups.resource[1] or nil,
    permissionBoundaryPolicies = groups.boundary and named(groups.boundary, "boundary") or nil,
    sessionPolicy = groups.session and groups.session[1] or nil,
  }
end

local PEER_DECISION = { Allowed = "allow", ExplicitlyDenied = "explicit_deny",
                        ImplicitlyDenied = "implicit_deny" }


-- ---- the speed bench ----

local ACCT = "123456789012"
local BUCKET = "arn:aws:s3:::my-ml-training-data"
local REPO = "arn:aws:ecr:us-east-1:" .. ACCT .. ":repository/ml-training"
local GROUP = "arn:aws:logs:us-east-1:" .. ACCT .. ":log-group:/aws/sagemaker/TrainingJobs"
local JOB = "arn:aws:sagemaker:us-east-1:" .. ACCT .. ":training-job/j1"
local EXEC_ROLE = "arn:aws:iam::" .. ACCT .. ":role/sagemaker-training-execution"
local SESSION = "arn:aws:sts::" .. ACCT .. ":assumed-role/sagemaker-training-execution/SageMaker"

-- The request mix: { role, request } pairs, allowed and denied, with conditions.
local function request_mix(exec, caller)
  local ns = { ["cloudwatch:namespace"] = "/aws/sagemaker/TrainingJobs" }
  local list = {
    { exec, { action = "s3:GetObject", resource = BUCKET .. "/experiments/input/train-0001.csv" } },
    { exec, { action = "s3:GetObject", resource = BUCKET .. "/experiments/output/model.tar.gz" } },
    { exec, { action = "s3:PutObject", resource = BUCKET .. "/experiments/output/model.tar.gz" } },
    { exec, { action = "s3:PutObject", resource = BUCKET .. "/experiments/input/train-0001.csv" } },
    { exec, { action = "s3:ListBucket", resource = BUCKET, context = { ["s3:prefix"] = "experiments/input/" } } },
    { exec, { action = "s3:ListBucket", resource = BUCKET, context = { ["s3:prefix"] = "secrets/" } } },
    { exec, { action = "s3:DeleteObject", resource = BUCKET .. "/experiments/output/model.tar.gz" } },
    { exec, { action = "ecr:BatchGetImage", resource = REPO } },
    { exec, { action = "ecr:GetAuthorizationToken", resource = "*" } },
    { exec, { action = "ecr:PutImage", resource = REPO } },
    { exec, { action = "logs:PutLogEvents", resource = GROUP .. ":log-stream:j1/algo-1" } },
    { exec, { action = "logs:DeleteLogGroup", resource = GROUP } },
    { exec, { action = "cloudwatch:PutMetricData", resource = "*", context = ns } },
    { exec, { action = "cloudwatch:PutMetricData", resource = "*", context = { ["cloudwatch:namespace"] = "x" } } },
    { exec, { action = "sagemaker:CreateTrainingJob", resource = JOB, principal = SESSION } },
    { exec, { action = "sts:AssumeRole", principal = "sagemaker.amazonaws.com",
              context = { ["aws:SourceAccount"] = ACCT, ["aws:SourceArn"] = JOB } } },
    { caller, { action = "sagemaker:CreateTrainingJob", resource = JOB } },
    { caller, { action = "sagemaker:DeleteTrainingJob", resource = JOB } },
    { caller, { action = "iam:PassRole", resource = EXEC_ROLE,
                context = { ["iam:PassedToService"] = "sagemaker.amazonaws.com" } } },
    { caller, { action = "iam:PassRole", resource = EXEC_ROLE,
                context = { ["iam:PassedToService"] = "ec2.amazonaws.com" } } },
    { caller, { action = "logs:GetLogEvents", resource = GROUP .. ":log-stream:j1/algo-1" } },
    { caller, { action = "s3:GetObject", resource = BUCKET .. "/experiments/input/train-0001.csv" } },
    { caller, { action = "sagemaker:ListTrainingJobs", resource = "*" } },
    { caller, { action = "sts:AssumeRole", principal = "arn:aws:sts::" .. ACCT .. ":assumed-role/ml-engineers/a" } },
  }
  return list
end

local function speed()
  local exec = simulate.load("examples/sagemaker/execution_role.lua")
  local caller = simulate.load("examples/sagemaker/caller_role.lua")
  local mix = request_mix(exec, caller)
  local compiled = {}
  local allowed = 0
  for i, m in ipairs(mix) do
    compiled[i] = { simulate.compiled(m[1]), m[2], m[1] }
    if lp.simulate(m[2], m[1]) == "allow" then allowed = allowed + 1 end
  end
  local n = #compiled
  local mixname = ("%d requests, %d allowed"):format(n, allowed)
  local function all_decide()
    for i = 1, n do local c = compiled[i]; c[1]:decide(c[2]) end
  end
  local function all_simulate()
    for i = 1, n do local c = compiled[i]; lp.simulate(c[2], c[3]) end
  end
  local function all_explain()
    for i = 1, n do local c = compiled[i]; lp.simulate(c[2], c[3], { explain = true }) end
  end
  local function all_strict()
    for i = 1, n do local c = compiled[i]; lp.simulate(c[2], c[3], { strict = true }) end
  end
  -- the peer decides the same requests
  local cases = {}
  for i, m in ipairs(mix) do
    local role, req = m[1], m[2]
    local groups = {}
    local is_trust = req.action:match("^sts:AssumeRole")
    if is_trust then
      groups.resource = { role.trust }
    else
      groups.identity = {}
      for _, p in ipairs(role.policies) do groups.identity[#groups.identity + 1] = p.document end
    end
    local r = { action = req.action, context = req.context,
                principal = req.principal or SESSION,
                resource = req.resource or EXEC_ROLE }
    cases[i] = to_peer(groups, r, ACCT)
  end
  local file = OUTDIR .. "/simulate_cases.json"
  write_json(file, { cases = array(cases) })
  local lines, why = peer("bench", file)
  local peer_rate
  if lines then
    for _, l in ipairs(lines) do
      local v = l:match("^PEER\t(%S+)")
      if v then peer_rate = tonumber(v) end
    end
    if not peer_rate then bench.note("iam-simulate bench failed: " .. table.concat(lines, " "):sub(1, 200)) end
  else
    bench.note("peer skipped: " .. tostring(why))
  end
  bench.report("simulate: compiled P:decide, SageMaker roles (" .. mixname .. ")",
    n / bench.time(all_decide), "req/s", ">=1000000", peer_rate, "iam-simulate")
  bench.report("simulate: lp.simulate (cached compile), same mix",
    n / bench.time(all_simulate), "req/s", ">=1000000", peer_rate, "iam-simulate")
  bench.report("simulate: lp.simulate with explain = true, same mix",
    n / bench.time(all_explain), "req/s")
  -- the checks of leastpriv.busted's assertions (strict.lua) on top
  bench.report("simulate: lp.simulate with strict = true (the assertions' checks), same mix",
    n / bench.time(all_strict), "req/s", ">=300000")

  -- the same mix with every resource distinct (a log replay, an audit): each
  -- ARN is new to the Policy's cache, so it is classified every time
  local distinct, copies = {}, 500
  for k = 1, copies do
    for i = 1, n do
      local c = compiled[i]
      local req = {}
      for f, v in pairs(c[2]) do req[f] = v end
      if req.resource and req.resource ~= "*" then req.resource = ("%s-%d"):format(req.resource, k) end
      distinct[#distinct + 1] = { c[1], req, c[3] }
    end
  end
  local nd = #distinct
  bench.report("simulate: compiled P:decide, same mix, every resource distinct",
    nd / bench.time(function()
      for i = 1, nd do local c = distinct[i]; c[1]:decide(c[2]) end
    end), "req/s", ">=500000")
  bench.report("simulate: lp.simulate (cached compile), same mix, every resource distinct",
    nd / bench.time(function()
      for i = 1, nd do local c = distinct[i]; lp.simulate(c[2], c[3]) end
    end), "req/s", ">=300000")
  local arns = {}
  for i = 1, nd do
    local r = distinct[i][2].resource
    if r and r ~= "*" then arns[#arns + 1] = r end
  end
  bench.report("arn: classifying one distinct ARN (the index P:decide uses)",
    bench.time(function()
      for i = 1, #arns do core.catalog_arn_type_ids(arns[i]) end
    end) / #arns * 1e6, "us", "<2")
  bench.report("arn: lp.arn.resource_types, one distinct ARN (Lua tables built)",
    bench.time(function()
      for i = 1, #arns do lp.arn.resource_types(arns[i]) end
    end) / #arns * 1e6, "us")
  bench.report("arn: classifying one ARN by scanning every resource type (no index)",
    bench.time(function()
      for i = 1, 200 do core.catalog_arn_type_ids(arns[i], true) end
    end) / 200 * 1e6, "us")
  bench.report("simulate: lp.compile, execution role",
    bench.time(function() lp.compile(exec) end) * 1e6, "us")
  local admin = lp.policy { lp.allow { action = "*", resource = "*" } }
  local pe, pa = simulate.compiled(exec), simulate.compiled(admin)
  bench.report("effective: one ARN (execution role, S3 object)",
    bench.time(function() pe:effective({ resource = BUCKET .. "/experiments/input/x" }) end) * 1e3, "ms", "<5")
  bench.report("effective: one ARN (Allow *:*, S3 object: every object action)",
    bench.time(function() pa:effective({ resource = BUCKET .. "/experiments/input/x" }) end) * 1e3, "ms", "<5")
  bench.report("effective: one ARN, cold (compile + resource types of the ARN)",
    bench.time(function()
      lp.compile(exec):effective({ resource = BUCKET .. "/experiments/input/x" })
    end) * 1e3, "ms", "<5")
  bench.report("effective: * (execution role, whole catalog)",
    bench.time(function() pe:effective({ resource = "*" }) end) * 1e3, "ms", "<50")
  bench.report("effective: * (Allow *:*, whole catalog)",
    bench.time(function() pa:effective({ resource = "*" }) end) * 1e3, "ms", "<50")

  -- growth with the statements: the generated policy at 1x, 10x, 100x (4,
  -- 40, 400 statements); the request names the last bucket, so every
  -- statement is looked at
  for _, scale in ipairs { 1, 10, 100 } do
    local doc = bench.policy(scale)
    local p = simulate.compiled(lp.load_json(core.policy_json(doc)))
    local req = { action = "s3:GetObject",
                  resource = ("arn:aws:s3:::ml-team-bucket-%d/experiments/x"):format(scale) }
    local size = ("%d statements"):format(4 * scale)
    bench.report("simulate: P:decide, " .. size, bench.time(function() p:decide(req) end) * 1e6, "us")
    bench.report("simulate: lp.compile, " .. size, bench.time(function() lp.compile(doc) end) * 1e6, "us")
    bench.report("effective: one ARN, " .. size,
      bench.time(function() p:effective({ resource = req.resource }) end) * 1e3, "ms")
  end
end


-- ---- the differential test ----

local A, B = "111111111111", "222222222222"
local PRINCIPALS = {
  { arn = "arn:aws:sts::" .. A .. ":assumed-role/app/s1", role = "arn:aws:iam::" .. A .. ":role/app" },
  { arn = "arn:aws:iam::" .. A .. ":user/alice", username = "alice" },
  { arn = "arn:aws:iam::" .. A .. ":user/bob", username = "bob" },
  { arn = "arn:aws:sts::" .. B .. ":assumed-role/app/s1", role = "arn:aws:iam::" .. B .. ":role/app" },
}
local REQUESTS = {
  { "s3:GetObject", "arn:aws:s3:::data/home/alice/x.csv", A },
  { "s3:GetObject", "arn:aws:s3:::data/tmp/y", A },
  { "s3:PutObject", "arn:aws:s3:::data/home/bob/z", A },
  { "s3:PutObject", "arn:aws:s3:::logs/tmp/a", B },
  { "s3:ListBucket", "arn:aws:s3:::data", A },
  { "sqs:SendMessage", "arn:aws:sqs:us-east-1:" .. A .. ":jobs", A },
  { "sqs:SendMessage", "arn:aws:sqs:us-east-1:" .. B .. ":jobs", B },
  { "sqs:DeleteQueue", "arn:aws:sqs:eu-west-1:" .. A .. ":jobs", A },
}
local ACTIONS = { "s3:GetObject", "s3:Get*", "s3:*Object", "s3:?utObject", "S3:getobject", "sqs:*",
                  "*", "s3:ListBucket", "sqs:SendMessage", "s3:List*" }
local RESOURCES = { "*", "arn:aws:s3:::data/*", "arn:aws:s3:::data", "arn:aws:s3:::data/home/${aws:username}/*",
                    "arn:aws:s3:::*/tmp/*", "arn:aws:sqs:*:" .. A .. ":*", "arn:aws:sqs:us-east-1:*:jobs",
                    "arn:aws:s3:::data/home/${aws:PrincipalTag/team, 'alice'}/*", "arn:aws:s3:::logs*" }

-- Condition templates: key, operators, policy values, request values.
local CONDS = {
  { "aws:PrincipalTag/team", { "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
      "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike" },
    { "ml", "web", "M*", "${aws:username}" }, { "ml", "ML", "web", "alice" } },
  { "aws:MultiFactorAuthAge", { "NumericEquals", "NumericNotEquals", "NumericLessThan",
      "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals" },
    { "300", "3600", "300.0" }, { "100", "300", "4000" } },
  { "aws:CurrentTime", { "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
      "DateGreaterThan", "DateGreaterThanEquals" },
    { "2024-06-01T00:00:00Z", "2024-06-01", "2024-07-01T12:00:00+02:00" },
    { "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z", "2024-07-01T10:00:00Z", "2025-01-01T00:00:00Z" } },
  { "aws:EpochTime", { "DateLessThan", "DateGreaterThanEquals", "NumericLessThan" },
    { "1717200000", "2024-06-01T00:00:00Z" }, { "1717000000", "1717200000", "1720000000" } },
  { "aws:SecureTransport", { "Bool" }, { "true", "false" }, { "true", "false" } },
  { "aws:SourceIp", { "IpAddress", "NotIpAddress" },
    { "10.0.0.0/8", "203.0.113.0/24", "2001:db8::/32", "198.51.100.7" },
    { "10.1.2.3", "203.0.113.9", "2001:db8::1", "198.51.100.7" } },
  { "aws:SourceArn", { "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike" },
    { "arn:aws:sagemaker:*:" .. A .. ":training-job/*", "arn:aws:sagemaker:us-east-1:*:*",
      "arn:aws:sagemaker:*:${aws:PrincipalAccount}:*" },
    { "arn:aws:sagemaker:us-east-1:" .. A .. ":training-job/j", "arn:aws:sagemaker:eu-west-1:" .. B .. ":processing-job/p" } },
  { "aws:PrincipalTag/blob", { "BinaryEquals" }, { "QmluYXJ5VmFsdWU=", "YWJj" }, { "QmluYXJ5VmFsdWU=", "YWJk" } },
  { "aws:PrincipalTag/team", { "Null" }, { "true", "false" }, { "ml" } },
  { "aws:TagKeys", { "ForAllValues:StringEquals", "ForAnyValue:StringEquals", "ForAllValues:StringNotLike",
      "ForAnyValue:StringLike", "ForAnyValue:StringNotEquals" },
    { "team", "env", "te*", "key1*" }, "multi" },
}
local TAG_SETS = { { "team" }, { "team", "env" }, { "team", "owner" }, { "key1x" }, {} }

local function pick(t) return t[math.random(#t)] end

local function random_condition()
  local c = pick(CONDS)
  local key, op = c[1], pick(c[2])
  if op ~= "Null" and not op:find(":") and math.random() < 0.2 then op = op .. "IfExists" end
  if op:find(":") and math.random() < 0.15 then op = op .. "IfExists" end
  local n = math.random(2)
  local values = {}
  for i = 1, n do values[i] = pick(c[3]) end
  return { [op] = { [key] = values } }
end

local function random_statement(effect, principal_kind)
  local s = { Effect = effect }
  local acts = {}
  for i = 1, math.random(2) do
    acts[i] = pick(ACTIONS)
    if principal_kind == "rcp" and acts[i] == "*" then acts[i] = "sqs:*" end
  end
  if math.random() < 0.12 and principal_kind ~= "rcp" then s.NotAction = acts else s.Action = acts end
  local res = {}
  for i = 1, math.random(2) do res[i] = pick(RESOURCES) end
  if math.random() < 0.1 then s.NotResource = res else s.Resource = res end
  if math.random() < 0.5 then s.Condition = random_condition() end
  if principal_kind == "resource" then
    local r = math.random(6)
    if r == 1 then s.Principal = "*"
    elseif r == 2 then s.Principal = { AWS = A }
    elseif r == 3 then s.Principal = { AWS = "arn:aws:iam::" .. A .. ":role/app" }
    elseif r == 4 then s.Principal = { AWS = "arn:aws:sts::" .. A .. ":assumed-role/app/s1" }
    elseif r == 5 then s.Principal = { AWS = { "arn:aws:iam::" .. A .. ":user/alice", B } }
    else s.Principal = { AWS = "arn:aws:iam::" .. B .. ":root" } end
  elseif principal_kind == "rcp" then
    s.Principal = "*"
  end
  return s
end

local function random_doc(kind, allow_share)
  local st = {}
  for i = 1, math.random(3) do
    local effect = math.random() < allow_share and "Allow" or "Deny"
    st[i] = random_statement(effect, kind)
  end
  local old = kind ~= "rcp" and math.random() < 0.1
  return { Version = old and "2008-10-17" or "2012-10-17", Statement = st }
end

local ALLOW_ALL = { Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "*", Resource = "*" } } }
local RCP_FULL = { Version = "2012-10-17",
                   Statement = { { Effect = "Allow", Principal = "*", Action = "*", Resource = "*" } } }

local function random_case()
  local g = { identity = { random_doc("identity", 0.8) } }
  if math.random() < 0.3 then g.identity[2] = random_doc("identity", 0.7) end
  if math.random() < 0.35 then g.resource = { random_doc("resource", 0.75) } end
  if math.random() < 0.2 then g.boundary = { random_doc("identity", 0.9) } end
  local p = pick(PRINCIPALS)
  -- session policies belong to role sessions (the peer refuses others)
  if p.arn:find(":assumed-role/", 1, true) and math.random() < 0.2 then
    g.session = { random_doc("identity", 0.9) }
  end
  if math.random() < 0.2 then
    g.scp = { { ALLOW_ALL }, { math.random() < 0.5 and ALLOW_ALL or random_doc("identity", 0.8) } }
  end
  if math.random() < 0.15 then
    local deny = random_doc("rcp", 0)
    g.rcp = { { RCP_FULL, deny } }
  end
  local r = pick(REQUESTS)
  local ctx = {}
  -- the keys AWS derives from the principal (the peer does not derive them)
  if p.username then ctx["aws:username"] = p.username end
  ctx["aws:PrincipalAccount"] = p.arn:match("^arn:aws:%w+::(%d+):")
  ctx["aws:PrincipalArn"] = p.role or p.arn
  if math.random() < 0.6 then ctx["aws:PrincipalTag/team"] = pick(CONDS[1][4]) end
  if math.random() < 0.4 then ctx["aws:MultiFactorAuthAge"] = pick(CONDS[2][4]) end
  if math.random() < 0.5 then ctx["aws:CurrentTime"] = pick(CONDS[3][4]) end
  if math.random() < 0.4 then ctx["aws:EpochTime"] = pick(CONDS[4][4]) end
  if math.random() < 0.5 then ctx["aws:SecureTransport"] = pick(CONDS[5][4]) end
  if math.random() < 0.5 then ctx["aws:SourceIp"] = pick(CONDS[6][4]) end
  if math.random() < 0.4 then ctx["aws:SourceArn"] = pick(CONDS[7][4]) end
  if math.random() < 0.3 then ctx["aws:PrincipalTag/blob"] = pick(CONDS[8][4]) end
  if math.random() < 0.5 then
    local tags = pick(TAG_SETS)
    local copy = {}
    for i, t in ipairs(tags) do copy[i] = t end
    ctx["aws:TagKeys"] = copy
  end
  local req = { action = r[1], resource = r[2], resource_account = r[3], principal = p.arn, context = ctx }
  return g, req
end

local function show(v)
  if type(v) == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = (type(k) == "number" and "" or (tostring(k) .. "=")) .. show(v[k])
    end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  return tostring(v)
end

-- Deep copy.
local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = copy(x) end
  return setmetatable(out, getmetatable(v))
end

-- Walk every statement of every document of policy groups g.
local function each_statement(g, fn)
  for _, kind in ipairs { "identity", "resource", "boundary", "session" } do
    for _, d in ipairs(g[kind] or {}) do
      for _, st in ipairs(d.Statement) do fn(st, d) end
    end
  end
  for _, kind in ipairs { "scp", "rcp" } do
    for _, level in ipairs(g[kind] or {}) do
      for _, d in ipairs(level) do
        for _, st in ipairs(d.Statement) do fn(st, d) end
      end
    end
  end
end

local function epoch_to_ms_scale(v)
  if type(v) == "string" and v:match("^%d+$") then return ("%.3f"):format(tonumber(v) / 1000) end
  return v
end

-- Each known deviation of the peer from AWS's documentation, as a change
-- to a case that makes leastpriv behave as the peer does
-- (docs/simulation.md, "Differences from iam-simulate").
local DEVIATIONS = {
  { name = "the peer substitutes policy variables under Version 2008-10-17",
    apply = function(g)
      each_statement(g, function(_, d) if d.Version == "2008-10-17" then d.Version = "2012-10-17" end end)
    end },
  { name = "the peer compares epoch seconds with ISO 8601 dates in milliseconds",
    apply = function(g, req)
      each_statement(g, function(st)
        for op, keys in pairs(st.Condition or {}) do
          if op:find("Date") then
            for k, vals in pairs(keys) do
              for i, v in ipairs(vals) do vals[i] = epoch_to_ms_scale(v) end
              keys[k] = vals
            end
          end
        end
      end)
      for k, v in pairs(req.context or {}) do req.context[k] = epoch_to_ms_scale(v) end
    end },
  { name = "the peer drops a NotResource statement whose variable has no value",
    apply = function(g, req)
      local function unresolved(list)
        for _, r in ipairs(list) do
          for key in r:gmatch("%${([^},]+)}") do
            local found = false
            for k in pairs(req.context or {}) do if k:lower() == key:lower() then found = true end end
            if not found then return true end
          end
        end
      end
      each_statement(g, function(st)
        if st.NotResource and unresolved(st.NotResource) then
          st.NotResource = nil
          st.Resource = { "arn:aws:none:::never-matches" }
        end
      end)
    end },
  { name = "the peer fails a negated operator whose policy value has an unresolved variable",
    apply = function(g, req)
      local function has(key)
        for k in pairs(req.context or {}) do if k:lower() == key:lower() then return true end end
      end
      each_statement(g, function(st)
        local c = st.Condition
        if not c then return end
        local never = false
        for op, keys in pairs(c) do
          if op:match("Not") and not op:match("^Null") then
            for _, vals in pairs(keys) do
              for _, v in ipairs(vals) do
                for key in v:gmatch("%${([^},]+)}") do if not has(key) then never = true end end
              end
            end
          end
        end
        if never then c.StringEquals = { ["leastpriv:never"] = { "x" } } end
      end)
    end },
  { name = "the peer's NotIpAddress never matches an address of the other IP family",
    apply = function(g, req)
      local ip = req.context and req.context["aws:SourceIp"]
      if not ip then return end
      each_statement(g, function(st)
        local c = st.Condition
        local keys = c and (c.NotIpAddress or c.NotIpAddressIfExists)
        if not keys or not keys["aws:SourceIp"] then return end
        for _, v in ipairs(keys["aws:SourceIp"]) do
          if (v:find(":") ~= nil) ~= (ip:find(":") ~= nil) then
            c.StringEquals = { ["leastpriv:never"] = { "x" } }
          end
        end
      end)
    end },
  { name = "the peer caps a resource policy naming the session itself by boundary and session policy",
    apply = function(g, req)
      local acct, role = req.principal:match("^arn:aws:sts::(%d+):assumed%-role/([^/]+)/")
      if not acct then return end
      local role_arn = ("arn:aws:iam::%s:role/%s"):format(acct, role)
      for _, d in ipairs(g.resource or {}) do
        for _, st in ipairs(d.Statement) do
          local pr = st.Principal
          local names = pr == "*"
          if type(pr) == "table" then
            local aws = type(pr.AWS) == "table" and pr.AWS or { pr.AWS }
            for _, a in ipairs(aws) do if a == req.principal or a == "*" then names = true end end
          end
          if names and st.Effect == "Allow" then st.Principal = { AWS = role_arn } end
        end
      end
    end },
  { name = "the peer fails ForAnyValue:...IfExists when the key is absent",
    apply = function(g)
      each_statement(g, function(st)
        local c = st.Condition
        if c then
          local ops = {}
          for op in pairs(c) do if op:match("^ForAnyValue:.*IfExists$") then ops[#ops + 1] = op end end
          for _, op in ipairs(ops) do c[(op:gsub("IfExists$", ""))], c[op] = c[op], nil end
        end
      end)
    end },
}

-- Which deviation explains a disagreement (its name), or nil.
local function explain_disagreement(g, req, theirs)
  local function try(list)
    local g2, r2 = copy(g), copy(req)
    for _, dev in ipairs(list) do dev.apply(g2, r2) end
    local p = lp.compile(g2)
    return p and p:decide(r2) == theirs
  end
  for _, dev in ipairs(DEVIATIONS) do
    if try { dev } then return dev.name end
  end
  if try(DEVIATIONS) then return "several of the peer's deviations together" end
end

local function differential()
  local n = bench.QUICK and 500 or 10000
  math.randomseed(5)
  local cases, ours, peer_cases = {}, {}, {}
  for i = 1, n do
    local g, req = random_case()
    cases[i] = { g, req }
    peer_cases[i] = to_peer(g, req, req.resource_account)
    local p = assert(lp.compile(g))
    ours[i] = p:decide(req)
  end
  local file = OUTDIR .. "/simulate_diff.json"
  write_json(file, { cases = array(peer_cases) })
  local lines, why = peer("decide", file)
  if not lines then
    print("differential skipped: " .. tostring(why))
    return
  end
  if #lines ~= n then
    print(("differential failed: the peer returned %d lines for %d cases"):format(#lines, n))
    for i = 1, math.min(5, #lines) do print(lines[i]) end
    os.exit(1)
  end
  local agree, errors, disagree = 0, 0, {}
  for i = 1, n do
    local theirs = PEER_DECISION[lines[i]]
    if not theirs then
      errors = errors + 1
      print(("case %d: the peer reports %s"):format(i, lines[i]:sub(1, 200)))
    elseif theirs == ours[i] then
      agree = agree + 1
    else
      disagree[#disagree + 1] = { i = i, ours = ours[i], theirs = theirs }
    end
  end
  local kinds, order, unexplained = {}, {}, 0
  for _, d in ipairs(disagree) do
    local g, req = cases[d.i][1], cases[d.i][2]
    local _, e = lp.simulate(req, lp.compile(g), { explain = true })
    local kind = explain_disagreement(g, req, d.theirs)
    print(("case %d: leastpriv %s, iam-simulate %s: %s"):format(d.i, d.ours, d.theirs,
      kind or "UNEXPLAINED"))
    print("  request: " .. show(req))
    print("  policies: " .. core.json_encode(g, { compact = true }))
    print("  " .. e.text:gsub("\n", "\n  "))
    kind = kind or "unexplained"
    if not kinds[kind] then kinds[kind] = 0; order[#order + 1] = kind end
    kinds[kind] = kinds[kind] + 1
    if kind == "unexplained" then unexplained = unexplained + 1 end
  end
  print(("differential: %d cases, %d agree, %d disagree, %d peer errors"):format(n, agree, #disagree, errors))
  for _, k in ipairs(order) do print(("  %5d  %s"):format(kinds[k], k)) end
  if unexplained > 0 or errors > 0 then os.exit(1) end
end

if DIFF then differential() else speed() end
