-- The public functions of require "leastpriv" that other specs don't cover.
local lp = require "leastpriv"
local template = require "leastpriv.template"

describe("lp.load_json", function()
  it("decodes a document", function()
    local d = assert(lp.load_json('{"Version":"2012-10-17","Statement":[]}'))
    assert.equal("2012-10-17", d.Version)
  end)

  it("reports duplicate keys with line and column", function()
    local d, err = lp.load_json('{\n  "Statement": [],\n  "Statement": []\n}')
    assert.is_nil(d)
    assert.matches("^3:3: ", err)
    assert.matches('duplicate key "Statement"', err, 1, true)
  end)

  it("reports malformed JSON with line and column", function()
    local d, err = lp.load_json('{"a": [1, 2,]}')
    assert.is_nil(d)
    assert.matches("^1:%d+: ", err)
  end)

  it("returns element positions on request", function()
    local d, pos = lp.load_json('{\n  "Statement": [\n    {"Effect": "Allow"}\n  ]\n}', { positions = true })
    assert.equal("Allow", d.Statement[1].Effect)
    assert.same({ 3, 16 }, pos["Statement[0].Effect"])
    assert.same({ 3, 6 }, pos["Statement[0].Effect#key"])
  end)

  it("raises on a non-string argument", function()
    assert.has_error(function() lp.load_json({}) end, "lp.load_json takes a string")
  end)
end)

describe("lp.json", function()
  local doc = lp.policy { lp.allow { sid = "A", action = { "s3:GetObject" }, resource = "arn:aws:s3:::b/*" } }

  it("writes pretty JSON in canonical key order", function()
    assert.equal([[
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "A",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*"
    }
  ]
}]], lp.json(doc))
  end)

  it("writes compact JSON", function()
    assert.equal('{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow",'
      .. '"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}', lp.json(doc, { compact = true }))
  end)

  it("accepts raw IAM documents in any shape", function()
    local text = lp.json({ Statement = { Effect = "Deny", Action = "*", Resource = "*" } }, { compact = true })
    assert.equal('{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}', text)
  end)

  it("fills template variables from vars", function()
    template.begin()
    local d = lp.policy { lp.allow { action = "s3:GetObject", resource = lp.s3.objects(lp.var "bucket") } }
    assert.matches('"arn:aws:s3:::data/%*"', lp.json(d, { vars = { bucket = "data" }, compact = true }))
    assert.has_error(function() lp.json(d, { vars = {} }) end,
      "lp.json: variable bucket has no value: pass --set bucket=VALUE")
  end)

  it("rejects a role and malformed documents at the caller", function()
    local role = lp.role { name = "x", trust = lp.trust.service("ec2.amazonaws.com") }
    local ok, err = pcall(function() local r = lp.json(role); return r end)
    assert.is_false(ok)
    assert.matches("api_spec.lua:%d+: lp.json renders one policy document", err)
    assert.has_error(function() lp.json({ Statement = { Effect = "Allow" } }) end)
  end)
end)

describe("lp.hcl", function()
  it("renders a document as a jsonencode expression, escaping policy variables", function()
    local d = lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/${aws:username}/*" } }
    local text = lp.hcl(d)
    assert.matches("^jsonencode%(", text)
    assert.matches("$${aws:username}", text, 1, true)
  end)

  it("renders a role as Terraform resources", function()
    local role = lp.role { name = "x", trust = lp.trust.service("ec2.amazonaws.com"),
                           policies = { p = lp.policy { lp.allow { action = "s3:GetObject", resource = "*" } } } }
    local text = lp.hcl(role)
    assert.matches('resource "aws_iam_role" "x"', text, 1, true)
    assert.matches('resource "aws_iam_role_policy"', text, 1, true)
  end)

  it("rejects a non-table", function()
    assert.has_error(function() lp.hcl("x") end, "lp.hcl takes a role, a policy or a document")
  end)
end)

describe("lp.arn", function()
  it("exposes parse, check, format, match, like, build and resource_types", function()
    assert.equal("s3", lp.arn.parse("arn:aws:s3:::b").service)
    assert.is_true(lp.arn.check("arn:aws:s3:::b"))
    assert.equal("arn:aws:s3:::b", lp.arn.format { service = "s3", resource = "b" })
    assert.is_true(lp.arn.match("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"))
    assert.is_true(lp.arn.like("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"))
    assert.equal("arn:aws:s3:::b/k", lp.arn.build("s3", "object", { BucketName = "b", ObjectName = "k" }))
    local types = lp.arn.resource_types("arn:aws:s3:::b/k")
    assert.equal("object", types[1].name)
  end)
end)

describe("lp catalog functions", function()
  it("are wired to the catalog", function()
    assert.equal("s3:GetObject", lp.actions.get("S3:getobject").name)
    assert.truthy(#lp.actions.expand("s3:Get*") > 10)
    assert.truthy(lp.catalog.version().actions > 10000)
    assert.truthy(lp.condition_keys.get("s3:prefix"))
  end)
end)
