-- tools/bootstrap: installs only what is missing, only as root, and
-- otherwise prints the exact command.  Fake dpkg-query / id / apt-get on
-- PATH stand in for the system.
local cli = require "support.cli"

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  os.execute("chmod +x '" .. path .. "'")
end

-- A fake system where `missing` packages are not installed and the user
-- id is uid; apt-get records its arguments in DIR/apt.log.
local function fake_system(missing, uid)
  local dir = cli.tmpdir()
  local cases = {}
  for _, p in ipairs(missing) do cases[#cases + 1] = ('  "%s") exit 1 ;;'):format(p) end
  write(dir .. "/dpkg-query", ([[#!/bin/sh
for last; do :; done
case "$last" in
%s
esac
printf 'install ok installed'
]]):format(table.concat(cases, "\n")))
  write(dir .. "/id", ("#!/bin/sh\necho %d\n"):format(uid))
  write(dir .. "/apt-get", ('#!/bin/sh\necho "$@" >> "%s/apt.log"\n'):format(dir))
  return dir
end

local function bootstrap(dir)
  local p = io.popen(("PATH='%s':\"$PATH\" sh tools/bootstrap 2>&1; echo \"exit:$?\""):format(dir))
  local out = p:read("*a")
  p:close()
  return tonumber(out:match("exit:(%d+)\n$")), out:gsub("exit:%d+\n$", "")
end

describe("tools/bootstrap", function()
  it("does nothing, silently, when every package is installed", function()
    local dir = fake_system({}, 1000)
    local code, out = bootstrap(dir)
    assert.equal(0, code)
    assert.equal("", out)
    assert.is_nil(cli.read(dir .. "/apt.log"))
    cli.rm(dir)
  end)

  it("without root, prints the exact command for what is missing and fails", function()
    local dir = fake_system({ "lua-busted", "luarocks" }, 1000)
    local code, out = bootstrap(dir)
    assert.equal(1, code)
    assert.matches("missing Debian packages: lua-busted luarocks", out, 1, true)
    assert.matches("apt-get update && apt-get install -y lua-busted luarocks", out, 1, true)
    assert.is_nil(cli.read(dir .. "/apt.log"))
    cli.rm(dir)
  end)

  it("as root, installs only what is missing", function()
    local dir = fake_system({ "liblua5.4-dev" }, 0)
    local code = bootstrap(dir)
    assert.equal(0, code)
    local log = cli.read(dir .. "/apt.log")
    assert.matches("update", log, 1, true)
    assert.matches("install -y -qq --no-install-recommends liblua5.4-dev\n", log, 1, true)
    cli.rm(dir)
  end)
end)
