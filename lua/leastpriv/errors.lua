-- Error messages as the user sees them: never a position inside
-- leastpriv's own sources (".../lua/leastpriv/analysis.lua:35: "), which
-- says nothing about the input and everything about the install.  A Lua
-- runtime error raised in leastpriv's code is a bug: the command line says
-- "internal error" with a hint, not a traceback.
local M = {}

-- The directory of leastpriv's Lua modules as chunk names spell it
-- (".../lua/leastpriv/"): every module is loaded through the same path.
local source = debug.getinfo(1, "S").source
local DIR = source:sub(1, 1) == "@" and source:sub(2):match("^(.*[/\\])[^/\\]*$") or nil

local function plain(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end
local DIR_PATTERN = DIR and plain(DIR) .. "[%w_/%.\\-]-%.lua:%d+: " or nil
-- chunk names Lua shortens to ".../lua/leastpriv/x.lua" in messages
local SHORT_PATTERN = "%.%.%.[^:\n]-leastpriv[/\\][%w_/\\]-%.lua:%d+: "

-- Messages of errors the Lua VM itself raises: a bug when they come from
-- leastpriv's code.
local RUNTIME = { "^attempt to ", "^bad argument #", "stack overflow", "^not enough memory",
                  "^table index is ", "^invalid key to 'next'", "^string length overflow",
                  "^number has no integer representation", "^invalid value %(at index",
                  "^wrong number of arguments", "^invalid option", "^too many results",
                  "^'for' %a+ must be a number", "^bad 'for' ", "^attempt to compare" }

-- Does msg start with a position inside leastpriv's sources?
function M.internal(msg)
  msg = tostring(msg)
  return (DIR_PATTERN and msg:find("^" .. DIR_PATTERN) ~= nil) or msg:find("^" .. SHORT_PATTERN) ~= nil
end

-- msg without any position inside leastpriv's sources (wherever in the
-- message it is: "file.lua:3: .../leastpriv/role.lua:12: ..." keeps the first).
function M.strip(msg)
  msg = tostring(msg)
  for _, p in ipairs({ SHORT_PATTERN, DIR_PATTERN }) do
    msg = msg:gsub("^" .. p, ""):gsub("(%s)" .. p, "%1")
  end
  return msg
end

-- Is msg a Lua runtime error raised in leastpriv's code (a bug)?
function M.is_bug(msg)
  if type(msg) ~= "string" then return true end
  -- without a position, a runtime error raised through a C function
  -- (an iterator, a library call) from leastpriv's code
  local positioned = msg:find("^[^\n]-:%d+: ") ~= nil
  if positioned and not M.internal(msg) then return false end
  local rest = M.strip(msg)
  for _, p in ipairs(RUNTIME) do
    if rest:find(p) then return true end
  end
  return false
end

M.HINT = "this is a bug in leastpriv: please report it with the command and the input "
  .. "that caused it (LEASTPRIV_DEBUG=1 prints the traceback)"

return M
