-- The rock installs and tests as rocks do: `luarocks make` into any tree
-- gives a module and a `leastpriv` command that work from that tree alone
-- (no `luarocks path`, no LUA_PATH); the installed rock packs into a
-- binary rock that installs from the file alone into a fresh tree; and
-- `luarocks test` runs the busted suite.  Debian's lua-cjson and busted
-- are not rocks: rockspec/debian-provided.lua says they are provided.
local cli = require "support.cli"

local function sh(cmd)
  -- the tools run plainly: no make jobserver, and no sanitizer runtime that
  -- `make asan` preloads (it makes /usr/bin/make itself fail)
  local p = io.popen("unset MAKEFLAGS MFLAGS MAKELEVEL LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS; "
    .. cmd .. " 2>&1; echo \"exit:$?\"")
  local out = p:read("*a")
  p:close()
  local code = tonumber(out:match("exit:(%d+)\n$"))
  return code, (out:gsub("exit:%d+\n$", ""))
end

local have_luarocks = sh("command -v luarocks >/dev/null") == 0
local version = require("leastpriv.core")._VERSION
local versioned = ("rockspec/leastpriv-%s-1.rockspec"):format(version)
local cwd = io.popen("pwd"):read("*l")

-- The Lua under test, for luarocks: LuaJIT's luarocks is the 5.1 one.
local lua = os.getenv("LEASTPRIV_LUA") or "lua5.4"
local luaver = lua:match("lua(5%.%d)$") or (lua:match("luajit") and "5.1") or "5.4"

describe("luarocks", function()
  local tree, fresh, packdir

  setup(function()
    if not have_luarocks then return end
    tree, fresh, packdir = cli.tmpdir(), cli.tmpdir(), cli.tmpdir()
  end)

  teardown(function()
    for _, d in ipairs({ tree, fresh, packdir }) do if d then cli.rm(d) end end
  end)

  it("make installs a leastpriv command that finds its own tree, with no LUA_PATH", function()
    if not have_luarocks then return pending("luarocks not found: install spec skipped") end
    local code, out = sh(("luarocks --lua-version=5.4 --tree %q make %s"):format(tree, versioned))
    assert.equal(0, code, out)
    -- a fresh process outside the checkout, with no path set at all
    code, out = sh(("cd / && env -u LUA_PATH -u LUA_CPATH -u LUA_PATH_5_4 -u LUA_CPATH_5_4 "
      .. "%q/bin/leastpriv --version"):format(tree))
    assert.equal(0, code, out)
    assert.equal("leastpriv " .. version .. "\n", out)
    -- and a LUA_PATH naming another copy (this checkout) does not shadow it
    code, out = sh(("cd / && LUA_PATH='%s/lua/?.lua;;' %q/bin/leastpriv expand s3:GetObjec?")
      :format(cwd, tree))
    assert.equal(0, code, out)
    assert.matches("s3:GetObject", out, 1, true)
  end)

  it("installs the module for plain require from the tree's paths", function()
    if not have_luarocks then return pending("luarocks not found: install spec skipped") end
    local env = ("LUA_PATH='%s/share/lua/5.4/?.lua;%s/share/lua/5.4/?/init.lua;;' "
      .. "LUA_CPATH='%s/lib/lua/5.4/?.so;;'"):format(tree, tree, tree)
    local code, out = sh(("cd / && %s lua5.4 -e 'local lp = require \"leastpriv\"; "
      .. "io.write(package.searchpath(\"leastpriv.core\", package.cpath), \" \", lp.arn.parse(\"arn:aws:s3:::b\").service)'")
      :format(env))
    assert.equal(0, code, out)
    assert.matches("^" .. tree:gsub("%p", "%%%0") .. "/lib/lua/5%.4/leastpriv/core%.so s3$", out)
  end)

  it("packs the installed rock into a binary rock that installs from the file alone", function()
    if not have_luarocks then return pending("luarocks not found: install spec skipped") end
    local code, out = sh(("cd %q && luarocks --lua-version=5.4 --tree %q pack leastpriv %s-1")
      :format(packdir, tree, version))
    assert.equal(0, code, out)
    local rock = out:match("Packed: (%S+%.rock)")
    assert.truthy(rock, out)
    -- no rocks server, no source checkout: the rock file only
    code, out = sh(("cd / && luarocks --lua-version=5.4 --tree %q install %q")
      :format(fresh, rock))
    assert.equal(0, code, out)
    code, out = sh(("cd / && env -u LUA_PATH -u LUA_CPATH %q/bin/leastpriv describe s3:GetObject"):format(fresh))
    assert.equal(0, code, out)
    assert.matches("s3:GetObject", out, 1, true)
  end)

  it("test runs the busted suite under the Lua luarocks is asked for", function()
    if not have_luarocks then return pending("luarocks not found: install spec skipped") end
    local code, out = sh(("LUAROCKS_CONFIG=rockspec/debian-provided.lua luarocks --lua-version=%s "
      .. "test rockspec/leastpriv-scm-1.rockspec -- spec/glob_spec.lua"):format(luaver))
    assert.equal(0, code, out)
    assert.matches("busted %-%-lua=%S*lua" .. luaver:gsub("%.", "%%.") .. "'?", out)
    assert.matches("[1-9]%d* successes / 0 failures / 0 errors", out)
  end)

  it("test fails when a spec fails", function()
    if not have_luarocks then return pending("luarocks not found: install spec skipped") end
    local dir = cli.tmpdir()
    local f = assert(io.open(dir .. "/failing_spec.lua", "w"))
    f:write('it("fails", function() assert.equal(1, 2) end)\n')
    f:close()
    local code, out = sh(("LUAROCKS_CONFIG=rockspec/debian-provided.lua luarocks --lua-version=%s "
      .. "test rockspec/leastpriv-scm-1.rockspec -- %q"):format(luaver, dir .. "/failing_spec.lua"))
    cli.rm(dir)
    assert.is_not.equal(0, code, out)
    assert.matches("1 failure", out, 1, true)
  end)
end)
