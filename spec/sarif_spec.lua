-- `leastpriv check --format sarif` as GitHub code scanning takes it: valid
-- against the OASIS SARIF 2.1.0 schema (../shared/reference, Draft 4),
-- unique tags, stable partialFingerprints, percent-encoded URIs relative to
-- the source root, help links to anchors that exist in docs/checks.md.
local cli = require "support.cli"
local core = require "leastpriv.core"
local js = require "support.json_schema"
local sarif = require "leastpriv.check.sarif"
local checks = require "leastpriv.check.checks"

local SCHEMA_PATH = "spec/fixtures/sarif/sarif-schema-2.1.0.json"
local SEED = "examples/sagemaker/seed_module.lua"

local schema = assert(core.json_decode((assert(cli.read(SCHEMA_PATH), SCHEMA_PATH))))

local function decode(text)
  local v, err = core.json_decode(text)
  assert(v, err)
  return v
end

-- The report of `check --format sarif args...` (in-process), decoded, and
-- its text.
local function report(args)
  local argv = { "check", "--no-config", "--format", "sarif" }
  for _, a in ipairs(args) do argv[#argv + 1] = a end
  local code, out, err = cli.run(argv)
  assert(code == 0 or code == 1, err)
  return decode(out), out
end

local function assert_valid(doc)
  local errors = js.validate(schema, doc)
  assert.equal(0, #errors, "not valid SARIF 2.1.0:\n" .. js.describe(errors))
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- One policy with findings of every severity (error, security, warning,
-- suggestion).
local ALL_SEVERITIES = [[
{"Statement": [
  {"Sid": "", "Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"},
  {"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}
]}
]]

local CLEAN = [[
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/in/*"}
]}
]]

-- GitHub's heading anchors (github-slugger, for the ASCII headings of
-- docs/checks.md): lower case, punctuation but '-' and '_' dropped, spaces
-- to '-', a repeated anchor suffixed -1, -2, ...
local function github_anchors(markdown)
  local anchors, count = {}, {}
  for heading in markdown:gmatch("\n#+ ([^\n]+)") do
    local slug = heading:lower():gsub("[^%w%s_%-\128-\255]", ""):gsub("%s", "-")
    local n = count[slug]
    count[slug] = (n or -1) + 1
    anchors[n and (slug .. "-" .. (n + 1)) or slug] = true
  end
  return anchors
end

describe("check --format sarif", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  it("is valid SARIF 2.1.0 with no findings", function()
    write(dir .. "/clean.json", CLEAN)
    local doc = report { "--source-root", dir, dir .. "/clean.json" }
    assert.equal(0, #doc.runs[1].results)
    assert_valid(doc)
  end)

  it("is valid with findings of every severity, a role script, an account dump and a plan", function()
    write(dir .. "/all.json", ALL_SEVERITIES)
    local doc = report { dir .. "/all.json", SEED, "spec/fixtures/check/account.json", "spec/fixtures/check/plan.json",
                         "spec/fixtures/check/broken.lua" }
    assert_valid(doc)
    local levels, severities = {}, {}
    for _, r in ipairs(doc.runs[1].results) do
      levels[r.level] = true
      severities[r.properties.severity] = true
    end
    assert.same({ error = true, warning = true, note = true }, levels)
    assert.same({ error = true, security = true, warning = true, suggestion = true }, severities)
  end)

  it("is valid for a file name with spaces and non-ASCII letters, percent-encoding its URI", function()
    os.execute(("mkdir -p '%s/r\195\180les d\195\169v'"):format(dir))
    local path = dir .. "/r\195\180les d\195\169v/\195\188ber #1 [x]:y.json"
    write(path, ALL_SEVERITIES)
    local doc = report { "--source-root", dir, path }
    assert_valid(doc)
    local uri = doc.runs[1].results[1].locations[1].physicalLocation.artifactLocation.uri
    assert.equal("r%C3%B4les%20d%C3%A9v/%C3%BCber%20%231%20%5Bx%5D%3Ay.json", uri)
  end)

  it("gives every rule unique tags, and security-severity exactly to those tagged security", function()
    local doc = report { SEED }
    local rules = doc.runs[1].tool.driver.rules
    assert.equal(#checks.list, #rules)
    local tagged = 0
    for _, r in ipairs(rules) do
      local seen, security = {}, false
      for _, t in ipairs(r.properties.tags) do
        assert.is_nil(seen[t], r.id .. " repeats the tag " .. t)
        seen[t] = true
        if t == "security" then security = true end
      end
      local c = checks.by_code[r.id]
      assert.equal(c.severity == "security" or c.category == "security" or c.category == "trust", security, r.id)
      if security then
        tagged = tagged + 1
        local score = tonumber(r.properties["security-severity"])
        assert.is_true(score ~= nil and score > 0 and score <= 10, r.id)
      else
        assert.is_nil(r.properties["security-severity"], r.id)
      end
    end
    assert.is_true(tagged >= 24)
  end)

  it("names the driver's version and semantic version", function()
    local driver = report({ SEED }).runs[1].tool.driver
    assert.equal(core._VERSION, driver.version)
    assert.matches("^%d+%.%d+%.%d+$", driver.semanticVersion)
  end)

  it("links every rule to its section of docs/checks.md, by the anchor GitHub renders", function()
    local anchors = github_anchors(cli.read("docs/checks.md"))
    for _, r in ipairs(report({ SEED }).runs[1].tool.driver.rules) do
      local page, anchor = r.helpUri:match("^(https://github%.com/[^#]+/docs/checks%.md)#(.+)$")
      assert.truthy(page, r.helpUri)
      assert.is_true(anchors[anchor] == true, r.id .. ": no heading renders as #" .. tostring(anchor))
    end
    -- the anchors are GitHub's: a heading's backticks and case do not survive
    assert.is_true(github_anchors("\n## `A_B` c.d\n## `A_B` c.d\n")["a_b-cd-1"])
  end)

  it("rejects what GitHub rejects: the validator fails the old report's faults", function()
    local doc = report { SEED }
    local rule = doc.runs[1].tool.driver.rules[1]
    rule.properties.tags = setmetatable({ "security", "security" }, core.array_mt)
    local loc = doc.runs[1].results[1].locations[1].physicalLocation
    loc.artifactLocation.uri = "file:///home/runner/a b.lua"
    loc.region.startLine = 0
    local errors = js.describe(js.validate(schema, doc))
    assert.matches("properties.tags: items 0 and 1 are equal", errors, 1, true)
    assert.matches("artifactLocation.uri: is not a valid uri-reference", errors, 1, true)
    assert.matches("region.startLine: is below the minimum 1", errors, 1, true)
  end)
end)

describe("SARIF locations", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  local function only_location(doc)
    local results = doc.runs[1].results
    assert.is_true(#results > 0)
    return results[1].locations[1]
  end

  it("is relative to the source root, with %SRCROOT% described in originalUriBaseIds", function()
    os.execute(("mkdir -p '%s/roles'"):format(dir))
    write(dir .. "/roles/x.json", ALL_SEVERITIES)
    local doc, text = report { "--source-root", dir, dir .. "/roles/../roles/./x.json" }
    local art = only_location(doc).physicalLocation.artifactLocation
    assert.equal("roles/x.json", art.uri)
    assert.equal("%SRCROOT%", art.uriBaseId)
    assert.is_table(doc.runs[1].originalUriBaseIds["%SRCROOT%"])
    assert.is_nil(doc.runs[1].originalUriBaseIds["%SRCROOT%"].uri)   -- no runner path
    assert.is_nil(text:find(dir, 1, true))
    assert.is_nil(text:find("file:", 1, true))
  end)

  it("gives a file outside the root no URI and only its name: no path leaks", function()
    write(dir .. "/outside.json", ALL_SEVERITIES)
    local doc, text = report { "--source-root", "examples", dir .. "/outside.json" }
    assert_valid(doc)
    local loc = only_location(doc)
    assert.is_nil(loc.physicalLocation)
    assert.matches("^outside%.json", loc.logicalLocations[1].fullyQualifiedName)
    assert.equal("outside.json is outside the source root", loc.message.text)
    assert.is_nil(text:find(dir, 1, true))
    assert.is_nil(text:find("../", 1, true))
  end)

  it("keeps no ../ and no absolute path in messages naming the file", function()
    write(dir .. "/bad.lua", "return 1 +\n")
    local doc, text = report { "--source-root", dir, dir .. "/bad.lua" }
    assert_valid(doc)
    assert.is_nil(text:find(dir, 1, true))
    assert.equal("bad.lua", doc.runs[1].results[1].locations[1].physicalLocation.artifactLocation.uri)
    -- a message that names the file names it as the report does
    local out = decode(sarif.sarif({
      { code = "SCRIPT_ERROR", severity = "error", message = dir .. "/in/x.lua:3: boom", file = dir .. "/in/x.lua" },
      { code = "SCRIPT_ERROR", severity = "error", message = "/elsewhere/y.lua:3: boom", file = "/elsewhere/y.lua" },
    }, { root = dir, cwd = "/" }))
    assert.equal("in/x.lua:3: boom", out.runs[1].results[1].message.text)
    assert.equal("y.lua:3: boom", out.runs[1].results[2].message.text)
  end)

  it("--source-root must be a directory", function()
    local code, _, err = cli.run { "check", "--no-config", "--format", "sarif", "--source-root", dir .. "/none", SEED }
    assert.equal(2, code)
    assert.matches("--source-root " .. dir .. "/none is not a directory", err, 1, true)
  end)

  it("finds the root: the nearest folder up with .git, else the current directory", function()
    os.execute(("mkdir -p '%s/repo/.git' '%s/repo/infra/roles' '%s/none'"):format(dir, dir, dir))
    assert.equal(dir .. "/repo", sarif.find_root(dir .. "/repo/infra/roles"))
    write(dir .. "/none/.gitx", "")
    assert.equal(dir .. "/none", sarif.find_root(dir .. "/none/"))
    assert.equal("infra/roles/x.lua", sarif.relative("roles/x.lua", dir .. "/repo", dir .. "/repo/infra"))
    assert.equal("x.lua", sarif.relative("../x.lua", dir .. "/repo", dir .. "/repo/infra"))
    assert.is_nil(sarif.relative("../../x.lua", dir .. "/repo", dir .. "/repo/infra"))
    assert.is_nil(sarif.relative("/repo-other/x.lua", "/repo", "/"))
    assert.equal("a%20b/%C3%BC.lua", sarif.encode_path("a b/\195\188.lua"))
  end)

  it("reads standard input as a result without a file", function()
    local doc = sarif.sarif({ { code = "MISSING_VERSION", severity = "warning", message = "m", file = "-", line = 1 } },
      { root = dir, cwd = dir })
    assert_valid(doc and decode(doc))
    local loc = decode(doc).runs[1].results[1].locations[1]
    assert.is_nil(loc.physicalLocation)
    assert.equal("(standard input)", loc.logicalLocations[1].fullyQualifiedName)
  end)

  it("keeps region.startLine and startColumn at least 1", function()
    local text = sarif.sarif({ { code = "MISSING_VERSION", severity = "warning", message = "m", file = "x.json",
                                 line = 0, column = 0 } }, { root = dir, cwd = dir })
    local region = decode(text).runs[1].results[1].locations[1].physicalLocation.region
    assert.same({ 1, 1 }, { region.startLine, region.startColumn })
  end)
end)

describe("SARIF partialFingerprints", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() cli.rm(dir) end)

  local function fingerprints(path)
    local doc = report { "--source-root", dir, path }
    local list = {}
    for _, r in ipairs(doc.runs[1].results) do
      local fp = r.partialFingerprints["leastprivFinding/v1"]
      assert.matches("^%x+:%d+$", fp)
      list[#list + 1] = r.ruleId .. " " .. fp
    end
    table.sort(list)
    return list
  end

  it("are the same on every run and unique within a report", function()
    write(dir .. "/p.json", ALL_SEVERITIES)
    local a, b = fingerprints(dir .. "/p.json"), fingerprints(dir .. "/p.json")
    assert.same(a, b)
    local seen = {}
    for _, fp in ipairs(a) do
      local hash = fp:match(" (.*)$")
      assert.is_nil(seen[hash], fp)
      seen[hash] = true
    end
  end)

  it("follow a finding when lines move and when a statement is inserted above it", function()
    write(dir .. "/p.json", ALL_SEVERITIES)
    local before = fingerprints(dir .. "/p.json")
    write(dir .. "/p.json", "\n\n\n" .. ALL_SEVERITIES:gsub("%[\n", '[\n  {"Sid": "New", "Effect": "Deny", '
      .. '"Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::data"},\n', 1))
    local after = fingerprints(dir .. "/p.json")
    local moved = {}
    for _, fp in ipairs(after) do moved[fp] = true end
    -- the Sid-named statement's findings and the file-level one keep theirs
    local kept = 0
    for _, fp in ipairs(before) do
      if not fp:match("^EMPTY_SID_VALUE") and not fp:match("^INVALID_ACTION") then
        assert.is_true(moved[fp], fp .. " changed")
        kept = kept + 1
      end
    end
    assert.is_true(kept >= 6)
  end)

  it("differ for another rule, file, path or message", function()
    local f = { code = "MISSING_VERSION", message = "m 1", path = "Statement[0]", document = "d" }
    local base = sarif.hash(sarif.identity(f, "a.json"))
    assert.equal(base, sarif.hash(sarif.identity({ code = "MISSING_VERSION", message = "m 2",
      path = "Statement[0]", document = "d" }, "a.json")))  -- numbers left out
    assert.are_not.equal(base, sarif.hash(sarif.identity(f, "b.json")))
    assert.are_not.equal(base, sarif.hash(sarif.identity({ code = "INVALID_ACTION", message = "m 1",
      path = "Statement[0]", document = "d" }, "a.json")))
    assert.are_not.equal(base, sarif.hash(sarif.identity({ code = "MISSING_VERSION", message = "m 1",
      path = "Statement[1]", document = "d" }, "a.json")))
    assert.are_not.equal(base, sarif.hash(sarif.identity({ code = "MISSING_VERSION", message = "other",
      path = "Statement[0]", document = "d" }, "a.json")))
    assert.equal("00000000000000000000000000000000", sarif.hash(""))
    assert.equal(sarif.hash("abc"), sarif.hash("abc"))
    assert.are_not.equal(sarif.hash("ab"), sarif.hash("ba"))
  end)
end)
