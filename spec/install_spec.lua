-- `luarocks make` installs the module and the command; both work from the
-- installed tree alone (lua-cjson comes from Debian, hence --deps-mode=none).
local cli = require "support.cli"

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1; echo \"exit:$?\"")
  local out = p:read("*a")
  p:close()
  local code = tonumber(out:match("exit:(%d+)\n$"))
  return code, (out:gsub("exit:%d+\n$", ""))
end

local have_luarocks = sh("command -v luarocks >/dev/null") == 0

describe("luarocks make", function()
  local tree

  setup(function()
    if not have_luarocks then return end
    tree = cli.tmpdir()
  end)

  teardown(function()
    if tree then cli.rm(tree) end
  end)

  it("installs the module and the leastpriv command into a tree", function()
    if not have_luarocks then return pending("luarocks not found: install spec skipped") end
    local code, out = sh(("luarocks --lua-version=5.4 --tree %q make --deps-mode=none "
      .. "rockspec/leastpriv-scm-1.rockspec"):format(tree))
    assert.equal(0, code, out)

    -- require from the installed tree only, in a fresh process
    local env = ("LUA_PATH='%s/share/lua/5.4/?.lua;%s/share/lua/5.4/?/init.lua;;' "
      .. "LUA_CPATH='%s/lib/lua/5.4/?.so;;'"):format(tree, tree, tree)
    code, out = sh(("cd / && %s lua5.4 -e 'local lp = require \"leastpriv\"; "
      .. "io.write(package.searchpath(\"leastpriv.core\", package.cpath), \" \", lp.arn.parse(\"arn:aws:s3:::b\").service)'")
      :format(env))
    assert.equal(0, code, out)
    assert.matches("^" .. tree:gsub("%p", "%%%0") .. "/lib/lua/5%.4/leastpriv/core%.so s3$", out)

    -- the command luarocks installs, with the tree's paths as `luarocks path` gives them
    code, out = sh(("cd / && %s %q/bin/leastpriv --help"):format(env, tree))
    assert.equal(0, code, out)
    assert.matches("usage: leastpriv COMMAND", out, 1, true)
  end)
end)
