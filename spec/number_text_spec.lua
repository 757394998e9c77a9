-- Issue 15 item 3: one exact rule for numbers in policy strings, the same
-- in JSON and in Terraform (terraform writes "${var.n}" as the exact
-- decimal of the number, without exponent).
local core = require "leastpriv.core"
local template = require "leastpriv.template"
local cli = require "support.cli"
local cjson = require "cjson"

describe("core.number_text", function()
  it("writes integers and floats in plain decimal, shortest digits, no exponent", function()
    assert.equal("3600", core.number_text(3600.0))
    assert.equal("1000000000000000", core.number_text(1e15))
    assert.equal("0.1", core.number_text(0.1))
    assert.equal("-0.00000025", core.number_text(-2.5e-7))
    assert.equal("1000000000000001", core.number_text(1000000000000001.0))
    assert.equal("0", core.number_text(-0.0))
    assert.equal("42", core.number_text(42))
    assert.equal("1" .. ("0"):rep(300), core.number_text(1e300))
  end)

  it("refuses NaN and infinities", function()
    assert.is_false((pcall(core.number_text, 0 / 0)))
    assert.is_false((pcall(core.number_text, math.huge)))
  end)

  it("is the rule of condition values in normalised policies", function()
    local n = core.policy_normalize { Version = "2012-10-17", Statement = { { Effect = "Allow",
      Action = "a:b", Resource = "*", Condition = { NumericLessThan = { ["aws:MultiFactorAuthAge"] = { 3600.0, 1e15 } } } } } }
    assert.same({ "3600", "1000000000000000" },
                n.Statement[1].Condition.NumericLessThan["aws:MultiFactorAuthAge"])
  end)

  it("is the rule of the HCL writer (a variable's default)", function()
    assert.equal("x = 1000000000000000\n", core.hcl_body { { attr = "x", value = 1e15 } })
  end)
end)

describe("template.decimal_text (--set values)", function()
  it("keeps every digit of the text", function()
    assert.equal("1000000000000001", template.decimal_text("1000000000000001.0"))
    assert.equal("10000000000000001", template.decimal_text("10000000000000001.0"))
    assert.equal("9007199254740993", template.decimal_text("9007199254740993"))
    assert.equal("-2500", template.decimal_text("-2.5e3"))
    assert.equal("0.00123", template.decimal_text("0.0012300"))
  end)

  it("refuses what is not a number", function()
    for _, s in ipairs { "", "1.", "1e", "abc", "0x10", "1e999", " 1", "+1" } do
      assert.is_nil(template.decimal_text(s), s)
    end
  end)
end)

describe("numbers in rendered JSON", function()
  local dir
  before_each(function() dir = cli.tmpdir() end)
  after_each(function() os.execute("rm -rf '" .. dir .. "'") end)

  local function render(text, ...)
    local path = dir .. "/n.lua"
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
    local code, out, err = cli.run { "render", path, ... }
    assert.equal(0, code, err)
    return cjson.decode(out)
  end

  it("writes a float default inside an ARN without an exponent", function()
    local doc = render([[
local lp = require "leastpriv"
local n = lp.var("n", { type = "number", default = 1e15 })
local age = lp.var("age", { type = "number", default = 3600.0 })
return lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/" .. n .. "/*",
  condition = { NumericLessThan = { ["aws:MultiFactorAuthAge"] = age } } } }
]])
    assert.equal("arn:aws:s3:::b/1000000000000000/*", doc.Statement[1].Resource)
    assert.equal("3600", doc.Statement[1].Condition.NumericLessThan["aws:MultiFactorAuthAge"])
  end)

  it("keeps every digit of --set big=1000000000000001.0", function()
    local doc = render([[
local lp = require "leastpriv"
local big = lp.var("big", { type = "number" })
return lp.policy { lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::b/" .. big } }
]], "--set", "big=10000000000000001.0")
    assert.equal("arn:aws:s3:::b/10000000000000001", doc.Statement[1].Resource)
  end)
end)
