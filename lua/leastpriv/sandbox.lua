-- Running untrusted Lua text (role scripts, .leastpriv.lua, needs files)
-- in a lua_State of its own (csrc/sandbox.c): the safe standard library,
-- require of leastpriv and of Lua files below the script's folder, text
-- chunks only, a CPU time and a memory limit.  The result comes back as
-- plain data.  See docs/trust.md.
local core = require "leastpriv.core"

local M = {}

-- The limits of one run: CPU seconds and MiB.  CLI flags override the
-- project configuration, which overrides the defaults.
M.DEFAULTS = { timeout = 5, memory = 256 }
M.FLAGS = { timeout = "--script-timeout", memory = "--script-memory" }
M.MIN_MEMORY = 16                       -- MiB: leastpriv itself needs some

local from_cli, from_config = {}, {}

-- The command-line options of every command that runs scripts.
M.OPTIONS = {
  { name = "script-timeout", arg = "SECONDS",
    help = "CPU time limit of each role script [default: " .. M.DEFAULTS.timeout .. "]" },
  { name = "script-memory", arg = "MIB",
    help = "memory limit of each role script, MiB [default: " .. M.DEFAULTS.memory .. "]" },
}

-- Check a limit value; returns the number or nil, message.
function M.check_limit(what, v)
  local n = tonumber(v)
  if what == "timeout" then
    if not n or n <= 0 or n > 3600 or n ~= n then
      return nil, "the script CPU time limit must be seconds, more than 0 and at most 3600"
    end
  else
    if not n or n % 1 ~= 0 or n < M.MIN_MEMORY or n > 1048576 then
      return nil, ("the script memory limit must be whole MiB, from %d to 1048576"):format(M.MIN_MEMORY)
    end
  end
  return n
end

-- set_limits(t, source): t = { timeout =, memory = } from "cli" or "config".
-- Raises "message" on a bad value.
function M.set_limits(t, source)
  local into = source == "cli" and from_cli or from_config
  for what in pairs(M.DEFAULTS) do
    if t[what] ~= nil then
      local n, err = M.check_limit(what, t[what])
      if not n then error(err, 0) end
      into[what] = n
    end
  end
end

-- Forget the limits set so far (a new command run).
function M.reset_limits()
  from_cli, from_config = {}, {}
end

-- The limits in force: { timeout = s, memory = MiB }.
function M.limits()
  local out = {}
  for what, def in pairs(M.DEFAULTS) do
    out[what] = from_cli[what] or from_config[what] or def
  end
  return out
end

-- leastpriv's own modules, for require inside a sandbox: compiled once from
-- the files next to this one (never from package.path, which may reach the
-- current directory), handed over as bytecode.
local root = debug.getinfo(1, "S").source:match("^@(.*)leastpriv[/\\]sandbox%.lua$")

-- Modules that are no use in a sandbox (they need io, os or debug, or run
-- commands): a script requiring one gets a clear error.
local HIDDEN = { ["leastpriv.cli"] = true, ["leastpriv.script"] = true, ["leastpriv.busted"] = true,
                 ["leastpriv.render"] = true, ["leastpriv.inputs"] = true, ["leastpriv.sandbox"] = true,
                 ["leastpriv.simulate"] = true, ["leastpriv.validate"] = true,
                 ["leastpriv.analysis"] = true }

local function hidden(name)
  if HIDDEN[name] then return true end
  for prefix in pairs(HIDDEN) do
    if name:sub(1, #prefix + 1) == prefix .. "." then return true end
  end
  return name:match("^leastpriv%.check%.") ~= nil
end

local bytecode = {}

local function module_file(name)
  local rel = name == "leastpriv" and "leastpriv/init.lua" or (name:gsub("%.", "/") .. ".lua")
  if root then return root .. rel end
  return package.searchpath and package.searchpath(name, package.path)   -- 5.2+
end

local function trusted_loader(name)
  local code = bytecode[name]
  if code then return code end
  if hidden(name) then
    return nil, ("module '%s' is not available to role scripts"):format(name)
  end
  local path = module_file(name)
  local chunk = path and loadfile(path)
  if not chunk then return nil, ("module '%s' not found"):format(name) end
  code = string.dump(chunk, true)     -- stripped: a third faster to load, no internal positions
  bytecode[name] = code
  return code
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

-- Is msg one of run's messages for a script stopped at a limit?
function M.is_limit_message(msg)
  return type(msg) == "string" and msg:find(": stopped at the [%a ]+ limit of [%d%.]+ [%a]+ %(%-%-script%-") ~= nil
end

-- run(text, name [, opts]) -> true, result | false, message, kind.
-- name: the file name used in messages and as the chunk name.  opts:
-- harness (a leastpriv module that runs the chunk, see script_harness),
-- modules (true: require finds Lua files in name's folder).  The message
-- is one line "name: ..." naming a limit and its flag when one was hit;
-- kind is "error" (the chunk raised or does not compile), "cpu", "memory"
-- or "result" (it returned something that is not data).
function M.run(text, name, opts)
  opts = opts or {}
  local limits = M.limits()
  local ok, a, b, c = core.sandbox_run {
    text = text, name = name, harness = opts.harness, loader = trusted_loader,
    dir = opts.modules and dirname(name) or nil,
    cpu = limits.timeout, memory = limits.memory * 1048576,
  }
  if ok then return true, a end
  if a == "cpu" then
    return false, ("%s: stopped at the CPU time limit of %s s (%s)"):format(
      name, limits.timeout, M.FLAGS.timeout), a
  elseif a == "memory" then
    return false, ("%s: stopped at the memory limit of %s MiB (%s)"):format(
      name, limits.memory, M.FLAGS.memory), a
  elseif a == "result" then
    return false, ("%s: the script returned %s%s: a script returns data (tables of strings, numbers and booleans)")
      :format(name, b, c ~= "" and (" at " .. c) or ""), a
  end
  b = tostring(b)
  if b:sub(1, #name + 1) ~= name .. ":" then b = name .. ": " .. b end
  return false, b, a
end

return M
