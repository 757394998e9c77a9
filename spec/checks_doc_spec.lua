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

  it("lays example JSON out readably, keeping the key order", function()
    local gen = dofile("tools/gen-checks-doc.lua")
    assert.equal('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "*"}\n  ]\n}',
      gen.pretty('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}'))
    assert.equal("[1, }", gen.pretty("[1, }"))         -- not JSON: left as it is
  end)
end)
