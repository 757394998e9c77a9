-- The rockspec must list every C source and every Lua module of the tree,
-- or `luarocks make` silently installs a broken module.
local function list(cmd)
  local out, p = {}, io.popen(cmd)
  for line in p:lines() do out[#out + 1] = line end
  p:close()
  table.sort(out)
  return out
end

local function load_rockspec(path)
  local env = {}
  local chunk = assert(loadfile(path or "rockspec/leastpriv-scm-1.rockspec", "t", env))
  local setfenv = rawget(_G, "setfenv")      -- Lua 5.1: loadfile takes no env
  if setfenv then setfenv(chunk, env) end
  chunk()
  return env
end

describe("rockspec", function()
  local spec = load_rockspec()

  it("is format 3.0 with the builtin backend", function()
    assert.equal("3.0", spec.rockspec_format)
    assert.equal("builtin", spec.build.type)
  end)

  it("depends on Lua 5.1 to 5.4 (LuaJIT included) only: lua-cjson and busted are for the specs", function()
    assert.same({ "lua >= 5.1, < 5.5" }, spec.dependencies)
    assert.same({ "lua-cjson", "busted" }, spec.test_dependencies)
  end)

  it("has a test section that luarocks test runs, through the Lua luarocks runs", function()
    assert.equal("command", spec.test.type)
    assert.equal("tools/luarocks-test.lua", spec.test.script)
    assert.truthy(io.open(spec.test.script))
  end)

  it("passes no compiler flags of its own (the builtin backend's, on any compiler)", function()
    local core = spec.build.modules["leastpriv.core"]
    assert.same({}, core.defines)
    assert.is_nil(core.libraries)
    assert.is_nil(spec.build.variables)
  end)

  it("lists every C source", function()
    local sources = {}
    for _, s in ipairs(spec.build.modules["leastpriv.core"].sources) do sources[#sources + 1] = s end
    table.sort(sources)
    assert.same(list("ls csrc/*.c"), sources)
  end)

  it("lists every Lua module under its module name", function()
    local listed = {}
    for name, path in pairs(spec.build.modules) do
      if type(path) == "string" then
        local expected = "lua/" .. name:gsub("%.", "/") .. ".lua"
        if name == "leastpriv" then expected = "lua/leastpriv/init.lua" end
        assert.equal(expected, path)
        listed[#listed + 1] = path
      end
    end
    table.sort(listed)
    assert.same(list("find lua -name '*.lua'"), listed)
  end)

  it("installs the leastpriv command", function()
    assert.equal("bin/leastpriv", spec.build.install.bin.leastpriv)
  end)
end)

describe("versioned rockspec", function()
  local version = require("leastpriv.core")._VERSION
  local path = ("rockspec/leastpriv-%s-1.rockspec"):format(version)

  it("exists for the version the core reports, and is the only versioned one", function()
    local p = io.popen("ls rockspec/*.rockspec")
    local names = {}
    for line in p:lines() do names[#names + 1] = line end
    p:close()
    assert.same({ path, "rockspec/leastpriv-scm-1.rockspec" }, names)
    assert.equal(version .. "-1", load_rockspec(path).version)
  end)

  it("is the scm rockspec with that version's release archive as its source", function()
    local scm, rel = load_rockspec(), load_rockspec(path)
    assert.same(scm.build, rel.build)
    assert.same(scm.dependencies, rel.dependencies)
    assert.same(scm.test_dependencies, rel.test_dependencies)
    assert.same(scm.test, rel.test)
    assert.equal(("https://github.com/leastpriv/leastpriv/archive/refs/tags/v%s.tar.gz"):format(version),
      rel.source.url)
    assert.equal("leastpriv-" .. version, rel.source.dir)
  end)

  it("is what tools/release-rockspec.lua generates (make rockspec)", function()
    local lua = os.getenv("LEASTPRIV_LUA") or "lua5.4"
    local ok = os.execute(lua .. " tools/release-rockspec.lua --check 2>/dev/null")
    assert.truthy(ok == true or ok == 0, path .. " is out of date: run make rockspec")
  end)

  it("names the version that leastpriv --version prints", function()
    local code, out = require("support.cli").run({ "--version" })
    assert.equal(0, code)
    assert.equal("leastpriv " .. version .. "\n", out)
  end)
end)
