-- bench/json.lua: JSON read and write throughput of leastpriv.core on a
-- generated policy document at 1x, 10x and 100x statements (1x = 4
-- statements, the size of the seed's execution policy plus a conditioned
-- statement).  Prints the median of several timed runs per case.
--
--   lua5.4 bench/json.lua [RUNS]        (run from the repository root after make build)
local BUILD = os.getenv("BUILD") or "build"
package.cpath = BUILD .. "/?.so;" .. package.cpath
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path

local core = require "leastpriv.core"
local has_cjson, cjson = pcall(require, "cjson")

local RUNS = tonumber(arg and arg[1]) or 7
local MIN_TIME = 0.05          -- seconds of work per timed run

-- A canonical policy document with 4 * scale statements.
local function make_policy(scale)
  local st = {}
  for i = 1, scale do
    local b = "ml-team-bucket-" .. i
    st[#st + 1] = { Sid = "S3Data" .. i, Effect = "Allow",
                    Action = { "s3:GetObject", "s3:PutObject", "s3:ListBucket" },
                    Resource = { "arn:aws:s3:::" .. b, "arn:aws:s3:::" .. b .. "/experiments/*" } }
    st[#st + 1] = { Sid = "ECRPull" .. i, Effect = "Allow",
                    Action = { "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                               "ecr:BatchCheckLayerAvailability" },
                    Resource = { "arn:aws:ecr:eu-west-1:111122223333:repository/train-" .. i } }
    st[#st + 1] = { Sid = "Logs" .. i, Effect = "Allow",
                    Action = { "logs:CreateLogStream", "logs:PutLogEvents" },
                    Resource = { "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/TrainingJobs:*" } }
    st[#st + 1] = { Sid = "Metrics" .. i, Effect = "Allow",
                    Action = { "cloudwatch:PutMetricData" }, Resource = { "*" },
                    Condition = { StringEquals = { ["cloudwatch:namespace"] = { "/aws/sagemaker/TrainingJobs" } },
                                  Bool = { ["aws:SecureTransport"] = { "true" } } } }
  end
  return { Version = "2012-10-17", Statement = st }
end

-- Median seconds per call of f over RUNS runs.
local function median_time(f)
  local n = 1
  repeat                       -- calibrate: calls per run
    local t0 = os.clock()
    for _ = 1, n do f() end
    local dt = os.clock() - t0
    if dt >= MIN_TIME then break end
    n = n * 2
  until false
  local times = {}
  for r = 1, RUNS do
    collectgarbage()
    local t0 = os.clock()
    for _ = 1, n do f() end
    times[r] = (os.clock() - t0) / n
  end
  table.sort(times)
  return times[(RUNS + 1) // 2]
end

local function row(case, scale, bytes, secs)
  print(("%-28s %5s %9d %11.1f %12.0f %10.1f"):format(
    case, scale .. "x", bytes, secs * 1e6, 1 / secs, bytes / secs / 2 ^ 20))
end

print(("leastpriv.core %s, %s, median of %d runs (os.clock)"):format(core._VERSION, _VERSION, RUNS))
print(("%-28s %5s %9s %11s %12s %10s"):format("case", "size", "bytes", "us/doc", "docs/s", "MiB/s"))
for _, scale in ipairs { 1, 10, 100 } do
  local doc = make_policy(scale)
  local pretty = core.policy_json(doc)
  local compact = core.policy_json(doc, { compact = true })
  local generic = assert(core.json_decode(pretty))
  local cases = {
    { "json_decode pretty", #pretty, function() core.json_decode(pretty) end },
    { "json_decode compact", #compact, function() core.json_decode(compact) end },
    { "json_decode positions", #pretty, function() core.json_decode(pretty, { positions = true }) end },
    { "json_encode pretty", #pretty, function() core.json_encode(generic) end },
    { "json_encode compact", #compact, function() core.json_encode(generic, { compact = true }) end },
    { "policy_json pretty", #pretty, function() core.policy_json(doc) end },
    { "policy_json compact", #compact, function() core.policy_json(doc, { compact = true }) end },
  }
  if has_cjson then   -- for scale only: lua-cjson neither sorts keys nor checks duplicates
    local plain = cjson.decode(compact)
    cases[#cases + 1] = { "(lua-cjson decode compact)", #compact, function() cjson.decode(compact) end }
    cases[#cases + 1] = { "(lua-cjson encode compact)", #compact, function() cjson.encode(plain) end }
  end
  for _, c in ipairs(cases) do row(c[1], scale, c[2], median_time(c[3])) end
end
