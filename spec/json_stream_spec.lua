-- core.json_stream and core.json_stream_text (csrc/json_stream.c): a JSON
-- object read piece by piece, each piece with the line and column
-- json_decode gives it, at most `max` bytes a piece.
local core = require "leastpriv.core"

local ARRAYS = { A = true, RoleDetailList = true }

-- Every piece of text: { kind, key, index, text, line, column }..., and the
-- error (or nil).
local function pieces(text, opts)
  opts = opts or {}
  opts.arrays = opts.arrays or ARRAYS
  local s = core.json_stream_text(text, opts)
  local out = {}
  while true do
    local kind, key, index, piece, line, column = s:next()
    if not kind then return out, key end
    out[#out + 1] = { kind, key, index, piece, line, column }
  end
end

describe("core.json_stream_text", function()
  local TEXT = '{"A": [1, {"x": "y\\"]"}, [2]],\r\n "B": {"k": 1}, "RoleDetailList": [\n  {"a":1}\n], "C": []}'

  it("yields the elements of the named arrays and the other members whole, in order", function()
    local list, err = pieces(TEXT)
    assert.is_nil(err)
    assert.same({
      { "element", "A", 0, "1", 1, 8 },
      { "element", "A", 1, '{"x": "y\\"]"}', 1, 11 },
      { "element", "A", 2, "[2]", 1, 26 },
      { "member", "B", nil, '{"k": 1}', 2, 7 },
      { "element", "RoleDetailList", 0, '{"a":1}', 3, 3 },
      { "member", "C", nil, "[]", 4, 9 },
    }, list)
  end)

  it("puts every piece where json_decode's positions put it, whatever the read size", function()
    local _, pos = core.json_decode(TEXT, { positions = true })
    for _, chunk in ipairs { 1, 2, 3, 7, 65536 } do
      for _, p in ipairs(pieces(TEXT, { chunk = chunk })) do
        local path = p[3] and ("%s[%d]"):format(p[2], p[3]) or p[2]
        assert.same(pos[path], { p[5], p[6] }, path .. " with chunk " .. chunk)
        assert.is_truthy(core.json_decode(p[4]))
      end
    end
  end)

  it("counts columns in characters and lines ending in \\n, \\r or \\r\\n", function()
    local text = '{"é": 1,\r"A": [\r\n"ü", \n 2]}'
    local _, pos = core.json_decode(text, { positions = true })
    local list = pieces(text, { chunk = 2 })
    assert.same({ pos["é"][1], pos["é"][2] }, { list[1][5], list[1][6] })
    assert.same(pos["A[0]"], { list[2][5], list[2][6] })
    assert.same(pos["A[1]"], { list[3][5], list[3][6] })
  end)

  it("skips a byte order mark as json_decode does", function()
    local text = '\239\187\191{"A": [1]}'
    local _, pos = core.json_decode(text, { positions = true })
    assert.same({ { "element", "A", 0, "1", pos["A[0]"][1], pos["A[0]"][2] } }, (pieces(text)))
  end)

  it("refuses a piece over max bytes, naming it", function()
    local list, err = pieces('{"A": [1, "0123456789", 2]}', { max = 10, chunk = 4 })
    assert.same({ { "element", "A", 0, "1", 1, 8 } }, list)
    assert.equal("1:11: A[1]: larger than 10 bytes", err)
    assert.equal("1:7: B: larger than 3 bytes", select(2, pieces('{"B": [1, 2]}', { max = 3 })))
  end)

  it("refuses nesting deeper than json_decode reads", function()
    local deep = '{"A": [' .. string.rep("[", 62) .. string.rep("]", 62) .. "]}"
    assert.is_nil(select(2, pieces(deep)))
    assert.truthy(core.json_decode(deep))
    local deeper = '{"A": [' .. string.rep("[", 63) .. string.rep("]", 63) .. "]}"
    assert.matches("nesting deeper than 64$", select(2, pieces(deeper)))
    assert.is_nil(core.json_decode(deeper))
  end)

  it("reports bad structure with its place, then keeps returning the error", function()
    local cases = {
      ["[1]"] = "1:1: not a JSON object", [""] = "1:1: empty document",
      ['{"A": [1 2]}'] = "1:10: expected ',' or ']' after an element",
      ['{"A": [1]} x'] = "1:12: characters after the document",
      ['{"A": ["abc'] = "1:8: A[0]: unterminated string, array or object",
      ['{"A" 1}'] = "1:6: expected ':' after the member name",
      ['{1: 2}'] = "1:2: expected a member name",
      ['{"B": 1 "C": 2}'] = "1:9: expected ',' or '}' after a member",
      ['{"B": }'] = "1:7: unexpected character",
    }
    for text, want in pairs(cases) do
      local s = core.json_stream_text(text, { arrays = ARRAYS })
      local kind, err
      repeat kind, err = s:next() until not kind
      assert.equal(want, err, text)
      assert.same({ nil, want }, { s:next() })
    end
  end)

  it("an empty object and empty arrays yield nothing but members", function()
    assert.same({}, (pieces("{}")))
    assert.same({}, (pieces(' { "A" : [ ] } ')))
  end)

  it("raises on misuse", function()
    assert.has_error(function() core.json_stream_text(1, 2) end)
    assert.has_error(function() core.json_stream_text("{}", { max = 0 }) end)
    assert.has_error(function() core.json_stream_text("{}", { chunk = -1 }) end)
  end)
end)

describe("core.json_stream", function()
  it("reads a file, and says why it cannot", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write('{"RoleDetailList": [{"RoleName": "a"}, {"RoleName": "b"}]}')
    f:close()
    local s = core.json_stream(path, { arrays = ARRAYS })
    assert.same({ "element", "RoleDetailList", 0, '{"RoleName": "a"}', 1, 21 }, { s:next() })
    assert.same({ "element", "RoleDetailList", 1, '{"RoleName": "b"}', 1, 40 }, { s:next() })
    assert.same({}, { s:next() })
    s:close()
    assert.same({}, { s:next() })
    os.remove(path)
    local none, err = core.json_stream(path)
    assert.is_nil(none)
    assert.matches(": cannot read the file %(", err)
  end)
end)
