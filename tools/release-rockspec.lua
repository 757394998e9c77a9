-- Writes the versioned rockspec (rockspec/leastpriv-VERSION-1.rockspec)
-- from rockspec/leastpriv-scm-1.rockspec: the same build, for the version
-- that the core reports (csrc/core.c's _VERSION, the one source of truth,
-- which `leastpriv --version` prints), from that version's release archive.
--   lua5.4 tools/release-rockspec.lua [--check]
-- --check writes nothing and exits 1 when the committed file differs.
local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local version = read("csrc/core.c"):match('lua_pushliteral%(L, "(%d+%.%d+%.%d+)"%);%s*lua_setfield%(L, %-2, "_VERSION"%)')
if not version then
  io.stderr:write("release-rockspec: no _VERSION in csrc/core.c\n")
  os.exit(2)
end

local scm = read("rockspec/leastpriv-scm-1.rockspec")
local source = ([[
source = {
  url = "https://github.com/leastpriv/leastpriv/archive/refs/tags/v%s.tar.gz",
  dir = "leastpriv-%s",
}]]):format(version, version)
local text, n1 = scm:gsub('\nversion = "scm%-1"\n', ('\nversion = "%s-1"\n'):format(version), 1)
local n2
text, n2 = text:gsub("\nsource = %b{}", function() return "\n" .. source end, 1)
if n1 ~= 1 or n2 ~= 1 then
  io.stderr:write("release-rockspec: the scm rockspec has no version or source line to replace\n")
  os.exit(2)
end
text = "-- Generated from leastpriv-scm-1.rockspec by tools/release-rockspec.lua: do not edit.\n" .. text

local path = ("rockspec/leastpriv-%s-1.rockspec"):format(version)
if arg[1] == "--check" then
  local f = io.open(path, "rb")
  local old = f and f:read("*a")
  if f then f:close() end
  if old ~= text then
    io.stderr:write(path, " is out of date: run `make rockspec`\n")
    os.exit(1)
  end
  os.exit(0)
end
local f = assert(io.open(path, "wb"))
f:write(text)
f:close()
print(path)
