local lp = require "leastpriv"
local template = require "leastpriv.template"

describe("lp.var", function()
  before_each(function() template.begin() end)

  it("returns a placeholder that concatenates like a string", function()
    local v = lp.var "bucket_name"
    assert.equal("arn:aws:s3:::\248var.bucket_name\249/*", "arn:aws:s3:::" .. v .. "/*")
  end)

  it("records declarations in order, with type, description and default", function()
    lp.var("b", { description = "bucket", default = "x" })
    lp.var("a", { type = "number", default = 3 })
    assert.same({ { name = "b", description = "bucket", type = "string", default = "x" },
                  { name = "a", type = "number", default = 3 } }, template.declared())
  end)

  it("accepts the same declaration twice but not a conflicting one", function()
    lp.var("b", { default = "x" })
    lp.var("b")
    assert.equal(1, #template.declared())
    assert.has_error(function() lp.var("b", { default = "y" }) end)
  end)

  it("rejects bad names, options and defaults", function()
    assert.has_error(function() lp.var "bucket-name" end)
    assert.has_error(function() lp.var("b", { defualt = "x" }) end)
    assert.has_error(function() lp.var("b", { type = "list" }) end)
    assert.has_error(function() lp.var("b", { type = "number", default = "3" }) end)
  end)
end)

describe("template.substitute", function()
  before_each(function() template.begin() end)

  it("fills placeholders from values, then defaults", function()
    local b = lp.var("bucket")
    local r = lp.var("region", { default = "us-east-1" })
    local out = template.substitute({ "arn:aws:s3:::" .. b, { r } }, { bucket = "data" }, template.declared())
    assert.same({ "arn:aws:s3:::data", { "us-east-1" } }, out)
  end)

  it("names a variable without a value", function()
    local b = lp.var("bucket")
    assert.has_error(function() template.substitute({ b }, {}, template.declared()) end,
      "variable bucket has no value: pass --set bucket=VALUE")
  end)
end)

-- Placeholders through JSON text (Terraform's jsonencode of .tf values that
-- hold references, read back by jsondecode), never forged by data.
describe("template.json_encode / json_decode", function()
  local ref = template.reference("aws_s3_bucket.data.arn")

  it("carries placeholders through JSON text and back", function()
    local text = template.json_encode({ Resource = ref .. "/*" })
    local back = template.json_decode(text)
    assert.equal(ref .. "/*", back.Resource)
  end)

  it("refuses the token characters in data, so no placeholder comes from data", function()
    for _, s in ipairs { '{"a": "\\ufdd01\\ufdd1"}', '{"a": "\\uFDD01\\uFDD1"}', '{"a": "\239\183\1441\239\183\145"}' } do
      assert.is_false((pcall(template.json_decode, s)), s)
    end
    assert.is_false((pcall(template.json_encode, { a = "\239\183\1441\239\183\145" })))
  end)

  it("keeps U+0001 in data a character", function()
    local back = template.json_decode('{"a": "\\u0001\\"*\\"\\u0002"}')
    assert.equal('\1"*"\2', back.a)
    assert.is_false(template.has_placeholder(back.a))
  end)
end)
