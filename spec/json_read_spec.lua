-- json_read.c: core.json_decode, the strict JSON reader.
local core = require "leastpriv.core"
local cjson = require "cjson"

local decode = core.json_decode

local function fixture(name)
  local f = assert(io.open("spec/fixtures/json/" .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- Lua 5.3+ has an integer subtype; before, every number is a float, and an
-- integral one is shown as an integer.
local mtype = math.type or function(n) return n == math.floor(n) and "integer" or "float" end

-- Expected dump text as this Lua shows it: before 5.3, "float:1" is "integer:1".
local function typed(s)
  if math.type then return s end
  return (s:gsub("float:(%-?%d+)([,%]}])", "integer:%1%2"))
end

-- A typed rendering of a decoded value: arrays (by their metatable) as [..],
-- objects as {k=..} in key order, numbers with their subtype.
local function dump(v)
  if v == core.null then return "null" end
  local t = type(v)
  if t == "table" then
    local parts = {}
    if getmetatable(v) == core.array_mt then
      for i = 1, #v do parts[i] = dump(v[i]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    assert(getmetatable(v) == nil, "objects must be plain tables")
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    for i, k in ipairs(keys) do parts[i] = ("%q=%s"):format(k, dump(v[k])) end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "number" then
    return mtype(v) .. ":" .. ("%.17g"):format(v)
  elseif t == "string" then
    return ("%q"):format(v)
  end
  return tostring(v)
end

-- Strip array metatables, for comparison with lua-cjson's plain tables.
local function plain(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = plain(x) end
  return t
end

-- The error message for text, asserting the nil, err shape.
local function err(text, opts)
  local v, e = decode(text, opts)
  assert.is_nil(v)
  assert.is_string(e)
  return e
end

describe("core.json_decode", function()

  describe("values", function()
    it("reads an object as a plain table", function()
      local v = decode('{"a": "x", "b": "y"}')
      assert.is_nil(getmetatable(v))
      assert.same({ a = "x", b = "y" }, v)
    end)

    it("reads an array as a sequence marked with core.array_mt", function()
      local v = decode('["a", "b"]')
      assert.equal(core.array_mt, getmetatable(v))
      assert.same({ "a", "b" }, v)
    end)

    it("keeps [] distinguishable from {}", function()
      assert.equal('{"a"=[],"o"={}}', dump(decode('{"a": [], "o": {}}')))
    end)

    it("reads null as the core.null sentinel", function()
      assert.equal(core.null, decode("null"))
      assert.equal("userdata", type(core.null))
    end)

    it("reads null inside arrays without making holes", function()
      local v = decode("[null, 1, null]")
      assert.equal(3, #v)
      assert.equal(core.null, v[3])
    end)

    it("reads true and false as booleans", function()
      assert.equal("[true,false]", dump(decode("[true,false]")))
    end)

    it("reads scalars at the top level", function()
      assert.equal('"x"', dump(decode('"x"')))
      assert.equal("integer:7", dump(decode(" 7 ")))
    end)

    it("reads nested structures", function()
      assert.equal('{"a"=[{"b"=[[]]},{}],"c"={"d"=null}}',
                   dump(decode('{"a":[{"b":[[]]},{}],"c":{"d":null}}')))
    end)

    it("accepts all four whitespace characters between tokens", function()
      assert.equal('{"a"=[integer:1]}', dump(decode(' \t\r\n{ \t\r\n"a"\n:\r[\t1\n]\r}\n ')))
    end)

    it("agrees with lua-cjson on the seed policies", function()
      for _, name in ipairs { "seed_execution_policy.json", "seed_trust_policy.json",
                              "conditions_policy.json", "trust_principals.json" } do
        local text = fixture(name)
        assert.same(cjson.decode(text), plain(decode(text)), name)
      end
    end)
  end)

  describe("numbers", function()
    it("reads integers as Lua integers", function()
      assert.equal("[integer:0,integer:-1,integer:42]", dump(decode("[0,-1,42]")))
    end)

    it("reads the extreme 64-bit integers exactly", function()
      if not math.type then return pending("no 64-bit integers before Lua 5.3") end
      local v = decode("[9223372036854775807,-9223372036854775808]")
      assert.equal(math.maxinteger, v[1])
      assert.equal(math.mininteger, v[2])
      assert.equal("integer", math.type(v[2]))
    end)

    it("reads integers beyond 64 bits as floats", function()
      local v = decode("[9223372036854775808,-9223372036854775809,123456789012345678901234]")
      if math.type then assert.equal("float", math.type(v[1])) end
      assert.equal(2.0 ^ 63, v[1])
      assert.equal(-(2.0 ^ 63), v[2])
      assert.equal(1.2345678901234568e23, v[3])
    end)

    it("reads -0 as a negative zero float", function()
      local z = decode("-0")
      if math.type then assert.equal("float", math.type(z)) end
      assert.equal(-math.huge, 1 / z)
    end)

    it("reads fractions as floats", function()
      assert.equal(typed("[float:0.5,float:-1.25,float:1]"), dump(decode("[0.5,-1.25,1.0]")))
    end)

    it("reads exponents in every form as floats", function()
      assert.equal(typed("[float:100,float:100,float:100,float:0.01,float:0]"),
                   dump(decode("[1e2,1E2,1e+2,1e-2,0e0]")))
    end)

    it("reads the closest double for long mantissas", function()
      assert.equal(0.1, decode("0.1000000000000000055511151231257827"))
    end)

    it("reads underflowing exponents as zero", function()
      assert.equal(0.0, decode("1e-400"))
    end)

    it("reads numbers with the C syntax under a locale with a decimal comma", function()
      local old = os.setlocale(nil, "numeric")
      local set = os.setlocale("de_DE.UTF-8", "numeric") or os.setlocale("fr_FR.UTF-8", "numeric")
      if not set then return pending("no locale with a decimal comma installed") end
      local ok, v = pcall(decode, "[2.5,1e-3]")
      os.setlocale(old, "numeric")
      assert.is_true(ok, v)
      assert.same({ 2.5, 0.001 }, plain(v))
    end)

    local bad = {
      { "leading zeros", "01", "1:1: leading zeros are not allowed" },
      { "leading zeros after a minus", "-012", "1:1: leading zeros are not allowed" },
      { "a fraction without digits", "1.", "1:3: expected a digit after '.'" },
      { "a fraction followed by an exponent without digits", "1.e5", "1:3: expected a digit after '.'" },
      { "a leading point", ".5", "1:1: unexpected character '.', expected a value" },
      { "a plus sign", "+1", "1:1: unexpected character '+', expected a value" },
      { "a lone minus", "-", "1:2: expected a digit after '-'" },
      { "a minus before a non-digit", "-x", "1:2: expected a digit after '-'" },
      { "an exponent without digits", "1e", "1:3: expected a digit in the exponent" },
      { "an exponent sign without digits", "[1e+]", "1:5: [0]: expected a digit in the exponent" },
      { "hexadecimal", "0x10", "1:2: unexpected character 'x', expected end of input after the document" },
      { "NaN", "NaN", "1:1: invalid literal 'NaN' (JSON has true, false and null)" },
      { "Infinity", "Infinity", "1:1: invalid literal 'Infinity' (JSON has true, false and null)" },
      { "-Infinity", "-Infinity", "1:2: expected a digit after '-'" },
      { "numbers that overflow a double", "[1e400]", "1:2: [0]: number out of range" },
      { "negative numbers that overflow a double", "-1e400", "1:1: number out of range" },
    }
    for _, case in ipairs(bad) do
      it("rejects " .. case[1], function()
        assert.equal(case[3], err(case[2]))
      end)
    end
  end)

  describe("strings", function()
    it("reads plain strings without copying escapes", function()
      assert.equal("arn:aws:s3:::bucket/*", decode('"arn:aws:s3:::bucket/*"'))
    end)

    it("decodes the two-character escapes", function()
      assert.equal("\"\\/\b\f\n\r\t", decode([["\"\\\/\b\f\n\r\t"]]))
    end)

    it("decodes \\u escapes to UTF-8", function()
      assert.equal("A\195\169\226\130\172", decode([["\u0041\u00e9\u20AC"]]))
    end)

    it("decodes \\u0000 to a NUL byte", function()
      assert.equal("a\0b", decode([["a\u0000b"]]))
    end)

    it("decodes a surrogate pair to one four-byte character", function()
      assert.equal("\240\159\152\128", decode([["\ud83d\ude00"]]))
    end)

    it("passes valid multibyte UTF-8 through", function()
      assert.equal("caf\195\169 \240\159\152\128", decode('"caf\195\169 \240\159\152\128"'))
    end)

    it("passes a raw DEL character through", function()
      assert.equal("\127", decode('"\127"'))
    end)

    it("reads long strings with escapes at both ends", function()
      local body = ("x"):rep(5000)
      assert.equal("\n" .. body .. "\t", decode('"\\n' .. body .. '\\t"'))
    end)

    local bad = {
      { "a lone high surrogate", [["\ud800"]], [[1:2: lone surrogate \ud800]] },
      { "a lone low surrogate", [["x\udc00"]], [[1:3: lone surrogate \udc00]] },
      { "a high surrogate followed by a non-surrogate escape", [["\ud800\u0041"]],
        [[1:2: lone surrogate \ud800]] },
      { "two high surrogates", [["\ud800\ud800"]], [[1:2: lone surrogate \ud800]] },
      { "two low surrogates", [["\udc00\udc00"]], [[1:2: lone surrogate \udc00]] },
      { "a surrogate pair in the wrong order", [["\udc00\ud800"]], [[1:2: lone surrogate \udc00]] },
      { "a \\u escape with fewer than four hex digits", [["\u12"]],
        [[1:2: invalid \u escape (expected 4 hex digits)]] },
      { "a \\u escape with a non-hex digit", [["\u12g4"]],
        [[1:2: invalid \u escape (expected 4 hex digits)]] },
      { "an unknown escape", [["\x41"]], [[1:2: invalid escape '\x']] },
      { "an escaped non-ASCII byte", '"\\\195\169"', [[1:2: invalid escape]] },
      { "a backslash at the end of input", '"ab\\', "1:4: unterminated string" },
      { "a raw newline in a string", '"a\nb"', "1:3: unescaped control character U+000A in string" },
      { "a raw tab in a string", '"a\tb"', "1:3: unescaped control character U+0009 in string" },
      { "a raw NUL in a string", '"a\0b"', "1:3: unescaped control character U+0000 in string" },
      { "an unterminated string, pointing at its start", '["ok", "abc', "1:8: [1]: unterminated string" },
      { "invalid UTF-8, pointing at the bad byte", '"ab\255c"', "1:4: invalid UTF-8" },
      { "an overlong encoding", '"\192\175"', "1:2: invalid UTF-8" },
      { "an encoded surrogate", '"\237\160\128"', "1:2: invalid UTF-8" },
      { "a truncated sequence before the closing quote", '"\226\130"', "1:2: invalid UTF-8" },
      { "invalid UTF-8 in a member name", '{"k\255": 1}', "1:4: invalid UTF-8" },
      { "single-quoted strings", "['a']", "1:2: [0]: strings take double quotes, not single" },
    }
    for _, case in ipairs(bad) do
      it("rejects " .. case[1], function()
        assert.equal(case[3], err(case[2]))
      end)
    end

    it("counts columns in characters, not bytes", function()
      assert.equal("1:5: invalid UTF-8", err('"\195\169\240\159\152\128\226\130\172\255"'))
    end)
  end)

  describe("syntax", function()
    local bad = {
      { "empty input", "", "1:1: empty document" },
      { "whitespace-only input", " \n  ", "2:3: empty document" },
      { "trailing commas in arrays", "[1,2,]", "1:5: trailing comma" },
      { "trailing commas in objects", '{"a":1,}', "1:7: trailing comma" },
      { "a comma with nothing before it", "[,1]", "1:2: [0]: unexpected character ',', expected a value" },
      { "a missing comma in an array", "[1 2]", "1:4: unexpected character '2', expected ',' or ']'" },
      { "a missing comma in an object", '{"a":1 "b":2}', "1:8: unexpected character '\"', expected ',' or '}'" },
      { "a missing colon", '{"a" 1}', "1:6: unexpected character '1', expected ':'" },
      { "a member without a value", '{"a":}', "1:6: a: unexpected character '}', expected a value" },
      { "unquoted member names", "{a:1}", "1:2: unexpected character 'a', expected a member name in double quotes" },
      { "non-string member names", "{1:1}", "1:2: unexpected character '1', expected a member name in double quotes" },
      { "line comments", "// c\n1", "1:1: comments are not allowed in JSON" },
      { "block comments", "[1/*c*/]", "1:3: comments are not allowed in JSON" },
      { "a comment in value position", "[/*c*/1]", "1:2: [0]: comments are not allowed in JSON" },
      { "trailing data after the document", '{"a":1} x',
        "1:9: unexpected character 'x', expected end of input after the document" },
      { "a second document", "[] []", "1:4: unexpected character '[', expected end of input after the document" },
      { "an unclosed array", "[1", "1:3: unexpected end of input, expected ',' or ']'" },
      { "an unclosed object", '{"a":1', "1:7: unexpected end of input, expected ',' or '}'" },
      { "a truncated member", '{"a"', "1:5: unexpected end of input, expected ':'" },
      { "a mismatched bracket", "[1}", "1:3: unexpected character '}', expected ',' or ']'" },
      { "misspelt literals", "tru", "1:1: invalid literal 'tru' (JSON has true, false and null)" },
      { "capitalised literals", "True", "1:1: invalid literal 'True' (JSON has true, false and null)" },
      { "literals run into letters", "nullx", "1:1: invalid literal 'nullx' (JSON has true, false and null)" },
      { "a byte order mark that is not at the start", " \239\187\1911",
        "1:2: unexpected character '\239\187\191', expected a value" },
      { "a form feed as whitespace", "\f1", "1:1: unexpected control character U+000C, expected a value" },
      { "a NUL byte between tokens", "[1,\0 2]", "1:4: [1]: unexpected control character U+0000, expected a value" },
      { "invalid UTF-8 between tokens", "[\255]", "1:2: [0]: invalid UTF-8" },
      { "a non-ASCII character between tokens", "[\195\169]", "1:2: [0]: unexpected character '\195\169', expected a value" },
    }
    for _, case in ipairs(bad) do
      it("rejects " .. case[1], function()
        assert.equal(case[3], err(case[2]))
      end)
    end

    it("skips a UTF-8 byte order mark at the start", function()
      assert.equal('{"a"=integer:1}', dump(decode('\239\187\191{"a":1}')))
    end)

    it("rejects a byte order mark with nothing after it", function()
      assert.equal("1:1: empty document", err("\239\187\191"))
    end)

    it("counts lines on \\n, \\r\\n and a lone \\r", function()
      assert.equal("4:1: unexpected character 'x', expected ',' or ']'", err("[1,\n2,\r\n3\rx]"))
    end)

    it("does not count a byte order mark as a column", function()
      assert.equal("1:3: unexpected character 'x', expected ',' or ']'", err("\239\187\191[1x]"))
    end)
  end)

  describe("duplicate keys", function()
    it("rejects a duplicate key at the top level with its line and column", function()
      assert.equal('1:10: duplicate key "a"', err('{"a": 1, "a": 2}'))
    end)

    it("names the path of the object that holds the duplicate", function()
      assert.equal('3:15: Statement[0]: duplicate key "Action"',
                   err('{"Statement": [\n  {"Effect": "Allow",\n "Action": 1, "Action": 2}]}'))
    end)

    it("treats escaped and literal spellings of a key as the same key", function()
      assert.equal('1:10: duplicate key "a"', err('{"a": 1, "\\u0061": 2}'))
    end)

    it("rejects a duplicate whose first value was null", function()
      assert.equal('1:13: duplicate key "k"', err('{"k": null, "k": 1}'))
    end)

    it("escapes control characters of the key in the message", function()
      assert.equal('1:10: duplicate key "a\\n"', err('{"a\\n":1,"a\\n":2}'))
    end)

    it("shortens very long keys in the message", function()
      local k = ("k"):rep(100)
      assert.equal('1:107: duplicate key "' .. ("k"):rep(64) .. '"...',
                   err('{"' .. k .. '":1,"' .. k .. '":2}'))
    end)

    it("quotes keys with dots in the path", function()
      assert.equal('1:30: Condition["a.b"]: duplicate key "x"',
                   err('{"Condition": {"a.b": {"x":1,"x":2}}}'))
    end)

    it("allows the same key in sibling objects", function()
      assert.same({ { a = 1 }, { a = 2 } }, plain(decode('[{"a":1},{"a":2}]')))
    end)
  end)

  describe("limits", function()
    it("reads arrays nested 64 deep", function()
      local v = decode(("["):rep(64) .. ("]"):rep(64))
      for _ = 1, 63 do v = v[1] end
      assert.equal("[]", dump(v))
    end)

    it("rejects arrays nested 65 deep, naming where", function()
      assert.equal("1:65: " .. ("[0]"):rep(64) .. ": nesting deeper than 64",
                   err(("["):rep(65) .. ("]"):rep(65)))
    end)

    it("rejects objects nested 65 deep", function()
      local e = err(('{"a":'):rep(65) .. "1" .. ("}"):rep(65))
      assert.equal("1:321: " .. ("a."):rep(63) .. "a" .. ": nesting deeper than 64", e)
    end)

    it("rejects hostile nesting quickly without exhausting the C stack", function()
      assert.matches("nesting deeper than 64$", err(("["):rep(1000000)))
    end)

    it("accepts a document of exactly 16 MiB", function()
      local n = 16 * 1024 * 1024
      assert.equal(n - 2, #decode('"' .. ("a"):rep(n - 2) .. '"'))
    end)

    it("rejects a document larger than 16 MiB", function()
      local n = 16 * 1024 * 1024
      assert.equal("1:1: document larger than 16 MiB", err('"' .. ("a"):rep(n - 1) .. '"'))
    end)
  end)

  describe("positions", function()
    local text = table.concat({
      '{',
      '  "Version": "2012-10-17",',
      '  "Statement": [',
      '    {"Sid": "\195\169t\195\169", "Action": ["s3:GetObject", "s3:PutObject"]}',
      '  ]',
      '}' }, "\n")

    it("returns a second table only when asked", function()
      assert.equal(1, select("#", decode(text)))
      assert.equal(1, select("#", decode(text, { positions = false })))
      assert.equal(2, select("#", decode(text, { positions = true })))
    end)

    it("maps the root to line 1, column 1", function()
      local _, pos = decode(text, { positions = true })
      assert.same({ 1, 1 }, pos[""])
    end)

    it("maps every element's path to the line and column of its first character", function()
      local _, pos = decode(text, { positions = true })
      assert.same({ 2, 14 }, pos["Version"])
      assert.same({ 3, 16 }, pos["Statement"])
      assert.same({ 4, 5 }, pos["Statement[0]"])
      assert.same({ 4, 13 }, pos["Statement[0].Sid"])
      assert.same({ 4, 31 }, pos["Statement[0].Action[0]"])
      assert.same({ 4, 47 }, pos["Statement[0].Action[1]"])
    end)

    it("maps PATH#key to the position of a member's name", function()
      local _, pos = decode(text, { positions = true })
      assert.same({ 2, 3 }, pos["Version#key"])
      assert.same({ 4, 6 }, pos["Statement[0].Sid#key"])
      assert.same({ 4, 20 }, pos["Statement[0].Action#key"])
    end)

    it("counts columns in characters after multibyte text", function()
      local _, pos = decode(text, { positions = true })
      assert.same({ 4, 30 }, pos["Statement[0].Action"])
    end)

    it("records nothing more than the elements and member names", function()
      local _, pos = decode(text, { positions = true })
      local n = 0
      for _ in pairs(pos) do n = n + 1 end
      assert.equal(12, n)
    end)

    it("counts CRLF as one line break after a byte order mark", function()
      local _, pos = decode(fixture("bom_crlf.json"), { positions = true })
      assert.same({ 1, 1 }, pos[""])
      assert.same({ 4, 63 }, pos["Statement[0].Resource"])
    end)

    it("records positions for elements of arrays nested in arrays", function()
      local _, pos = decode("[[1,\n [2]]]", { positions = true })
      assert.same({ 2, 3 }, pos["[0][1][0]"])
    end)

    it("returns nil and the error, not positions, on bad input", function()
      assert.equal("1:2: empty document", err(" ", { positions = true }))
    end)
  end)

  describe("fixtures with errors", function()
    local cases = {
      ["duplicate_action.json"] = '8:7: Statement[0]: duplicate key "Action"',
      ["bom_crlf_duplicate.json"] = '4:68: Statement[0]: duplicate key "Resource"',
      ["trailing_comma.json"] = "6:32: Statement[0].Action: trailing comma",
      ["comment.json"] = "2:3: comments are not allowed in JSON",
      ["single_quotes.json"] = "2:3: strings take double quotes, not single",
      ["invalid_utf8.json"] = "4:19: Statement[0].Sid: invalid UTF-8",
      ["lone_surrogate.json"] = "2:27: Statement[0].Sid: lone surrogate \\ud83d",
      ["truncated.json"] = "6:1: Statement[0]: unexpected end of input, expected ',' or '}'",
      ["two_documents.json"] =
        "4:1: unexpected character '{', expected end of input after the document",
    }
    local names = {}
    for name in pairs(cases) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do
      it("reports " .. name .. " with line, column and path", function()
        assert.equal(cases[name], err(fixture("invalid/" .. name)))
      end)
    end
  end)

  describe("arguments", function()
    it("raises when the text is not a string", function()
      assert.has_error(function() decode({}) end)
    end)

    it("raises when opts is not a table", function()
      assert.has_error(function() decode("1", true) end)
    end)
  end)

  describe("robustness", function()
    it("returns a value or a located error for every mutation of a policy", function()
      math.randomseed(4)
      local base = fixture("conditions_policy.json")
      local bytes = { "{", "}", "[", "]", ",", ":", '"', "\\", "u", "0", "-", ".", "e",
                      " ", "\n", "\0", "\255", "\233", "t", "n" }
      for _ = 1, 3000 do
        local s = base
        for _ = 1, math.random(1, 4) do
          local i = math.random(1, math.max(#s, 1))
          local op = math.random(3)
          if op == 1 then s = s:sub(1, i - 1) .. s:sub(i + 1)
          elseif op == 2 then s = s:sub(1, i - 1) .. bytes[math.random(#bytes)] .. s:sub(i)
          else s = s:sub(1, i) end
        end
        local ok, v, e = pcall(decode, s, { positions = math.random(2) == 1 })
        assert.is_true(ok, v)
        if v == nil then assert.matches("^%d+:%d+: ", e) end
      end
    end)
  end)
end)
