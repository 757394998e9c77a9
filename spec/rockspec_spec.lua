-- The rockspec must list every C source and every Lua module of the tree,
-- or `luarocks make` silently installs a broken module.
local function list(cmd)
  local out, p = {}, io.popen(cmd)
  for line in p:lines() do out[#out + 1] = line end
  p:close()
  table.sort(out)
  return out
end

local function load_rockspec()
  local env = {}
  local chunk = assert(loadfile("rockspec/leastpriv-scm-1.rockspec", "t", env))
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

  it("depends on Lua 5.1 to 5.4 (LuaJIT included) and lua-cjson", function()
    assert.same({ "lua >= 5.1, < 5.5", "lua-cjson" }, spec.dependencies)
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
