-- core.json_locate (positions of a few elements, found in one scan) and
-- core.json_size (IAM's character counts).
local core = require("leastpriv").core

describe("core.json_locate", function()
  local text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",\n'
    .. '     "Action": ["s3:GetObject", "s3:PutObject"],\n     "a.b": {"x y": "é", "k": 1}}\n  ]\n}'

  it("agrees with json_decode's positions on every element", function()
    local _, pos = core.json_decode(text, { positions = true })
    local want = {}
    for path in pairs(pos) do want[#want + 1] = path end
    local got = core.json_locate(text, want)
    for path, at in pairs(pos) do assert.same(at, got[path], path) end
  end)

  it("places a path that goes further than the document on its deepest element", function()
    local _, pos = core.json_decode(text, { positions = true })
    local got = core.json_locate(text, { "Statement[0].Action[1].Inner", "Statement[0].Resource",
                                         "Statement[5]", "Nope" })
    assert.same({ 5, 33 }, got["Statement[0].Action[1].Inner"])
    assert.same(pos["Statement[0].Action[1]"], got["Statement[0].Action[1].Inner"])
    assert.same(pos["Statement[0]"], got["Statement[0].Resource"])
    assert.same(pos["Statement"], got["Statement[5]"])
    assert.same({ 1, 1 }, got["Nope"])
  end)

  it("does not take S[1] for a prefix of S[11]", function()
    local t = '{"S": [' .. string.rep('1, ', 11) .. '{"a": 1}]}'
    local _, pos = core.json_decode(t, { positions = true })
    local got = core.json_locate(t, { "S[1].a", "S[11].a" })
    assert.same(pos["S[1]"], got["S[1].a"])
    assert.same(pos["S[11].a"], got["S[11].a"])
  end)

  it("counts columns in characters and skips a byte order mark", function()
    local got = core.json_locate('\239\187\191{"é": "x", "k": 1}', { "k", "k#key" })
    assert.same({ 1, 17 }, got.k)
    assert.same({ 1, 12 }, got["k#key"])
  end)

  it("stops quietly on malformed text, with what it found so far", function()
    assert.same({ b = { 1, 1 } }, core.json_locate('{"a": [1, 2', { "b" }))
  end)
end)

describe("core.json_size", function()
  it("counts characters without whitespace outside strings, and all of them", function()
    assert.same({ 17, 22 }, { core.json_size('{ "a b": "é" ,\n "c":1}') })
    assert.same({ 7, 7 }, { core.json_size('["\\"x"]') })
  end)
end)
