-- bench/lib.lua: what the benchmark scripts share.
--
--   local bench = require "lib"        (bench/run puts bench/ on package.path)
--   bench.time(fn)                     median seconds per call of fn
--   bench.report(name, value, unit, target, peer)
--
-- A benchmark script is any bench/*.lua but this one.  bench/run runs each
-- from the repository root (after `make build`), with --quick when asked,
-- and collects the lines it prints that start with "BENCH\t" into one
-- table; the rest of its output goes to build/bench/NAME.log.  A BENCH
-- line is tab-separated:
--   BENCH  name  value  unit  target  peer  peer_name
-- value is a number in unit; target is "<N", "<=N", ">N", ">=N" (N in the
-- same unit) or "-"; peer is the same figure measured on a peer in the same
-- run, or "-", and peer_name names the peer (optional).  Units ending in
-- "/s" are better higher, the others (ms, us, ns, MB) better lower:
-- bench/run computes the ratio so that above 1 means leastpriv is ahead.
--
-- Every figure is the median of several timed runs (CPU time, os.clock)
-- after a warm-up call; inputs are generated deterministically and
-- math.random is seeded with a fixed value.
local M = {}

M.QUICK = false
for _, a in ipairs(arg or {}) do
  if a == "--quick" then M.QUICK = true end
end
M.RUNS = M.QUICK and 3 or 7        -- timed runs per figure
M.MIN_TIME = M.QUICK and 0.02 or 0.05  -- seconds of work per timed run

local BUILD = os.getenv("BUILD") or "build"
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = BUILD .. "/?.so;" .. package.cpath
math.randomseed(20121017)

function M.median(list)
  local s = {}
  for i, v in ipairs(list) do s[i] = v end
  table.sort(s)
  local n = #s
  if n % 2 == 1 then return s[(n + 1) // 2] end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end

-- Median seconds per call of fn over `runs` runs of `iters` calls each.
function M.per_call(fn, iters, runs)
  fn()
  local samples = {}
  for r = 1, runs or M.RUNS do
    collectgarbage()
    local t0 = os.clock()
    for _ = 1, iters do fn() end
    samples[r] = (os.clock() - t0) / iters
  end
  return M.median(samples)
end

-- Calls per run such that one run of fn takes at least MIN_TIME.
function M.calibrate(fn)
  local n = 1
  fn()
  while true do
    local t0 = os.clock()
    for _ = 1, n do fn() end
    if os.clock() - t0 >= M.MIN_TIME then return n end
    n = n * 2
  end
end

-- Median seconds per call of fn, the number of calls calibrated.
function M.time(fn)
  return M.per_call(fn, M.calibrate(fn))
end

local function field(v)
  if v == nil then return "-" end
  if type(v) == "number" then return ("%.6g"):format(v) end
  return tostring(v)
end

-- Print one figure for bench/run's table.
function M.report(name, value, unit, target, peer, peer_name)
  assert(not tostring(name):find("[\t\n]"), "a figure's name holds no tab or newline")
  io.write(table.concat({ "BENCH", name, field(value), unit, field(target), field(peer),
                          field(peer and peer_name) }, "\t"), "\n")
  io.flush()
end

-- Print a note for bench/run to show under the table (a skipped peer, ...).
function M.note(msg)
  io.write("NOTE\t", (tostring(msg):gsub("[\t\n]", " ")), "\n")
  io.flush()
end

-- A canonical policy document with 4 * scale statements, the shape of the
-- seed's execution policy plus a conditioned statement (1x = 4 statements).
-- With templated, the account is the template placeholder of lp.var
-- ("\1var.account_id\2") and a resource holds ${aws:username}, so the HCL
-- escaper works too.
function M.policy(scale, templated)
  local account = templated and "\1var.account_id\2" or "111122223333"
  local st = {}
  for i = 1, scale do
    local b = "ml-team-bucket-" .. i
    st[#st + 1] = { Sid = "S3Data" .. i, Effect = "Allow",
                    Action = { "s3:GetObject", "s3:PutObject", "s3:ListBucket" },
                    Resource = { "arn:aws:s3:::" .. b, templated
                                 and "arn:aws:s3:::" .. b .. "/home/${aws:username}/*"
                                 or "arn:aws:s3:::" .. b .. "/experiments/*" } }
    st[#st + 1] = { Sid = "ECRPull" .. i, Effect = "Allow",
                    Action = { "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                               "ecr:BatchCheckLayerAvailability" },
                    Resource = { "arn:aws:ecr:eu-west-1:" .. account .. ":repository/train-" .. i } }
    st[#st + 1] = { Sid = "Logs" .. i, Effect = "Allow",
                    Action = { "logs:CreateLogStream", "logs:PutLogEvents" },
                    Resource = { "arn:aws:logs:eu-west-1:111122223333:log-group:"
                                 .. "/aws/sagemaker/TrainingJobs:*" } }
    st[#st + 1] = { Sid = "Metrics" .. i, Effect = "Allow",
                    Action = { "cloudwatch:PutMetricData" }, Resource = { "*" },
                    Condition = {
                      StringEquals = { ["cloudwatch:namespace"] = { "/aws/sagemaker/TrainingJobs" } },
                      Bool = { ["aws:SecureTransport"] = { "true" } } } }
  end
  return { Version = "2012-10-17", Statement = st }
end

return M
