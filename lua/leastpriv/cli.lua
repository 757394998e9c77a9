-- The `leastpriv` command: dispatches `leastpriv NAME ...` to the module
-- leastpriv.cli.NAME (see docs/internal/contracts.md for its shape).
local args = require "leastpriv.cli.args"
local errors = require "leastpriv.errors"

local M = {}

-- Every command, in the order `leastpriv --help` lists them.
M.commands = { "render", "check", "simulate", "can", "expand", "describe", "actions",
               "diff", "minimize", "overgrant", "graph", "import", "explain-denied", "roles-for", "preflight" }

-- The commands that never run role scripts (catalog lookups); every other
-- command takes the script limits (leastpriv.sandbox.OPTIONS) besides its
-- own options, so a new command that reads roles gets them too.
M.no_scripts = { expand = true, describe = true, actions = true }

M.runs_scripts = setmetatable({}, { __index = function(_, name)
  return type(name) == "string" and not M.no_scripts[name]
end })

-- The options of command name: its own, and the script limits when it runs scripts.
local function options_of(name, cmd)
  local list = {}
  for _, o in ipairs(cmd.options or {}) do list[#list + 1] = o end
  if M.runs_scripts[name] then
    for _, o in ipairs(require("leastpriv.sandbox").OPTIONS) do list[#list + 1] = o end
  end
  return list
end

local function load_command(name)
  if type(name) ~= "string" or not name:match("^[%a][%w%-]*$") then return nil end
  local module = name:gsub("%-", "_")      -- explain-denied -> leastpriv.cli.explain_denied
  local ok, mod = pcall(require, "leastpriv.cli." .. module)
  if ok and type(mod) == "table" and mod.run then return mod end
  if not ok and not tostring(mod):find("module 'leastpriv.cli." .. module .. "' not found", 1, true) then
    error(mod, 0)
  end
end

local function suggest(name)
  local available = {}
  for _, c in ipairs(M.commands) do
    if load_command(c) then available[#available + 1] = c end
  end
  return require("leastpriv.util").did_you_mean(name, available)
end

function M.usage()
  local lines = {
    "usage: leastpriv COMMAND [OPTIONS] [ARGS]",
    "",
    "AWS IAM policy-as-code: write roles as Lua scripts, check them offline",
    "against the AWS catalog, simulate requests, render IAM JSON or Terraform.",
    "",
    "commands:",
  }
  for _, name in ipairs(M.commands) do
    local cmd = load_command(name)
    if cmd then
      lines[#lines + 1] = ("  %-10s %s"):format(name, cmd.summary or "")
    end
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "Run 'leastpriv COMMAND --help' for a command's options."
  lines[#lines + 1] = "Exit status: 0 success, 1 findings or denied, 2 usage or input error."
  return table.concat(lines, "\n")
end

-- Full help text of one command (named name).
function M.command_help(cmd, name)
  local text = cmd.usage or ""
  local options = name and options_of(name, cmd) or cmd.options or {}
  text = text .. "\n\noptions:\n" .. args.describe(options)
  if name and M.runs_scripts[name] then
    text = text .. "\n\nRole scripts run in a sandbox each (docs/trust.md); past a limit, that" ..
      "\nfile fails with exit status 2 and the others are still read."
  end
  return text
end

-- msg on one line, nothing cut: newlines and other control characters
-- (from a key or a value in the input) shown as escapes.
local function one_line(msg)
  msg = tostring(msg)
  return (msg:gsub("[%c]", function(c)
    if c == "\n" then return "\\n" elseif c == "\t" then return "\\t"
    elseif c == "\r" then return "\\r" end
    return ("\\u%04X"):format(c:byte())
  end))
end

-- main(argv, streams) -> exit code.  streams = { stdout =, stderr = }.
function M.main(argv, streams)
  streams = streams or { stdout = io.stdout, stderr = io.stderr }
  local out, err = streams.stdout, streams.stderr
  local name = argv[1]
  if name == nil then
    err:write(M.usage(), "\n")
    return 2
  end
  if name == "--help" or name == "-h" or name == "help" and argv[2] == nil then
    out:write(M.usage(), "\n")
    return 0
  end
  if name == "--version" then
    out:write("leastpriv ", require("leastpriv.core")._VERSION, "\n")
    return 0
  end
  if name == "help" then name = argv[2]; argv = { name, "--help" } end
  local cmd = load_command(name)
  if not cmd then
    err:write(("leastpriv: unknown command '%s'%s\n"):format(name, suggest(name)))
    err:write("Run 'leastpriv --help' for the list of commands.\n")
    return 2
  end
  local rest = {}
  for i = 2, #argv do rest[#rest + 1] = argv[i] end
  local trace
  local ok, result = xpcall(function()
    local opts, positional = args.parse(rest, options_of(name, cmd))
    if opts.help then
      out:write(M.command_help(cmd, name), "\n")
      return 0
    end
    if M.runs_scripts[name] then
      local sandbox = require "leastpriv.sandbox"
      sandbox.reset_limits()
      local limits = { timeout = opts["script-timeout"], memory = opts["script-memory"] }
      local set, bad = pcall(sandbox.set_limits, limits, "cli")
      if not set then error(args.fail(tostring(bad)), 0) end
    end
    return cmd.run(opts, positional, streams)
  end, function(e)
    if not args.is_failure(e) then trace = debug.traceback(tostring(e), 2) end
    return e
  end)
  if ok then return result or 0 end
  if args.is_failure(result) then
    err:write(("leastpriv %s: %s\n"):format(name, one_line(errors.strip(result.message))))
    for _, line in ipairs(result.details or {}) do err:write("  ", one_line(line), "\n") end
    if result.exit == 2 and result.message:find("option") then
      err:write(("Run 'leastpriv %s --help' for usage.\n"):format(name))
    end
    return result.exit
  end
  -- never a position inside leastpriv's sources; a runtime error there is a bug
  if errors.is_bug(result) then
    err:write(("leastpriv %s: internal error: %s\n"):format(name, one_line(errors.strip(result))))
    err:write(("hint: %s\n"):format(errors.HINT))
  else
    err:write(("leastpriv %s: %s\n"):format(name, one_line(errors.strip(result))))
  end
  if os.getenv("LEASTPRIV_DEBUG") and trace then err:write(trace, "\n") end
  return 2
end

return M
