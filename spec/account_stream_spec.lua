-- Account dumps read as a stream (lua/leastpriv/check/account_stream.lua):
-- a dump over 16 MiB is checked one element at a time, with the report it
-- would have read whole (every finding at the same file, line and column),
-- and keeps only a digest of each role for the checks across the account.
package.path = "bench/?.lua;" .. package.path
local cli = require "support.cli"
local cjson = require "cjson"
local corpus = require "corpus"
local engine = require "leastpriv.check.engine"
local inputs = require "leastpriv.check.inputs"
local stream = require "leastpriv.check.account_stream"

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- The report of `check --format FORMAT path`, read whole and streamed.
local function both(path, format)
  local argv = { "check", "--no-config", "--format", format or "json", path }
  local c1, whole = cli.run(argv)
  local saved = inputs.STREAM_OVER
  inputs.STREAM_OVER = 0
  local ok, c2, streamed = pcall(cli.run, argv)
  inputs.STREAM_OVER = saved
  assert(ok, c2)
  return c1, whole, c2, streamed
end

describe("account dumps read as a stream", function()
  local dir
  setup(function() dir = cli.tmpdir() end)
  teardown(function() cli.rm(dir) end)

  it("report what reading them whole reports, in every format", function()
    for _, format in ipairs { "text", "json", "sarif" } do
      local c1, whole, c2, streamed = both("spec/fixtures/check/account.json", format)
      assert.equal(c1, c2)
      assert.equal(whole, streamed)
    end
  end)

  it("the same on a generated account of 200 roles, policies, users and groups", function()
    local path = dir .. "/corpus.json"
    write(path, corpus.account(200))
    local c1, whole, c2, streamed = both(path)
    assert.equal(c1, c2)
    assert.is_true(#cjson.decode(whole).findings > 100)
    assert.equal(whole, streamed)
  end)

  it("the same with URL-encoded documents, CRLF lines, bad entries and extra members", function()
    local trust = '%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C'
      .. '%22Principal%22%3A%7B%22AWS%22%3A%22*%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D'
    local text = table.concat({
      '{', '  "RoleDetailList": [',
      '    {"RoleName": "open", "Arn": "arn:aws:iam::111122223333:role/open", "AssumeRolePolicyDocument": "' .. trust .. '"},',
      '    {"RoleName": "bad", "Arn": "x", "AssumeRolePolicyDocument": "%7Bnot json"},',
      '    5,', '    {"RoleName": "über name", "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": ',
      '      {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}',
      '  ],', '  "IsTruncated": false', '}' }, "\r\n")
    local path = dir .. "/encoded.json"
    write(path, text)
    local c1, whole, c2, streamed = both(path, "text")
    assert.equal(c1, c2)
    assert.matches("JSON_SYNTAX_ERROR", whole)
    assert.equal(whole, streamed)
  end)

  it("checks a dump over 16 MiB (which json_decode refuses), with findings at their lines", function()
    local pad = string.rep("x", 1024 * 1024)
    local roles = {}
    for i = 1, 17 do
      roles[i] = ('{"RoleName": "r%d", "Arn": "arn:aws:iam::111122223333:role/r%d", "Description": "%s",\n'
        .. '"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        .. '"Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}}'):format(i, i, pad)
    end
    local path = dir .. "/big.json"
    write(path, '{"RoleDetailList": [\n' .. table.concat(roles, ",\n") .. "\n]}\n")
    local code, out = cli.run { "check", "--no-config", "--format", "json", path }
    assert.equal(1, code)
    local report = cjson.decode(out)
    local lines = {}
    for _, f in ipairs(report.findings) do
      assert.not_equal("JSON_SYNTAX_ERROR", f.code)
      if f.document == "role r3/trust" and f.path == "Statement[0].Principal.AWS" then lines[#lines + 1] = f.line end
    end
    assert.is_true(#lines >= 1)
    assert.equal(7, lines[1])              -- role i's documents are on line 2i + 1
    assert.is_true(report.summary.total >= 17)    -- a finding per role at least: all 17 read
  end)

  it("a JSON file over 16 MiB that is no dump is still the document-limit finding", function()
    local path = dir .. "/huge.json"
    write(path, '{"Id": "' .. string.rep("a", 17 * 1024 * 1024) .. '"}')
    local _, out = cli.run { "check", "--no-config", "--format", "json", path }
    local report = cjson.decode(out)
    assert.equal(1, #report.findings)
    assert.equal("JSON_SYNTAX_ERROR", report.findings[1].code)
    assert.equal("document larger than 16 MiB", report.findings[1].message)
  end)

  it("an element over the limit, or bad JSON in one, is a finding at its place; the others are checked", function()
    local run = engine.new({})
    local text = '{"RoleDetailList": [{"RoleName": "a"},\n {"RoleName": "b", "Tags": "' .. string.rep("t", 100) .. '"},\n'
      .. '{"RoleName": "c"}]}'
    local entities = stream.load(run, "d.json", { text = text, max = 64 })
    local big
    for _, f in ipairs(run:result()) do
      if f.message:find("larger than") then big = f end
    end
    assert.equal("d.json", big.file)
    assert.equal("JSON_SYNTAX_ERROR", big.code)
    assert.equal("RoleDetailList[1]: larger than 64 bytes", big.message)
    assert.same({ 2, 2 }, { big.line, big.column })
    assert.equal(1, #entities)             -- reading stops at a piece it cannot take
    run = engine.new({})
    entities = stream.load(run, "d.json", { text = '{"RoleDetailList": [{"RoleName": 1,},\n {"RoleName": "bad name!", '
      .. '"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}]}' })
    local out = run:result()
    assert.equal("JSON_SYNTAX_ERROR", out[1].code)
    assert.matches("^RoleDetailList%[0%]: ", out[1].message)
    assert.equal(1, out[1].line)
    assert.equal(1, #entities)
    assert.equal("INVALID_ROLE_NAME", out[2].code)
    assert.same({ 2, 15 }, { out[2].line, out[2].column })
  end)

  it("keeps of each role a digest: no document text, no decoded policies but PassRole statements", function()
    local run = engine.new({})
    local entities = stream.load(run, "c.json", { text = corpus.account(50) })
    assert.is_true(#entities > 50)
    for _, e in ipairs(entities) do
      assert.is_nil(e.json)
      for _, d in ipairs(e.inline or {}) do
        assert.is_nil(d.document)
        assert.is_nil(d.json)
        for _, s in ipairs(d.canon and d.canon.Statement or {}) do
          assert.is_true(next(s) == nil or s.Action ~= nil)   -- a stub or a PassRole statement
        end
      end
      if e.trust then assert.is_nil(e.trust.document) end
    end
  end)

  it("is not used for a file whose first member is no dump list", function()
    local run = engine.new({})
    assert.is_nil(stream.load(run, "p.json", { text = '{"Version": "2012-10-17", "Statement": []}' }))
    assert.equal(0, #run.findings)
  end)
end)
