-- bench/hcl.lua: HCL write throughput of leastpriv.core (and the Lua
-- assembly above it) on a generated policy at 1x, 10x and 100x statements
-- (1x = 4 statements: the seed's execution policy plus a conditioned one).
-- Prints the median of several timed runs per case.
--
--   lua5.4 bench/hcl.lua [RUNS]        (from the repository root after make build;
--                                       BUILD=dir to use another build)
local BUILD = os.getenv("BUILD") or "build"
package.cpath = BUILD .. "/?.so;" .. package.cpath
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path

local core = require "leastpriv.core"
local hcl = require "leastpriv.hcl"
local terraform = require "leastpriv.terraform"

local RUNS = tonumber(arg and arg[1]) or 7
local MIN_TIME = 0.05          -- seconds of work per timed run

-- A canonical policy document with 4 * scale statements; ${aws:username}
-- and (unless plain, for the JSON writer) a placeholder make the escaper
-- work too.
local function make_policy(scale, plain)
  local account = plain and "111122223333" or "\1var.account_id\2"
  local st = {}
  for i = 1, scale do
    local b = "ml-team-bucket-" .. i
    st[#st + 1] = { Sid = "S3Data" .. i, Effect = "Allow",
                    Action = { "s3:GetObject", "s3:PutObject", "s3:ListBucket" },
                    Resource = { "arn:aws:s3:::" .. b,
                                 "arn:aws:s3:::" .. b .. "/home/${aws:username}/*" } }
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

local function make_role(doc)
  return { kind = "role", name = "trainer", managed_policy_arns = {}, tags = { team = "ml" },
           trust = { Version = "2012-10-17", Statement = { { Effect = "Allow",
             Principal = { Service = { "sagemaker.amazonaws.com" } }, Action = { "sts:AssumeRole" } } } },
           policies = { { name = "data", document = doc } } }
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
  return times[math.floor((RUNS + 1) / 2)]
end

local function row(case, scale, bytes, secs)
  print(("%-28s %5s %9d %11.1f %12.0f %10.1f"):format(
    case, scale .. "x", bytes, secs * 1e6, 1 / secs, bytes / secs / 2 ^ 20))
end

local vars = { { name = "account_id", type = "string" } }

print(("leastpriv.core %s, %s, median of %d runs (os.clock)"):format(core._VERSION, _VERSION, RUNS))
print(("%-28s %5s %9s %11s %12s %10s"):format("case", "size", "bytes", "us/doc", "docs/s", "MiB/s"))
for _, scale in ipairs { 1, 10, 100 } do
  local doc = make_policy(scale)
  local role = make_role(doc)
  local enc = core.hcl_policy(doc, { indent = 2 })
  local docstyle = core.hcl_policy(doc, { style = "document", name = "data" })
  local body = { { block = "locals", body = { { attr = "p", value = core.hcl_jsonencode(doc) } } } }
  local rendered = hcl.render(role)
  local module_bytes = 0
  for _, text in pairs(terraform.module(role, { variables = vars })) do
    module_bytes = module_bytes + #text
  end
  local cases = {
    { "hcl_policy jsonencode", #enc, function() core.hcl_policy(doc, { indent = 2 }) end },
    { "hcl_policy document", #docstyle,
      function() core.hcl_policy(doc, { style = "document", name = "data" }) end },
    { "hcl_body jsonencode value", #core.hcl_body(body), function() core.hcl_body(body) end },
    { "hcl.render role", #rendered, function() hcl.render(role) end },
    { "terraform.module role", module_bytes,
      function() terraform.module(role, { variables = vars }) end },
  }
  if core.policy_json then      -- the JSON writer, for comparison
    local plain = make_policy(scale, true)
    local json = core.policy_json(plain)
    cases[#cases + 1] = { "(policy_json pretty)", #json, function() core.policy_json(plain) end }
  end
  for _, c in ipairs(cases) do row(c[1], scale, c[2], median_time(c[3])) end
end
