-- bench/diff.lua: `leastpriv diff` and `minimize` at scale (issues 16, 12).
--   diff: one policy of N statements      analysis.diff of a policy and the
--       same policy with one statement widened (so one new grant, with its
--       request found and checked by the engine), at 160, 1,600 and 16,000
--       statements (1x/10x/100x): cost should grow about as n log n.
--   minimize: one policy of N statements  analysis.minimize (merge,
--       compact, and the engine's check that nothing changed).
--   diff: a 10 MB policy                  the same shape, 10 MB of JSON.
--   diff: two account dumps, 1,000 roles  `leastpriv diff A B` in-process on
--       a dump of 1,000 roles (trust, two inline policies each) and the
--       same dump with one role widened, end to end.
--   diff: Allow * on * vs one action     every grant new, each with its
--       request found and checked by the engine.
--   diff / minimize: 200 KB of "*"       one statement whose Action is
--       50,000 "*" (expansion must not repeat).
-- Large figures are timed in fewer runs (each takes seconds).
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local core = require "leastpriv.core"
local analysis = require "leastpriv.analysis"

-- A policy of n statements: object read/write on a bucket's prefixes,
-- conditioned bucket listing, table access, and a Deny every fourth.
local function policy(n, widened)
  local st = {}
  for i = 1, n do
    local b = "arn:aws:s3:::ml-bucket-" .. i
    local k = i % 4
    if k == 0 then
      st[#st + 1] = { Effect = "Allow", Action = { "s3:ListBucket" }, Resource = { b },
        Condition = { StringLike = { ["s3:prefix"] = { "team-" .. (i % 7) .. "/*" } } } }
    elseif k == 1 then
      st[#st + 1] = { Effect = "Allow", Action = { "s3:GetObject", "s3:PutObject" },
                      Resource = { b .. "/in/*", b .. "/out/*" } }
    elseif k == 2 then
      st[#st + 1] = { Effect = "Allow", Action = { "dynamodb:GetItem", "dynamodb:Query" },
                      Resource = { "arn:aws:dynamodb:us-east-1:111122223333:table/t" .. i } }
    else
      st[#st + 1] = { Effect = "Deny", Action = { "s3:DeleteObject" }, Resource = { b .. "/*" } }
    end
  end
  if widened then st[1].Action = { "s3:GetObject", "s3:PutObject", "s3:DeleteObjectVersion" } end
  return core.policy_normalize({ Version = "2012-10-17", Statement = st })
end

-- An account dump (aws iam get-account-authorization-details) of n roles.
local function account(n, widened)
  local roles = setmetatable({}, core.array_mt)
  for i = 1, n do
    local b = "arn:aws:s3:::data-" .. i
    local read = { "s3:GetObject" }
    if widened and i == n then read[2] = "s3:PutObject" end
    roles[i] = {
      RoleName = "role-" .. i, Path = "/", RoleId = ("AROA%016d"):format(i),
      Arn = "arn:aws:iam::111122223333:role/role-" .. i,
      AssumeRolePolicyDocument = { Version = "2012-10-17", Statement = { {
        Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" } } },
      RolePolicyList = {
        { PolicyName = "data", PolicyDocument = { Version = "2012-10-17", Statement = {
          { Effect = "Allow", Action = read, Resource = b .. "/in/*" },
          { Effect = "Allow", Action = "s3:ListBucket", Resource = b,
            Condition = { StringLike = { ["s3:prefix"] = "in/*" } } } } } },
        { PolicyName = "logs", PolicyDocument = { Version = "2012-10-17", Statement = {
          { Effect = "Allow", Action = { "logs:CreateLogStream", "logs:PutLogEvents" },
            Resource = "arn:aws:logs:us-east-1:111122223333:log-group:/role-" .. i .. ":*" } } } },
      },
      AttachedManagedPolicies = setmetatable({}, core.array_mt),
    }
  end
  return { RoleDetailList = roles, UserDetailList = setmetatable({}, core.array_mt),
           GroupDetailList = setmetatable({}, core.array_mt), Policies = setmetatable({}, core.array_mt) }
end

local function once(fn, runs)
  return bench.per_call(fn, 1, runs)
end

local SCALES = bench.QUICK and { 160, 1600 } or { 160, 1600, 16000 }
for _, n in ipairs(SCALES) do
  local old, new = policy(n), policy(n, true)
  local runs = n >= 16000 and 1 or (n >= 1600 and 3 or bench.RUNS)
  local r = analysis.diff({ old }, { new })
  assert(r.new_access and #r.entries[1].added == 2, "the widened statement must show")
  local name = ("diff: one policy of %s statements"):format(n == 16000 and "16,000" or n == 1600 and "1,600" or n)
  bench.report(name, once(function() analysis.diff({ old }, { new }) end, runs), "s",
               n == 16000 and "<5" or "-")
  if n >= 1600 then
    local mname = ("minimize: one policy of %s statements"):format(n == 16000 and "16,000" or "1,600")
    bench.report(mname, once(function() analysis.minimize(old) end, runs), "s", n == 16000 and "<10" or "-")
  end
end

if not bench.QUICK then
  -- about 10 MB of JSON
  local n, big = 20000
  repeat
    big = policy(n)
    local size = #core.json_encode(big, { compact = true })
    if size < 10e6 then n = math.floor(n * 10e6 / size) + 1 end
  until size >= 10e6
  local widened = policy(n, true)
  print(("10 MB policy: %d statements"):format(n))
  bench.report("diff: a 10 MB policy", once(function() analysis.diff({ big }, { widened }) end, 1), "s", "<30")
end

-- two account dumps of 1,000 roles, through the CLI
local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p '" .. dir .. "'")
local dump, dump2 = dir .. "/dump.json", dir .. "/dump2.json"
local f = assert(io.open(dump, "w"))
f:write(core.json_encode(account(1000)))
f:close()
f = assert(io.open(dump2, "w"))
f:write(core.json_encode(account(1000, true)))
f:close()
local cli = require "leastpriv.cli"
local sink = { write = function(self) return self end }
local code = cli.main({ "diff", dump, dump2 }, { stdout = sink, stderr = sink })
assert(code == 1, "the widened role must show (exit " .. tostring(code) .. ")")
bench.report("diff: two account dumps, 1,000 roles, end to end",
  once(function() cli.main({ "diff", dump, dump2 }, { stdout = sink, stderr = sink }) end, 3), "s", "<2")
os.remove(dump)
os.remove(dump2)
os.remove(dir)

-- every action new: a request found and checked for each of 22,090 grants
local one = core.policy_normalize({ Version = "2012-10-17",
  Statement = { { Effect = "Allow", Action = { "s3:ListAllMyBuckets" }, Resource = { "*" } } } })
local all = core.policy_normalize({ Version = "2012-10-17",
  Statement = { { Effect = "Allow", Action = { "*" }, Resource = { "*" } } } })
bench.report("diff: Allow * on * vs one action (22,090 new grants, each with its request)",
  once(function() analysis.diff({ one }, { all }) end, 3), "s", "<5")

-- 200 KB of "*"
local stars = {}
for i = 1, 50000 do stars[i] = "*" end
local star_doc = core.policy_normalize({ Version = "2012-10-17",
  Statement = { { Effect = "Allow", Action = stars, Resource = { "*" } } } })
bench.report('diff: 200 KB of "*" actions', once(function() analysis.diff({ star_doc }, { star_doc }) end, 3), "s", "<5")
bench.report('minimize: 200 KB of "*" actions', once(function() analysis.minimize(star_doc) end, 3), "s", "<5")
