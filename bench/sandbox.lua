-- bench/sandbox.lua: what running a role script in its own sandbox costs
-- (issue 11: well under a millisecond per script).  Figures in
-- microseconds per script: the sandbox alone (a new lua_State with its
-- limits, the safe standard library, an empty chunk, the result copied
-- back), a small role script through script.load (the sandbox, leastpriv's
-- modules loaded in it from bytecode, the DSL, the result rebuilt), the
-- same script run in the checker's own state as before the sandbox, and
-- the difference: the sandbox's cost per script.
--
--   lua5.4 bench/sandbox.lua [--quick]   (from the repository root, after make build)
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local sandbox = require "leastpriv.sandbox"
local script = require "leastpriv.script"

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p '" .. dir .. "'")
local path = dir .. "/role.lua"
local f = assert(io.open(path, "wb"))
f:write([[
local lp = require "leastpriv"
local aws = lp.scope { account = "111122223333", region = "us-east-1" }
return lp.role {
  name = "reader",
  trust = lp.trust.service("lambda.amazonaws.com", { source_account = "111122223333" }),
  policies = { read = lp.policy {
    lp.allow { action = { "s3:GetObject", "s3:ListBucket" },
               resource = { aws.s3.bucket("data"), aws.s3.objects("data", "in/") } },
    lp.allow { action = "logs:PutLogEvents", resource = aws.logs.log_group("/app") },
  } },
}
]])
f:close()

local empty = bench.time(function() assert(sandbox.run("return { ok = true }", "empty.lua")) end)
bench.report("sandbox: new state, safe library, empty chunk, result copied", empty * 1e6, "us", "<1000")

local sandboxed = bench.time(function() script.load(path) end)
bench.report("sandbox: script.load of a small role (leastpriv loaded in the sandbox)", sandboxed * 1e6,
  "us", "<2000")

-- As before issue 11: the script run in the checker's own state.
require "leastpriv"
local template = require "leastpriv.template"
local in_process = bench.time(function()
  template.begin()
  assert(loadfile(path))()
end)
bench.report("sandbox: the same script in the checker's own state (no sandbox)", in_process * 1e6, "us")
bench.report("sandbox: cost per script (sandboxed minus in-process)", (sandboxed - in_process) * 1e6,
  "us", "<1000")

os.remove(path)
os.remove(dir)
