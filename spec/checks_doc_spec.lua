-- docs/checks.md is generated from the table of checks: it must be what
-- tools/gen-checks-doc.lua writes now (run `make docs` after changing
-- lua/leastpriv/check/checks.lua).
local cli = require "support.cli"

describe("docs/checks.md", function()
  it("is what tools/gen-checks-doc.lua writes from the table of checks", function()
    local gen = dofile("tools/gen-checks-doc.lua")
    assert.is_true(gen.render() == cli.read("docs/checks.md"),
      "docs/checks.md is out of date: run `make docs`")
  end)

  it("documents every check once, with both examples", function()
    local text = cli.read("docs/checks.md")
    for _, c in ipairs(require("leastpriv.check.checks").list) do
      local _, n = text:gsub("\n### `" .. c.code .. "`\n", "")
      assert.equal(1, n, c.code)
    end
  end)

  it("maps other tools' codes to checks that exist, each code once", function()
    local checks = require "leastpriv.check.checks"
    local seen = {}
    for _, o in ipairs(checks.others) do
      local key = o[1] .. " " .. o[2]
      assert.is_nil(seen[key], key)
      seen[key] = true
      assert.is_true(#o[3] > 0 or type(o[4]) == "string", key .. " maps to nothing and says why not")
      for _, code in ipairs(o[3]) do assert.truthy(checks.by_code[code], key .. " -> " .. code) end
      if o[1] == "Access Analyzer" then
        assert.is_nil(checks.by_code[o[2]], o[2] .. " is one of ours: no need to map it")
      end
    end
    local row = "| parliament | `UNKNOWN_ACTION` | [`INVALID_ACTION`](#invalid_action) |"
    assert.truthy(cli.read("docs/checks.md"):find(row, 1, true))
  end)

  it("lays example JSON out readably, keeping the key order", function()
    local gen = dofile("tools/gen-checks-doc.lua")
    assert.equal('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "*"}\n  ]\n}',
      gen.pretty('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}'))
    assert.equal("[1, }", gen.pretty("[1, }"))         -- not JSON: left as it is
  end)
end)
