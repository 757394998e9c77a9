-- bench/check.lua: `leastpriv check` speed (issue 4).
--   check: 10,000 policies, every check   lp.validate on JSON text, one
--       policy per call (decode, every check, positions of the findings),
--       over the deterministic corpus of bench/corpus.lua (good and bad
--       policies of every type); median of several runs.
--   check: C validator alone               core.validate_policy on decoded
--       documents, for reference.
--   check: account dump, 1,000 roles       `leastpriv check DUMP --format json`
--       in-process, end to end: read, decode, every document in its
--       context, roles as a whole, positions, the report.
--   check: SARIF report                   check/sarif.lua on that dump's findings.
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"    -- also sets package.path and package.cpath (BUILD)
local corpus = require "corpus"
local lp = require "leastpriv"
local core = lp.core

local N = bench.QUICK and 2000 or 10000
local ROLES = 1000

local list = corpus.policies(N)
local texts, types, docs = {}, {}, {}
for i, p in ipairs(list) do
  texts[i], types[i] = p.text, p.type
  docs[i] = core.json_decode(p.text)
end

local opts = {}
for i = 1, N do opts[i] = { type = types[i] } end

local findings = 0
for i = 1, N do findings = findings + #lp.validate(texts[i], opts[i]) end  -- warm-up
print(("corpus: %d policies, %d findings"):format(N, findings))

local function run_all()
  for i = 1, N do lp.validate(texts[i], opts[i]) end
end
local per_run = bench.per_call(run_all, 1, bench.RUNS)
bench.report(("check: %s policies, every check"):format(N == 10000 and "10,000" or tostring(N)),
  N / per_run, "policies/s", ">=50000")

local copts = {}
for i = 1, N do copts[i] = { type = types[i] } end
local core_run = bench.per_call(function()
  for i = 1, N do core.validate_policy(docs[i], copts[i]) end
end, 1, bench.RUNS)
bench.report("check: C validator alone (decoded documents)", N / core_run, "policies/s", "-")

-- the account dump, through the CLI
local dump = corpus.account(ROLES)
local path = os.tmpname()
local f = assert(io.open(path, "wb"))
f:write(dump)
f:close()
local cli = require "leastpriv.cli"
local function sink()
  local n = 0
  return { write = function(self, ...)
    for i = 1, select("#", ...) do n = n + #tostring(select(i, ...)) end
    return self
  end, size = function() return n end }
end
local out = sink()
local code = cli.main({ "check", path, "--format", "json", "--no-config" }, { stdout = out, stderr = sink() })
print(("account dump: %d roles, %d bytes, exit %d, report %d bytes"):format(ROLES, #dump, code, out.size()))
local dump_time = bench.per_call(function()
  cli.main({ "check", path, "--format", "json", "--no-config" }, { stdout = sink(), stderr = sink() })
end, 1, bench.QUICK and 3 or 5)
-- the same dump's findings as SARIF (rules, URIs, fingerprints)
local dump_findings = lp.validate(dump, { file = path })
local sarif = require "leastpriv.check.sarif"
local sarif_time = bench.per_call(function() sarif.sarif(dump_findings, { root = "/", cwd = "/" }) end, 1,
  bench.QUICK and 3 or 5)
os.remove(path)
bench.report(("check: account dump, %s roles, end to end"):format(ROLES == 1000 and "1,000" or ROLES),
  dump_time, "s", "<1")
bench.report(("check: SARIF report of %d findings"):format(#dump_findings), sarif_time * 1e3, "ms")

-- one huge policy: 20,000 statements (about 1.6 MB), to show the checks
-- scale linearly (positions, Sids, redundancy, Deny lookups)
local statements = {}
for i = 1, 20000 do
  statements[i] = ('{"Sid": "S%d", "Effect": "%s", "Action": ["s3:GetObject", "iam:*"], "Resource": "*"}')
    :format(i % 2 == 0 and i or 1, i % 3 == 0 and "Deny" or "Allow")
end
local huge = '{"Version": "2012-10-17", "Statement": [' .. table.concat(statements, ", ") .. "]}"
local huge_time = bench.per_call(function() lp.validate(huge) end, 1, bench.QUICK and 3 or 5)
bench.report("check: one policy of 20,000 statements", huge_time, "s", "<1")

-- growth with the statements: the generated policy at 1x, 10x, 100x (4,
-- 40, 400 statements), as JSON text, every check on
for _, scale in ipairs { 1, 10, 100 } do
  local text = core.policy_json(bench.policy(scale))
  bench.report(("check: one policy of %d statements"):format(4 * scale),
    bench.time(function() lp.validate(text) end) * 1e6, "us")
end
