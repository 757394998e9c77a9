-- Markdown reports for pull requests: the escaping helpers, and `check
-- --format markdown` (golden files, hostile names, the size budget, the
-- same findings as --format json, $GITHUB_STEP_SUMMARY).  Where Debian's
-- cmark-gfm (GitHub's own Markdown implementation) is installed, the
-- reports are rendered with it and the HTML inspected.
local cli = require "support.cli"
local md = require "leastpriv.markdown"
local core = require "leastpriv.core"

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1; echo \"exit:$?\"")
  local out = p:read("*a")
  p:close()
  return tonumber(out:match("exit:(%d+)\n$")), (out:gsub("exit:%d+\n$", ""))
end

local have_cmark = sh("command -v cmark-gfm >/dev/null") == 0

-- HTML that GitHub's renderer makes of text.
local function render(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  local code, html = sh("cmark-gfm -e table -e autolink -e strikethrough " .. path)
  os.remove(path)
  assert.equal(0, code, html)
  return html
end

describe("leastpriv.markdown", function()
  it("escapes every character Markdown or HTML reads in text from data", function()
    assert.equal("a\\*b\\* \\_c\\_ \\[x\\]\\(y\\) &lt;img&gt; &amp; \\| \\# \\! \\` \\\\ \\~",
      md.text("a*b* _c_ [x](y) <img> & | # ! ` \\ ~"))
    -- controls and bidirectional overrides stay visible as escapes
    assert.equal("one\\\\ntwo", md.text("one\ntwo"))
    assert.equal("a\\\\u\\{202e\\}b", md.text("a\226\128\174b"))
    assert.equal("`a\\u{202e}b`", md.code("a\226\128\174b"))
  end)

  it("code spans hold any text: a longer fence than its backticks, | escaped only in cells", function()
    assert.equal("`s3:GetObject`", md.code("s3:GetObject"))
    assert.equal("`` a`b ``", md.code("a`b "):gsub("^``a", "`` a"))
    assert.equal("``a`b``", md.code("a`b"))
    assert.equal("`a|b`", md.code("a|b"))
    assert.equal("`a\\|b`", md.code("a|b", true))
  end)

  it("links percent-encode the target and escape the label", function()
    assert.equal("[roles/a b\\.lua:3](roles/a%20b.lua#L3)", md.link("roles/a b.lua", 3))
    assert.equal("[x\\.json](https://h/blob/s/x.json)", md.link("x.json", nil, "https://h/blob/s/"))
  end)

  it("a budget keeps what fits, counts the rest and says so", function()
    local b = md.budget(10)
    assert.is_true(b.add("12345"))
    assert.is_false(b.add("1234567", 3))
    assert.is_false(b.add("1", 2))          -- nothing after the first cut
    assert.equal("12345\n5 cut\n", b.finish(function(n) return n .. " cut" end))
  end)
end)

describe("check --format markdown", function()
  it("summarises, then one table per file and document (golden file)", function()
    local code, out = cli.run({ "check", "spec/fixtures/check/account.json", "--format", "markdown" })
    assert.equal(1, code)
    assert.equal(cli.read("spec/fixtures/check/account.md"), out)
    assert.matches("^## leastpriv check\n\n%*%*12 findings%*%*: 1 error, 9 security findings, 2 warnings in 1 file%.\n", out)
  end)

  it("holds the same findings and fields as --format json", function()
    local _, out = cli.run({ "check", "spec/fixtures/check/account.json", "--format", "markdown" })
    local _, json = cli.run({ "check", "spec/fixtures/check/account.json", "--format", "json" })
    local findings = core.json_decode(json).findings
    local _, rows = out:gsub("\n| %*?%*?%a+%*?%*? | `", "")
    assert.equal(#findings, rows)
    for _, f in ipairs(findings) do
      assert.truthy(out:find(md.code(f.code, true) .. " | " .. md.link(f.file, f.line), 1, true), f.code)
      assert.truthy(out:find(md.text(f.message), 1, true), f.message)
      if f.hint then assert.truthy(out:find("*hint:* " .. md.text(f.hint), 1, true), f.hint) end
    end
  end)

  it("says so when there are no findings", function()
    local code, out = cli.run({ "check", "examples/sagemaker/execution_role.lua", "--format", "markdown" })
    assert.equal(0, code)
    assert.equal("## leastpriv check\n\n**No findings** in 1 file.\n", out)
  end)

  it("escapes hostile names: policies cannot break a table or inject Markdown or HTML", function()
    local _, out = cli.run({ "check", "spec/fixtures/graph/hostile_dump.json", "--format", "markdown" })
    assert.equal(cli.read("spec/fixtures/check/hostile_dump.md"), out)
    for line in out:gmatch("[^\n]+") do
      if line:sub(1, 1) == "|" then
        -- four cells: a raw "|" in a cell would make more
        local cells = select(2, line:gsub("\\|", ""):gsub("|", "")) - 1
        assert.equal(4, cells, line)
      end
      -- raw "<" only in the tags the report writes itself
      local rest = line:gsub("<br>", ""):gsub("</?details>", ""):gsub("</?summary>", "")
      if not rest:match("^``") then assert.falsy(rest:find("<", 1, true), line) end
    end
    if not have_cmark then return pending("cmark-gfm not found: the rendered HTML is not checked") end
    local html = render(out)
    assert.falsy(html:find("<img", 1, true))
    assert.falsy(html:find("<strong>bold", 1, true))
    assert.falsy(html:find("<script", 1, true))
    for tr in html:gmatch("<tr>(.-)</tr>") do
      local _, cells = tr:gsub("<t[dh]>", "")
      assert.equal(4, cells, tr)
    end
  end)

  it("collapses long tables and stays under GitHub's comment limit, saying what was cut", function()
    local dir = cli.tmpdir()
    local roles = {}
    for i = 1, 300 do
      roles[i] = ([[{"Path": "/", "RoleName": "r%03d", "Arn": "arn:aws:iam::111122223333:role/r%03d",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}],
        "AttachedManagedPolicies": [], "Tags": []}]]):format(i, i)
    end
    local path = dir .. "/many.json"
    local f = assert(io.open(path, "w"))
    f:write('{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [',
      table.concat(roles, ","), "]}")
    f:close()
    local _, out = cli.run({ "check", path, "--format", "markdown" })
    local _, json = cli.run({ "check", path, "--format", "json" })
    cli.rm(dir)
    local total = #core.json_decode(json).findings
    assert.truthy(#out < md.COMMENT_LIMIT, #out)
    local _, shown = out:gsub("\n| %*?%*?%a+%*?%*? | `", "")
    local cut = tonumber(out:match("_(%d+) more findings? not shown here"))
    assert.truthy(cut and cut > 0)
    assert.equal(total, shown + cut)
  end)

  it("collapses a table of more than ten findings into a <details> section", function()
    local dir = cli.tmpdir()
    local path = dir .. "/typos.json"
    local statements = {}
    for i = 1, 12 do
      statements[i] = ('{"Sid": "S%d", "Effect": "Allow", "Action": "s3:GetObjekt%d", '
        .. '"Resource": "arn:aws:s3:::b/*"}'):format(i, i)
    end
    local f = assert(io.open(path, "w"))
    f:write('{"Version": "2012-10-17", "Statement": [', table.concat(statements, ","), "]}")
    f:close()
    local _, out = cli.run({ "check", path, "--format", "markdown" })
    cli.rm(dir)
    assert.matches("\n<details><summary>12 findings</summary>\n\n| severity |", out)
    assert.matches("\n</details>\n$", out)
  end)

  it("--summary appends the report to $GITHUB_STEP_SUMMARY", function()
    local dir = cli.tmpdir()
    local summary = dir .. "/summary.md"
    local f = assert(io.open(summary, "w"))
    f:write("earlier step\n")
    f:close()
    local code, out, err = cli.exec({ "check", "spec/fixtures/check/account.json", "--summary" })
    assert.equal(2, code)       -- not set here
    assert.matches("GITHUB_STEP_SUMMARY is not set", err)
    local p = io.popen(("GITHUB_STEP_SUMMARY=%q %sbin/leastpriv check spec/fixtures/check/account.json "
      .. "--summary >/dev/null 2>&1; echo $?"):format(summary, cli.LUA))
    local status = p:read("*a")
    p:close()
    assert.equal("1\n", status)
    local text = cli.read(summary)
    cli.rm(dir)
    assert.equal("earlier step\n" .. cli.read("spec/fixtures/check/account.md") .. "\n", text)
    assert.equal("", out)
  end)
end)

describe("check --format markdown --graph", function()
  it("adds the roles' Mermaid graph, as leastpriv graph draws it", function()
    local files = { "examples/sagemaker/caller_role.lua", "examples/sagemaker/execution_role.lua" }
    local code, out = cli.run({ "check", files[1], files[2], "--format", "markdown", "--graph",
                                "--account", "123456789012" })
    assert.equal(0, code)
    local _, graph = cli.run({ "graph", files[1], files[2], "--account", "123456789012" })
    assert.truthy(out:find("### Who can become what\n\n```mermaid\n" .. graph .. "```\n", 1, true))
  end)

  it("keeps the whole comment under GitHub's limit, cutting edges first", function()
    local dir = cli.tmpdir()
    local roles = {}
    for i = 1, 400 do
      roles[i] = ([[{"Path": "/", "RoleName": "r%03d", "Arn": "arn:aws:iam::111122223333:role/r%03d",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b%03d/*"}]}}],
        "AttachedManagedPolicies": [], "Tags": []}]]):format(i, i, i)
    end
    local path = dir .. "/many.json"
    local f = assert(io.open(path, "w"))
    f:write('{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [',
      table.concat(roles, ","), "]}")
    f:close()
    local _, out = cli.run({ "check", path, "--format", "markdown", "--graph" })
    cli.rm(dir)
    assert.truthy(#out < md.COMMENT_LIMIT, #out)
    assert.matches("more edges not shown", out)
  end)
end)

describe("diff, can and overgrant --format markdown", function()
  local F = "spec/fixtures/analysis/"

  it("diff: the verdict first, a table per role, each new grant's request as a code block", function()
    local code, out = cli.run({ "diff", F .. "old.json", F .. "new.json", "--format", "markdown" })
    local jcode, json = cli.run({ "diff", F .. "old.json", F .. "new.json", "--format", "json" })
    assert.equal(jcode, code)
    assert.equal(1, code)
    assert.matches("^## leastpriv diff\n\n%*%*Adds access%*%*: %d+ actions? on %d+ resources?, in 1 role or policy%.\n", out)
    assert.matches("| %*%*%+%*%* | `s3:PutObject`", out)
    assert.matches("```sh\ns3:PutObject on arn:aws:s3:::data/out/", out)
    -- the same grants as the JSON report
    local report = core.json_decode(json)
    for _, e in ipairs(report.entries) do
      for _, g in ipairs(e.added) do assert.truthy(out:find(md.code(g.action, true), 1, true), g.action) end
    end
    local same_code, same = cli.run({ "diff", F .. "old.json", F .. "old.json", "--format", "markdown" })
    assert.equal(0, same_code)
    assert.equal("## leastpriv diff\n\n**No new access.**\n", same)
  end)

  it("can: grants per resource pattern, or the actions allowed on one resource", function()
    local code, out = cli.run({ "can", "examples/sagemaker/execution_role.lua", "--format", "markdown" })
    assert.equal(0, code)
    assert.matches("%*%*12 grants%*%* on %*%*7 resource patterns%*%* %(2 under conditions%)", out)
    -- conditional and unconditional grants on one pattern are rows of their own
    assert.matches("| `%*` | 1 | `cloudwatch:PutMetricData` | if its conditions hold |", out)
    assert.matches("| `%*` | 1 | `ecr:GetAuthorizationToken` |  |", out)
    local _, one = cli.run({ "can", "examples/sagemaker/execution_role.lua", "--format", "markdown",
      "-r", "arn:aws:s3:::my-ml-training-data/experiments/input/x" })
    assert.matches("%*%*1 action%*%* allowed on `arn:aws:s3:::my%-ml%-training%-data/experiments/input/x`", one)
  end)

  it("overgrant: the excess per role, or nothing beyond the needs", function()
    local code, out = cli.run({ "overgrant", F .. "new.json", "--needs", F .. "needs.json", "--format", "markdown" })
    assert.equal(1, code)
    assert.matches("^## leastpriv overgrant\n\n%*%*%d+ grants? beyond the declared needs%*%*: Write %d", out)
    assert.matches("| Write | `s3:PutObject` | `arn:aws:s3:::data/out/%*` |", out)
  end)

  it("escapes what policies hold", function()
    local dir = cli.tmpdir()
    local path = dir .. "/evil.json"
    local f = assert(io.open(path, "w"))
    f:write('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
      .. '"Resource": "arn:aws:s3:::b/<img src=x>|`x`/*"}]}')
    f:close()
    local _, out = cli.run({ "can", path, "--format", "markdown" })
    cli.rm(dir)
    for line in out:gmatch("[^\n]+") do
      if line:sub(1, 1) == "|" then
        local cells = select(2, line:gsub("\\|", ""):gsub("|", "")) - 1
        assert.equal(4, cells, line)
      end
    end
    if have_cmark then
      assert.falsy(render(out):find("<img", 1, true))
    end
  end)
end)
