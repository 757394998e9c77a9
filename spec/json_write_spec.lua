-- json_write.c: core.json_encode and core.policy_json.
-- Expected texts in spec/fixtures/json/ were produced by JavaScript's
-- JSON.stringify(v, null, 2) (and JSON.stringify(v) for *.min.json).
local core = require "leastpriv.core"
local cjson = require "cjson"

local encode, decode, policy_json = core.json_encode, core.json_decode, core.policy_json

local function fixture(name)
  local f = assert(io.open("spec/fixtures/json/" .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function array(t) return setmetatable(t or {}, core.array_mt) end

-- Strip array metatables, for comparison with lua-cjson's plain tables.
local function plain(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = plain(x) end
  return t
end

-- A rendering of a value: arrays (by their metatable) as [..], numbers by
-- their value as a double (1.0 is written 1, as JavaScript does, and reads
-- back as the integer 1).
local function dump(v)
  if v == core.null then return "null" end
  local t = type(v)
  if t == "table" then
    local parts = {}
    if getmetatable(v) == core.array_mt then
      for i = 1, #v do parts[i] = dump(v[i]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    for i, k in ipairs(keys) do parts[i] = ("%q=%s"):format(k, dump(v[k])) end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "number" then
    return ("%.17g"):format(v)
  elseif t == "string" then
    return ("%q"):format(v)
  end
  return tostring(v)
end

-- The message of the error raised by f(...).
local function raised(f, ...)
  local ok, e = pcall(f, ...)
  assert.is_false(ok)
  return e
end

-- Random JSON-shaped data (arrays marked), for round trips.
local function random_value(depth)
  local r = math.random(depth > 3 and 6 or 8)
  if r == 1 then return math.random(-2 ^ 53, 2 ^ 53)
  elseif r == 2 then return (math.random() - 0.5) * 10 ^ math.random(-20, 20)
  elseif r == 3 then
    local pieces = { "a", "\195\169", "\240\159\152\128", "\"", "\\", "\n", "\0", "/", "\127", " " }
    local s = {}
    for i = 1, math.random(0, 8) do s[i] = pieces[math.random(#pieces)] end
    return table.concat(s)
  elseif r == 4 then return math.random(2) == 1
  elseif r == 5 then return core.null
  elseif r == 6 then return ("s"):rep(math.random(0, 3))
  elseif r == 7 then
    local t = array()
    for i = 1, math.random(0, 4) do t[i] = random_value(depth + 1) end
    return t
  else
    local t = {}
    for _ = 1, math.random(0, 4) do t["k" .. math.random(1, 50)] = random_value(depth + 1) end
    return t
  end
end

describe("core.json_encode", function()

  describe("scalars", function()
    it("writes booleans and core.null", function()
      assert.equal("true", encode(true))
      assert.equal("false", encode(false))
      assert.equal("null", encode(core.null))
    end)

    it("writes integers in decimal", function()
      assert.equal("42", encode(42))
      assert.equal("-7", encode(-7))
      if math.maxinteger then                -- 64-bit integers: Lua 5.3+
        assert.equal("9223372036854775807", encode(math.maxinteger))
        assert.equal("-9223372036854775808", encode(math.mininteger))
      end
    end)

    local floats = {
      { 1.0, "1" }, { -0.0, "0" }, { 0.1, "0.1" }, { -1.5, "-1.5" },
      { 123.456, "123.456" }, { 1 / 3, "0.3333333333333333" },
      { 1e20, "100000000000000000000" }, { 1e21, "1e+21" }, { 1.5e300, "1.5e+300" },
      { 1e-6, "0.000001" }, { 1e-7, "1e-7" }, { -2.5e-10, "-2.5e-10" },
      { 2.0 ^ 53, "9007199254740992" }, { 2.0 ^ 63, "9223372036854776000" },
      { 5e-324, "5e-324" }, { 2.2250738585072014e-308, "2.2250738585072014e-308" },
      { 1.7976931348623157e308, "1.7976931348623157e+308" },
    }
    for _, case in ipairs(floats) do
      it(("writes the float %.17g as JavaScript does: %s"):format(case[1], case[2]), function()
        assert.equal(case[2], encode(case[1]))
      end)
    end

    it("writes floats in a form that reads back to the same double", function()
      math.randomseed(754)
      local hexfloat = pcall(string.format, "%a", 1) and "%a" or "%.17g"  -- %a: not in 5.1
      local unpack = table.unpack or unpack
      for _ = 1, 5000 do
        local x
        if string.unpack then                -- a random bit pattern (5.3+)
          local bytes = {}
          for i = 1, 8 do bytes[i] = math.random(0, 255) end
          x = string.unpack("<d", string.char(unpack(bytes)))
        else                                 -- a random sign, mantissa and exponent
          x = (math.random() * 2 - 1) * 2.0 ^ math.random(-1074, 1023)
        end
        if x == x and x ~= math.huge and x ~= -math.huge then
          assert.equal(x, decode(encode(x)) + 0.0, hexfloat:format(x))
        end
      end
    end)

    it("writes floats with a point under a locale with a decimal comma", function()
      local old = os.setlocale(nil, "numeric")
      local set = os.setlocale("de_DE.UTF-8", "numeric") or os.setlocale("fr_FR.UTF-8", "numeric")
      if not set then return pending("no locale with a decimal comma installed") end
      local ok, text = pcall(encode, { 2.5, 1e-7, 0.1 }, { compact = true })
      os.setlocale(old, "numeric")
      assert.equal("[2.5,1e-7,0.1]", text)
      assert.is_true(ok)
    end)

    it("writes integral floats without a fraction, reading back as integers", function()
      assert.equal("3", encode(3.0))
      if math.type then assert.equal("integer", math.type(decode(encode(3.0)))) end
    end)

    it("raises on NaN", function()
      assert.equal("cannot encode NaN (JSON has no NaN or infinity)", raised(encode, 0 / 0))
    end)

    it("raises on infinities, naming the path", function()
      assert.equal("a[1]: cannot encode inf (JSON has no NaN or infinity)",
                   raised(encode, { a = { 1, math.huge } }))
      assert.equal("cannot encode -inf (JSON has no NaN or infinity)", raised(encode, -math.huge))
    end)
  end)

  describe("strings", function()
    it("escapes quote, backslash and the short control characters", function()
      assert.equal([["\"\\\b\f\n\r\t"]], encode("\"\\\b\f\n\r\t"))
    end)

    it("escapes other control characters as lowercase \\u00XX", function()
      assert.equal([["\u0000\u0001\u000b\u001f"]], encode("\0\1\11\31"))
    end)

    it("escapes every control character U+0000..U+001F and nothing else in ASCII", function()
      local short = { [8] = "\\b", [9] = "\\t", [10] = "\\n", [12] = "\\f", [13] = "\\r",
                      [34] = '\\"', [92] = "\\\\" }
      for c = 0, 127 do
        local want = short[c] or (c < 32 and ("\\u%04x"):format(c)) or string.char(c)
        assert.equal('"' .. want .. '"', encode(string.char(c)), "byte " .. c)
      end
    end)

    it("does not escape the slash", function()
      assert.equal([["arn:aws:logs:*:*:log-group:/aws/sagemaker/*"]],
                   encode("arn:aws:logs:*:*:log-group:/aws/sagemaker/*"))
    end)

    it("passes valid multibyte UTF-8, DEL and U+2028 through unescaped", function()
      local s = "caf\195\169 \240\159\152\128 \127 \226\128\168"
      assert.equal('"' .. s .. '"', encode(s))
    end)

    it("escapes long strings with control characters throughout", function()
      local s = ("ab\n"):rep(3000)
      assert.equal('"' .. ("ab\\n"):rep(3000) .. '"', encode(s))
    end)

    it("raises on invalid UTF-8, giving the 1-based byte", function()
      assert.equal("invalid UTF-8 at byte 2", raised(encode, "a\255"))
    end)

    it("raises on invalid UTF-8 with the path of the bad value", function()
      assert.equal("Statement[0].Action[1]: invalid UTF-8 at byte 4",
                   raised(encode, { Statement = { { Action = { "s3:x", "s3:\192\175" } } } }))
    end)

    it("raises on overlong and surrogate encodings", function()
      assert.equal("invalid UTF-8 at byte 1", raised(encode, "\237\160\128"))
      assert.equal("invalid UTF-8 at byte 1", raised(encode, "\224\128\128"))
    end)

    it("raises on invalid UTF-8 in a key, naming the object", function()
      assert.equal("a: invalid UTF-8 in key at byte 2", raised(encode, { a = { ["k\255"] = 1 } }))
    end)
  end)

  describe("tables", function()
    it("writes an empty plain table as {}", function()
      assert.equal("{}", encode({}))
    end)

    it("writes an empty table marked with core.array_mt as []", function()
      assert.equal("[]", encode(array()))
    end)

    it("writes a sequence as an array", function()
      assert.equal('[1,"two",true]', encode({ 1, "two", true }, { compact = true }))
    end)

    it("writes a marked array with elements", function()
      assert.equal("[1,2]", encode(array { 1, 2 }, { compact = true }))
    end)

    it("writes core.null inside arrays", function()
      assert.equal("[null,1]", encode({ core.null, 1 }, { compact = true }))
    end)

    it("ignores metatables other than core.array_mt", function()
      assert.equal('{"a":1}', encode(setmetatable({ a = 1 }, { __index = {} }), { compact = true }))
    end)

    it("orders IAM element keys first, in their canonical rank", function()
      local t = { Condition = 1, NotResource = 2, Resource = 3, NotAction = 4, Action = 5,
                  NotPrincipal = 6, Principal = 7, Effect = 8, Sid = 9, Statement = 10,
                  Id = 11, Version = 12 }
      assert.equal('{"Version":12,"Id":11,"Statement":10,"Sid":9,"Effect":8,"Principal":7,'
                   .. '"NotPrincipal":6,"Action":5,"NotAction":4,"Resource":3,"NotResource":2,'
                   .. '"Condition":1}', encode(t, { compact = true }))
    end)

    it("orders other keys bytewise after the IAM keys", function()
      local t = { b = 1, a = 2, B = 3, ["\195\169"] = 4, [""] = 5, aa = 6, Effect = 7 }
      assert.equal('{"Effect":7,"":5,"B":3,"a":2,"aa":6,"b":1,"\195\169":4}',
                   encode(t, { compact = true }))
    end)

    it("orders objects too large to sort on the C stack", function()
      local t, keys = {}, {}
      for i = 1, 200 do t["k" .. i] = i; keys[i] = "k" .. i end
      table.sort(keys)
      local parts = {}
      for i, k in ipairs(keys) do parts[i] = ('"%s":%d'):format(k, t[k]) end
      assert.equal("{" .. table.concat(parts, ",") .. "}", encode(t, { compact = true }))
    end)

    it("keeps the order of array items", function()
      assert.equal('["b","a","c"]', encode({ "b", "a", "c" }, { compact = true }))
    end)

    it("writes a table that appears twice without a cycle", function()
      local shared = { 1 }
      assert.equal("[[1],[1]]", encode({ shared, shared }, { compact = true }))
    end)

    it("raises on a table that contains itself", function()
      local t = {}
      t.self = t
      assert.equal("self: circular reference", raised(encode, t))
    end)

    it("raises on an indirect cycle", function()
      local a, b = {}, {}
      a.b = { b }
      b.a = a
      assert.equal("b[0].a: circular reference", raised(encode, a))
    end)

    it("writes values nested 64 deep", function()
      local t = {}
      for _ = 1, 63 do t = { t } end
      assert.equal(("["):rep(63) .. "{}" .. ("]"):rep(63), encode(t, { compact = true }))
    end)

    it("raises on values nested 65 deep", function()
      local t = {}
      for _ = 1, 64 do t = { t } end
      assert.equal(("[0]"):rep(64) .. ": nesting deeper than 64", raised(encode, t))
    end)

    it("raises on mixed array and object keys", function()
      assert.equal("x: table mixes array and object keys", raised(encode, { x = { 1, a = 2 } }))
    end)

    it("raises on sparse arrays", function()
      assert.equal("sparse array (keys must be 1..n)", raised(encode, { [1] = 1, [3] = 3 }))
      assert.equal("sparse array (keys must be 1..n)", raised(encode, { [0] = 1 }))
    end)

    it("raises on keys that are neither strings nor integers", function()
      assert.equal("cannot encode a table with a boolean key", raised(encode, { [true] = 1 }))
      assert.equal("cannot encode a table with a number key", raised(encode, { [1.5] = 1 }))
    end)

    it("raises on a marked array with string keys", function()
      assert.equal("array has non-index keys", raised(encode, array { a = 1 }))
    end)

    it("raises on functions, userdata, threads and nil, naming the path", function()
      assert.equal("f: cannot encode a function", raised(encode, { f = print }))
      assert.equal("[0]: cannot encode a userdata", raised(encode, { io.stdout }))
      assert.equal("cannot encode a thread", raised(encode, coroutine.create(function() end)))
      assert.equal("cannot encode a nil", raised(encode, nil))
    end)

    it("raises when called without a value", function()
      assert.has_error(function() encode() end)
    end)
  end)

  describe("formatting", function()
    local value = { b = { 1, {}, array() }, a = "x", Version = "v" }

    it("pretty-prints with two spaces like JSON.stringify(v, null, 2)", function()
      assert.equal('{\n  "Version": "v",\n  "a": "x",\n  "b": [\n    1,\n    {},\n    []\n  ]\n}',
                   encode(value))
    end)

    it("writes no whitespace at all in compact mode", function()
      assert.equal('{"Version":"v","a":"x","b":[1,{},[]]}', encode(value, { compact = true }))
    end)

    it("indents by opts.indent spaces", function()
      assert.equal('[\n    1,\n    [\n        2\n    ]\n]', encode({ 1, { 2 } }, { indent = 4 }))
    end)

    it("writes indent = 0 like compact mode", function()
      assert.equal(encode(value, { compact = true }), encode(value, { indent = 0 }))
    end)

    it("lets compact = true win over indent", function()
      assert.equal("[1]", encode({ 1 }, { indent = 4, compact = true }))
    end)

    it("writes compact = false like the default", function()
      assert.equal(encode(value), encode(value, { compact = false }))
    end)

    it("adds no trailing newline", function()
      assert.equal("}", encode({ a = 1 }):sub(-1))
    end)

    it("matches JSON.stringify output byte for byte", function()
      local v = decode(fixture("generic_values.json"))
      assert.equal(fixture("generic_values.json"), encode(v))
      assert.equal(fixture("generic_values.min.json"), encode(v, { compact = true }))
      assert.equal(fixture("generic_values.indent4.json"), encode(v, { indent = 4 }))
    end)

    it("raises on an indent out of 0..10 or not an integer", function()
      for _, bad in ipairs { -1, 11, 2.5, "2", true } do
        assert.has_error(function() encode({}, { indent = bad }) end)
      end
    end)

    it("raises on a compact option that is not a boolean", function()
      assert.has_error(function() encode({}, { compact = 1 }) end)
    end)

    it("raises when opts is not a table", function()
      assert.has_error(function() encode({}, "compact") end)
    end)
  end)

  describe("round trips", function()
    it("reads back what it writes, empty arrays and objects included", function()
      local v = { Version = "2012-10-17", list = array(), obj = {},
                  nested = array { array { {}, array { array() } }, { a = core.null, b = false } },
                  nums = array { 0, -1, 2.5, 1e300, math.maxinteger }, s = "\195\169\n\"" }
      assert.equal(dump(v), dump(decode(encode(v))))
      assert.equal(dump(v), dump(decode(encode(v, { compact = true }))))
    end)

    it("reads back random nested data", function()
      math.randomseed(2012)
      for _ = 1, 300 do
        local v = random_value(0)
        assert.equal(dump(v), dump(decode(encode(v))))
      end
    end)

    it("writes pretty text that lua-cjson reads as the same data", function()
      math.randomseed(10)
      for _ = 1, 300 do
        local v = random_value(0)
        assert.same(plain(v), cjson.decode(encode(v)))
      end
    end)

    it("rewrites JSON.stringify text unchanged", function()
      for _, name in ipairs { "seed_execution_policy.json", "seed_trust_policy.json",
                              "conditions_policy.json", "trust_principals.json" } do
        assert.equal(fixture(name), encode(decode(fixture(name))), name)
      end
    end)
  end)
end)

describe("core.policy_json", function()
  local seed = {
    Version = "2012-10-17",
    Statement = {
      { Sid = "S3DataAccess", Effect = "Allow",
        Action = { "s3:GetObject", "s3:PutObject", "s3:ListBucket" },
        Resource = { "arn:aws:s3:::your-ml-bucket", "arn:aws:s3:::your-ml-bucket/*" } },
      { Sid = "ECRImagePull", Effect = "Allow",
        Action = { "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                   "ecr:BatchCheckLayerAvailability", "ecr:GetAuthorizationToken" },
        Resource = { "*" } },
      { Sid = "CloudWatchLogs", Effect = "Allow",
        Action = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents" },
        Resource = { "arn:aws:logs:*:*:log-group:/aws/sagemaker/*" } },
    } }

  local seed_trust = { Version = "2012-10-17", Statement = {
    { Effect = "Allow", Principal = { Service = { "sagemaker.amazonaws.com" } },
      Action = { "sts:AssumeRole" } } } }

  -- The minimal canonical document around one statement.
  local function doc(st) return { Statement = { st } } end

  describe("canonical output", function()
    it("writes the seed's execution policy exactly as the seed has it", function()
      assert.equal(fixture("seed_execution_policy.json"), policy_json(seed))
    end)

    it("writes the seed's execution policy compactly", function()
      assert.equal(fixture("seed_execution_policy.min.json"), policy_json(seed, { compact = true }))
    end)

    it("writes the seed's trust policy exactly as the seed has it", function()
      assert.equal(fixture("seed_trust_policy.json"), policy_json(seed_trust))
      assert.equal(fixture("seed_trust_policy.min.json"), policy_json(seed_trust, { compact = true }))
    end)

    it("writes conditions, NotPrincipal and empty lists as the AWS examples do", function()
      local d = {
        Version = "2012-10-17", Id = "conditions-example",
        Statement = {
          { Sid = "ListPrefix", Effect = "Allow", Action = { "s3:ListBucket" },
            Resource = { "arn:aws:s3:::my-ml-training-data" },
            Condition = { StringLike = { ["s3:prefix"] = { "experiments/", "experiments/*" } } } },
          { Sid = "HomeDir", Effect = "Allow", Action = { "s3:GetObject", "s3:PutObject" },
            Resource = { "arn:aws:s3:::home/${aws:username}/*" },
            Condition = {
              StringEquals = { ["aws:RequestedRegion"] = { "eu-west-1" },
                               ["aws:PrincipalTag/team"] = { "ml \195\169 \"quoted\" tab\t end" } },
              IpAddress = { ["aws:SourceIp"] = { "10.0.0.0/8", "192.168.0.0/16" } },
              Bool = { ["aws:SecureTransport"] = { "true" } } } },
          { Sid = "DenyOthers", Effect = "Deny",
            NotPrincipal = { AWS = { "arn:aws:iam::111122223333:root",
                                     "arn:aws:iam::111122223333:role/admin" } },
            NotAction = { "iam:*" }, NotResource = {} },
        } }
      assert.equal(fixture("conditions_policy.json"), policy_json(d))
    end)

    it("writes principal maps in bytewise order and Principal \"*\" as a string", function()
      local d = { Version = "2012-10-17", Statement = {
        { Effect = "Allow", Action = { "sts:AssumeRole" },
          Principal = { Service = { "ec2.amazonaws.com", "sagemaker.amazonaws.com" },
                        Federated = { "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
                        AWS = { "arn:aws:iam::111122223333:root" } },
          Condition = { StringEquals = { ["aws:SourceAccount"] = { "111122223333" } } } },
        { Effect = "Allow", Principal = "*", Action = { "sts:AssumeRole" },
          Condition = { StringEquals = { ["sts:ExternalId"] = { "x" } } } } } }
      assert.equal(fixture("trust_principals.json"), policy_json(d))
    end)
  end)

  describe("collapsing", function()
    local function compact(st) return policy_json(doc(st), { compact = true }) end

    it("writes a one-element Action list as a bare string", function()
      assert.equal('{"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}',
                   compact { Effect = "Allow", Action = { "s3:GetObject" } })
    end)

    it("writes one-element NotAction, Resource and NotResource lists as bare strings", function()
      assert.equal('{"Statement":[{"Effect":"Deny","NotAction":"a","Resource":"r"}]}',
                   compact { Effect = "Deny", NotAction = { "a" }, Resource = { "r" } })
      assert.equal('{"Statement":[{"Effect":"Deny","Action":"a","NotResource":"n"}]}',
                   compact { Effect = "Deny", Action = { "a" }, NotResource = { "n" } })
    end)

    it("writes multi-element lists as arrays in the author's order", function()
      assert.equal('{"Statement":[{"Effect":"Allow","Action":["b:Y","a:X"]}]}',
                   compact { Effect = "Allow", Action = { "b:Y", "a:X" } })
    end)

    it("writes an empty list as []", function()
      assert.equal('{"Statement":[{"Effect":"Allow","Resource":[]}]}',
                   compact { Effect = "Allow", Resource = {} })
    end)

    it("accepts lists marked with core.array_mt", function()
      assert.equal('{"Statement":[{"Effect":"Allow","Action":"a"}]}',
                   compact { Effect = "Allow", Action = array { "a" } })
    end)

    it("always writes Statement as an array", function()
      assert.equal("[", policy_json(doc { Effect = "Allow" }, { compact = true }):match('"Statement":(.)'))
    end)

    it("writes one-element principal lists as bare strings", function()
      assert.equal('{"Statement":[{"Effect":"Allow","Principal":{"AWS":["1","2"],"Service":"s"}}]}',
                   compact { Effect = "Allow", Principal = { Service = { "s" }, AWS = { "1", "2" } } })
    end)

    it("writes one-element condition value lists as bare strings", function()
      assert.equal('{"Statement":[{"Effect":"Allow","Condition":{"Bool":{"k":"true"}}}]}',
                   compact { Effect = "Allow", Condition = { Bool = { k = { "true" } } } })
    end)

    it("sorts condition operators and keys bytewise", function()
      assert.equal('{"Statement":[{"Effect":"Allow","Condition":{"ArnLike":{"B":"1","a":"2"},'
                   .. '"StringEquals":{"x":"3"}}}]}',
                   compact { Effect = "Allow", Condition = { StringEquals = { x = { "3" } },
                                                             ArnLike = { a = { "2" }, B = { "1" } } } })
    end)

    it("writes Version, Id and Statement elements in canonical order", function()
      local d = { Statement = { { Condition = { Bool = { k = { "v" } } }, Resource = { "r" },
                                  Action = { "a" }, Principal = "*", Effect = "Allow", Sid = "S" } },
                  Id = "i", Version = "2012-10-17" }
      assert.equal('{"Version":"2012-10-17","Id":"i","Statement":[{"Sid":"S","Effect":"Allow",'
                   .. '"Principal":"*","Action":"a","Resource":"r","Condition":{"Bool":{"k":"v"}}}]}',
                   policy_json(d, { compact = true }))
    end)

    it("honours opts.indent", function()
      assert.equal('{\n    "Statement": [\n        {\n            "Effect": "Allow"\n        }\n    ]\n}',
                   policy_json(doc { Effect = "Allow" }, { indent = 4 }))
    end)

    it("writes text that reads back to the same IAM document", function()
      assert.same(cjson.decode(fixture("seed_execution_policy.json")),
                  plain(decode(policy_json(seed, { compact = true }))))
    end)
  end)

  describe("errors", function()
    local bad = {
      { "a bare string where a list belongs",
        doc { Effect = "Allow", Action = "s3:GetObject" }, "Statement[0].Action: expected a list of strings" },
      { "a list with holes",
        doc { Effect = "Allow", Resource = { [1] = "a", [3] = "b" } }, "Statement[0].Resource: expected a list of strings" },
      { "a non-string list item",
        doc { Effect = "Allow", Action = { "a", 1 } }, "Statement[0].Action[1]: expected a string, got number" },
      { "an unknown statement element",
        doc { Effect = "Allow", Acton = { "a" } }, "Statement[0].Acton: unknown element in a canonical policy" },
      { "an unknown document element",
        { Statment = {} }, "Statment: unknown element in a canonical policy" },
      { "a missing Statement", {}, "Statement: missing (required in a canonical policy)" },
      { "a missing Effect", doc { Action = { "a" } }, "Statement[0].Effect: missing (required in a canonical policy)" },
      { "a Statement that is a single object",
        { Statement = { Effect = "Allow" } }, "Statement: expected a list of statements" },
      { "a statement that is not a table",
        { Statement = { "x" } }, "Statement[0]: expected a statement, got string" },
      { "a non-string Effect", doc { Effect = true }, "Statement[0].Effect: expected a string, got boolean" },
      { "a non-string Version", { Version = 2012, Statement = {} }, "Version: expected a string, got number" },
      { "a Principal string other than *",
        doc { Effect = "Allow", Principal = "arn:aws:iam::1:root" },
        'Statement[0].Principal: expected "*" or a map of principal lists' },
      { "a principal value that is not a list",
        doc { Effect = "Allow", NotPrincipal = { AWS = "x" } }, "Statement[0].NotPrincipal.AWS: expected a list of strings" },
      { "a condition value that is not a list",
        doc { Effect = "Allow", Condition = { StringEquals = { k = "v" } } },
        "Statement[0].Condition.StringEquals.k: expected a list of strings" },
      { "a condition operator that is not a map",
        doc { Effect = "Allow", Condition = { StringEquals = "v" } },
        "Statement[0].Condition.StringEquals: expected a map of condition keys to lists of strings" },
      { "a Condition that is a list",
        doc { Effect = "Allow", Condition = { "x" } }, "Statement[0].Condition: expected a map of condition operators" },
      { "a document that is not a table", "x", "expected a policy document, got string" },
      { "invalid UTF-8 in a list item",
        doc { Effect = "Allow", Action = { "s3:x", "s3:\255" } }, "Statement[0].Action[1]: invalid UTF-8 at byte 4" },
      { "invalid UTF-8 in a condition key",
        doc { Effect = "Allow", Condition = { Bool = { ["k\255"] = { "v" } } } },
        "Statement[0].Condition.Bool: invalid UTF-8 in key at byte 2" },
    }
    for _, case in ipairs(bad) do
      it("raises on " .. case[1], function()
        assert.equal(case[3], raised(policy_json, case[2]))
      end)
    end

    it("raises on an unresolved var. placeholder, suggesting --set", function()
      assert.equal("Statement[0].Resource[0]: unresolved template variable var.bucket_name "
                   .. "(pass --set bucket_name=...)",
                   raised(policy_json, doc { Effect = "Allow",
                                             Resource = { "arn:aws:s3:::\248var.bucket_name\249/*" } }))
    end)

    it("raises on any other unresolved template expression", function()
      assert.equal("Statement[0].Condition.ArnLike.aws:SourceArn[1]: unresolved template expression "
                   .. "aws_sagemaker_domain.d.arn (substitute a value first)",
                   raised(policy_json, doc { Effect = "Allow", Condition = { ArnLike = {
                     ["aws:SourceArn"] = { "a", "\248aws_sagemaker_domain.d.arn\249" } } } }))
    end)

    it("raises on a placeholder in a Sid", function()
      assert.matches("^Statement%[0%]%.Sid: unresolved template variable var%.x ",
                     raised(policy_json, doc { Effect = "Allow", Sid = "\248var.x\249" }))
    end)

    it("raises on a placeholder in a condition key", function()
      assert.matches("^Statement%[0%]%.Condition%.Bool: unresolved template variable var%.k ",
                     raised(policy_json, doc { Effect = "Allow",
                                               Condition = { Bool = { ["\248var.k\249"] = { "v" } } } }))
    end)

    it("raises on a stray placeholder byte (not UTF-8)", function()
      assert.equal("Statement[0].Action[0]: invalid UTF-8 at byte 2",
                   raised(policy_json, doc { Effect = "Allow", Action = { "a\249" } }))
    end)

    it("raises on an unterminated placeholder", function()
      assert.equal("Statement[0].Action[0]: unbalanced template placeholder",
                   raised(policy_json, doc { Effect = "Allow", Action = { "a\248var.x" } }))
    end)

    -- issue 12: U+0001 and U+0002 in data are characters, not a placeholder
    it("escapes the control bytes of data", function()
      local out = policy_json(doc { Effect = "Allow", Action = { "iam:PassRole\1" },
                                    Principal = { AWS = { '\1"*"\2' } } })
      assert.matches([["AWS": "\u0001\"*\"\u0002"]], out, 1, true)
      assert.matches([["iam:PassRole\u0001"]], out, 1, true)
    end)
  end)
end)
