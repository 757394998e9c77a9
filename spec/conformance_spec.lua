-- The conformance suite (spec/conformance/*.json, format in
-- docs/conformance.md): every case's expected decision and deciding policy
-- type, each from the AWS documentation sentence its rule quotes.
local lp = require "leastpriv"
local core = require "leastpriv.core"

local DIR = "spec/conformance/"
local FILES = { "evaluation_order", "cross_account", "trust", "matching", "conditions", "variables",
                "aws_rules", "endpoint", "questions" }

local function read(name)
  local f = assert(io.open(DIR .. name .. ".json", "rb"))
  local text = f:read("*a")
  f:close()
  return assert(core.json_decode(text))
end

describe("the conformance suite", function()
  local total = 0
  for _, name in ipairs(FILES) do
    local suite = read(name)
    describe(name, function()
      it("is in the documented format, every case citing a documented rule", function()
        assert.equal("leastpriv-conformance/1", suite.format)
        assert.truthy(#suite.cases > 0)
        for _, c in ipairs(suite.cases) do
          local rule = suite.rules[c.rule]
          assert.truthy(rule, c.id .. ": rule " .. tostring(c.rule))
          assert.matches("^https://docs%.aws%.amazon%.com/", rule.source)
          assert.truthy(#rule.quote > 20)
          if c.query == "pattern" then assert.truthy(c.expect.answer, c.id)
          elseif c.query == "conditions" then assert.truthy(c.expect.condition, c.id)
          else
            assert.truthy(c.expect.decision == "allow" or c.expect.decision == "explicit_deny" or
                          c.expect.decision == "implicit_deny", c.id)
          end
        end
      end)
      for _, c in ipairs(suite.cases) do
        total = total + 1
        it(c.id, function()
          if c.query == "pattern" then
            local a = lp.simulate_pattern(c.request, c.policies)
            assert.equal(c.expect.answer, a.answer, c.id)
            return
          elseif c.query == "conditions" then
            local _, e = lp.simulate(c.request, c.policies, { discover = true })
            assert.equal(c.expect.condition, e.condition, c.id)
            return
          end
          local d, e = lp.simulate(c.request, c.policies, { explain = true })
          assert.equal(c.expect.decision, d, c.id .. ": " .. (e.text or ""))
          if c.expect.decided_by then
            assert.equal(c.expect.decided_by, e.decided_by, c.id .. ": " .. (e.text or ""))
          end
        end)
      end
    end)
  end
  it("has at least 300 cases", function() assert.truthy(total >= 300, tostring(total)) end)
end)
