-- Role scripts and .leastpriv.lua are untrusted code (issue 11): each runs
-- in a lua_State of its own (csrc/sandbox.c, lua/leastpriv/sandbox.lua).
-- Every escape the issue lists must fail with a clear message, a script
-- cannot change another script's result or the report, limits stop a
-- script with one line naming the file and the flag, text chunks only.
local cli = require "support.cli"
local sandbox = require "leastpriv.sandbox"
local script = require "leastpriv.script"
local cjson = require "cjson"

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local ROLE = [[
local lp = require "leastpriv"
return lp.role { name = "app", trust = lp.trust.service("lambda.amazonaws.com"),
  policies = { p = lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/*" } } } }
]]

-- A role that allows * on * (the checker must always say so).
local STAR = [[
local lp = require "leastpriv"
return lp.role { name = "star", trust = lp.trust.service("lambda.amazonaws.com"),
  policies = { p = lp.policy { lp.allow { action = "*", resource = "*" } } } }
]]

local dir
local function file(name, text)
  local path = dir .. "/" .. name
  write(path, text)
  return path
end

-- The error script.load raises for text (as a role script).
local function load_error(text)
  local path = file("escape.lua", text)
  local ok, err = pcall(script.load, path)
  assert.is_false(ok, "the script ran to its end")
  return tostring(err), path
end

before_each(function()
  dir = cli.tmpdir()
  sandbox.reset_limits()
end)

after_each(function()
  sandbox.reset_limits()
  os.execute("rm -rf '" .. dir .. "'")
end)

describe("a role script's sandbox", function()
  -- { what, script text, message pattern }
  local escapes = {
    { "os.execute", 'os.execute("touch %s/PWNED")', "os%.execute is not available to role scripts" },
    { "io.popen", 'io.popen("id -un")', "io is not available to role scripts" },
    { "io.open for writing", 'io.open("%s/PWNED", "w")', "io is not available to role scripts" },
    { "debug", 'debug.sethook()', "debug is not available to role scripts" },
    { "load", 'load("return 1")', "load is not available to role scripts" },
    { "loadstring", 'loadstring("return 1")', "loadstring is not available to role scripts" },
    { "dofile", 'dofile("/etc/hostname")', "dofile is not available to role scripts" },
    { "loadfile", 'loadfile("/etc/hostname")', "loadfile is not available to role scripts" },
    { "package.loadlib", 'package.loadlib("libc.so.6", "system")', "package is not available to role scripts" },
    { "require of io", 'require "io"', "require: module 'io' is not available to role scripts" },
    { "require of ffi", 'require "ffi"', "require: module 'ffi' is not available to role scripts" },
    { "require of a C module", 'require "lfs"', "require: module 'lfs' not found" },
    { "reading arg", 'local x = arg[0]', "arg is not available to role scripts" },
    { "os.exit", 'os.exit(0)', "os%.exit is not available to role scripts" },
    { "os.getenv", 'os.getenv("HOME")', "os%.getenv is not available to role scripts" },
    { "os.remove", 'os.remove("%s/x")', "os%.remove is not available to role scripts" },
    { "string.dump", 'string.dump(function() end)', "string%.dump is not available to role scripts" },
    { "print", 'print("hi")', "print is not available to role scripts" },
    { "collectgarbage", 'collectgarbage("stop")', "collectgarbage is not available to role scripts" },
    { "the file-system functions of leastpriv.core", 'require("leastpriv.core").mkdir_p("%s/d")',
      "attempt to call" },
    { "starting a sandbox of its own", 'require("leastpriv.core").sandbox_run{}', "attempt to call" },
    { "replacing leastpriv.analysis.diff", 'require("leastpriv.analysis").diff = function() end',
      "require: module 'leastpriv.analysis' is not available to role scripts" },
    { "leastpriv's command line", 'require "leastpriv.cli"',
      "require: module 'leastpriv.cli' is not available to role scripts" },
  }
  for _, e in ipairs(escapes) do
    it("refuses " .. e[1] .. " with a clear message at the script's line", function()
      local err, path = load_error(e[2]:gsub("%%s", dir) .. "\n" .. ROLE)
      assert.matches(path:gsub("%p", "%%%0") .. ":1: " .. e[3], err)
      assert.is_nil(err:find("\n", 1, true))
      assert.is_nil(err:find("leastpriv/[%w_/]+%.lua:%d+:"), err)   -- no internal position
      assert.is_false(exists(dir .. "/PWNED"))
      assert.is_false(exists(dir .. "/d"))
    end)
  end

  it("runs nothing of a binary chunk, on every Lua (5.1 and LuaJIT have no load mode)", function()
    local code = string.dump(function() return 1 end)
    for _, text in ipairs { code, "#!/usr/bin/env lua\n" .. code, "\27Lua\84\0\25\147\r\n\26\n garbage" } do
      local err, path = load_error(text)
      assert.equal(path .. ": a binary chunk: role scripts and configurations are loaded as text only", err)
    end
  end)

  it("still reads a script whose first line is a #! line", function()
    local path = file("shebang.lua", "#!/usr/bin/env leastpriv\n" .. ROLE)
    local items = script.load(path)
    assert.equal("app", items[1].name)
  end)

  it("stops an endless loop at the CPU time limit, even one that catches the error", function()
    sandbox.set_limits({ timeout = 0.2 }, "cli")
    for _, text in ipairs { "while true do end",
                            "while true do pcall(function() while true do end end) end",
                            "local function f() return f() end return f()",
                            "while true do xpcall(function() while true do end end, function() while true do end end) end" } do
      local err, path = load_error(text)
      assert.equal(path .. ": stopped at the CPU time limit of 0.2 s (--script-timeout)", err)
    end
  end)

  it("stops a string.rep bomb and a growing table at the memory limit", function()
    sandbox.set_limits({ memory = 32, timeout = 20 }, "cli")
    for _, text in ipairs { 'local s = string.rep("x", 1e9)',
                            'local s = "x" while true do s = s .. s end',
                            'local t = {} for i = 1, 1e9 do t[i] = ("y"):rep(100) .. i end' } do
      local err, path = load_error(text)
      assert.equal(path .. ": stopped at the memory limit of 32 MiB (--script-memory)", err)
    end
  end)

  it("gives the CPU time and memory limits defaults no real role comes near", function()
    assert.same({ timeout = 5, memory = 256 }, sandbox.limits())
    local path = file("ok.lua", ROLE)
    assert.equal("app", script.load(path)[1].name)
  end)

  it("takes limits from the command line over the configuration", function()
    sandbox.set_limits({ timeout = 2, memory = 64 }, "config")
    sandbox.set_limits({ timeout = 1 }, "cli")
    assert.same({ timeout = 1, memory = 64 }, sandbox.limits())
    assert.has_error(function() sandbox.set_limits({ timeout = 0 }, "cli") end,
      "the script CPU time limit must be seconds, more than 0 and at most 3600")
    assert.has_error(function() sandbox.set_limits({ memory = 1 }, "cli") end,
      "the script memory limit must be whole MiB, from 16 to 1048576")
  end)

  it("returns data only: no function, userdata, cycle or endless nesting", function()
    local cases = {
      { 'return { kind = "role", name = function() end }', "a function at result%.name" },
      { 'local t = {} t.t = t return t', "a table that contains itself at result%.t" },
      { 'local t = {} for i = 1, 200 do t = { t } end return t', "tables nested too deep" },
      { 'return { [{}] = 1 }', "a key that is not a string, number or boolean" },
      { 'return { x = coroutine }', "coroutine is not available" },
    }
    for _, c in ipairs(cases) do
      local err = load_error(c[1])
      assert.matches(c[2], err)
      assert.is_nil(err:find("\n", 1, true))
    end
  end)

  it("rebuilds what a script returns: a hand-made role is checked as lp.role would", function()
    local err = load_error('return { kind = "role", name = "x", trust = { Statement = "oops" } }')
    assert.matches("^" .. dir:gsub("%p", "%%%0") .. "/escape%.lua: lp%.role: ", err)
    err = load_error('return { kind = "role", name = "x", trust = { Version = "2012-10-17", Statement = {'
      .. '{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } } } },'
      .. ' policies = { { name = "p", document = { Statement = { { Effect = "Allow" } } } } } }')
    assert.matches("lp%.role: policy \"p\"", err)
  end)

  it("leaves a raw document as data, for the checker to judge as it judges JSON", function()
    local path = file("raw.lua", 'return { Version = "2012-10-17", Statement = {'
      .. ' { Effect = "allow", Action = "s3:GetObject", Resource = "*" } } }')
    assert.equal("allow", script.load(path)[1].Statement[1].Effect)
    local code, out = cli.run { "check", "--no-config", path }
    assert.equal(1, code)
    assert.matches("raw%.lua:1:%d+: error INVALID_EFFECT ", out)
  end)

  it("gives a script the same items the checker's own builders give", function()
    for _, path in ipairs { "examples/sagemaker/execution_role.lua", "examples/ecs/task_roles.lua",
                            "examples/sagemaker/pipeline_blueprint.lua" } do
      local items, vars = script.load(path)
      assert.is_true(#items >= 1)
      for _, v in ipairs(vars) do assert.is_string(v.name) end
    end
  end)

  it("gives leastpriv.core without the functions that reach the system", function()
    -- Pure functions of data only.  A new core function fails this spec on
    -- purpose: if it touches files, processes, the terminal or the
    -- environment, add it to UNSAFE_CORE in csrc/sandbox.c; else here.
    local PURE = [[arn_check arn_contains arn_format arn_like arn_match arn_parse catalog_access_levels
      catalog_action catalog_arn_build catalog_arn_type_ids catalog_condition_key catalog_condition_key_names
      catalog_expand catalog_find catalog_list catalog_resource_type catalog_resource_types_for_arn
      catalog_service catalog_services catalog_summary catalog_version condition_ip_in
      condition_parse_date condition_parse_number eval_applies eval_compile eval_decide eval_refusals
      fsio_digest glob_contains glob_intersect glob_match hcl_body hcl_call hcl_expr hcl_jsonencode hcl_parse hcl_policy
      hcl_string json_decode json_encode json_locate json_size json_stream_text monotonic number_text policy_json
      policy_normalize utf8_valid validate_codes validate_policy validate_types]]
    local pure = {}
    for name in PURE:gmatch("%S+") do pure[name] = true end
    local ok, names = sandbox.run([[
local t = {}
for k, v in pairs(require "leastpriv.core") do if type(v) == "function" then t[#t + 1] = k end end
table.sort(t)
return t]], "core.lua")
    assert.is_true(ok, names)
    for _, name in ipairs(names) do
      assert.is_true(pure[name], "leastpriv.core." .. name .. " is in the sandbox: is it pure?")
    end
    for _, name in ipairs { "mkdir_p", "is_dir", "getcwd", "list_dir", "isatty", "sandbox_run",
                            "fsio_open", "fsio_realpath", "read_file", "check_file", "json_stream" } do
      assert.is_nil(names[name])
      for _, n in ipairs(names) do assert.not_equal(name, n) end
    end
  end)

  it("has the safe standard library, utf8 where the Lua has it, and os.time, os.date, os.clock", function()
    local path = file("stdlib.lua", [[
local lp = require "leastpriv"
local n = select("#", 1, 2) + #table.concat({ "a" }) + math.floor(1.5) + #string.format("%d", 7)
assert(type(os.time()) == "number" and type(os.date("!%Y")) == "string" and type(os.clock()) == "number")
assert(utf8 == nil or utf8.char(65) == "A")
assert(tostring(n) == "5" and tonumber("3") == 3 and next({}) == nil and rawequal(n, n))
assert(not pcall(error, "x") and select(2, pcall(error, { 1 }))[1] == 1)
return lp.role { name = "std" .. n, trust = lp.trust.service("lambda.amazonaws.com") }
]])
    assert.equal("std5", script.load(path)[1].name)
  end)
end)

describe("require inside a role script", function()
  it("loads Lua files below the script's own folder, into the same sandbox", function()
    os.execute("mkdir -p '" .. dir .. "/roles/lib/acme'")
    file("roles/lib/acme.lua", [[
local lp = require "leastpriv"
local M = {}
function M.reader(bucket) return lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::" .. bucket .. "/*" } end
return M
]])
    file("roles/lib/acme/init.lua", 'return { name = "pkg" .. (require "lib.acme" and "!" or "") }')
    local path = file("roles/app.lua", [[
local lp = require "leastpriv"
local acme = require "lib.acme"
assert(require "lib.acme" == acme)                    -- loaded once
return lp.role { name = "app", trust = lp.trust.service("lambda.amazonaws.com"),
  policies = { p = lp.policy { acme.reader("data") } } }
]])
    local items = script.load(path)
    assert.same({ "arn:aws:s3:::data/*" }, items[1].policies[1].document.Statement[1].Resource)
  end)

  it("never reaches a file outside the folder, through a symlink or otherwise", function()
    os.execute("mkdir -p '" .. dir .. "/roles' '" .. dir .. "/outside'")
    file("outside/secret.lua", 'return "secret"')
    os.execute("ln -s ../outside '" .. dir .. "/roles/lib'")
    local path = file("roles/app.lua", 'local s = require "lib.secret"\n' .. ROLE)
    local ok, err = pcall(script.load, path)
    assert.is_false(ok)
    assert.matches("app%.lua:1: require: module 'lib%.secret' not found %(a role script requires leastpriv "
      .. "and Lua files below its own folder", err)
    for _, name in ipairs { "..", "../outside/secret", "a/b", "" } do
      ok, err = pcall(script.load, file("roles/bad.lua", ("require %q"):format(name)))
      assert.is_false(ok)
      assert.matches("is not a module name", err)
    end
  end)

  it("loads a required module as text only, and says so for a loop", function()
    file("bin.lua", string.dump(function() return 1 end))
    local err = load_error('require "bin"')
    assert.matches("bin%.lua: a binary chunk", err)
    file("loop.lua", 'return require "loop"')
    err = load_error('require "loop"')
    assert.matches("require: module 'loop' requires itself", err)
  end)
end)

describe("scripts named on one command line", function()
  -- Tampers with everything a script shares with others within one lua_State.
  local EVIL = [[
X_LEAK = "*"
string.upper = function() return "*" end
string.format = function() return "" end
string.rep = function() return "" end
table.concat = function() return "" end
getmetatable("").__index = function() return function() return "" end end
require("leastpriv.statement").build = function() error("tampered") end
local lp = require "leastpriv"
lp.allow = function() error("tampered") end
return { kind = "role", name = "evil", managed_policy_arns = {}, tags = {}, policies = {},
         trust = { Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "sts:AssumeRole",
                   Principal = { Service = "lambda.amazonaws.com" } } } } }
]]

  it("cannot change another script's result", function()
    local good = file("b_good.lua", [[
assert(X_LEAK == nil, "a global leaked")
assert(("x"):upper() == "X" and string.format("%d", 1) == "1")
]] .. STAR)
    local evil = file("a_evil.lua", EVIL)
    local alone = script.load(good)
    assert.equal("evil", script.load(evil)[1].name)
    assert.same(alone, script.load(good))
  end)

  it("cannot change the report: the same in text, JSON and SARIF whatever the order of the files", function()
    local good = file("b_good.lua", STAR)
    local evil = file("a_evil.lua", EVIL)
    for _, format in ipairs { "text", "json", "sarif" } do
      local c1, one = cli.run { "check", "--no-config", "-f", format, evil, good }
      local c2, two = cli.run { "check", "--no-config", "-f", format, good, evil }
      assert.equal(1, c1)
      assert.equal(c1, c2)
      assert.equal(one, two)
      if format == "text" then
        assert.matches("b_good%.lua:%d+:%d+: [%a]+ [%u_]+", one)
        assert.is_nil(one:find("no findings", 1, true))
      end
    end
    local _, report = cli.run { "check", "--no-config", "-f", "json", evil, good }
    local _, alone = cli.run { "check", "--no-config", "-f", "json", good }
    local mine = {}
    for _, f in ipairs(cjson.decode(report).findings) do
      if f.file == good then mine[#mine + 1] = f end
    end
    assert.same(cjson.decode(alone).findings, mine)
  end)

  it("sees the same world under every command (so cannot hide from check)", function()
    -- the script names its resource after every global it can see
    local path = file("world.lua", [[
local lp = require "leastpriv"
local names = {}
for k in pairs(_G) do names[#names + 1] = k end
table.sort(names)
local world = table.concat(names, "-"):gsub("[^%w%-]", "")
return lp.role { name = "world", trust = lp.trust.service("lambda.amazonaws.com"),
  policies = { p = lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/" .. world } } } }
]])
    local code, out = cli.run { "render", path }
    assert.equal(0, code)
    local arn = out:match('"(arn:aws:s3:::b/[^"]+)"')
    assert.is_string(arn)
    assert.is_nil(arn:find("arg", 1, true))
    assert.is_nil(arn:find("io", 1, true))
    code = cli.run { "simulate", path, "--action", "s3:GetObject", "--resource", arn }
    assert.equal(0, code)
    code, out = cli.run { "can", path, "--resource", arn }
    assert.equal(0, code)
    assert.matches("s3:GetObject", out)
  end)
end)

describe("limits on the command line and in .leastpriv.lua", function()
  it("stops one script with a one-line error and exit 2, and still checks the others", function()
    local loop = file("loop.lua", "while true do end")
    local star = file("star.lua", STAR)
    local code, out, err, _ = cli.run { "check", "--no-config", "--script-timeout", "0.2", loop, star }
    assert.equal(2, code)
    assert.equal("leastpriv check: " .. loop .. ": stopped at the CPU time limit of 0.2 s (--script-timeout)\n", err)
    assert.matches(star:gsub("%p", "%%%0") .. ":%d+:%d+: ", out)
    assert.matches("in 1 file\n$", out)
    code, _, err = cli.run { "render", "--script-memory", "16", file("bomb.lua", 'local s = ("x"):rep(1e9)') }
    assert.equal(2, code)
    assert.matches("bomb%.lua: stopped at the memory limit of 16 MiB %(%-%-script%-memory%)\n$", err)
  end)

  it("refuses bad limit values as usage errors", function()
    local code, _, err = cli.run { "render", "--script-timeout", "soon", file("ok.lua", ROLE) }
    assert.equal(2, code)
    assert.matches("the script CPU time limit must be seconds", err)
    code, _, err = cli.run { "check", "--script-memory", "0.5", file("ok2.lua", ROLE) }
    assert.equal(2, code)
    assert.matches("the script memory limit must be whole MiB", err)
  end)

  it("lists the limits in the --help of every command that runs scripts", function()
    for _, name in ipairs(require("leastpriv.cli").commands) do
      if name ~= "expand" and name ~= "describe" and name ~= "actions" then
      local code, out = cli.run { name, "--help" }
      assert.equal(0, code)
      assert.matches("%-%-script%-timeout SECONDS", out)
      assert.matches("%-%-script%-memory MIB", out)
      end
    end
    local _, out = cli.run { "describe", "--help" }
    assert.is_nil(out:find("--script-timeout", 1, true))
  end)

  it("runs .leastpriv.lua in the same sandbox, with the same limits", function()
    local cfg = file(".leastpriv.lua", 'os.execute("touch ' .. dir .. '/PWNED") return {}')
    local code, _, err = cli.run { "check", "--config", cfg, file("ok.lua", ROLE) }
    assert.equal(2, code)
    assert.matches("%.leastpriv%.lua:1: os%.execute is not available to role scripts", err)
    assert.is_false(exists(dir .. "/PWNED"))
    write(cfg, "while true do end")
    code, _, err = cli.run { "check", "--config", cfg, "--script-timeout", "0.2", dir .. "/ok.lua" }
    assert.equal(2, code)
    assert.matches("%.leastpriv%.lua: stopped at the CPU time limit of 0%.2 s", err)
    write(cfg, string.dump(function() return {} end))
    code, _, err = cli.run { "check", "--config", cfg, dir .. "/ok.lua" }
    assert.equal(2, code)
    assert.matches("a binary chunk", err)
  end)

  it("takes script_timeout and script_memory from the configuration, the flags first", function()
    local cfg = file(".leastpriv.lua", "return { script_timeout = 0.2, script_memory = 32 }")
    local loop = file("loop.lua", "while true do end")
    local code, _, err = cli.run { "check", "--config", cfg, loop }
    assert.equal(2, code)
    assert.matches("stopped at the CPU time limit of 0%.2 s", err)
    code, _, err = cli.run { "check", "--config", cfg, "--script-timeout", "0.3", loop }
    assert.equal(2, code)
    assert.matches("stopped at the CPU time limit of 0%.3 s", err)
    write(cfg, "return { script_memory = 2 }")
    code, _, err = cli.run { "check", "--config", cfg, loop }
    assert.equal(2, code)
    assert.matches("script_memory: the script memory limit must be whole MiB", err)
  end)
end)

describe("the configuration of a pull request", function()
  local function succeeds(cmd)
    local r = os.execute(cmd .. " >/dev/null 2>&1")
    return r == true or r == 0                -- 5.1 returns the status
  end

  local function sh(cmd)
    assert(succeeds(cmd), cmd)
  end

  local function git_ok()
    return succeeds("git --version")
  end

  -- Run bin/leastpriv in folder d; exit code, stdout, stderr.
  local function exec_in(d, argv)
    local here = io.popen("pwd"):read("*l")
    local words = {}
    for i, a in ipairs(argv) do words[i] = "'" .. a:gsub("'", "'\\''") .. "'" end
    local errfile = os.tmpname()
    local p = io.popen("cd '" .. d .. "' && " .. cli.LUA .. here .. "/bin/leastpriv "
      .. table.concat(words, " ") .. " 2>" .. errfile .. "; echo \"exit:$?\"")
    local out = p:read("*a")
    p:close()
    local code = tonumber(out:match("exit:(%d+)\n$"))
    local err = cli.read(errfile)
    os.remove(errfile)
    return code, out:gsub("exit:%d+\n$", ""), err
  end

  it("takes the configuration from the base branch with --config-from-git", function()
    if not git_ok() then pending("git is not installed") return end
    local g = "cd '" .. dir .. "' && git -c user.name=t -c user.email=t@example.com "
    write(dir .. "/.leastpriv.lua", 'return { fail_on = "warning" }')
    write(dir .. "/star.lua", STAR)
    sh(g .. "init -q -b main .")
    sh(g .. "add -A")
    sh(g .. "commit -q -m base")
    -- the pull request turns the gate off
    write(dir .. "/.leastpriv.lua", 'return { fail_on = "none", disable = { "RESOURCE_STAR" } }')
    local code = exec_in(dir, { "check", "star.lua" })
    assert.equal(0, code)                        -- the PR's own config: gate off
    code = exec_in(dir, { "check", "--config-from-git", "main", "star.lua" })
    assert.equal(1, code)                        -- the base branch's: gate on
    local out, err, _
    code, out, err = exec_in(dir, { "check", "--config-from-git", "nosuchbranch", "star.lua" })
    assert.equal(2, code, out)
    assert.matches("%-%-config%-from%-git: nosuchbranch is not a commit", err)
    code, _, err = exec_in(dir, { "check", "--config-from-git", "main';touch PWNED;'", "star.lua" })
    assert.equal(2, code)
    assert.matches("is not a git revision name", err)
    assert.is_false(exists(dir .. "/PWNED"))
    code, _, err = exec_in(dir, { "check", "--config-from-git", "main", "--no-config", "star.lua" })
    assert.equal(2, code)
    assert.matches("give one of %-%-config, %-%-no%-config and %-%-config%-from%-git", err)
    -- a base revision without a configuration: none
    os.remove(dir .. "/.leastpriv.lua")
    sh(g .. "add -A")
    sh(g .. "commit -q -m 'no config'")
    code = exec_in(dir, { "check", "--config-from-git", "HEAD", "star.lua" })
    assert.equal(1, code)
  end)

  it("runs the base branch's .leastpriv.lua in the sandbox too", function()
    if not git_ok() then pending("git is not installed") return end
    local g = "cd '" .. dir .. "' && git -c user.name=t -c user.email=t@example.com "
    write(dir .. "/.leastpriv.lua", "while true do end")
    write(dir .. "/ok.lua", ROLE)
    sh(g .. "init -q -b main .")
    sh(g .. "add -A")
    sh(g .. "commit -q -m base")
    local code, _, err = exec_in(dir, { "check", "--script-timeout", "0.2", "--config-from-git", "main", "ok.lua" })
    assert.equal(2, code)
    assert.matches("main:%.leastpriv%.lua: stopped at the CPU time limit of 0%.2 s", err)
  end)
end)

describe("leastpriv.busted's load", function()
  it("runs the script in its sandbox", function()
    local lpb = require "leastpriv.busted"
    local ok, err = pcall(lpb.load, file("evil.lua", 'os.execute("touch ' .. dir .. '/PWNED")\n' .. ROLE))
    assert.is_false(ok)
    assert.matches("os%.execute is not available to role scripts", err)
    assert.is_false(exists(dir .. "/PWNED"))
    local role = lpb.load(file("good.lua", ROLE))
    assert.allows(role, "s3:GetObject", "arn:aws:s3:::b/x")
  end)
end)
