-- Command-line option parsing shared by every `leastpriv` command.
--
-- A command lists its options as { name =, arg =, multi =, choices =,
-- short =, help = }; options without `arg` are flags.  `--name value`,
-- `--name=value`, `-s value`, and `--` (end of options) are understood.
local M = {}

local Failure = {}
Failure.__index = Failure
Failure.__tostring = function(f) return f.message end

-- A usage or input error: the dispatcher prints it and exits with `exit`
-- (default 2); details: more lines printed after it (a list of findings).
function M.fail(message, exit, details)
  return setmetatable({ message = message, exit = exit or 2, details = details }, Failure)
end

function M.is_failure(x)
  return getmetatable(x) == Failure
end

local function find_option(options, name, short)
  for _, o in ipairs(options) do
    if (name and o.name == name) or (short and o.short == short) then return o end
  end
end

local function check_choice(o, value)
  if not o.choices then return end
  for _, c in ipairs(o.choices) do
    if c == value then return end
  end
  error(M.fail(("--%s must be one of %s, not %q"):format(
    o.name, table.concat(o.choices, ", "), value)), 0)
end

-- parse(argv, options) -> opts, positional.  Raises a failure on misuse.
-- `--help`/`-h` is always understood and sets opts.help.
function M.parse(argv, options)
  local opts, positional = {}, {}
  for _, o in ipairs(options) do
    if o.multi then opts[o.name] = {} end
  end
  local i, only_positional = 1, false
  while i <= #argv do
    local a = argv[i]
    if only_positional or a == "-" or a:sub(1, 1) ~= "-" then
      positional[#positional + 1] = a
    elseif a == "--" then
      only_positional = true
    elseif a == "--help" or a == "-h" then
      opts.help = true
    else
      local name, inline = a:match("^%-%-([^=]+)=(.*)$")
      local short
      if not name then
        name = a:match("^%-%-(.+)$")
        if not name then short = a:match("^%-(%a)$") end
      end
      local o = find_option(options, name, short)
      if not o then
        error(M.fail(("unknown option %s"):format(a)), 0)
      end
      local value
      if o.arg then
        if inline then
          value = inline
        else
          i = i + 1
          value = argv[i]
          if value == nil then
            error(M.fail(("--%s needs a value (%s)"):format(o.name, o.arg)), 0)
          end
        end
        check_choice(o, value)
      elseif inline then
        error(M.fail(("--%s takes no value"):format(o.name)), 0)
      else
        value = true
      end
      if o.multi then
        local list = opts[o.name]
        list[#list + 1] = value
      else
        opts[o.name] = value
      end
    end
    i = i + 1
  end
  for _, o in ipairs(options) do
    if opts[o.name] == nil and o.default ~= nil then opts[o.name] = o.default end
  end
  return opts, positional
end

-- The values of repeated --set NAME=VALUE options, as { NAME = "VALUE" };
-- raises a failure on a malformed one.
function M.sets(list)
  local values = {}
  for _, item in ipairs(list or {}) do
    local name, value = item:match("^([%a_][%w_]*)=(.*)$")
    if not name then error(M.fail(("--set %q must look like NAME=VALUE"):format(item)), 0) end
    values[name] = value
  end
  return values
end

-- The option list as help text lines, aligned.
function M.describe(options)
  local lines, width = {}, 0
  local heads = {}
  for i, o in ipairs(options) do
    local head = "  " .. (o.short and ("-" .. o.short .. ", ") or "") .. "--" .. o.name
    if o.arg then head = head .. " " .. o.arg end
    heads[i] = head
    if #head > width then width = #head end
  end
  for i, o in ipairs(options) do
    local help = o.help or ""
    if o.choices then help = help .. " (" .. table.concat(o.choices, "|") .. ")" end
    if o.default ~= nil and o.arg then help = help .. " [default: " .. tostring(o.default) .. "]" end
    lines[#lines + 1] = heads[i] .. string.rep(" ", width - #heads[i] + 2) .. help
  end
  lines[#lines + 1] = "  -h, --help" .. string.rep(" ", math.max(2, width - 12 + 2)) .. "show this help"
  return table.concat(lines, "\n")
end

return M
