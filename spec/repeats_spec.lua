-- Repeated findings fold (csrc/validate.c vd_fold, and Run:add in
-- lua/leastpriv/check/engine.lua for the checks of roles as a whole): per
-- document, code and statement at most 10 distinct findings are kept, and
-- a finding that repeats one (the same message) or comes past that becomes
-- a place the kept one stands for: count, and its first 5 paths.  So a
-- policy of a million "*" makes a handful of findings, and the text, JSON
-- and SARIF reports say the same (the count is in the message).
local cli = require "support.cli"
local cjson = require "cjson"
local lp = require "leastpriv"
local engine = require "leastpriv.check.engine"

local function policy(actions, resource)
  local quoted = {}
  for i, a in ipairs(actions) do quoted[i] = ('"%s"'):format(a) end
  return ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [%s], "Resource": "%s"}]}')
    :format(table.concat(quoted, ","), resource or "*")
end

local function stars(n)
  local list = {}
  for i = 1, n do list[i] = "*" end
  return list
end

local function by_code(findings)
  local t = {}
  for _, f in ipairs(findings) do
    assert.is_nil(t[f.code], "one finding per code expected: " .. f.code)
    t[f.code] = f
  end
  return t
end

describe("repeated findings", function()
  it("a hundred thousand \"*\" make one finding per check, counting every place", function()
    local findings = lp.validate(policy(stars(100000)))
    assert.is_true(#findings <= 12, "findings: " .. #findings)
    local f = by_code(findings)
    local wild = f.GLOBAL_ACTION_WILDCARD
    assert.equal(100000, wild.count)
    assert.same({ "Statement[0].Action[0]", "Statement[0].Action[1]", "Statement[0].Action[2]",
                  "Statement[0].Action[3]", "Statement[0].Action[4]" }, wild.paths)
    assert.equal("Statement[0].Action[0]", wild.path)
    assert.equal(1, wild.line)
    assert.matches('administrator access %(and 99999 more like it in the statement, at Statement%[0%]%.Action%[1%], '
      .. 'Statement%[0%]%.Action%[2%], Statement%[0%]%.Action%[3%], Statement%[0%]%.Action%[4%], %.%.%.%)$', wild.message)
    assert.equal(99999, f.REDUNDANT_ACTION.count)
    assert.equal("Statement[0].Action[1]", f.REDUNDANT_ACTION.path)
  end)

  it("keeps at most 10 distinct findings of one code in one statement, folding the rest into the tenth", function()
    local actions = {}
    for i = 1, 1000 do actions[i] = ("s3:NoSuchAction%d"):format(i) end
    local findings = lp.validate(policy(actions, "arn:aws:s3:::b/*"))
    local unknown, total = {}, 0
    for _, f in ipairs(findings) do
      if f.code == "INVALID_ACTION" then
        unknown[#unknown + 1] = f
        total = total + (f.count or 1)
      end
    end
    assert.equal(engine.GROUP_KEEP, #unknown)
    assert.equal(1000, total)
    for i = 1, 9 do
      assert.is_nil(unknown[i].count)
      assert.matches(("\"NoSuchAction%d\""):format(i), unknown[i].message, 1, true)
    end
    assert.equal(991, unknown[10].count)
    assert.equal(engine.PATHS, #unknown[10].paths)
    assert.equal("Statement[0].Action[10]", unknown[10].paths[2])
    assert.matches("(and 990 more like it in the statement, at Statement[0].Action[10], ", unknown[10].message, 1, true)
  end)

  it("leaves distinct findings alone below the bound, and folds only within one statement", function()
    local doc = '{"Version": "2012-10-17", "Statement": ['
      .. '{"Effect": "Allow", "Action": ["*", "s3:Nope", "ec2:Nope"], "Resource": "*"},'
      .. '{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]}'
    local n, unknown = 0, 0
    for _, f in ipairs(lp.validate(doc)) do
      assert.is_nil(f.count)
      if f.code == "GLOBAL_ACTION_WILDCARD" then n = n + 1 end
      if f.code == "INVALID_ACTION" then unknown = unknown + 1 end
    end
    assert.equal(2, n)
    assert.equal(2, unknown)
  end)

  it("disabling a code still removes all of its findings", function()
    for _, f in ipairs(lp.validate(policy(stars(1000)), { disable = { "GLOBAL_ACTION_WILDCARD" } })) do
      assert.not_equal("GLOBAL_ACTION_WILDCARD", f.code)
    end
  end)

  it("the checks of roles as a whole fold the same way (engine Run:add)", function()
    local run = engine.new({})
    local d = { file = "x.json", label = "role r" }
    for i = 1, 50 do
      run:add({ code = "PASS_ROLE_BEYOND_EXECUTION_ROLES", path = ("Statement[0].Resource[%d]"):format(i - 1),
                message = "the same message" }, d)
    end
    for i = 1, 30 do
      run:add({ code = "PASS_ROLE_BEYOND_EXECUTION_ROLES", path = ("Statement[1].Resource[%d]"):format(i - 1),
                message = ("message %d"):format(i) }, d)
    end
    local out = run:result()
    assert.equal(1 + engine.GROUP_KEEP, #out)
    assert.equal(50, out[1].count)
    assert.matches("^the same message %(and 49 more like it in the statement, at Statement%[0%]%.Resource%[1%]", out[1].message)
    assert.equal(21, out[1 + engine.GROUP_KEEP].count)
    assert.matches("^message 10 %(and 20 more like it in the statement", out[1 + engine.GROUP_KEEP].message)
  end)

  it("text, JSON and SARIF report the folded finding alike", function()
    local dir = cli.tmpdir()
    local path = dir .. "/stars.json"
    local f = assert(io.open(path, "wb"))
    f:write(policy(stars(20000)))
    f:close()
    local _, text = cli.run { "check", "--no-config", path }
    local _, json = cli.run { "check", "--no-config", "--format", "json", path }
    local _, sarif = cli.run { "check", "--no-config", "--format", "sarif", path }
    cli.rm(dir)
    local report = cjson.decode(json)
    local results = cjson.decode(sarif).runs[1].results
    assert.equal(#report.findings, #results)
    assert.is_true(#report.findings <= 12)
    local wild
    for i, finding in ipairs(report.findings) do
      assert.equal(finding.code, results[i].ruleId)
      assert.equal(finding.message, results[i].message.text:sub(1, #finding.message))
      assert.truthy(text:find(finding.message, 1, true))
      if finding.code == "GLOBAL_ACTION_WILDCARD" then wild = finding end
    end
    assert.equal(20000, wild.count)
    assert.equal(5, #wild.paths)
    assert.matches("and 19999 more like it in the statement", text, 1, true)
  end)
end)
