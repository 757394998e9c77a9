-- bench/bounded.lua: what hostile inputs cost `leastpriv check` (issue 12),
-- each run as its own process (`bin/leastpriv check FILE --format json`),
-- CPU time (user + system) and peak memory (resident set) from
-- /usr/bin/time; inputs are generated here, into a temporary directory.
--   check: 8 MB of "*" actions        one statement of 2 million "*"
--       (repeated findings fold: a handful of findings)
--   check: 5,000 roles passing one another   an account where every role
--       may pass the next one (PassRole index)
--   check: account dump, 100,000 roles, streamed   the generated account of
--       bench/corpus.lua (195 MB: over the 16 MiB document limit, read one
--       element at a time)
--   read: a symlink to /dev/zero      refused before a byte is read
-- --quick: a quarter of each (and 10,000 roles).
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local corpus = require "corpus"

local QUICK = bench.QUICK
local LUA = os.getenv("LUA") or "lua5.4"
local TIME = "/usr/bin/time"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function have_time()
  local f = io.open(TIME, "rb")
  if f then f:close() return true end
  return false
end

-- CPU seconds and peak MB of `leastpriv check path`, and its report's size.
local function measure(path)
  local stats = dir .. "/time.txt"
  local cmd = ("%s -f '%%U %%S %%M' -o %s %s bin/leastpriv check --no-config --format json %s > %s/report.json 2>/dev/null")
    :format(TIME, stats, LUA, path, dir)
  os.execute(cmd)
  local f = assert(io.open(stats))
  local text = f:read("*a")
  f:close()
  local user, sys, kb = text:match("([%d.]+) ([%d.]+) (%d+)%s*$")
  local report = io.open(dir .. "/report.json"):read("*a")
  local findings = tonumber(report:match('"total": (%d+)')) or -1
  return tonumber(user) + tonumber(sys), tonumber(kb) / 1024, findings
end

if not have_time() then
  bench.note("bench/bounded.lua: /usr/bin/time is absent, nothing measured")
  os.exit(0)
end

-- one statement of n "*" actions
local n = QUICK and 500000 or 2000000
local stars = {}
for i = 1, n do stars[i] = '"*"' end
local path = dir .. "/stars.json"
write(path, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ['
  .. table.concat(stars, ",") .. '], "Resource": "*"}]}')
local s, mb, findings = measure(path)
local label = QUICK and "2 MB" or "8 MB"
bench.report(("check: %s of \"*\" actions (one statement)"):format(label), s, "s", "<20")
bench.report(("check: %s of \"*\" actions, peak memory"):format(label), mb, "MB", "<1000")
bench.report(("check: %s of \"*\" actions, findings"):format(label), findings, "findings", "<=20")

-- every role may pass the next one
local nroles = QUICK and 1250 or 5000
local roles = {}
for i = 1, nroles do
  roles[i] = ('{"Path": "/", "RoleName": "role-%d", "Arn": "arn:aws:iam::123456789012:role/role-%d", '
    .. '"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    .. '"Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": '
    .. '{"StringEquals": {"aws:SourceAccount": "123456789012"}}}]}, '
    .. '"RolePolicyList": [{"PolicyName": "pass", "PolicyDocument": {"Version": "2012-10-17", "Statement": '
    .. '[{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/role-%d", '
    .. '"Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}]}}], '
    .. '"AttachedManagedPolicies": []}'):format(i, i, i % nroles + 1)
end
path = dir .. "/pass.json"
write(path, '{"RoleDetailList": [\n' .. table.concat(roles, ",\n") .. '\n], "Policies": []}\n')
s = measure(path)
bench.report(("check: %s roles passing one another"):format(QUICK and "1,250" or "5,000"), s, "s", "<5")

-- the generated account, streamed
local big = QUICK and 10000 or 100000
path = dir .. "/account.json"
write(path, corpus.account(big))
collectgarbage()
local f = io.open(path, "rb")
local size = f:seek("end")
f:close()
print(("account dump: %d roles, %d bytes"):format(big, size))
s, mb, findings = measure(path)
print(("account dump: %d findings"):format(findings))
local name = QUICK and "10,000" or "100,000"
bench.report(("check: account dump, %s roles (%d MB), streamed"):format(name, math.floor(size / 1048576 + 0.5)),
  s, "s", QUICK and "<20" or "<200")
bench.report(("check: account dump, %s roles, streamed, peak memory"):format(name), mb, "MB", "-")
bench.report(("check: account dump, %s roles, streamed, per role"):format(name), s / big * 1e3, "ms", "<2")

-- a symlink to /dev/zero: refused before reading
os.execute("ln -s /dev/zero " .. dir .. "/zero.json")
package.cpath = (os.getenv("BUILD") or "build") .. "/?.so;" .. package.cpath
local core = require "leastpriv.core"
local us = bench.time(function() assert(not core.read_file(dir .. "/zero.json")) end) * 1e6
bench.report("read: a symlink to /dev/zero, refused", us, "us", "<1000")

os.execute("rm -rf " .. dir)
