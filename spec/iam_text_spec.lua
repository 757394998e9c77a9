-- Issue 15 item 7: render refuses, per field, what IAM would refuse, so
-- that terraform's NFC normalisation never changes a value.
local iam_text = require "leastpriv.iam_text"
local hcl = require "leastpriv.hcl"

local function role(t)
  local r = { kind = "role", name = "fn", policies = {}, managed_policy_arns = {}, tags = {},
              trust = { Version = "2012-10-17", Statement = { { Effect = "Allow",
                Principal = { Service = { "lambda.amazonaws.com" } }, Action = { "sts:AssumeRole" } } } } }
  for k, v in pairs(t) do r[k] = v end
  return r
end

describe("iam_text.check", function()
  -- "[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*" (IAM API Reference, CreateRole Description)
  it("takes a role description of tab, newlines, printable ASCII and Latin-1", function()
    assert.is_nil(iam_text.check("description", "Rôle d'entraînement\tML\n"))
    assert.matches("U+0001", iam_text.check("description", "a\1b"), 1, true)
    assert.matches("U+00A0", iam_text.check("description", "no\194\160break"), 1, true)
    assert.matches("U+2126", iam_text.check("description", "\226\132\166"), 1, true)
    assert.matches("1000", iam_text.check("description", ("x"):rep(1001)), 1, true)
  end)

  -- "[\p{L}\p{Z}\p{N}_.:/=+\-@]+" (IAM API Reference, Tag)
  it("takes tag keys and values of letters, digits, spaces and _.:/=+-@", function()
    assert.is_nil(iam_text.check("tag key", "cost-center:team/ml=1+2@x_y"))
    assert.is_nil(iam_text.check("tag value", "équipe données 東京"))
    assert.is_nil(iam_text.check("tag value", ""))
    assert.matches("1 to 128", iam_text.check("tag key", ""), 1, true)
    assert.matches("U+0021", iam_text.check("tag value", "yes!"), 1, true)
    assert.matches("U+0022", iam_text.check("tag key", 'a"b'), 1, true)
  end)

  it("refuses what Unicode NFC would change (terraform normalises every string)", function()
    for _, s in ipairs { "\226\132\171",          -- U+212B ANGSTROM SIGN -> U+00C5
                         "\226\132\170",          -- U+212A KELVIN SIGN -> K
                         "\239\164\128",          -- U+F900 CJK compatibility ideograph
                         "\225\132\128\225\133\161", -- conjoining jamo U+1100 U+1161 -> U+AC00
                         "e\204\129",             -- e + U+0301 combining acute -> U+00E9
                         "\226\128\128" } do      -- U+2000 EN QUAD -> U+2002
      assert.matches("NFC", iam_text.check("tag value", s), 1, true)
    end
  end)
end)

describe("rendering a role", function()
  it("refuses a tag IAM would refuse, naming the field", function()
    local ok, err = pcall(hcl.render, role { tags = { team = "ml!" } })
    assert.is_false(ok)
    assert.matches('role.tags.team: "ml!" holds U+0021', err, 1, true)
  end)

  it("refuses a description terraform would normalise", function()
    local ok, err = pcall(hcl.render, role { description = "\226\132\171ngstr\195\182m" })
    assert.is_false(ok)
    assert.matches("role.description", err, 1, true)
  end)

  it("writes a Latin-1 description and tags as they are", function()
    local out = hcl.render(role { description = "Rôle", tags = { ["équipe"] = "données" } })
    assert.matches('description = "Rôle"', out, 1, true)
  end)
end)
