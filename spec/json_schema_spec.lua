-- The Draft 4 validator of the specs (spec/support/json_schema.lua) must be
-- able to fail: each keyword rejects what it should, and a schema it does
-- not support raises instead of passing.
local core = require "leastpriv.core"
local js = require "support.json_schema"

local function J(text)
  local v, err = core.json_decode(text)
  if err then error(err) end
  return v
end

local function errors(schema, value)
  return js.validate(J(schema), J(value))
end

local function rejects(schema, value, message)
  local list = errors(schema, value)
  assert.is_true(#list > 0, ("%s should not validate against %s"):format(value, schema))
  if message then assert.matches(message, js.describe(list), 1, true) end
end

local function accepts(schema, value)
  local list = errors(schema, value)
  assert.equal(0, #list, js.describe(list))
end

describe("the specs' JSON Schema Draft 4 validator", function()
  it("checks types, integers apart from numbers, arrays apart from objects", function()
    accepts('{"type": "integer"}', "3")
    rejects('{"type": "integer"}', "3.5", "is number, expected integer")
    accepts('{"type": "number"}', "3")
    rejects('{"type": "object"}', "[]", "is array, expected object")
    rejects('{"type": "array"}', "{}", "is object, expected array")
    accepts('{"type": ["string", "null"]}', "null")
    rejects('{"type": ["string", "null"]}', "false")
  end)

  it("checks enum, minimum, maximum and their exclusive forms", function()
    accepts('{"enum": ["2.1.0"]}', '"2.1.0"')
    rejects('{"enum": ["2.1.0"]}', '"2.0.0"', "is not one of the enum values")
    rejects('{"minimum": 1}', "0", "is below the minimum 1")
    rejects('{"minimum": 1, "exclusiveMinimum": true}', "1")
    rejects('{"maximum": 9}', "10")
    accepts('{"minimum": -1}', "-1")
  end)

  it("checks string lengths in characters, patterns and multipleOf", function()
    accepts('{"maxLength": 2}', '"\\u00fc\\u00fc"')
    rejects('{"minLength": 3}', '"ab"')
    accepts('{"pattern": "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"}', '"en-US"')
    rejects('{"pattern": "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"}', '"en-USA"', "does not match")
    accepts('{"pattern": "[0-9]+(\\\\.[0-9]+){3}"}', '"v1.2.3.4"')
    rejects('{"pattern": "[0-9]+(\\\\.[0-9]+){3}"}', '"1.2.3"')
    accepts('{"pattern": "[^/]+/.+"}', '"text/plain"')
    rejects('{"pattern": "[^/]+/.+"}', '"/plain"')
    accepts('{"pattern": "^(a|bc)+$"}', '"abca"')
    rejects('{"pattern": "^(a|bc)+$"}', '"abcb"')
    rejects('{"multipleOf": 2}', "3")
  end)

  it("checks the formats uri, uri-reference and date-time", function()
    accepts('{"format": "uri"}', '"https://example.com/a%20b"')
    rejects('{"format": "uri"}', '"roles/x.lua"', "is not a valid uri")
    accepts('{"format": "uri-reference"}', '"roles/a%20b%C3%BC.lua"')
    rejects('{"format": "uri-reference"}', '"roles/a b.lua"', "is not a valid uri-reference")
    rejects('{"format": "uri-reference"}', '"roles/\\u00fc.lua"')
    rejects('{"format": "uri-reference"}', '"roles/100%.lua"')
    accepts('{"format": "date-time"}', '"2026-12-04T20:05:37Z"')
    rejects('{"format": "date-time"}', '"2026-12-04 20:05"')
  end)

  it("checks items, minItems, maxItems and uniqueItems (deep equality)", function()
    accepts('{"items": {"type": "string"}}', '["a", "b"]')
    rejects('{"items": {"type": "string"}}', '["a", 1]', "[1]: is number")
    rejects('{"minItems": 1}', "[]", "has fewer than 1 items")
    rejects('{"maxItems": 1}', "[1, 2]")
    rejects('{"uniqueItems": true}', '["security", "security"]', "items 0 and 1 are equal")
    rejects('{"uniqueItems": true}', '[{"a": [1]}, {"a": [1]}]')
    accepts('{"uniqueItems": true}', '[{"a": [1]}, {"a": [2]}, [], {}]')
    rejects('{"items": [{"type": "string"}], "additionalItems": false}', '["a", "b"]')
  end)

  it("checks properties, required, additionalProperties and patternProperties", function()
    local s = '{"properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": false}'
    accepts(s, '{"a": "x"}')
    rejects(s, '{}', "lacks the required property a")
    rejects(s, '{"a": "x", "b": 1}', "b: is not an allowed property")
    rejects(s, '{"a": 1}', "a: is number, expected string")
    rejects('{"additionalProperties": {"type": "string"}}', '{"x": 1}')
    rejects('{"patternProperties": {"^x": {"type": "string"}}}', '{"xy": 1}')
    rejects('{"minProperties": 1}', "{}")
    rejects('{"dependencies": {"a": ["b"]}}', '{"a": 1}', "has a but not b")
  end)

  it("checks allOf, anyOf, oneOf and not", function()
    rejects('{"allOf": [{"type": "number"}, {"minimum": 2}]}', "1")
    rejects('{"anyOf": [{"type": "string"}, {"type": "boolean"}]}', "1", "matches none of anyOf")
    rejects('{"oneOf": [{"type": "number"}, {"type": "integer"}]}', "1", "matches 2 of oneOf")
    rejects('{"oneOf": [{"type": "string"}]}', "1", "matches 0 of oneOf")
    rejects('{"not": {"type": "string"}}', '"a"')
  end)

  it("follows local $ref, and ignores the keywords beside it", function()
    local s = '{"definitions": {"pos": {"type": "integer", "minimum": 1}}, '
      .. '"properties": {"line": {"$ref": "#/definitions/pos", "type": "string"}}}'
    accepts(s, '{"line": 3}')
    rejects(s, '{"line": 0}', "line: is below the minimum 1")
  end)

  it("raises on what it does not support rather than passing", function()
    assert.has_error(function() errors('{"frobnicate": true}', "1") end,
      "json_schema: unsupported keyword frobnicate at ")
    assert.has_error(function() errors('{"format": "email"}', '"a"') end, "json_schema: unsupported format email")
    assert.has_error(function() errors('{"$ref": "other.json#/x"}', "1") end)
    assert.has_error(function() errors('{"$ref": "#/definitions/none"}', "1") end)
    assert.has_error(function() errors('{"pattern": "a(?=b)"}', '"ab"') end)
    assert.has_error(function() errors('{"pattern": "\\\\p{L}"}', '"ab"') end)
  end)
end)
