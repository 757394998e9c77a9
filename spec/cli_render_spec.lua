local cli = require "support.cli"
local cjson = require "cjson"

local S = "spec/fixtures/scripts/"

describe("leastpriv render", function()
  it("prints usage with --help", function()
    local code, out = cli.run { "render", "--help" }
    assert.equal(0, code)
    assert.matches("usage: leastpriv render FILE.lua", out, 1, true)
    assert.matches("--format FORMAT", out, 1, true)
  end)

  it("prints one document as bare JSON", function()
    local code, out, err = cli.run { "render", S .. "one_policy.lua" }
    assert.equal(0, code, err)
    local doc = cjson.decode(out)
    assert.equal("s3:GetObject", doc.Statement[1].Action)
    assert.equal("arn:aws:s3:::data/${aws:username}/*", doc.Statement[1].Resource)
    assert.equal("\n", out:sub(-1))
  end)

  it("writes compact JSON on request", function()
    local _, out = cli.run { "render", S .. "one_policy.lua", "--compact" }
    assert.equal('{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow",'
      .. '"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/${aws:username}/*"}]}\n', out)
  end)

  it("labels each document when there are several", function()
    local code, out, err = cli.run { "render", S .. "two_roles.lua", "--set", "bucket=data" }
    assert.equal(0, code, err)
    assert.matches("==> reader-a/trust.json <==", out, 1, true)
    assert.matches("==> reader-a/read.json <==", out, 1, true)
    assert.matches("==> reader-b/read.json <==", out, 1, true)
    assert.matches('"arn:aws:s3:::data/*"', out, 1, true)
  end)

  it("writes files under --out, and the same bytes every time", function()
    local dir = cli.tmpdir()
    local code, _, err = cli.run { "render", S .. "two_roles.lua", "--set", "bucket=data", "--out", dir .. "/a/b" }
    assert.equal(0, code, err)
    local first = cli.read(dir .. "/a/b/reader-a/read.json")
    assert.truthy(first)
    assert.equal("arn:aws:s3:::data/*", cjson.decode(first).Statement[1].Resource)
    cli.run { "render", S .. "two_roles.lua", "--set", "bucket=data", "--out", dir .. "/c" }
    assert.equal(first, cli.read(dir .. "/c/reader-a/read.json"))
    cli.rm(dir)
  end)

  it("writes nothing when any script fails", function()
    local dir = cli.tmpdir()
    local code, _, err = cli.run { "render", S .. "one_policy.lua", S .. "bad_field.lua", "--out", dir .. "/x" }
    assert.equal(2, code)
    assert.matches("bad_field.lua:5:", err, 1, true)
    assert.is_nil(cli.read(dir .. "/x/one_policy/one_policy.json"))
    cli.rm(dir)
  end)

  it("reports a misspelt field at the script's line, on one line", function()
    local code, out, err = cli.run { "render", S .. "bad_field.lua" }
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("leastpriv render: spec/fixtures/scripts/bad_field.lua:5: lp.allow: unknown field "
      .. "'acton' (did you mean 'action'?)\n", err)
  end)

  it("reports a syntax error with file and line", function()
    local code, _, err = cli.run { "render", S .. "syntax_error.lua" }
    assert.equal(2, code)
    assert.matches("^leastpriv render: spec/fixtures/scripts/syntax_error.lua:3: '}' expected", err)
  end)

  it("reports a missing file", function()
    local code, _, err = cli.run { "render", S .. "nope.lua" }
    assert.equal(2, code)
    assert.matches("nope.lua: cannot read the file", err, 1, true)
  end)

  it("reports a script that returns something else", function()
    local code, _, err = cli.run { "render", S .. "returns_string.lua" }
    assert.equal(2, code)
    assert.matches("must return a role", err)
  end)

  it("reports an input without a value, and --set names no script declares", function()
    local code, _, err = cli.run { "render", S .. "two_roles.lua" }
    assert.equal(2, code)
    assert.matches("variable bucket has no value: pass --set bucket=VALUE", err, 1, true)
    code, _, err = cli.run { "render", S .. "two_roles.lua", "--set", "buckt=x" }
    assert.equal(2, code)
    assert.matches("no script declares an input named buckt (declared: bucket)", err, 1, true)
    code, _, err = cli.run { "render", S .. "two_roles.lua", "--set", "bucket" }
    assert.equal(2, code)
    assert.matches("NAME=VALUE", err)
  end)

  it("rejects usage errors", function()
    local code, _, err = cli.run { "render" }
    assert.equal(2, code)
    assert.matches("name at least one role script", err)
    code, _, err = cli.run { "render", S .. "one_policy.lua", "--format", "yaml" }
    assert.equal(2, code)
    assert.matches("--format must be one of json, hcl, hcl-doc, terraform", err, 1, true)
    code, _, err = cli.run { "render", S .. "one_policy.lua", "--format", "terraform" }
    assert.equal(2, code)
    assert.matches("give --out DIR", err, 1, true)
    code, _, err = cli.run { "render", S .. "one_policy.lua", "--frmat", "json" }
    assert.equal(2, code)
    assert.matches("unknown option --frmat", err, 1, true)
  end)

  it("renders Terraform HCL in both styles", function()
    local code, out, err = cli.run { "render", S .. "one_policy.lua", "--format", "hcl" }
    assert.equal(0, code, err)
    assert.matches('resource "aws_iam_policy"', out, 1, true)
    assert.matches("$${aws:username}", out, 1, true)
    code, out, err = cli.run { "render", S .. "one_policy.lua", "--format", "hcl-doc" }
    assert.equal(0, code, err)
    assert.matches('data "aws_iam_policy_document"', out, 1, true)
    assert.matches("$${aws:username}", out, 1, true)
  end)

  it("renders inline policies as managed policies with attachments on request", function()
    local code, out, err = cli.run { "render", S .. "two_roles.lua", "--format", "hcl", "--managed-policies" }
    assert.equal(0, code, err)
    assert.matches('resource "aws_iam_policy" "reader_a_read"', out, 1, true)
    assert.matches('resource "aws_iam_role_policy_attachment"', out, 1, true)
    assert.is_nil(out:find('resource "aws_iam_role_policy" ', 1, true))
  end)

  it("writes a Terraform module folder", function()
    local dir = cli.tmpdir()
    local code, _, err = cli.run { "render", S .. "two_roles.lua", "--format", "terraform", "--out", dir }
    assert.equal(0, code, err)
    for _, f in ipairs { "main.tf", "variables.tf", "outputs.tf", "versions.tf" } do
      assert.truthy(cli.read(dir .. "/" .. f), f)
    end
    assert.matches('variable "bucket"', cli.read(dir .. "/variables.tf"), 1, true)
    assert.matches("${var.bucket}", cli.read(dir .. "/main.tf"), 1, true)
    cli.rm(dir)
  end)
end)

describe("the leastpriv command", function()
  it("prints the command list with --help and exits 0", function()
    local code, out = cli.exec { "--help" }
    assert.equal(0, code)
    assert.matches("render", out)
  end)

  it("exits 2 with a suggestion on an unknown command", function()
    local code, _, err = cli.exec { "rendr" }
    assert.equal(2, code)
    assert.matches("unknown command 'rendr' %(did you mean 'render'%?%)", err)
  end)

  it("exits 2 on an input error and 0 on success", function()
    assert.equal(2, (cli.exec { "render", S .. "bad_field.lua" }))
    assert.equal(0, (cli.exec { "render", S .. "one_policy.lua" }))
  end)

  it("prints its version", function()
    local code, out = cli.exec { "--version" }
    assert.equal(0, code)
    assert.matches("^leastpriv %d+%.%d+%.%d+", out)
  end)
end)
