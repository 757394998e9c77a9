-- The text report of `leastpriv check` escapes what a terminal would act
-- on: a crafted action, Sid or file name cannot start a line of its own,
-- move the cursor or reorder the line (as the JSON report already escapes).
local cli = require "support.cli"
local output = require "leastpriv.check.output"

describe("check's text report", function()
  it("escapes control characters, C1 controls, bidirectional overrides and bytes that are not UTF-8", function()
    assert.equal("a\\nb\\r\\tc\\x1b[2J\\x00\\x7f", output.escape("a\nb\r\tc\27[2J\0\127"))
    assert.equal("\\u{009b}31m \\u{202e}x\\u{2066} \\u{2028}",
      output.escape("\194\15531m \226\128\174x\226\129\166 \226\128\168"))
    assert.equal("\\xff\\xc3 \\xe2\\x80", output.escape("\255\195 \226\128"))
    -- printable text, non-ASCII letters included, is left as it is
    assert.equal("r\195\180les/\195\188ber \226\130\172 ok", output.escape("r\195\180les/\195\188ber \226\130\172 ok"))
  end)

  it("keeps one finding on one line whatever the policy holds", function()
    local dir = cli.tmpdir()
    local path = dir .. "/inj\ncted.json"
    local f = assert(io.open(path, "wb"))
    f:write('{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": '
      .. '"s3:Get\\nevil.lua:1:1: error FAKE injected\\u001b[2J\\u009b", "Resource": "*"}]}')
    f:close()
    local code, out = cli.run { "check", "--no-config", path }
    cli.rm(dir)
    assert.equal(1, code)
    assert.is_nil(out:find("[%z\1-\9\11-\31\127]"))
    assert.is_nil(out:find("\194\155", 1, true))
    assert.is_nil(out:find("\nevil", 1, true))
    assert.is_nil(out:find("\ncted", 1, true))
    for line in out:gmatch("[^\n]+") do
      assert.truthy(line:match("^    ") or line:match("^/.-inj\\ncted%.json:%d+:%d+: ") or line:match("^%d+ findings?"), line)
    end
  end)
end)

describe("can's text output", function()
  it("escapes resource patterns from the policy", function()
    local dir = cli.tmpdir()
    local path = dir .. "/p.json"
    local f = assert(io.open(path, "wb"))
    f:write('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
      .. '"Resource": "arn:aws:s3:::b/x\\n\\u001b[31mFAKE"}]}')
    f:close()
    local code, out = cli.run { "can", path }
    cli.rm(dir)
    assert.equal(0, code)
    assert.equal("s3:GetObject  arn:aws:s3:::b/x\\n\\x1b[31mFAKE\n", out)
  end)
end)
