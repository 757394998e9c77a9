-- Error messages never show a position inside leastpriv's own sources
-- (lua/leastpriv/errors.lua, and the command line's last resort in
-- lua/leastpriv/cli.lua): a message raised there is shown without it, and a
-- Lua runtime error there (a bug) is one "internal error" line and a hint,
-- not a traceback.
local cli = require "support.cli"
local errors = require "leastpriv.errors"

-- The directory of the modules, as their chunk names spell it.
local DIR = debug.getinfo(require("leastpriv.util").name, "S").source:sub(2):match("^(.*/)[^/]*$")

-- A function whose chunk is a file of leastpriv's sources (by name), raising
-- what body raises.
local function internal(body)
  return assert((rawget(_G, "loadstring") or load)(body, "@" .. DIR .. "fake.lua"))
end

-- Run `leastpriv expand` with its run replaced by fn.
local function with_run(fn, argv)
  local cmd = require "leastpriv.cli.expand"
  local saved = cmd.run
  cmd.run = fn
  local ok, code, out, err = pcall(cli.run, argv or { "expand", "s3:Get*" })
  cmd.run = saved
  assert(ok, code)
  return code, out, err
end

describe("errors.strip, internal, is_bug", function()
  it("knows a position in leastpriv's sources from one in the user's", function()
    local _, msg = pcall(internal("local t; return t.x"))
    assert.equal(DIR .. "fake.lua:1: ", msg:sub(1, #DIR + 12))
    assert.is_true(errors.internal(msg))
    assert.is_true(errors.is_bug(msg))
    assert.equal(msg:sub(#DIR + 13), errors.strip(msg))
    assert.matches("^attempt to index ", errors.strip(msg))
    assert.is_false(errors.internal("roles/app.lua:3: attempt to index a nil value"))
    assert.is_false(errors.is_bug("roles/app.lua:3: attempt to index a nil value"))
    -- raised through a C function: no position at all, still a runtime error
    assert.is_true(errors.is_bug("attempt to index a nil value"))
    assert.is_false(errors.is_bug("t.json: not an IAM policy document"))
  end)

  it("a message leastpriv raised on purpose is no bug, only its position goes", function()
    local _, msg = pcall(internal("error('lp.grants: Statement[0]: must be a table')"))
    assert.is_false(errors.is_bug(msg))
    assert.equal("lp.grants: Statement[0]: must be a table", errors.strip(msg))
  end)

  it("strips internal positions inside a message and Lua's shortened chunk names", function()
    assert.equal("app.lua:3: lp.role: bad", errors.strip("app.lua:3: " .. DIR .. "role.lua:12: lp.role: bad"))
    assert.equal("lp.x: bad", errors.strip(".../wt/b/lua/leastpriv/analysis.lua:35: lp.x: bad"))
    assert.is_true(errors.internal(".../lua/leastpriv/analysis.lua:35: attempt to call a nil value"))
  end)
end)

describe("the command line on errors from inside leastpriv", function()
  it("a runtime error (a bug): one internal-error line and a hint, exit status 2", function()
    local code, out, err = with_run(function() return require("leastpriv.util").sorted_keys(nil) end)
    assert.equal(2, code)
    assert.equal("", out)
    local first, hint, rest = err:match("^([^\n]*)\n([^\n]*)\n(.*)$")
    assert.matches("^leastpriv expand: internal error: bad argument #1 to ", first)
    assert.equal("hint: " .. errors.HINT, hint)
    assert.equal("", rest)
    assert.not_matches("%.lua:%d", err)
    assert.not_matches("stack traceback", err)
  end)

  it("a message raised inside leastpriv with its position: the message alone", function()
    local code, _, err = with_run(internal("error('t.json: Statement[0]: must be a statement')"))
    assert.equal(2, code)
    assert.equal("leastpriv expand: t.json: Statement[0]: must be a statement\n", err)
  end)

  it("LEASTPRIV_DEBUG=1 adds the traceback for a bug report", function()
    local dir = cli.tmpdir()
    local script = dir .. "/bug.lua"
    local f = assert(io.open(script, "wb"))
    -- a launcher whose command raises inside leastpriv's sources
    f:write(([[
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = %q
local cmd = require "leastpriv.cli.expand"
cmd.run = function() return require("leastpriv.util").sorted_keys(nil) end
os.exit(require("leastpriv.cli").main({ "expand", "x" }))
]]):format(package.cpath))
    f:close()
    local lua = os.getenv("LEASTPRIV_LUA") or "lua5.4"
    local p = io.popen("LEASTPRIV_DEBUG=1 " .. lua .. " " .. script .. " 2>&1")
    local text = p:read("*a")
    p:close()
    cli.rm(dir)
    assert.matches("^leastpriv expand: internal error: ", text)
    assert.matches("stack traceback:", text, 1, true)
  end)
end)
