-- Issue 12 ("data cannot become Terraform code") and the render gate of
-- issue 15: data never forges a placeholder, control bytes in data are
-- findings and are escaped, render refuses what check reports as errors.
local cli = require "support.cli"
local cjson = require "cjson"

local function script(dir, name, text)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

-- A role whose trust policy comes from a vendor's JSON (lp.load_json).
local FORGED_TRUST = [[
local lp = require "leastpriv"
local trust = lp.load_json('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
  .. '"Principal": {"AWS": "\\u0001\\"*\\"\\u0002"}, "Action": "sts:AssumeRole"}]}')
return lp.role { name = "vendor", trust = trust }
]]

local FORGED_RESOURCE = [[
local lp = require "leastpriv"
local doc = lp.load_json('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
  .. '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\\u0001file(\\"/etc/hostname\\")\\u0002"}]}')
return lp.role { name = "vendor", trust = lp.trust.service("ec2.amazonaws.com"),
                policies = { vendor = doc } }
]]

describe("data cannot become Terraform code", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() os.execute("rm -rf '" .. dir .. "'") end)

  it("check reports a forged placeholder in a trust policy as INVALID_CHARACTER", function()
    local path = script(dir, "trust.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
      .. '"Principal": {"AWS": "\\u0001\\"*\\"\\u0002"}, "Action": "sts:AssumeRole"}]}')
    local code, out = cli.run { "check", path, "--format", "json" }
    assert.equal(1, code)
    local codes = {}
    for _, f in ipairs(cjson.decode(out).findings) do codes[f.code] = f end
    assert.truthy(codes.INVALID_CHARACTER, out)
    -- the message shows the control byte escaped, never raw
    assert.is_nil(codes.INVALID_CHARACTER.message:find("[\1\2]"))
    assert.matches("\\u0001", codes.INVALID_CHARACTER.message, 1, true)
  end)

  it("check reports an action with a control byte (iam:PassRole\\u0001)", function()
    local path = script(dir, "p.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
      .. '"Action": "iam:PassRole\\u0001", "Resource": "*"}]}')
    local _, out = cli.run { "check", path, "--format", "json" }
    local found = false
    for _, f in ipairs(cjson.decode(out).findings) do
      if f.code == "INVALID_CHARACTER" and f.path == "Statement[0].Action" then found = true end
    end
    assert.is_true(found, out)
  end)

  it("render refuses a forged principal from lp.load_json, naming the finding", function()
    local path = script(dir, "vendor.lua", FORGED_TRUST)
    local code, out, err = cli.run { "render", path, "--format", "hcl" }
    assert.equal(2, code)
    assert.equal("", out)
    assert.matches("INVALID_CHARACTER", err, 1, true)
    assert.matches(path .. ":", err, 1, true)
  end)

  for _, format in ipairs { "hcl", "hcl-doc" } do
    it("with --no-check, " .. format .. " writes the control bytes escaped: never AWS = \"*\"", function()
      local path = script(dir, "vendor.lua", FORGED_TRUST)
      local code, out, err = cli.run { "render", path, "--format", format, "--no-check" }
      assert.equal(0, code, err)
      assert.is_nil(out:find('AWS = "*"', 1, true))
      assert.is_nil(out:find('"*"]', 1, true))
      assert.matches([["\u0001\"*\"\u0002"]], out, 1, true)
    end)

    it("with --no-check, " .. format .. " never lets file(...) reach terraform", function()
      local path = script(dir, "vendor.lua", FORGED_RESOURCE)
      local code, out, err = cli.run { "render", path, "--format", format, "--no-check" }
      assert.equal(0, code, err)
      assert.is_nil(out:find("${file", 1, true))
      assert.matches([[arn:aws:s3:::b/\u0001file(\"/etc/hostname\")\u0002]], out, 1, true)
    end)
  end

  it("JSON output keeps the control bytes as \\u escapes", function()
    local path = script(dir, "vendor.lua", FORGED_TRUST)
    local code, out, err = cli.run { "render", path, "--no-check" }
    assert.equal(0, code, err)
    assert.matches([["AWS": "\u0001\"*\"\u0002"]], out, 1, true)
  end)

  it("render refuses a placeholder a script forged for an undeclared variable", function()
    local path = script(dir, "forge.lua", [[
local lp = require "leastpriv"
return lp.policy {
  lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::\248var.other\249/*" } }
]])
    local code, _, err = cli.run { "render", path, "--format", "hcl", "--no-check" }
    assert.equal(2, code)
    assert.matches("var.other is used but not declared with lp.var", err, 1, true)
  end)

  it("render refuses a placeholder holding anything but var.NAME", function()
    local path = script(dir, "forge.lua", [[
local lp = require "leastpriv"
return lp.policy {
  lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::\248file(\"/etc/hostname\")\249/*" } }
]])
    local code, _, err = cli.run { "render", path, "--format", "terraform", "--out", dir .. "/m", "--no-check" }
    assert.equal(2, code)
    assert.matches("something other than a variable reference", err, 1, true)
    assert.is_nil(cli.read(dir .. "/m/main.tf"))
  end)
end)

describe("the render gate (issue 15 item 14)", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() os.execute("rm -rf '" .. dir .. "'") end)

  local BAD_SID = [[
local lp = require "leastpriv"
return lp.policy {
  lp.allow { sid = "not valid!", action = "s3:GetObject", resource = "arn:aws:s3:::b/*" } }
]]

  it("refuses a script with an error-level finding, writing nothing, naming file and line", function()
    local path = script(dir, "bad.lua", BAD_SID)
    local code, _, err = cli.run { "render", path, "--format", "terraform", "--out", dir .. "/m" }
    assert.equal(2, code)
    assert.matches(path .. ":3:", err, 1, true)
    assert.matches("error UNSUPPORTED_SID", err, 1, true)
    assert.is_nil(cli.read(dir .. "/m/main.tf"))
    assert.is_nil(err:find("%.lua:%d+: .*%.lua:%d+:"))   -- no internal position
  end)

  it("renders anyway with --no-check", function()
    local path = script(dir, "bad.lua", BAD_SID)
    local code, out, err = cli.run { "render", path, "--no-check" }
    assert.equal(0, code, err)
    assert.matches('"Sid": "not valid!"', out, 1, true)
  end)

  it("checks with the --set values", function()
    local path = script(dir, "svc.lua", [[
local lp = require "leastpriv"
local service = lp.var("service")
return lp.policy { lp.allow { action = "s3:GetObject",
             resource = "arn:aws:" .. service .. ":::bucket/*" } }
]])
    local code, _, err = cli.run { "render", path, "--set", "service=S3" }
    assert.equal(2, code)
    assert.matches("INVALID_ARN_SERVICE", err, 1, true)
    code, _, err = cli.run { "render", path, "--set", "service=s3" }
    assert.equal(0, code, err)
  end)

  it("refuses an empty Action list and a Sid used twice, which the provider changes or refuses", function()
    local path = script(dir, "dup.lua", [[
local lp = require "leastpriv"
return lp.load_json([=[
{"Version": "2012-10-17", "Statement": [
  {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Sid": "A", "Effect": "Allow", "Action": [], "Resource": "*"}]}]=])
]])
    local code, _, err = cli.run { "render", path, "--format", "hcl-doc" }
    assert.equal(2, code)
    assert.matches("EMPTY_ARRAY_ACTION", err, 1, true)
    assert.matches("UNIQUE_SIDS", err, 1, true)
    assert.matches(path .. ":", err, 1, true)
  end)
end)

describe("render messages (issue 15 item 15)", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() os.execute("rm -rf '" .. dir .. "'") end)

  it("show no internal source position (the \"&{\" refusal)", function()
    local path = script(dir, "amp.lua", [[
local lp = require "leastpriv"
return lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/&{x}" } }
]])
    local code, _, err = cli.run { "render", path, "--format", "hcl-doc", "--no-check" }
    assert.equal(2, code)
    assert.matches("cannot be written in an aws_iam_policy_document", err, 1, true)
    assert.is_nil(err:find("leastpriv/[%w_/]+%.lua:%d+:"), err)
  end)

  it("are not cut at a newline inside a key; the newline is shown escaped", function()
    local path = script(dir, "nl.lua", [[
local lp = require "leastpriv"
return lp.policy { lp.allow { action = "s3:GetObject", resource = "*",
  condition = { StringEquals = { ["aws:Principal\nTag&{"] = "x" } } } }
]])
    local code, _, err = cli.run { "render", path, "--format", "hcl-doc", "--no-check" }
    assert.equal(2, code)
    local first = err:match("^[^\n]*")
    assert.matches("aws:Principal\\nTag&{", first, 1, true)
    assert.matches("cannot be written in an aws_iam_policy_document", first, 1, true)
    -- and the render gate's list of findings: one line each, newline escaped
    code, _, err = cli.run { "render", path }
    assert.equal(2, code)
    assert.matches("\n  " .. path .. ":3:%d+: error INVALID_GLOBAL_CONDITION_KEY [^\n]*Principal\\nTag", err)
  end)
end)

describe("DUPLICATE_MANAGED_POLICY_NAME (issue 15 item 11)", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() os.execute("rm -rf '" .. dir .. "'") end)

  local DOC = '{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", '
    .. '\\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:aws:s3:::b/*\\"}]}'
  local function plan_with(names)
    local resources = {}
    for i, name in ipairs(names) do
      resources[i] = ('{"address": "aws_iam_policy.p%d", "mode": "managed", "type": "aws_iam_policy", '
        .. '"name": "p%d", "values": {"name": "%s", "path": "/", "policy": "%s"}}'):format(i, i, name, DOC)
    end
    return '{"format_version": "1.2", "planned_values": {"root_module": {"resources": ['
      .. table.concat(resources, ", ") .. ']}}}'
  end

  it("reports two managed policies of one name in a plan (ignoring case)", function()
    local path = script(dir, "plan.json", plan_with { "data", "Data" })
    local _, out = cli.run { "check", path, "--format", "json" }
    local found = {}
    for _, f in ipairs(cjson.decode(out).findings) do found[f.code] = f end
    assert.truthy(found.DUPLICATE_MANAGED_POLICY_NAME, out)
    assert.matches('"Data" is also the name of aws_iam_policy.p1', found.DUPLICATE_MANAGED_POLICY_NAME.message, 1, true)
  end)

  it("does not report distinct names", function()
    local path = script(dir, "plan.json", plan_with { "a-data", "b-data" })
    local _, out = cli.run { "check", path, "--format", "json" }
    assert.is_nil(out:find("DUPLICATE_MANAGED_POLICY_NAME", 1, true))
  end)

  it("render --managed-policies of two roles with one policy name makes the names distinct", function()
    local path = script(dir, "two.lua", [[
local lp = require "leastpriv"
local function reader(name)
  return lp.role { name = name, trust = lp.trust.service("ec2.amazonaws.com"),
    policies = { data = lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/*" } } } }
end
return { reader("reader-a"), reader("reader-b") }
]])
    local code, out, err = cli.run { "render", path, "--format", "hcl", "--managed-policies" }
    assert.equal(0, code, err)
    assert.matches('name = "reader-a-data"', out, 1, true)
    assert.matches('name = "reader-b-data"', out, 1, true)
  end)
end)
