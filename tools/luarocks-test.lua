-- `luarocks test`: luarocks runs this file with the Lua it was asked for
-- (`luarocks --lua-version=5.3 test` runs it under lua5.3), so the core is
-- built for that Lua and the busted suite runs under it: `make test
-- LUA=<that interpreter>`.  Arguments after `--` go to busted, e.g.
-- `luarocks test -- spec/arn_spec.lua`.  BUSTED names another busted.
local lua = arg[-1]
if not lua or lua == "" then
  io.stderr:write("luarocks-test: run by luarocks (or as `lua tools/luarocks-test.lua`)\n")
  os.exit(2)
end

-- One shell word, whatever it holds.
local function quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local busted_args = {}
for i = 1, #arg do busted_args[#busted_args + 1] = quote(arg[i]) end

local command = ("make --no-print-directory test LUA=%s"):format(quote(lua))
if #busted_args > 0 then
  command = command .. " BUSTED_ARGS=" .. quote(table.concat(busted_args, " "))
end
local busted = os.getenv("BUSTED")
if busted and busted ~= "" then command = command .. " BUSTED=" .. quote(busted) end

io.stderr:write("luarocks-test: ", command, "\n")
local ok, how, code = os.execute(command)
if type(ok) == "number" then code = ok ~= 0 and 1 or 0 end      -- Lua 5.1
if ok == true then code = 0 elseif how == "signal" then code = 128 + (code or 0) end
os.exit(code or 1)
