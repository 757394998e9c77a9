-- Issue 15 items 5 and 13: values of script inputs obey the rules of where
-- they are used, whether they come from --set or from a Terraform caller.
local input_rules = require "leastpriv.input_rules"
local template = require "leastpriv.template"
local core = require "leastpriv.core"
local cli = require "support.cli"

local V = template.placeholder

describe("input_rules.of", function()
  it("finds the account and region parts of ARNs and S3 bucket names", function()
    local rules = input_rules.of { Statement = { { Resource = {
      "arn:aws:ecr:" .. V "region" .. ":" .. V "account" .. ":repository/app",
      "arn:aws:s3:::" .. V "bucket" .. "/*", "arn:aws:s3:::" .. V "whole",
      "arn:aws:s3:::data/" .. V "key", "arn:aws:iam::" .. V "acct2" .. ":role/x" } } } }
    assert.same({ region = true }, rules.region)
    assert.same({ account = true }, rules.account)
    assert.same({ bucket = true }, rules.bucket)
    assert.same({ bucket = true }, rules.whole)
    assert.same({ account = true }, rules.acct2)
    assert.is_nil(rules.key)
  end)

  it("gives every variable of a document-style policy the \"&{\" rule", function()
    local rules = input_rules.of({ Statement = { { Resource = { "arn:aws:s3:::b/" .. V "key" } } } },
                                 { document = true })
    assert.same({ document = true }, rules.key)
  end)
end)

describe("input_rules.check", function()
  it("applies the rules literals obey", function()
    assert.is_nil(input_rules.check("a", "123456789012", { account = true }))
    assert.matches("12-digit", input_rules.check("a", "123", { account = true }), 1, true)
    assert.is_nil(input_rules.check("r", "us-gov-west-1", { region = true }))
    assert.matches("region code", input_rules.check("r", "US-east-1", { region = true }))
    assert.matches("region code", input_rules.check("r", "us-east", { region = true }))
    assert.is_nil(input_rules.check("b", "my-ml-data.2", { bucket = true }))
    assert.matches("bucket name", input_rules.check("b", "My_Bucket", { bucket = true }))
    assert.matches("bucket name", input_rules.check("b", "ab", { bucket = true }))
    assert.matches("&{", input_rules.check("k", "x&{y}", { document = true }), 1, true)
    assert.matches("&{", input_rules.check("k", "{y}", { document = true }), 1, true)
    assert.is_nil(input_rules.check("k", "x{y}&z", { document = true }))
  end)
end)

describe("validation blocks of generated variables", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() os.execute("rm -rf '" .. dir .. "'") end)

  local SCRIPT = [[
local lp = require "leastpriv"
local account = lp.var("account_id")
local bucket = lp.var("bucket")
local prefix = lp.var("prefix")
return lp.policy { lp.allow { action = "ecr:BatchGetImage",
  resource = "arn:aws:ecr:eu-west-1:" .. account .. ":repository/app" },
  lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::" .. bucket .. "/" .. prefix .. "/*" } }
]]

  local function render(...)
    local path = dir .. "/s.lua"
    local f = assert(io.open(path, "wb"))
    f:write(SCRIPT)
    f:close()
    return cli.run { "render", path, ... }
  end

  it("check a 12-digit account and a bucket name", function()
    local code, out, err = render("--format", "hcl")
    assert.equal(0, code, err)
    assert.matches('condition     = length(regexall("^[0-9]{12}$", var.account_id)) > 0', out, 1, true)
    assert.matches('error_message = "account_id must be a 12-digit AWS account ID."', out, 1, true)
    assert.matches('regexall("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket)', out, 1, true)
    assert.is_nil(out:find("var.prefix))", 1, true))
  end)

  it("in hcl-doc, reject \"&{\" in any variable a document uses", function()
    local code, out, err = render("--format", "hcl-doc")
    assert.equal(0, code, err)
    assert.matches('length(regexall("&\\\\{|^\\\\{|&$", var.prefix)) == 0', out, 1, true)
  end)

  it("--set values obey the same rules (render)", function()
    local code, _, err = render("--set", "account_id=123", "--set", "bucket=b-1", "--set", "prefix=p", "--no-check")
    assert.equal(2, code)
    assert.matches("--set account_id=123: account_id must be a 12-digit AWS account ID", err, 1, true)
    code, _, err = render("--set", "account_id=123456789012", "--set", "bucket=Bad_Bucket", "--set", "prefix=p")
    assert.equal(2, code)
    assert.matches("bucket must be an S3 bucket name", err, 1, true)
    code, _, err = render("--set", "account_id=123456789012", "--set", "bucket=b-1", "--set", "prefix=p")
    assert.equal(0, code, err)
  end)

  it("the regexes are those of the Lua rules (same verdicts through terraform console)", function()
    local tf = require "fixtures.hcl.tf"
    if not tf.available() then return pending("terraform not found: console check skipped") end
    local cases = { { "account", "123456789012" }, { "account", "12345678901" }, { "region", "us-east-1" },
                    { "region", "us-gov-west-1" }, { "region", "useast1" }, { "bucket", "my.bucket-1" },
                    { "bucket", "-bad" }, { "bucket", "UPPER" }, { "document", "a&{b" }, { "document", "{x" },
                    { "document", "x&" }, { "document", "x{y}&z" } }
    local exprs = {}
    for i, c in ipairs(cases) do
      local rule = input_rules.RULES[c[1]]
      exprs[i] = ("length(regexall(%s, %s))"):format(core.hcl_string(rule.regex), core.hcl_string(c[2]))
    end
    local d = tf.tmpdir()
    finally(function() tf.rmrf(d) end)
    tf.write(d .. "/input", "[" .. table.concat(exprs, ", ") .. "]\n")
    local ok, out = tf.terraform(d, "console -no-color < input")
    assert(ok, out)
    local got = {}
    for n in out:gmatch("(%d+),?\n") do got[#got + 1] = tonumber(n) end
    assert.equal(#cases, #got, out)
    for i, c in ipairs(cases) do
      local rule = input_rules.RULES[c[1]]
      local matches = got[i] > 0
      assert.equal(rule.test(c[2]), rule.negate and not matches or (not rule.negate and matches), c[1] .. " " .. c[2])
    end
  end)
end)

describe("check --set", function()
  it("checks a role script with the values render would use", function()
    local dir = cli.tmpdir()
    finally(function() os.execute("rm -rf '" .. dir .. "'") end)
    local path = dir .. "/s.lua"
    local f = assert(io.open(path, "wb"))
    f:write([[
local lp = require "leastpriv"
local account = lp.var("account_id")
return lp.policy { lp.allow { action = "ecr:BatchGetImage",
  resource = "arn:aws:ecr:eu-west-1:" .. account .. ":repository/app" } }
]])
    f:close()
    local code, out = cli.run { "check", path, "--set", "account_id=123" }
    assert.equal(1, code)
    assert.matches("INVALID_ARN_ACCOUNT", out, 1, true)
    code, out = cli.run { "check", path, "--set", "account_id=123456789012" }
    assert.equal(0, code, out)
  end)
end)
