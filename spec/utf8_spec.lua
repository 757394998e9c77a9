-- utf8.c: core.utf8_valid and the strict UTF-8 rules shared by the JSON code.
local core = require "leastpriv.core"

-- Expect s to be invalid with its first bad byte at offset pos.
local function invalid_at(s, pos)
  local ok, at = core.utf8_valid(s)
  assert.is_false(ok)
  assert.equal(pos, at)
end

describe("core.utf8_valid", function()
  it("accepts the empty string", function()
    assert.is_true(core.utf8_valid(""))
  end)

  it("accepts ASCII, NUL bytes and DEL included", function()
    assert.is_true(core.utf8_valid("arn:aws:s3:::bucket/*\0\127"))
  end)

  it("returns only true for a valid string", function()
    assert.equal(1, select("#", core.utf8_valid("abc")))
  end)

  it("accepts two-, three- and four-byte sequences", function()
    assert.is_true(core.utf8_valid("caf\195\169 \226\130\172 \240\159\152\128"))
  end)

  -- UTF-8 of code point cp, for Lua versions without utf8.char (before 5.3)
  local function u8(cp)
    local floor = math.floor
    if cp < 0x80 then return string.char(cp) end
    if cp < 0x800 then return string.char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
    if cp < 0x10000 then
      return string.char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
    end
    return string.char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64,
                       0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  local char = rawget(_G, "utf8") and utf8.char or u8

  it("accepts the boundary code points of every sequence length", function()
    for _, cp in ipairs { 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD,
                          0xFFFF, 0x10000, 0x10FFFF } do
      assert.is_true(core.utf8_valid("x" .. char(cp) .. "y"), ("U+%X"):format(cp))
    end
  end)

  it("rejects a lone continuation byte, giving its 1-based offset", function()
    invalid_at("abc\128", 4)
  end)

  it("rejects the overlong two-byte leads C0 and C1", function()
    invalid_at("\192\128", 1)
    invalid_at("a\193\191", 2)
  end)

  it("rejects overlong three-byte forms (E0 80..9F)", function()
    invalid_at("\224\128\128", 1)
    invalid_at("\224\159\191", 1)
  end)

  it("rejects overlong four-byte forms (F0 80..8F)", function()
    invalid_at("\240\128\128\128", 1)
    invalid_at("\240\143\191\191", 1)
  end)

  it("rejects UTF-16 surrogates encoded as UTF-8 (ED A0..BF)", function()
    invalid_at("ok\237\160\128", 3)
    invalid_at("\237\191\191", 1)
  end)

  it("rejects code points above U+10FFFF", function()
    invalid_at("\244\144\128\128", 1)
  end)

  it("rejects the bytes F5 to FF", function()
    for b = 0xF5, 0xFF do invalid_at(string.char(b, 0x80, 0x80, 0x80), 1) end
  end)

  it("rejects a sequence cut short by the end of the string", function()
    invalid_at("ab\226\130", 3)
    invalid_at("\240\159\152", 1)
  end)

  it("rejects a sequence cut short by an ASCII byte", function()
    invalid_at("\226\130A", 1)
  end)

  it("finds a bad byte after long ASCII runs (the word-at-a-time path)", function()
    for n = 0, 20 do invalid_at(("a"):rep(n) .. "\255" .. ("b"):rep(9), n + 1) end
  end)

  it("finds a bad byte after valid multibyte characters", function()
    invalid_at(("\195\169"):rep(5) .. "\191", 11)
  end)

  it("agrees with Lua's strict utf8.len on random byte strings", function()
    -- utf8.len is strict (no surrogates) from 5.4; before, there is no oracle
    if _VERSION < "Lua 5.4" then return pending("utf8.len is strict from Lua 5.4 on") end
    math.randomseed(8259)
    local alphabet = { 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2,
                       0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF }
    for _ = 1, 3000 do
      local bytes = {}
      for i = 1, math.random(1, 12) do bytes[i] = alphabet[math.random(#alphabet)] end
      local s = string.char(table.unpack(bytes))
      local n, bad = utf8.len(s)
      local ok, at = core.utf8_valid(s)
      if n then assert.is_true(ok, ("%q"):format(s))
      else assert.equal(bad, at, ("%q"):format(s)) end
    end
  end)

  it("raises on a non-string argument", function()
    assert.has_error(function() core.utf8_valid({}) end)
  end)
end)
