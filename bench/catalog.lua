-- bench/catalog.lua: speed and size of the compiled-in AWS catalog.
--
--   lua5.4 bench/catalog.lua [--quick] [--no-peer]     (from the repository root,
--                                                       after `make build`;
--                                                       BUILD=dir for another build)
--
-- Every figure is the median of several runs with a fixed number of
-- iterations, timed with os.clock (CPU time).  Targets (issue 3):
--   require "leastpriv" in a fresh process   < 5 ms
--   RSS added by the catalog                 < 16 MB
--   exact lookup                             < 200 ns
--   s3:Get* expansion                        >= 200,000 /s
--   *:Describe* over all actions             < 1 ms
-- and, side by side with @cloud-copilot/iam-expand (bench/expand_peer.js,
-- run as a separate process), >= 50x its throughput on every pattern.
-- Besides its own report it prints each figure as a BENCH line for
-- bench/run's table (bench/lib.lua).
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"    -- also sets package.path and package.cpath (BUILD)

local QUICK, PEER = false, true
for _, a in ipairs(arg) do
  if a == "--quick" then QUICK = true
  elseif a == "--no-peer" then PEER = false
  else
    io.stderr:write("usage: lua bench/catalog.lua [--quick] [--no-peer]\n")
    os.exit(2)
  end
end

local RUNS = QUICK and 3 or 7
local LUA = arg[-1] or "lua5.4"
require "leastpriv"   -- the public module loads the catalog too
local catalog = require "leastpriv.catalog"

local median = bench.median
local function per_call(fn, iters, runs) return bench.per_call(fn, iters, runs or RUNS) end

