-- fuzz/support.lua: the Lua side of the fuzz targets in fuzz/*.c.
--
-- fuzz/harness.c runs this chunk once per process with leastpriv.core and
-- fail(msg) (prints and aborts); it returns the target functions, each
-- called with one fuzzer input as a string.  Every call into the core is
-- made under pcall: an error is a fine outcome for bad input.  Beyond "no
-- crash", each target checks invariants that hold for every input: what we
-- write we read back equal, entry points that must agree do, normalising
-- is idempotent and leaves its input alone.
local core, fail = ...

local ARRAY = core.array_mt
local T = {}

local function show(v)
  local s = ("%q"):format(tostring(v))
  return #s > 300 and s:sub(1, 300) .. "..." or s
end

local function check(cond, fmt, ...)
  if not cond then
    local args = table.pack(...)
    for i = 1, args.n do
      if type(args[i]) ~= "number" then args[i] = tostring(args[i]) end
    end
    fail(fmt:format(table.unpack(args, 1, args.n)))
  end
  return cond
end

-- Deep equality in JSON terms: same keys and values, arrays (array_mt)
-- and objects kept apart.  Returns true, or false and where they differ.
local function equal(a, b, path)
  path = path or "$"
  if type(a) ~= type(b) then
    return false, ("%s: %s vs %s"):format(path, type(a), type(b))
  end
  if type(a) ~= "table" then
    if a == b then return true end
    -- A float in [2^53, 2^63) with an integral value is written as
    -- JSON.stringify writes it, shortest digits ("922337203685477600" for
    -- 2^63 - 2^10), which read back as a nearby integer: the same double.
    if math.type(a) == "float" and math.type(b) == "integer" and a == b + 0.0 then return true end
    return false, ("%s: %s vs %s"):format(path, show(a), show(b))
  end
  if (getmetatable(a) == ARRAY) ~= (getmetatable(b) == ARRAY) then
    return false, path .. ": array vs object"
  end
  for k, v in pairs(a) do
    local ok, where = equal(v, rawget(b, k), path .. "." .. tostring(k))
    if not ok then return false, where end
  end
  for k in pairs(b) do
    if rawget(a, k) == nil then return false, path .. "." .. tostring(k) .. ": only on the right" end
  end
  return true
end

local function check_equal(a, b, what)
  local ok, where = equal(a, b)
  check(ok, "%s: differs at %s", what, where)
end

-- Is pred true of some string (key or value) inside v?
local function any_string(v, pred)
  if type(v) == "string" then return pred(v) end
  if type(v) == "table" then
    for k, x in pairs(v) do
      if any_string(k, pred) or any_string(x, pred) then return true end
    end
  end
  return false
end

-- Template placeholder bytes (0xF8 var.NAME 0xF9, which no UTF-8 text
-- holds): legal in documents, refused by the JSON writer, written as
-- ${var.NAME} by the HCL writer.  U+0001 and U+0002 are plain characters.
local OPEN, CLOSE = "\248", "\249"
local function has_placeholder(s) return s:find("[\248\249]") ~= nil end

-- Is every placeholder of s well formed (OPEN var.NAME CLOSE), with valid
-- UTF-8 between them?
local function wellformed(s)
  local rest = s:gsub(OPEN .. "var%.[%a_][%w_]*" .. CLOSE, "\0")
  for piece in (rest .. "\0"):gmatch("([^%z]*)%z") do
    if not core.utf8_valid(piece) then return false end
  end
  return true
end

local function lines(s)
  local out = {}
  for line in (s .. "\n"):gmatch("([^\n]*)\n") do out[#out + 1] = line end
  return out
end

-- The decoded document when s is JSON text holding an object or array.
local function decode_table(s)
  local ok, v = pcall(core.json_decode, s)
  check(ok, "json_decode raised: %s", v)
  if type(v) == "table" then return v end
  return nil
end

-- policy_normalize(doc): the canonical document, or nil and the message.
local function normalize(doc)
  local ok, n = pcall(core.policy_normalize, doc)
  if ok then return n end
  check(type(n) == "string", "policy_normalize raised a %s", type(n))
  return nil, n
end


-- ---- reading back our HCL (a strict subset: what the writer produces) ----

local function hcl_fail(text, pos, msg)
  fail(("cannot read back the HCL we wrote: %s at byte %d near %s\n%s")
    :format(msg, pos, show(text:sub(pos, pos + 30)), text))
end

local SIMPLE_ESCAPE = { n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\" }

-- The quoted template at text[pos] ('"'): its value and the position after.
-- "${" and "%{" must appear as the escapes "$${", "%%{", but for two
-- interpolations, read as terraform evaluates them: ${var.NAME} (the
-- placeholder back) and ${"literal"} (the literal's value).
local hcl_string
function hcl_string(text, pos)
  local out, i = {}, pos + 1
  while true do
    local _, run = text:find('^[^\\"$%%\n]+', i)
    if run then
      out[#out + 1] = text:sub(i, run)
      i = run + 1
    end
    local c = text:sub(i, i)
    if c == "" or c == "\n" then hcl_fail(text, i, "unterminated string") end
    if c == '"' then return table.concat(out), i + 1 end
    if c == "\\" then
      local e = text:sub(i + 1, i + 1)
      if SIMPLE_ESCAPE[e] then
        out[#out + 1] = SIMPLE_ESCAPE[e]
        i = i + 2
      elseif e == "u" or e == "U" then
        local n = e == "u" and 4 or 8
        local hex = text:sub(i + 2, i + 1 + n)
        if not hex:match("^" .. ("%x"):rep(n) .. "$") then hcl_fail(text, i, "bad \\u escape") end
        out[#out + 1] = utf8.char(tonumber(hex, 16))
        i = i + 2 + n
      else
        hcl_fail(text, i, "unknown escape")
      end
    elseif text:sub(i, i + 2) == "$${" or text:sub(i, i + 2) == "%%{" then
      out[#out + 1] = c .. "{"
      i = i + 3
    elseif text:find("^%${var%.[%a_][%w_]*}", i) then
      local name, after = text:match("^%${var%.([%a_][%w_]*)}()", i)
      out[#out + 1] = OPEN .. "var." .. name .. CLOSE
      i = after
    elseif text:sub(i, i + 2) == '${"' then
      local lit, after = hcl_string(text, i + 2)
      if text:sub(after, after) ~= "}" then hcl_fail(text, after, "expected } after a literal") end
      out[#out + 1] = lit
      i = after + 1
    elseif text:sub(i, i + 1) == "${" or text:sub(i, i + 1) == "%{" then
      hcl_fail(text, i, "template sequence in a literal string")
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
end

-- A parser over text; value(), body() and the helpers share its position.
local function hcl_parser(text)
  local P, pos = {}, 1
  local function ws() pos = text:find("[^ \n]", pos) or #text + 1 end
  local function spaces() pos = text:find("[^ ]", pos) or #text + 1 end
  local function peek() ws(); return text:sub(pos, pos) end
  function P.expect(tok)
    ws()
    if text:sub(pos, pos + #tok - 1) ~= tok then hcl_fail(text, pos, "expected " .. tok) end
    pos = pos + #tok
  end
  function P.ident()
    ws()
    local s, e = text:find("^[%a_][%w_%-]*", pos)
    if not s then hcl_fail(text, pos, "expected an identifier") end
    pos = e + 1
    return text:sub(s, e)
  end
  function P.string()
    ws()
    local s
    s, pos = hcl_string(text, pos)
    return s
  end
  local function key()
    if peek() == '"' then return P.string() end
    local k = P.ident()
    check(k ~= "true" and k ~= "false" and k ~= "null" and k ~= "for" and k ~= "in"
      and k ~= "if", "HCL object key %s written bare", k)
    return k
  end
  -- An object: one line "{ k = v, k = v }" or one member per line.
  local function object()
    P.expect("{")
    spaces()
    local multi = text:sub(pos, pos) == "\n"
    local t = {}
    while peek() ~= "}" do
      local k = key()
      P.expect("=")
      if t[k] ~= nil then hcl_fail(text, pos, "duplicate key " .. show(k)) end
      t[k] = P.value()
      spaces()
      local sep = text:sub(pos, pos)
      if multi then
        if sep ~= "\n" then hcl_fail(text, pos, "expected a newline after a member") end
      elseif sep == "," then
        pos = pos + 1
      elseif sep ~= "}" then
        hcl_fail(text, pos, "expected ',' or '}' in a one-line object")
      end
    end
    pos = pos + 1
    return t
  end
  local function list()
    P.expect("[")
    local t = setmetatable({}, ARRAY)
    while peek() ~= "]" do
      t[#t + 1] = P.value()
      spaces()
      local sep = text:sub(pos, pos)
      if sep == "," then pos = pos + 1
      elseif sep ~= "\n" and sep ~= "]" then hcl_fail(text, pos, "expected ',' or ']'") end
    end
    pos = pos + 1
    return t
  end
  function P.value()
    local c = peek()
    if c == '"' then return P.string() end
    if c == "{" then return object() end
    if c == "[" then return list() end
    hcl_fail(text, pos, "expected a value")
  end
  -- Items of a block body up to '}' or the end: {attr=, value=} or
  -- {block=, labels=, body=}.
  function P.body()
    local items = {}
    while peek() ~= "}" and peek() ~= "" do
      local name = P.ident()
      spaces()
      if text:sub(pos, pos) == "=" then
        pos = pos + 1
        items[#items + 1] = { attr = name, value = P.value() }
        spaces()
        if text:sub(pos, pos) ~= "\n" then hcl_fail(text, pos, "expected a newline after an attribute") end
      else
        local labels = {}
        while peek() == '"' do labels[#labels + 1] = P.string() end
        P.expect("{")
        local b = P.body()
        P.expect("}")
        items[#items + 1] = { block = name, labels = labels, body = b }
      end
    end
    return items
  end
  function P.finish()
    ws()
    if pos <= #text then hcl_fail(text, pos, "trailing text") end
  end
  return P
end

-- The policy inside `jsonencode({...})`.
local function hcl_read_jsonencode(text)
  local P = hcl_parser(text)
  P.expect("jsonencode(")
  local doc = P.value()
  P.expect(")")
  P.finish()
  return doc
end

local DOC_ATTRS = { sid = "Sid", effect = "Effect", actions = "Action", not_actions = "NotAction",
                    resources = "Resource", not_resources = "NotResource" }

-- The policy inside `data "aws_iam_policy_document" "p" {...}`.
local function hcl_read_document(text)
  local P = hcl_parser(text)
  local items = P.body()
  P.finish()
  local data = items[1]
  check(#items == 1 and data.block == "data" and data.labels[1] == "aws_iam_policy_document",
        "document style: not one data block:\n%s", text)
  local doc, statements = {}, setmetatable({}, ARRAY)
  for _, it in ipairs(data.body) do
    if it.attr == "version" then doc.Version = it.value
    elseif it.attr == "policy_id" then doc.Id = it.value
    elseif it.block == "statement" then
      local st = {}
      for _, m in ipairs(it.body) do
        local a = {}
        if m.body then for _, x in ipairs(m.body) do a[x.attr] = x.value end end
        if m.attr then
          check(DOC_ATTRS[m.attr], "document style: unknown attribute %s", m.attr)
          st[DOC_ATTRS[m.attr]] = m.value
        elseif m.block == "principals" or m.block == "not_principals" then
          local el = m.block == "principals" and "Principal" or "NotPrincipal"
          if a.type == "*" then
            st[el] = "*"
          else
            st[el] = st[el] or {}
            st[el][a.type] = a.identifiers
          end
        elseif m.block == "condition" then
          st.Condition = st.Condition or {}
          st.Condition[a.test] = st.Condition[a.test] or {}
          st.Condition[a.test][a.variable] = a.values
        else
          fail("document style: unknown block " .. tostring(m.block))
        end
      end
      statements[#statements + 1] = st
    else
      fail("document style: unknown item " .. tostring(it.attr or it.block))
    end
  end
  doc.Statement = statements
  return doc
end

-- What the document style can say of canonical policy n: an empty
-- Principal map, an empty Condition and an operator with no keys write no
-- block at all, so they read back as absent.
local function document_view(n)
  local out = {}
  for k, v in pairs(n) do out[k] = v end
  -- no Version is written as what IAM reads it as (the provider would add
  -- "2012-10-17")
  out.Version = out.Version or "2008-10-17"
  local sts = setmetatable({}, ARRAY)
  for i, st in ipairs(n.Statement) do
    local c = {}
    for k, v in pairs(st) do c[k] = v end
    for _, el in ipairs { "Principal", "NotPrincipal" } do
      if type(c[el]) == "table" and next(c[el]) == nil then c[el] = nil end
    end
    if c.Condition then
      local cond = {}
      for op, keys in pairs(c.Condition) do
        if next(keys) ~= nil then cond[op] = keys end
      end
      c.Condition = next(cond) ~= nil and cond or nil
    end
    sts[i] = c
  end
  out.Statement = sts
  return out
end


-- ---- targets ----

-- core.json_decode, with and without positions, and core.json_encode of
-- what it read.
function T.json_read(s)
  local ok, v, err = pcall(core.json_decode, s)
  check(ok, "json_decode raised: %s", v)
  local ok2, v2, pos = pcall(core.json_decode, s, { positions = true })
  check(ok2, "json_decode with positions raised: %s", v2)
  if v == nil then
    check(type(err) == "string" and err:match("^%d+:%d+: ."), "error without LINE:COL: %s", show(err))
    check(v2 == nil and pos == err, "positions changed the error: %s vs %s", show(err), show(pos))
    return
  end
  check_equal(v, v2, "json_decode with positions")
  check(type(pos) == "table" and type(pos[""]) == "table", "no position for the root")
  for k, p in pairs(pos) do
    check(type(k) == "string" and math.type(p[1]) == "integer" and p[1] >= 1
      and math.type(p[2]) == "integer" and p[2] >= 1, "bad position for %s", show(k))
  end
  for _, opts in ipairs { {}, { compact = true }, { indent = 4 } } do
    local okw, text = pcall(core.json_encode, v, opts)
    check(okw, "json_encode raised on a decoded value: %s", text)
    check(core.utf8_valid(text), "json_encode wrote invalid UTF-8")
    local back, berr = core.json_decode(text)
    check(back ~= nil, "json_decode refuses what json_encode wrote: %s\n%s", berr, text)
    check_equal(v, back, "json_decode(json_encode(v))")
  end
end

-- core.json_locate (when the module has it): for every element, the place
-- json_decode's positions give (paths up to 500 bytes: longer keys and
-- paths are out of its scope); core.json_size: no crash.
function T.json_locate(s)
  if not core.json_locate then return end
  local ok, v, pos = pcall(core.json_decode, s, { positions = true })
  check(ok, "json_decode raised: %s", v)
  local oks, tight, total = pcall(core.json_size, s)
  check(oks and math.type(tight) == "integer" and math.type(total) == "integer"
        and tight <= total, "json_size: %s %s", tight, total)
  local paths = {}
  if v == nil then                       -- malformed: any answer, but no crash
    paths = { "", "Statement", "Statement[0]", "Statement[0].Action#key", "a.b[1]" }
  else
    for p in pairs(pos) do
      if #p <= 500 then paths[#paths + 1] = p end
    end
    table.sort(paths)
  end
  local okl, loc = pcall(core.json_locate, s, paths)
  check(okl and type(loc) == "table", "json_locate raised: %s", loc)
  if v == nil then return end
  for _, p in ipairs(paths) do
    local a, b = pos[p], loc[p]
    check(b and a[1] == b[1] and a[2] == b[2], "json_locate puts %s at %s:%s, json_decode at %d:%d",
          show(p), b and b[1], b and b[2], a[1], a[2])
  end
end

-- core.json_stream_text: the first byte picks the read size (1 to 16
-- bytes), the second the piece limit (none, or 1 to 255 bytes), the rest is
-- the text; streamed lists: "A", "RoleDetailList".  Checks: never raises;
-- pieces are well-formed, in order, within the limit, the same at every
-- read size; an error is "LINE:COL: message" and stays; for text that
-- json_decode reads as an object, a stream without limit ends cleanly and
-- each piece is the value json_decode has at that path, where its
-- positions put it.
local STREAM_ARRAYS = { A = true, RoleDetailList = true }

local function stream_all(text, opts)
  local s = core.json_stream_text(text, opts)
  local out = {}
  for _ = 1, #text + 2 do
    local r = { s:next() }
    if r[1] == nil then
      local again = { s:next() }
      check(again[1] == nil and again[2] == r[2], "the stream's end is not final: %s then %s", show(r[2]), show(again[2]))
      return out, r[2]
    end
    out[#out + 1] = r
  end
  check(false, "more pieces than bytes")
end

function T.json_stream(s)
  if #s < 2 or not core.json_stream_text then return end
  local chunk, limit, text = s:byte(1) % 16 + 1, s:byte(2), s:sub(3)
  local opts = { arrays = STREAM_ARRAYS, chunk = chunk, max = limit > 0 and limit or nil }
  local ok, pieces, err = pcall(stream_all, text, opts)
  check(ok, "json_stream raised: %s", pieces)
  check(err == nil or (type(err) == "string" and err:match("^%d+:%d+: .")), "error %s", show(err))
  for i, p in ipairs(pieces) do
    local kind, key, idx, piece, line, col = p[1], p[2], p[3], p[4], p[5], p[6]
    check(kind == "element" or kind == "member", "piece %d: kind %s", i, show(kind))
    check(type(key) == "string" and type(piece) == "string" and #piece > 0, "piece %d: %s %s", i, show(key), show(piece))
    check(#piece <= (opts.max or 16 * 1024 * 1024), "piece %d has %d bytes, over %s", i, #piece, show(opts.max))
    check(math.type(line) == "integer" and line >= 1 and math.type(col) == "integer" and col >= 1,
          "piece %d at %s:%s", i, show(line), show(col))
    if kind == "element" then
      -- 0 for a member's first element, else one after the piece before
      local prev = pieces[i - 1]
      check(STREAM_ARRAYS[key] and (idx == 0 or (prev and prev[1] == "element" and prev[2] == key
            and prev[3] == idx - 1)), "piece %d: %s[%s] after %s", i, key, show(idx), show(prev and prev[3]))
    else
      check(idx == nil, "member %s has index %s", key, show(idx))
    end
  end
  -- the same at the largest read size
  local ok2, pieces2, err2 = pcall(stream_all, text, { arrays = STREAM_ARRAYS, max = opts.max })
  check(ok2, "json_stream raised: %s", pieces2)
  check_equal(pieces, pieces2, "pieces at read size " .. chunk .. " and 65536")
  check(err == err2, "errors at read size %d and 65536: %s, %s", chunk, show(err), show(err2))
  -- against json_decode
  local v, pos = core.json_decode(text, { positions = true })
  if type(v) ~= "table" or getmetatable(v) == ARRAY or text:match("^%s*%[") then return end
  local full, ferr = stream_all(text, { arrays = STREAM_ARRAYS })
  check(ferr == nil, "json_decode reads the object, json_stream says %s", show(ferr))
  local seen = {}
  for _, p in ipairs(full) do seen[p[2]] = (seen[p[2]] or 0) + (p[1] == "member" and 1 or 0) end
  for _, p in ipairs(full) do
    local kind, key, idx, piece, line, col = p[1], p[2], p[3], p[4], p[5], p[6]
    -- names that are paths as they stand (no escapes, no dots or brackets)
    if key:match("^[%w_]+$") and seen[key] <= 1 then
      local path = kind == "element" and ("%s[%d]"):format(key, idx) or key
      local at = pos[path]
      if at and (kind == "member" or seen[key] == 0) then
        check(at[1] == line and at[2] == col, "%s: json_decode at %d:%d, json_stream at %d:%d",
              show(path), at[1], at[2], line, col)
        local want = kind == "element" and v[key] and v[key][idx + 1] or v[key]
        check_equal(core.json_decode(piece), want, "the piece at " .. path)
      end
    end
  end
end

-- core.policy_normalize of decoded JSON: idempotent, input untouched.
function T.policy_normalize(s)
  local doc = decode_table(s)
  if not doc then return end
  local n = normalize(doc)
  check_equal(doc, core.json_decode(s), "policy_normalize changed its input")
  if not n then return end
  check(getmetatable(n.Statement) == ARRAY and #n.Statement >= 1, "no Statement list")
  for _, st in ipairs(n.Statement) do
    check(st.Effect == "Allow" or st.Effect == "Deny", "Effect %s", show(st.Effect))
    check(st.Action or st.NotAction, "no Action")
  end
  local n2, err = normalize(n)
  check(n2, "policy_normalize refuses its own output: %s", err)
  check_equal(n, n2, "policy_normalize(policy_normalize(doc))")
end

-- core.policy_json (and json_encode) of a normalised policy read back.
function T.json_write(s)
  local doc = decode_table(s)
  if not doc then return end
  local n = normalize(doc)
  if not n then return end
  local templated = any_string(n, has_placeholder)
  local texts = {}
  for i, opts in ipairs { {}, { compact = true } } do
    local ok, text = pcall(core.policy_json, n, opts)
    if not ok then
      check(templated, "policy_json raised on a canonical policy: %s", text)
      return
    end
    check(not templated, "policy_json wrote a template placeholder")
    check(core.utf8_valid(text), "policy_json wrote invalid UTF-8")
    local back, err = core.json_decode(text)
    check(back, "json_decode refuses what policy_json wrote: %s\n%s", err, text)
    local n2, nerr = normalize(back)
    check(n2, "policy_normalize refuses what policy_json wrote: %s\n%s", nerr, text)
    check_equal(n, n2, "policy_json round trip")
    check(core.policy_json(n2, opts) == text, "policy_json output is not a fixed point")
    texts[i] = text
  end
  check_equal(core.json_decode(texts[1]), core.json_decode(texts[2]), "pretty vs compact")
  local ok, generic = pcall(core.json_encode, n)
  check(ok, "json_encode raised on a canonical policy: %s", generic)
  check_equal(n, core.json_decode(generic), "json_encode round trip")
end

-- core.hcl_string of the raw input, core.hcl_policy of a normalised policy
-- in both styles, read back.
function T.hcl_write(s)
  local ok, text = pcall(core.hcl_string, s)
  if ok then
    check(core.utf8_valid(text), "hcl_string wrote invalid UTF-8")
    -- what terraform evaluates is the string itself, placeholders and the
    -- runs of $ % { } around them included (issue 15 item 1)
    local back
    if text:match("^var%.[%a_][%w_]*$") then
      back = OPEN .. text .. CLOSE
    else
      local P = hcl_parser(text)
      back = P.string()
      P.finish()
    end
    check(back == s, "hcl_string round trip: %s vs %s", show(s), show(back))
  else
    check(not wellformed(s), "hcl_string raised: %s", text)
  end

  local doc = decode_table(s)
  if not doc then return end
  local n = normalize(doc)
  if not n then return end
  local templated = any_string(n, has_placeholder)
  local amp = any_string(n, function(x) return x:find("&{", 1, true) ~= nil end)
  for _, opts in ipairs { {}, { indent = 4 } } do
    ok, text = pcall(core.hcl_policy, n, opts)
    if not ok then
      check(templated, "hcl_policy raised on a canonical policy: %s", text)
    else
      check(core.utf8_valid(text), "hcl_policy wrote invalid UTF-8")
      if not templated and not opts.indent then
        local n2, err = normalize(hcl_read_jsonencode(text))
        check(n2, "policy_normalize refuses the HCL read back: %s\n%s", err, text)
        check_equal(n, n2, "hcl_policy (jsonencode) round trip")
      end
    end
  end
  -- the provider drops an empty list and refuses a repeated Sid: refused
  local unwritable, sids = false, {}
  for _, st in ipairs(n.Statement) do
    for _, el in ipairs { "Action", "NotAction", "Resource", "NotResource" } do
      if type(st[el]) == "table" and #st[el] == 0 then unwritable = true end
    end
    if type(st.Sid) == "string" then
      if sids[st.Sid] then unwritable = true end
      sids[st.Sid] = true
    end
  end
  ok, text = pcall(core.hcl_policy, n, { style = "document", name = "p" })
  if not ok then
    check(templated or amp or unwritable, "hcl_policy document style raised: %s", text)
  else
    -- "&{" may sit where nothing is written (the key of an operator with
    -- no keys: a condition the document style has no block for, and IAM
    -- treats as true); it must never reach the text
    check(not text:find("&{", 1, true), "document style wrote \"&{\"")
    check(core.utf8_valid(text), "hcl_policy document style wrote invalid UTF-8")
    if not templated then
      local n2, err = normalize(hcl_read_document(text))
      check(n2, "policy_normalize refuses the document read back: %s\n%s", err, text)
      check_equal(document_view(n), n2, "hcl_policy (document) round trip")
    end
  end
end

-- core.hcl_parse: never raises; an error is "LINE:COL: message" inside the
-- text; every node of a tree has a kind and a line and column inside the
-- text; reading twice gives the same tree; a quoted string that
-- hcl_string writes reads back as that string.
local HCL_KINDS = { body = true, attribute = true, block = true, literal = true, template = true,
  tuple = true, object = true, var = true, getattr = true, index = true, splat = true, call = true,
  unary = true, binary = true, cond = true, forexpr = true, paren = true, interp = true,
  ["if"] = true, ["for"] = true }

function T.hcl_read(s)
  local ok, tree, err = pcall(core.hcl_parse, s)
  check(ok, "hcl_parse raised: %s", tree)
  local _, nl = s:gsub("\n", "")
  if tree == nil then
    local line, col = (err or ""):match("^(%d+):(%d+): .")
    check(line, "error without LINE:COL: %s", show(err))
    check(tonumber(line) <= nl + 1 and tonumber(col) >= 1, "error outside the text: %s", show(err))
    return
  end
  local nodes = 0
  local function walk(v, depth)
    check(depth < 400, "tree deeper than the reader allows")
    if type(v) ~= "table" then return end
    if v.kind ~= nil then
      nodes = nodes + 1
      check(HCL_KINDS[v.kind], "unknown node kind %s", show(v.kind))
      check(math.type(v.line) == "integer" and v.line >= 1 and v.line <= nl + 1,
        "%s node at line %s of %d", v.kind, show(v.line), nl + 1)
      check(math.type(v.column) == "integer" and v.column >= 1, "%s node at column %s", v.kind, show(v.column))
    end
    for k, x in pairs(v) do
      if k ~= "line" and k ~= "column" then walk(x, depth + 1) end
    end
  end
  walk(tree, 0)
  local tree2 = core.hcl_parse(s)
  check_equal(tree, tree2, "hcl_parse twice")
  -- the writer's strings read back
  if core.utf8_valid(s) and not s:find("[\1\2]") and #s < 4096 then
    local okw, quoted = pcall(core.hcl_string, s)
    if okw then
      local t, perr = core.hcl_parse("x = " .. quoted .. "\n")
      check(t, "hcl_parse refuses what hcl_string wrote: %s\n%s", perr, quoted)
      local parts = t.attributes.x.expr.parts
      local text = {}
      for _, p in ipairs(parts or {}) do
        check(type(p) == "string", "hcl_string wrote an interpolation: %s", quoted)
        text[#text + 1] = p
      end
      check(table.concat(text) == s, "hcl_string -> hcl_parse: %s vs %s", show(s), show(table.concat(text)))
    end
  end
end

-- core.arn_parse / arn_check / arn_format / arn_match / arn_like on the
-- input's first line (a pattern) and the rest (an ARN).
function T.arn(s)
  local p, a = s:match("^([^\n]*)\n(.*)$")
  if not p then p, a = s, s end
  for _, x in ipairs { p, a } do
    local ok, t, err = pcall(core.arn_parse, x)
    check(ok, "arn_parse raised: %s", t)
    local okc, valid, cerr = pcall(core.arn_check, x)
    check(okc, "arn_check raised: %s", valid)
    check((t ~= nil) == valid, "arn_parse and arn_check disagree on %s", show(x))
    if t then
      local okf, back = pcall(core.arn_format, t)
      check(okf and back == x, "arn_format(arn_parse(s)) ~= s: %s -> %s", show(x), show(back))
      if not x:find("[*?]") then
        check(core.arn_match(x, x) and core.arn_like(x, x), "an ARN does not match itself: %s", show(x))
      end
    else
      check(type(err) == "string" and err:find("^invalid ARN"), "arn_parse message %s", show(err))
      check(cerr == err, "arn_parse and arn_check messages differ")
    end
  end
  local ok, m = pcall(core.arn_match, p, a)
  check(ok and type(m) == "boolean", "arn_match raised: %s", m)
  local ok2, like = pcall(core.arn_like, p, a)
  check(ok2 and type(like) == "boolean", "arn_like raised: %s", like)
  check(not like or m, "ArnLike matches but the Resource element does not: %s %s", show(p), show(a))
  if p == "*" then check(m and like, "\"*\" does not match %s", show(a)) end
end

-- core.glob_match on the first line (pattern) and the rest (subject);
-- fuzz/glob.c also compares with a reference matcher.  Returns the two
-- results (case-sensitive, case-folded).
function T.glob(s)
  local p, x = s:match("^([^\n]*)\n(.*)$")
  if not p then p, x = s, s end
  local ok, m = pcall(core.glob_match, p, x)
  check(ok and type(m) == "boolean", "glob_match raised: %s", m)
  local ok2, mi = pcall(core.glob_match, p, x, true)
  check(ok2 and type(mi) == "boolean", "glob_match nocase raised: %s", mi)
  check(not m or mi, "matches with case but not without")
  if not p:find("[*?]") then
    check(m == (p == x), "a literal pattern matches iff equal: %s %s", show(p), show(x))
  end
  local literal = x:gsub("[*?]", "_")
  check(core.glob_match("*", x) and core.glob_match(literal, literal),
        "\"*\" or a literal does not match %s", show(x))
  return m, mi
end

-- Catalog lookups and builders with fuzzed names.  Lines: a name (action,
-- service, condition key or ARN), a second name (resource type, service),
-- then KEY=VALUE variables for arn_build.
function T.catalog(s)
  local l = lines(s)
  local name, second = l[1], l[2] or ""
  local ok, found = pcall(core.catalog_find, name)
  check(ok, "catalog_find raised: %s", found)
  local oka, rec, aerr = pcall(core.catalog_action, name)
  check(oka, "catalog_action raised: %s", rec)
  check((found ~= nil) == (rec ~= nil), "catalog_find and catalog_action disagree on %s", show(name))
  if found then
    check(rec.name == found and found:lower() == name:lower(), "found %s for %s", found, show(name))
    check(core.catalog_find(found) == found, "canonical name not found")
    local sum = core.catalog_summary(name)
    check(sum and sum.name == found, "catalog_summary disagrees")
    local e = core.catalog_expand(name)
    check(#e == 1 and e[1] == found, "expanding the name %s gives %d actions", found, #e)
  else
    check(type(aerr) == "string", "catalog_action: no message")
    local oks, sum, serr = pcall(core.catalog_summary, name)
    check(oks and sum == nil and type(serr) == "string", "catalog_summary disagrees")
  end
  for _, call in ipairs {
    { core.catalog_condition_key, name }, { core.catalog_service, name },
    { core.catalog_resource_type, name, second }, { core.catalog_resource_types_for_arn, name },
    { core.catalog_resource_types_for_arn, name, second },
  } do
    local okc, r, msg = pcall(call[1], call[2], call[3])
    check(okc, "catalog call raised: %s", r)
    check(r ~= nil or type(msg) == "string", "nil without a message")
  end
  -- the ARN template index classifies as a scan of every type does
  local ix, scan = core.catalog_arn_type_ids(name), core.catalog_arn_type_ids(name, true)
  check(table.concat(ix, ",") == table.concat(scan, ","), "arn index %s, scan %s for %s",
    table.concat(ix, ","), table.concat(scan, ","), show(name))
  -- catalog_list raises on an unknown access level (a programming error)
  local okl, list = pcall(core.catalog_list, name, { second }, #l > 2)
  check(okl or type(list) == "string", "catalog_list raised a non-string")

  local vars = {}
  for i = 3, #l do
    local k, v = l[i]:match("^([^=]*)=(.*)$")
    if k then vars[k] = v end
  end
  local okb, arn, berr = pcall(core.catalog_arn_build, name, second, vars)
  check(okb, "catalog_arn_build raised: %s", arn)
  if arn then
    -- both validate the parts with lpv_arn_part_check (arn.c)
    local valid, verr = core.arn_check(arn)
    check(valid, "catalog_arn_build made %s, which arn_check refuses: %s", show(arn), verr)
    local parts = core.arn_parse(arn)
    check(parts and core.arn_format(parts) == arn, "arn_parse/arn_format of a built ARN %s", show(arn))
    local okr, types = pcall(core.catalog_resource_types_for_arn, arn)
    check(okr and type(types) == "table", "resource_types_for_arn refuses a built ARN %s", show(arn))
  else
    check(type(berr) == "string", "catalog_arn_build: no message")
  end
end

-- core.catalog_expand of each of the first four lines and of them all at once; fuzz/expand.c
-- compares with matching every action name.  Returns the lists.
function T.expand(s)
  local l = lines(s)
  for i = #l, 5, -1 do l[i] = nil end     -- fuzz/expand.c checks four patterns
  local out = {}
  for i, p in ipairs(l) do
    local ok, list = pcall(core.catalog_expand, p)
    check(ok and type(list) == "table", "catalog_expand raised: %s", list)
    out[i] = list
  end
  local ok, all = pcall(core.catalog_expand, l)
  check(ok and type(all) == "table", "catalog_expand of a list raised: %s", all)
  out[#l + 1] = all
  return table.unpack(out)
end

-- The evaluation engine through its public API (docs/simulation.md):
-- lp.compile of decoded JSON (a document, a list of them or a table of
-- groups), P:decide of a request, with and without an explanation, and
-- lp.effective.  The input is JSON, then a line "--", then the action, the
-- resource and KEY=VALUE context lines (a VALUE starting with '[' is a JSON
-- list; @principal= and @resource_account= set those request fields).
-- Checks: lp.compile never raises on a table; P:decide raises only on a
-- request it documents as misuse (an action over 256 bytes, a context
-- list holding something else than strings, numbers and booleans); a
-- decision is one of the three, the same twice, with an explanation and
-- through lp.simulate; lp.effective lists exactly the actions P:decide
-- allows (sampled both ways); and for one document (identity policies,
-- no principal, not a trust action): adding an unconditional Deny makes
-- any valid request an explicit deny, adding an unconditional Allow never
-- takes an allow away nor lifts an explicit deny.
local lp
local function leastpriv()
  if not lp then
    package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
    lp = require "leastpriv"
  end
  return lp
end

local DENY_ALL = { Effect = "Deny", Action = "*", Resource = "*" }
local ALLOW_ALL = { Effect = "Allow", Action = "*", Resource = "*" }
local TRUST_ACTION = { ["sts:assumerole"] = true, ["sts:assumerolewithsaml"] = true,
                       ["sts:assumerolewithwebidentity"] = true, ["sts:tagsession"] = true,
                       ["sts:setsourceidentity"] = true, ["sts:setcontext"] = true }

-- doc with one more statement st (doc a single document).
local function plus_statement(doc, st)
  local sts = setmetatable({}, ARRAY)
  local old = doc.Statement
  if type(old) == "table" and getmetatable(old) == ARRAY then
    for i, x in ipairs(old) do sts[i] = x end
  elseif old ~= nil then
    sts[1] = old
  end
  sts[#sts + 1] = st
  local out = {}
  for k, v in pairs(doc) do out[k] = v end
  out.Statement = sts
  return out
end

function T.eval(s)
  leastpriv()
  local text, rest = s:match("^(.-)\n%-%-\n(.*)$")
  if not text then text, rest = s, "" end
  local doc = decode_table(text)
  if not doc then return end
  local l = lines(rest)
  local context, fields = {}, {}
  local misuse = #(l[1] or "") > 256
  local nvalues = 0
  for i = 3, #l do
    local k, v = l[i]:match("^([^=]*)=(.*)$")
    if k and k:sub(1, 1) == "@" then
      fields[k:sub(2)] = v                -- @principal=..., @resource_account=...
    elseif k then
      if v:sub(1, 1) == "[" then v = core.json_decode(v) or v end
      if type(v) == "table" then
        for _, x in pairs(v) do
          local tx = type(x)
          if tx ~= "string" and tx ~= "number" and tx ~= "boolean" then misuse = true end
        end
        nvalues = nvalues + #v
      else
        nvalues = nvalues + 1
      end
      context[k] = v
    end
  end
  if nvalues > 4096 then misuse = true end
  local ok, P, err = pcall(lp.compile, doc)
  check(ok, "lp.compile raised on a table: %s", P)
  if not P then
    check(type(err) == "string", "lp.compile: nil without a message")
    return
  end
  local request = { action = l[1] or "", resource = l[2] ~= "" and l[2] or nil, context = context,
                    principal = fields.principal, resource_account = fields.resource_account }
  local okd, decision = pcall(P.decide, P, request)
  check(okd or misuse, "P:decide raised on a well-formed request: %s", decision)
  if okd then
    check(decision == "allow" or decision == "explicit_deny" or decision == "implicit_deny",
          "P:decide returned %s", show(decision))
    check(P:decide(request) == decision, "P:decide changed its mind")
    local oke, d2, why = pcall(P.decide, P, request, true)
    check(oke, "P:decide with an explanation raised where it did not without: %s", d2)
    check(d2 == decision, "the explanation changed the decision: %s vs %s", decision, d2)
    check(type(why) == "table" and why.decision == decision,
          "P:decide(request, true): explanation %s", show(why))
    local oks, d3 = pcall(lp.simulate, request, doc)
    check(oks and d3 == decision, "lp.simulate says %s, P:decide %s", d3, decision)

    -- one document, as identity policies: a Deny wins, an Allow only adds
    if doc.Statement ~= nil and doc.kind == nil and not request.principal
        and not TRUST_ACTION[request.action:lower()] then
      local D = lp.compile(plus_statement(doc, DENY_ALL))
      local A = lp.compile(plus_statement(doc, ALLOW_ALL))
      check(D and A, "a Deny or Allow of everything more makes the policy invalid")
      local dd, dwhy = D:decide(request, true)
      check(dd == "explicit_deny" or dwhy.invalid, "with a Deny of everything added: %s (%s)",
            dd, dwhy.reason)
      local da = A:decide(request)
      check((decision ~= "allow" or da == "allow") and (decision ~= "explicit_deny" or da == decision),
            "with an Allow of everything added: %s, before %s", da, decision)
    end
  end
  local resource = request.resource or "*"
  local okf, actions = pcall(lp.effective, P, resource, context)
  check(okf or misuse, "lp.effective raised on a well-formed request: %s", actions)
  if okf and type(actions) == "table" then
    local listed = {}
    for _, a in ipairs(actions) do listed[a] = true end
    for i = 1, math.min(#actions, 3) do
      local a = actions[(i * 7919) % #actions + 1]
      local okx, d = pcall(P.decide, P, { action = a, resource = resource, context = context })
      check(okx and d == "allow", "lp.effective lists %s, which P:decide does not allow: %s", a, d)
    end
    -- the other way: the request's action, when a catalog action P allows
    local name = core.catalog_find(request.action)
    if name then
      local okx, d = pcall(P.decide, P, { action = name, resource = resource, context = context })
      check(not okx or d ~= "allow" or listed[name],
            "P:decide allows %s on %s, which lp.effective does not list", name, show(resource))
    end
  end
end

-- ---- the policy validator ----

-- The segments of JSON path p (path.c's syntax: Key, .Key, ["k.y"], [0]),
-- or nil when p is not in that syntax or not written as path.c writes it.
local function path_segments(p)
  local segs, i = {}, 1
  while i <= #p do
    if p:sub(i, i) == "[" then
      local n, e = p:match("^%[(%d+)%]()", i)
      if n then
        segs[#segs + 1] = math.tointeger(tonumber(n))
        i = e
      elseif p:sub(i + 1, i + 1) == '"' then
        local j, out = i + 2, {}
        while p:sub(j, j) ~= '"' do
          local c = p:sub(j, j)
          if c == "" then return nil end
          if c == "\\" then
            c = p:sub(j + 1, j + 1)
            if c ~= '"' and c ~= "\\" then return nil end
            j = j + 1
          end
          out[#out + 1] = c
          j = j + 1
        end
        if p:sub(j + 1, j + 1) ~= "]" then return nil end
        segs[#segs + 1] = table.concat(out)
        i = j + 2
      else
        return nil
      end
    else
      if #segs > 0 then
        if p:sub(i, i) ~= "." then return nil end
        i = i + 1
      end
      local key, e = p:match('^([^%.%[%]"%c ]+)()', i)
      if not key then return nil end
      segs[#segs + 1] = key
      i = e
    end
  end
  return segs
end

-- The path of segs[1..n] as path.c writes it.
local function path_of(segs, n)
  local out = {}
  for i = 1, n do
    local k = segs[i]
    if math.type(k) == "integer" then
      out[#out + 1] = "[" .. k .. "]"
    elseif k ~= "" and not k:find('[%.%[%]"%c ]') then
      out[#out + 1] = (#out > 0 and "." or "") .. k
    else
      out[#out + 1] = '["' .. k:gsub('[\\"]', "\\%0") .. '"]'
    end
  end
  return table.concat(out)
end

local checks, SEVERITY_OK
local VALIDATE_TYPES = { identity = true, resource = true, trust = true, scp = true, rcp = true,
                         boundary = true, session = true, endpoint = true }
local FINDING_FIELDS = { code = true, severity = true, message = true, path = true, line = true,
                         column = true, sid = true, hint = true, file = true, document = true,
                         count = true, paths = true }

-- A finding's fields without its place in the text, as one string.
local function finding_key(f)
  return table.concat({ f.code, f.severity, f.message, tostring(f.path), tostring(f.sid),
                        tostring(f.hint) }, "\0")
end

-- The sorted keys of findings fs (size findings left out: their counts
-- come from the text or from an encoding of the table).
local function finding_keys(fs)
  local out = {}
  for _, f in ipairs(fs) do
    if not f.code:find("^POLICY_SIZE_") then out[#out + 1] = finding_key(f) end
  end
  table.sort(out)
  return out
end

-- The policy validator (csrc/validate*.c) through lp.validate.  The input:
-- a first line "TYPE [account=ID] [profile=seed-review] [size=N]" (TYPE a
-- policy type, or auto: inferred; size=N: every policy size quota N),
-- then the JSON text; without such a line the whole input is the text and
-- the type is inferred.  Checks: never raises; every finding has a code
-- from checks.lua with its severity, a message, a well-formed path, a
-- place inside the text where the decoder puts that path (or its deepest
-- enclosing element); the same input gives the same findings; a document
-- gives the same findings as text and as a decoded table (which it leaves
-- alone); disabling a code removes exactly its findings; validate_policy
-- keeps a given type.
function T.validate(s)
  leastpriv()
  if not checks then
    checks = require "leastpriv.check.checks"
    SEVERITY_OK = {}
    for _, sev in ipairs(checks.severities) do SEVERITY_OK[sev] = true end
    for _, code in ipairs(core.validate_codes()) do
      check(checks.by_code[code], "core.validate_codes has %s, checks.lua does not", code)
    end
  end
  local opts, text = {}, s
  local head, rest = s:match("^([^\n]*)\n(.*)$")
  local words = {}
  for w in (head or ""):gmatch("%S+") do words[#words + 1] = w end
  if words[1] and (VALIDATE_TYPES[words[1]] or words[1] == "auto") then
    text = rest
    opts.type = VALIDATE_TYPES[words[1]] and words[1] or nil
    for i = 2, #words do
      local k, v = words[i]:match("^(%w+)=(.*)$")
      if k == "account" then opts.account = v
      elseif k == "profile" and v == "seed-review" then opts.profile = v
      elseif k == "size" and tonumber(v) then
        opts.limits = {}
        for name in pairs(require("leastpriv.check.engine").LIMITS) do
          if name:find("_size$") then opts.limits[name] = math.floor(tonumber(v)) end
        end
      end
    end
  end

  local ok, fs = pcall(lp.validate, text, opts)
  check(ok, "lp.validate raised: %s", fs)
  check(type(fs) == "table", "lp.validate returned a %s", type(fs))
  -- one document (not a list, an account dump or a plan): lp.validate's lean path
  local value, derr = core.json_decode(text)
  local single = type(value) == "table" and (value.Statement ~= nil or value.Version ~= nil)
    and value.kind == nil and not require("leastpriv.check.account").is_dump(value)
    and not require("leastpriv.check.terraform").is_plan(value)
  local pos = single and select(2, core.json_decode(text, { positions = true }))
  if type(pos) ~= "table" then pos = nil end
  local nlines = #lines((text:gsub("\r\n?", "\n")))
  for i, f in ipairs(fs) do
    check(type(f) == "table", "finding %d is a %s", i, type(f))
    for k in pairs(f) do
      check(FINDING_FIELDS[k], "finding %d (%s) has a field %s", i, f.code, show(k))
    end
    local c = type(f.code) == "string" and checks.by_code[f.code]
    check(c, "finding %d has code %s, which checks.lua does not know", i, show(f.code))
    check(SEVERITY_OK[f.severity] and f.severity == c.severity,
          "%s has severity %s, checks.lua says %s", f.code, show(f.severity), c.severity)
    check(type(f.message) == "string" and f.message ~= "", "%s has no message", f.code)
    check(f.hint == nil or (type(f.hint) == "string" and f.hint ~= ""), "%s: hint %s", f.code, show(f.hint))
    check(f.sid == nil or type(f.sid) == "string", "%s: sid %s", f.code, show(f.sid))
    check((f.file == nil or type(f.file) == "string") and (f.document == nil or type(f.document) == "string"),
          "%s: file %s, document %s", f.code, show(f.file), show(f.document))
    if f.code ~= "JSON_SYNTAX_ERROR" then
      check(core.utf8_valid(f.message) and (f.hint == nil or core.utf8_valid(f.hint)),
            "%s: a message or hint that is not UTF-8: %s", f.code, show(f.message))
    end
    local segs
    if f.path ~= nil then
      check(type(f.path) == "string" and f.path ~= "", "%s: path %s", f.code, show(f.path))
      segs = path_segments(f.path)
      check(segs and path_of(segs, #segs) == f.path, "%s: malformed path %s", f.code, show(f.path))
    end
    -- a folded finding (repeats): how many places, and the first few
    check(f.count == nil or (math.type(f.count) == "integer" and f.count > 1),
          "%s: count %s", f.code, show(f.count))
    check((f.count == nil) == (f.paths == nil), "%s: count %s with paths %s", f.code, show(f.count), show(f.paths))
    if f.paths then
      check(type(f.paths) == "table" and #f.paths >= 1 and #f.paths <= 5 and #f.paths <= f.count
            and f.paths[1] == (f.path or ""), "%s: paths %s", f.code, show(f.paths))
    end
    check((f.line == nil) == (f.column == nil), "%s: line %s, column %s", f.code, f.line, f.column)
    if f.line ~= nil then
      check(math.type(f.line) == "integer" and math.type(f.column) == "integer" and f.line >= 1
            and f.column >= 1 and f.line <= nlines, "%s: at %s:%s in a text of %d lines",
            f.code, f.line, f.column, nlines)
    end
    if pos then
      -- the element's place, or its deepest enclosing element's
      local want, n = nil, segs and #segs or 0
      while not want and n >= 0 do
        want = pos[path_of(segs or {}, n)]
        n = n - 1
      end
      check(want and f.line == want[1] and f.column == want[2],
            "%s at %s:%s, but %s is at %s:%s", f.code, f.line, f.column, show(f.path),
            want and want[1], want and want[2])
    end
  end
  if value == nil then
    check(#fs == 1 and fs[1].code == "JSON_SYNTAX_ERROR", "bad JSON (%s) gave %d findings, first %s",
          derr, #fs, fs[1] and fs[1].code)
  end

  -- the same input, the same findings
  local fs2 = lp.validate(text, opts)
  check_equal(fs, fs2, "lp.validate twice")

  -- a document: the same findings from the decoded table, which stays as it was
  if single and not opts.profile then
    local okt, ft = pcall(lp.validate, value, opts)
    check(okt, "lp.validate raised on a decoded document: %s", ft)
    check_equal(value, core.json_decode(text), "lp.validate changed the document")
    local a, b = finding_keys(fs), finding_keys(ft)
    check(#a == #b, "%d findings from the text, %d from the decoded table", #a, #b)
    for i = 1, #a do
      check(a[i] == b[i], "text and table findings differ: %s vs %s", show(a[i]), show(b[i]))
    end
    local okp, list, inferred = pcall(core.validate_policy, value, { type = opts.type })
    check(okp and type(list) == "table", "validate_policy raised: %s", list)
    check(VALIDATE_TYPES[inferred] and (opts.type == nil or inferred == opts.type),
          "validate_policy: type %s given, %s returned", opts.type, show(inferred))
  end

  -- disabling the first finding's code removes exactly those findings
  if fs[1] and fs[1].code ~= "JSON_SYNTAX_ERROR" then
    local code, expected = fs[1].code, {}
    for _, f in ipairs(fs) do
      if f.code ~= code then expected[#expected + 1] = f end
    end
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.disable = { code }
    local okd, fd = pcall(lp.validate, text, o)
    check(okd, "lp.validate with disable raised: %s", fd)
    check_equal(setmetatable(expected, nil), setmetatable(fd, nil), "disabling " .. code)
  end
end

-- Role-script text in a sandbox: any text runs, or fails with a kind and a
-- message string, within the limits; what comes back is data only (no
-- function, userdata but lp.null, metatable but the array marker, and no
-- deeper than the copy's limit).  "=EXPR" runs "return EXPR".
local SANDBOX_KINDS = { error = true, cpu = true, memory = true, result = true }

local function only_data(v, depth)
  local t = type(v)
  if t == "table" then
    check(depth <= 101, "sandbox result nested deeper than the copy's limit")
    local mt = getmetatable(v)
    check(mt == nil or mt == ARRAY, "sandbox result with a metatable")
    for k, x in pairs(v) do
      local kt = type(k)
      check(kt == "string" or kt == "number" or kt == "boolean", "sandbox result key of type %s", kt)
      only_data(x, depth + 1)
    end
  else
    check(t == "string" or t == "number" or t == "boolean" or t == "nil" or v == core.null,
          "sandbox result of type %s", t)
  end
end

function T.sandbox(s)
  local text = s:sub(1, 1) == "=" and ("return " .. s:sub(2)) or s
  local ok, ran, x, msg = pcall(core.sandbox_run, {
    text = text, name = "fuzz.lua", cpu = 0.01, memory = 16 * 1048576,
    loader = function(name) return nil, ("module '%s' not found"):format(name) end,
  })
  check(ok, "sandbox_run raised: %s", ran)
  if ran == true then
    only_data(x, 0)
  else
    check(ran == false and SANDBOX_KINDS[x], "sandbox_run failed without a kind: %s", show(x))
    check(type(msg) == "string", "sandbox_run failed without a message")
  end
  return ran
end

-- fsio: a scratch root holding inside/ (the folder handle's), outside/
-- (must stay empty), canary (must stay as written) and inside/link ->
-- ../outside.  Lines of the input: OP PATH, OP one of m w k r d.
local fsio_root
local function fsio_setup()
  if fsio_root then return fsio_root end
  local base = os.tmpname()
  os.remove(base)
  check(os.execute(("mkdir -p '%s/inside' '%s/outside' && printf canary > '%s/canary' && "
    .. "ln -s ../outside '%s/inside/link' && ln -s ../canary '%s/inside/canary'")
    :format(base, base, base, base, base)), "fsio: cannot make the scratch folder")
  fsio_root = base
  return base
end

function T.fsio(s)
  local base = fsio_setup()
  local root = assert(core.fsio_open(base))
  local f = assert(core.fsio_open(base .. "/inside"))
  local made, dirs = {}, {}
  local n = 0
  for line in s:gmatch("[^\n]+") do
    n = n + 1
    if n > 16 then break end
    local op, rel = line:sub(1, 1), line:sub(2)
    if op == "m" then
      if pcall(f.mkdirs, f, rel) and f:kind(rel) == "folder" then dirs[#dirs + 1] = rel end
    elseif op == "w" then
      local ok, temp = pcall(f.write_temp, f, rel, line)
      if ok and temp then
        made[#made + 1] = temp
        local rok, renamed = pcall(f.rename, f, temp, rel)
        if rok and renamed then
          made[#made] = rel
          check(f:read(rel, #line) == line, "fsio: %s does not read back", show(rel))
        end
      end
    elseif op == "k" then pcall(f.kind, f, rel)
    elseif op == "d" then pcall(f.read, f, rel, 1 << 16)
    elseif op == "r" then pcall(f.remove, f, rel)
    end
  end
  for i = #made, 1, -1 do f:remove(made[i]) end
  table.sort(dirs, function(a, b) return #a > #b end)
  for _, d in ipairs(dirs) do f:remove(d, true) end
  f:close()
  check(root:read("canary", 100) == "canary", "fsio: the file outside changed")
  check(root:remove("outside", true), "fsio: the folder outside is not empty")
  check(root:mkdirs("outside"), "fsio: cannot restore the folder outside")
  -- a write or remove of "link" replaces the link itself (never what it
  -- points to): put it back for the next input
  for _, l in ipairs { { "link", "../outside" }, { "canary", "../canary" } } do
    if root:kind("inside/" .. l[1]) ~= "link" then
      root:remove("inside/" .. l[1])
      check(os.execute(("ln -s %s '%s/inside/%s'"):format(l[2], base, l[1])), "fsio: cannot restore a link")
    end
  end
  root:close()
end

return T
