-- leastpriv check: every input kind (role scripts, IAM JSON, account dumps,
-- Terraform plans), malformed input, the three output formats, --fail-on,
-- --disable, --type, --limit, --profile, the project configuration and
-- inline suppression.
local cli = require "support.cli"
local cjson = require "cjson"
local checks = require "leastpriv.check.checks"

local SEED = "examples/sagemaker/seed_module.lua"

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function codes(findings)
  local set = {}
  for _, f in ipairs(findings) do set[f.code] = (set[f.code] or 0) + 1 end
  return set
end

-- Run check with --format json; returns exit code and the decoded report.
local function json_run(args)
  local argv = { "check", "--format", "json", "--no-config" }
  for _, a in ipairs(args) do argv[#argv + 1] = a end
  local code, out, err = cli.run(argv)
  assert(out ~= "", err)
  return code, cjson.decode(out), err
end

describe("leastpriv check on role scripts", function()
  it("passes the SageMaker execution and caller roles clean, together", function()
    local code, out = cli.run { "check", "--no-config", "examples/sagemaker/execution_role.lua",
                                "examples/sagemaker/caller_role.lua" }
    assert.equal(0, code)
    assert.equal("no findings in 2 files\n", out)
  end)

  it("points the seed's findings at its lines in compiler style", function()
    local code, out = cli.run { "check", "--no-config", SEED }
    assert.equal(1, code)
    assert.matches("^examples/sagemaker/seed_module%.lua:19:28: security RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL ", out)
    assert.matches("\nexamples/sagemaker/seed_module%.lua:31:20: security RESOURCE_STAR ecr:", out)
    assert.matches("in sagemaker%-execution%-role/sagemaker%-least%-privilege: Statement%[1%]%.Resource%[0%]", out)
    assert.matches("hint: name the resources, like arn:${Partition}:ecr:", out, 1, true)
    assert.matches("2 findings: 2 security findings in 1 file\n$", out)
  end)

  it("honours inline suppression comments, on the line or the line above", function()
    local code, report = json_run { "spec/fixtures/check/suppressed.lua" }
    assert.equal(1, code)
    local set = codes(report.findings)
    assert.is_nil(set.RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL)
    assert.equal(1, set.RESOURCE_STAR)            -- only the statement without the comment
    assert.equal(11, report.findings[1].line)
    assert.equal(1, set.DATA_EXFILTRATION)
  end)

  it("reports a failing script as SCRIPT_ERROR at its line", function()
    local code, report = json_run { "spec/fixtures/check/broken.lua" }
    assert.equal(1, code)
    assert.equal(1, #report.findings)
    local f = report.findings[1]
    assert.equal("SCRIPT_ERROR", f.code)
    assert.equal(4, f.line)
    assert.matches("s3:GetObjekt", f.message)
  end)

  it("applies the seed-review profile on request", function()
    local code, report = json_run { "--profile", "seed-review", "examples/sagemaker/execution_role.lua",
                                    "examples/sagemaker/caller_role.lua" }
    assert.equal(1, code)
    assert.equal(1, codes(report.findings).SEED_REVIEW_ROLE_COUNT)
    local _, seed = json_run { "--profile", "seed-review", SEED }
    for _, f in ipairs(seed.findings) do assert.is_nil(f.code:match("^SEED_REVIEW"), f.message) end
  end)
end)

describe("leastpriv check on JSON files", function()
  it("checks a policy file and locates findings by line and column", function()
    local code, report = json_run { "spec/fixtures/json/seed_execution_policy.json" }
    assert.equal(1, code)
    assert.equal(1, #report.findings)
    local f = report.findings[1]
    assert.equal("RESOURCE_STAR", f.code)
    assert.equal("spec/fixtures/json/seed_execution_policy.json", f.file)
    assert.is_number(f.line)
    assert.is_number(f.column)
  end)

  it("takes the policy type from --type", function()
    local _, inferred = json_run { "spec/fixtures/json/seed_trust_policy.json" }
    assert.equal(1, codes(inferred.findings).RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL)
    local _, forced = json_run { "--type", "identity", "spec/fixtures/json/seed_trust_policy.json" }
    assert.equal(1, codes(forced.findings).UNSUPPORTED_PRINCIPAL)
  end)

  it("reports each malformed file as one JSON_SYNTAX_ERROR naming its line and column", function()
    local dir = "spec/fixtures/json/invalid/"
    local p = io.popen("ls " .. dir)
    local n = 0
    for name in p:lines() do
      n = n + 1
      local code, report = json_run { dir .. name }
      assert.equal(1, code, name)
      assert.equal(1, #report.findings, name)
      local f = report.findings[1]
      assert.equal("JSON_SYNTAX_ERROR", f.code, name)
      assert.equal(dir .. name, f.file)
      assert.is_number(f.line, name)
      assert.is_number(f.column, name)
    end
    p:close()
    assert.is_true(n >= 5)
  end)

  it("reports deep nesting and a huge document as JSON errors", function()
    local dir = cli.tmpdir()
    write(dir .. "/deep.json", string.rep("[", 70) .. string.rep("]", 70))
    write(dir .. "/huge.json", '{"Id": "' .. string.rep("a", 17 * 1024 * 1024) .. '"}')
    local _, report = json_run { dir .. "/deep.json", dir .. "/huge.json" }
    assert.equal(2, #report.findings)
    assert.matches("nesting deeper than", report.findings[1].message)
    assert.matches("larger than 16 MiB", report.findings[2].message)
    cli.rm(dir)
  end)

  it("fails with exit status 2 on a file it cannot read", function()
    local code, _, err = cli.run { "check", "--no-config", "spec/fixtures/check/nope.json" }
    assert.equal(2, code)
    assert.matches("nope%.json", err)
  end)

  it("reads standard input for -", function()
    local p = io.popen(cli.LUA .. "bin/leastpriv check --no-config --format json - < spec/fixtures/json/seed_trust_policy.json")
    local out = p:read("*a")
    p:close()
    local report = cjson.decode(out)
    assert.equal("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", report.findings[1].code)
    assert.equal("-", report.findings[1].file)
  end)
end)

describe("leastpriv check on an account dump", function()
  local code, report = json_run { "spec/fixtures/check/account.json" }

  it("checks every document in its context and names the identity", function()
    assert.equal(1, code)
    local set = codes(report.findings)
    assert.equal(1, set.GLOBAL_ACTION_WILDCARD)                 -- user alice's inline policy
    assert.equal(1, set.INVALID_ACTION)                         -- a URL-encoded inline policy
    assert.equal(1, set.TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID) -- the account comes from the ARNs
    assert.equal(1, set.RESOURCE_STAR)                          -- the managed policy's default version only
    for _, f in ipairs(report.findings) do
      assert.is_string(f.document)
      assert.is_number(f.line)
    end
  end)

  it("points findings in a JSON-string document at the string", function()
    for _, f in ipairs(report.findings) do
      if f.code == "INVALID_ACTION" then
        assert.equal("role trainer/data", f.document)
        assert.equal("Statement[0].Action[1]", f.path)
      end
    end
  end)

  it("leaves AWS managed policies out unless --aws-managed", function()
    for _, f in ipairs(report.findings) do assert.not_equal("policy ReadOnlyAccess", f.document) end
    local _, all = json_run { "--aws-managed", "spec/fixtures/check/account.json" }
    local found = false
    for _, f in ipairs(all.findings) do
      if f.document == "policy ReadOnlyAccess" then found = true end
    end
    assert.is_true(found)
  end)

  it("checks PassRole against the execution roles of the same account", function()
    local set = codes(report.findings)
    assert.equal(1, set.PASS_ROLE_BEYOND_EXECUTION_ROLES)        -- alice's iam:* on *
    assert.is_nil(set.PASS_ROLE_TO_UNTRUSTED_SERVICE)            -- caller -> trainer is right
  end)
end)

describe("leastpriv check on a Terraform plan", function()
  local code, report = json_run { "spec/fixtures/check/plan.json" }

  it("names findings by Terraform address, modules and data sources included", function()
    assert.equal(1, code)
    local by_doc = {}
    for _, f in ipairs(report.findings) do by_doc[f.document] = (by_doc[f.document] or 0) + 1 end
    assert.truthy(by_doc["aws_iam_role.app (assume_role_policy)"])
    assert.truthy(by_doc["aws_iam_role_policy.app_data"])
    assert.truthy(by_doc["aws_iam_group_policy.ops"])
    assert.truthy(by_doc["module.deploy.aws_iam_policy.deployer"])
    assert.truthy(by_doc["data.aws_iam_policy_document.orders"])
    assert.is_nil(by_doc["aws_iam_user_policy.bob"])            -- clean
  end)

  it("points at the attribute that holds the JSON", function()
    local text = cli.read("spec/fixtures/check/plan.json")
    local lines = {}
    for l in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
    for _, f in ipairs(report.findings) do
      if f.document == "aws_iam_role_policy.app_data" then
        assert.matches('"policy":', lines[f.line])
      end
    end
  end)
end)

describe("leastpriv check output", function()
  it("--format json: findings with every field, and a summary", function()
    local code, report = json_run { SEED }
    assert.equal(1, code)
    assert.equal(2, report.summary.total)
    assert.equal(2, report.summary.security)
    local f = report.findings[2]
    for _, k in ipairs { "code", "severity", "message", "path", "line", "column", "sid", "hint", "file", "document" } do
      assert.is_not_nil(f[k], k)
    end
  end)

  it("--format sarif: SARIF 2.1.0 with every rule described once and located results", function()
    local code, out = cli.run { "check", "--no-config", "--format", "sarif", SEED, "spec/fixtures/check/account.json" }
    assert.equal(1, code)
    local sarif = cjson.decode(out)
    assert.equal("2.1.0", sarif.version)
    assert.matches("sarif%-schema%-2%.1%.0", sarif["$schema"])
    local run = sarif.runs[1]
    local rules, seen = run.tool.driver.rules, {}
    assert.equal("leastpriv", run.tool.driver.name)
    assert.equal(#checks.list, #rules)
    for i, r in ipairs(rules) do
      assert.is_nil(seen[r.id], r.id)
      seen[r.id] = i - 1
      assert.is_string(r.shortDescription.text)
      assert.is_string(r.fullDescription.text)
      assert.truthy(({ error = true, warning = true, note = true })[r.defaultConfiguration.level])
      assert.matches("^https://", r.helpUri)
    end
    assert.is_true(#run.results >= 10)
    for _, res in ipairs(run.results) do
      assert.equal(seen[res.ruleId], res.ruleIndex)
      assert.truthy(({ error = true, warning = true, note = true })[res.level])
      assert.is_string(res.message.text)
      local loc = res.locations[1].physicalLocation
      assert.is_string(loc.artifactLocation.uri)
      assert.is_nil(loc.artifactLocation.uri:match("^%./"))
      assert.is_true(loc.region.startLine >= 1)
      assert.is_true(loc.region.startColumn >= 1)
    end
  end)

  it("--output writes the report to a file", function()
    local dir = cli.tmpdir()
    local code, out = cli.run { "check", "--no-config", "--format", "sarif", "--output", dir .. "/r.sarif", SEED }
    assert.equal(1, code)
    assert.equal("", out)
    assert.equal("2.1.0", cjson.decode(cli.read(dir .. "/r.sarif")).version)
    cli.rm(dir)
  end)

  it("--list-checks lists every check", function()
    local code, out = cli.run { "check", "--list-checks" }
    assert.equal(0, code)
    for _, c in ipairs(checks.list) do assert.matches(c.code, out, 1, true) end
  end)
end)

describe("leastpriv check exit status and options", function()
  it("--fail-on sets the level that fails", function()
    assert.equal(1, (cli.run { "check", "--no-config", SEED }))
    assert.equal(1, (cli.run { "check", "--no-config", "--fail-on", "security", SEED }))
    assert.equal(0, (cli.run { "check", "--no-config", "--fail-on", "error", SEED }))
    assert.equal(0, (cli.run { "check", "--no-config", "--fail-on", "none", SEED }))
  end)

  it("--disable leaves codes out, and refuses unknown ones", function()
    local _, report = json_run { "--disable", "RESOURCE_STAR", SEED }
    assert.equal(1, #report.findings)
    local code, _, err = cli.run { "check", "--no-config", "--disable", "RESOURCE_STARR", SEED }
    assert.equal(2, code)
    assert.matches("did you mean 'RESOURCE_STAR'", err, 1, true)
  end)

  it("--limit changes a quota", function()
    local _, report = json_run { "--limit", "trust_policy_size=50", "spec/fixtures/json/seed_trust_policy.json" }
    assert.equal(1, codes(report.findings).POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA)
    assert.equal(2, (cli.run { "check", "--no-config", "--limit", "trust=5", SEED }))
  end)

  it("--account makes other accounts' principals cross-account", function()
    local dir = cli.tmpdir()
    write(dir .. "/t.json", [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}]])
    local _, plain = json_run { dir .. "/t.json" }
    assert.is_nil(codes(plain.findings).TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID)
    local _, report = json_run { "--account", "111122223333", dir .. "/t.json" }
    assert.equal(1, codes(report.findings).TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID)
    cli.rm(dir)
  end)
end)

describe("leastpriv check project configuration", function()
  it("reads .leastpriv.lua: disable, severity, types, ignore, fail_on, limits", function()
    local dir = cli.tmpdir()
    write(dir .. "/scp.json", [[{"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
      "Principal": "*", "Action": "s3:*", "Resource": "*"}]}]])
    write(dir .. "/cfg.lua", ([[
      return {
        disable = { "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL" },
        severity = { RESOURCE_STAR = "suggestion" },
        types = { ["*scp.json"] = "scp" },
        ignore = { ["%s/nothing*"] = { "RESOURCE_STAR" } },
        fail_on = "security",
        limits = { trust_policy_size = 4096 },
      }]]):format(dir))
    local code, out = cli.run { "check", "--format", "json", "--config", dir .. "/cfg.lua", SEED, dir .. "/scp.json" }
    assert.equal(1, code)                           -- the SCP's error
    local report = cjson.decode(out)
    local set = codes(report.findings)
    assert.is_nil(set.RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL)
    assert.equal(1, set.SCP_SYNTAX_ERROR_PRINCIPAL)
    for _, f in ipairs(report.findings) do
      if f.code == "RESOURCE_STAR" then assert.equal("suggestion", f.severity) end
    end
    cli.rm(dir)
  end)

  it("reads leastpriv.json, and its ignore patterns drop codes per file", function()
    local dir = cli.tmpdir()
    write(dir .. "/leastpriv.json", '{"ignore": {"*seed_module.lua": ["RESOURCE_STAR"]}, "fail_on": "error"}')
    local code, out = cli.run { "check", "--format", "json", "--config", dir .. "/leastpriv.json", SEED }
    assert.equal(0, code)
    assert.is_nil(codes(cjson.decode(out).findings).RESOURCE_STAR)
    cli.rm(dir)
  end)

  it("rejects unknown settings and codes, naming the file", function()
    local dir = cli.tmpdir()
    write(dir .. "/bad.lua", "return { disabel = {} }")
    local code, _, err = cli.run { "check", "--config", dir .. "/bad.lua", SEED }
    assert.equal(2, code)
    assert.matches("bad%.lua: unknown setting 'disabel'", err)
    write(dir .. "/bad.lua", 'return { disable = { "NOPE" } }')
    code, _, err = cli.run { "check", "--config", dir .. "/bad.lua", SEED }
    assert.equal(2, code)
    assert.matches("unknown check NOPE", err)
    cli.rm(dir)
  end)

  it("finds .leastpriv.lua in the current directory", function()
    local dir = cli.tmpdir()
    write(dir .. "/.leastpriv.lua", 'return { disable = { "RESOURCE_STAR", "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL" } }')
    local root = io.popen("pwd"):read("*l")
    local p = io.popen(("cd %s && %s%s/bin/leastpriv check %s/%s; echo \"exit:$?\""):format(dir, cli.LUA, root, root, SEED))
    local out = p:read("*a")
    p:close()
    assert.matches("no findings in 1 file", out)
    assert.matches("exit:0", out)
    cli.rm(dir)
  end)
end)

describe("leastpriv check on a Terraform plan with resource policies and SCPs", function()
  -- made by `terraform plan` + `terraform show -json` (aws provider 5.100)
  local code, report = json_run { "spec/fixtures/check/resource_policies_plan.json" }
  local function where(code_)
    local out = {}
    for _, f in ipairs(report.findings) do
      if f.code == code_ then out[#out + 1] = f.document .. " " .. f.path end
    end
    return out
  end

  it("checks bucket and topic policies against their service", function()
    assert.equal(1, code)
    assert.same({ "aws_s3_bucket_policy.data (policy) Statement[0].Action[1]" }, where("UNSUPPORTED_ACTION_IN_POLICY"))
    assert.same({ "aws_s3_bucket_policy.data (policy) Statement[0].Resource[1]" },
      where("UNSUPPORTED_RESOURCE_ARN_IN_POLICY"))
    assert.same({ "aws_sns_topic_policy.uploads (policy) Statement[0].Principal.Service" },
      where("RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"))
  end)

  it("checks an SCP as an SCP, skips tag policies, and finds the default key policy clean", function()
    assert.same({ "aws_organizations_policy.guardrail (content) Statement[0].Condition" },
      where("SCP_SYNTAX_ERROR_ALLOW_CONDITION"))
    for _, f in ipairs(report.findings) do
      assert.is_nil(f.document:find("aws_organizations_policy.tags", 1, true), f.code)
      assert.is_nil(f.document:find("aws_kms_key", 1, true), f.code)
    end
    assert.equal(4, #report.findings)
  end)
end)

describe("leastpriv check --service", function()
  local path = os.tmpname()
  write(path, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": '
    .. '"arn:aws:iam::111122223333:role/ci"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:s3:::b/*"}]}')
  teardown(function() os.remove(path) end)

  it("checks a JSON file as that service's resource policy", function()
    local code, report = json_run { "--service", "AWS::S3::Bucket", path }
    assert.equal(1, code)
    local set = codes(report.findings)
    assert.equal(1, set.UNSUPPORTED_ACTION_IN_POLICY)
    local _, plain = json_run { path }
    assert.is_nil(codes(plain.findings).UNSUPPORTED_ACTION_IN_POLICY)
  end)

  it("refuses an unknown service and a type other than resource", function()
    local code, _, err = cli.run { "check", "--no-config", "--service", "s4", path }
    assert.equal(2, code)
    assert.matches('unknown service "s4" %(did you mean s3%?%)', err)
    code, _, err = cli.run { "check", "--no-config", "--service", "s3", "--type", "trust", path }
    assert.equal(2, code)
    assert.matches("applies to resource policies", err)
  end)
end)