local results = {}
local function report(name, value, unit, target, ok)
  results[#results + 1] = { name = name, ok = ok }
  print(("%-44s %12s %-8s %s %s"):format(name, value, unit, target, ok and "ok" or "MISSED"))
  -- "< 5 ms" -> "<5", ">= 200,000/s" -> ">=200000"
  bench.report(name:gsub("^%s+", ""), tonumber(value), unit,
               target:gsub("[%s,]", ""):match("^[<>]=?[%d%.]+"))
end

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function run_lua(code)
  local p = assert(io.popen(shell_quote(LUA) .. " -e " .. shell_quote(code)))
  local out = p:read("*a")
  p:close()
  return out
end

local PATHS = ([[package.path = %q; package.cpath = %q; ]]):format(package.path, package.cpath)

print(("catalog: %s %s (data %s): %d services, %d actions, %d resource types, %d condition keys")
  :format(catalog.version().source, catalog.version().version, catalog.version().date,
    catalog.version().services, catalog.version().actions, catalog.version().resource_types,
    catalog.version().condition_keys))
print(("%d runs each; medians\n"):format(RUNS))

-- 1. module load in a fresh process, the catalog ready (first lookup included)
do
  local samples = {}
  local code = PATHS .. [[
    local t0 = os.clock()
    local lp = require "leastpriv"
    assert(lp.actions.get("s3:GetObject"))
    io.write(os.clock() - t0)]]
  for i = 1, QUICK and 5 or 15 do samples[i] = tonumber(run_lua(code)) end
  local ms = median(samples) * 1e3
  report('require "leastpriv" + first lookup (fresh)', ("%.2f"):format(ms), "ms", "< 5 ms", ms < 5)
end

-- 2. memory: the core library's resident pages once every table was touched,
-- and the whole process's RSS growth
do
  local code = PATHS .. [[
    local function status(key)
      local f = io.open("/proc/self/status"); local t = f:read("*a"); f:close()
      return tonumber(t:match(key .. ":%s*(%d+)"))
    end
    local function so_rss()
      local f = io.open("/proc/self/smaps"); if not f then return 0 end
      local total, inside = 0, false
      for line in f:lines() do
        local path = line:match("^%x+%-%x+ %S+ %S+ %S+ %S+%s*(.*)$")
        if path then inside = path:find("leastpriv/core.so", 1, true) ~= nil
        elseif inside then
          local kb = line:match("^Rss:%s*(%d+)"); if kb then total = total + tonumber(kb) end
        end
      end
      f:close(); return total
    end
    collectgarbage("collect")
    local before = status("VmRSS")
    local lp = require "leastpriv"
    local c = require "leastpriv.catalog"
    collectgarbage("collect")
    local loaded = status("VmRSS")
    for _, name in ipairs(c.actions.expand("*")) do assert(c.actions.get(name)) end
    for _, s in ipairs(c.services.list()) do
      local svc = c.services.get(s)
      for _, r in ipairs(svc.resource_types) do assert(c.resource_types.get(s, r.name)) end
    end
    assert(c.condition_keys.get("aws:ResourceTag/team"))
    assert(c.condition_keys.get("s3:nosuchkey") == nil)
    collectgarbage("collect")
    io.write(before, " ", loaded, " ", status("VmRSS"), " ", so_rss())]]
  local before, loaded, touched, so = run_lua(code):match("(%d+) (%d+) (%d+) (%d+)")
  before, loaded, touched, so = tonumber(before), tonumber(loaded), tonumber(touched), tonumber(so)
  report("RSS added by require (fresh)", ("%.2f"):format((loaded - before) / 1024), "MB",
    "< 16 MB", (loaded - before) / 1024 < 16)
  report("RSS added, every table touched", ("%.2f"):format((touched - before) / 1024), "MB",
    "< 16 MB", (touched - before) / 1024 < 16)
  report("  of which core.so resident", ("%.2f"):format(so / 1024), "MB", "", true)
end

-- 3. lookups
do
  local find, get = catalog.actions.find, catalog.actions.get
  local n = QUICK and 200000 or 1000000
  local ns = per_call(function() return find("s3:GetObject") end, n) * 1e9
  report("exact lookup actions.find", ("%.0f"):format(ns), "ns", "< 200 ns", ns < 200)
  ns = per_call(function() return find("SAGEMAKER:createtrainingjob") end, n) * 1e9
  report("exact lookup, other case", ("%.0f"):format(ns), "ns", "< 200 ns", ns < 200)
  ns = per_call(function() return find("s3:GetObjekt") end, n) * 1e9
  report("exact lookup, miss", ("%.0f"):format(ns), "ns", "< 200 ns", ns < 200)
  local us = per_call(function() return get("s3:GetObject") end, QUICK and 20000 or 100000) * 1e6
  report("actions.get full record (s3:GetObject)", ("%.2f"):format(us), "us", "", true)
end

-- 4. expansion
local expand = catalog.actions.expand
local PATTERNS = {
  "s3:Get*", "*:Describe*", "s3:Get*Acl", "ec2:Describe*", "iam:*Role*", "s3:*",
  "*:List*", "sagemaker:Create*", "*",
}
local ours = {}
do
  local per = per_call(function() return expand("s3:Get*") end, QUICK and 20000 or 100000)
  report("s3:Get* expansions", ("%.0f"):format(1 / per), "/s", ">= 200,000/s", 1 / per >= 200000)
  local ms = per_call(function() return expand("*:Describe*") end, QUICK and 200 or 1000) * 1e3
  report("*:Describe* over all actions", ("%.3f"):format(ms), "ms", "< 1 ms", ms < 1)
  for _, p in ipairs(PATTERNS) do
    local count = #expand(p)
    local iters = math.max(20, math.floor(2e6 / (count + 10)))
    if QUICK then iters = math.max(10, math.floor(iters / 5)) end
    ours[p] = { per = per_call(function() return expand(p) end, iters), count = count }
  end
end

-- 5. side by side with @cloud-copilot/iam-expand
local theirs = {}
if PEER then
  print()
  local args = {}
  for i, p in ipairs(PATTERNS) do args[i] = shell_quote(p) end
  local cmd = "sh bench/expand_peer.sh " .. (QUICK and "--quick " or "") .. table.concat(args, " ")
  local p = io.popen(cmd .. " 2>&1")
  local out = p and p:read("*a") or ""
  if p then p:close() end
  for line in out:gmatch("[^\n]+") do
    local pat, ops, count = line:match("^PEER\t(.-)\t([%d%.e%+]+)\t(%d+)$")
    if pat then theirs[pat] = { ops = tonumber(ops), count = tonumber(count) }
    else
      print(line)
      if line:find("skipped", 1, true) then bench.note(line) end
    end
  end
  if next(theirs) then
    print(("%-20s %8s %14s %14s %9s"):format("pattern", "actions", "ours/s", "peer/s", "ratio"))
    for _, pat in ipairs(PATTERNS) do
      local o, t = ours[pat], theirs[pat]
      if t and t.count == 0 and o.count > 0 then
        print(("%-20s %8d %14.0f %14s %9s  (the peer does not expand this pattern)")
          :format(pat, o.count, 1 / o.per, "-", "n/a"))
      elseif t then
        local ratio = (1 / o.per) / t.ops
        results[#results + 1] = { name = "ratio " .. pat, ok = ratio >= 50 }
        print(("%-20s %8d %14.0f %14.0f %8.0fx%s%s"):format(pat, o.count, 1 / o.per, t.ops, ratio,
          ratio >= 50 and "" or "  MISSED (goal 50x)",
          t.count ~= o.count and ("  (peer found %d)"):format(t.count) or ""))
      end
    end
  end
end

for _, pat in ipairs(PATTERNS) do
  local o, t = ours[pat], theirs[pat]
  local peer = t and not (t.count == 0 and o.count > 0) and t.ops or nil
  bench.report(("expand %s (%d actions)"):format(pat, o.count), 1 / o.per, "/s",
               peer and "x>=50", peer, "iam-expand")
end

local missed = 0
for _, r in ipairs(results) do if not r.ok then missed = missed + 1 end end
print(("\n%d figures, %d missed"):format(#results, missed))
