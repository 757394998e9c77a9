-- A resource pattern as the request (lua/leastpriv/pattern.lua):
-- lp.simulate_pattern, `simulate --pattern`, assert.allows_all / allows_none.
-- Every example resource is checked again here by a plain decision.
local lp = require "leastpriv"
local lpb = require "leastpriv.busted"
local cli = require "support.cli"

local function doc(...) return { Version = "2012-10-17", Statement = { ... } } end
local CARVED = doc(
  { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::data/*" },
  { Effect = "Deny", Action = "s3:GetObject", Resource = "arn:aws:s3:::data/secret/*" })

local function ask(pattern, policies, action)
  local req = { action = action or "s3:GetObject", resource = pattern }
  local a = lp.simulate_pattern(req, policies)
  -- each example is what a plain decision says
  if a.allowed then assert.equal("allow", lp.simulate({ action = req.action, resource = a.allowed }, policies)) end
  if a.denied then assert.are_not.equal("allow", lp.simulate({ action = req.action, resource = a.denied }, policies)) end
  for _, w in ipairs(a.witnesses) do
    assert.equal(w.decision, lp.simulate({ action = req.action, resource = w.resource }, policies))
  end
  return a
end

describe("lp.simulate_pattern", function()
  it("some: gives a resource each way, e.g. the prefix a Deny carves out", function()
    local a = ask("arn:aws:s3:::data/*", CARVED)
    assert.equal("some", a.answer)
    assert.matches("^arn:aws:s3:::data/", a.allowed)
    assert.matches("^arn:aws:s3:::data/secret/", a.denied)
    assert.is_true(a.complete)
  end)
  it("all: every resource under a pattern inside the Allow and outside the Deny", function()
    local a = ask("arn:aws:s3:::data/in/*", CARVED)
    assert.equal("all", a.answer)
    assert.is_nil(a.denied)
  end)
  it("none: outside the Allow, or inside the Deny", function()
    assert.equal("none", ask("arn:aws:s3:::other/*", CARVED).answer)
    assert.equal("none", ask("arn:aws:s3:::data/secret/*", CARVED).answer)
  end)
  it("finds the resources two wildcard patterns share", function()
    local p = doc({ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::data/a*" },
                  { Effect = "Deny", Action = "s3:GetObject", Resource = "arn:aws:s3:::data/*b" })
    local a = ask("arn:aws:s3:::data/a*", p)
    assert.equal("some", a.answer)
    assert.matches("b$", a.denied)
  end)
  it("NotResource carves the other way", function()
    local p = doc({ Effect = "Allow", Action = "s3:GetObject", Resource = "*" },
                  { Effect = "Deny", Action = "s3:GetObject", NotResource = "arn:aws:s3:::data/public/*" })
    local a = ask("arn:aws:s3:::data/*", p)
    assert.equal("some", a.answer)
    assert.matches("^arn:aws:s3:::data/public/", a.allowed)
  end)
  it("works on a role: the SageMaker execution role reads only its input prefix", function()
    local role = lpb.load("examples/sagemaker/execution_role.lua")
    local a = ask("arn:aws:s3:::my-ml-training-data/*", role)
    assert.equal("some", a.answer)
    assert.matches("/experiments/input/", a.allowed)
    assert.equal("all", ask("arn:aws:s3:::my-ml-training-data/experiments/input/*", role).answer)
  end)
  it("skips resources the action cannot act on", function()
    local a = ask("arn:aws:s3:::data/*", doc({ Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }),
      "s3:ListBucket")
    assert.equal("none", a.answer)
    assert.truthy(a.skipped > 0)
  end)
  it("refuses what is not an ARN pattern, and wildcards before the resource part", function()
    assert.has_error(function() lp.simulate_pattern({ action = "s3:GetObject", resource = "data/*" }, CARVED) end)
    assert.has_error(function()
      lp.simulate_pattern({ action = "sqs:SendMessage", resource = "arn:aws:sqs:*:1:q*" }, CARVED)
    end, 'lp.simulate_pattern: only the resource part of "arn:aws:sqs:*:1:q*" may hold wildcards')
  end)
end)

describe("leastpriv simulate --pattern", function()
  local EXEC = "examples/sagemaker/execution_role.lua"
  it("prints some with a resource each way, and exits 1", function()
    local code, out = cli.run { "simulate", EXEC, "-a", "s3:GetObject", "-r", "arn:aws:s3:::my-ml-training-data/*",
      "--pattern", "--explain" }
    assert.equal(1, code)
    assert.matches("^some: s3:GetObject is allowed on arn:aws:s3:::my%-ml%-training%-data/experiments/input/", out)
    assert.matches("\n  allow: arn:aws:s3:::my-ml-training-data/experiments/input/", out, 1, true)
  end)
  it("prints all and exits 0", function()
    local code, out = cli.run { "simulate", EXEC, "-a", "s3:GetObject",
      "-r", "arn:aws:s3:::my-ml-training-data/experiments/input/*", "--pattern" }
    assert.equal(0, code)
    assert.matches("^all: ", out)
  end)
  it("fails cleanly without a pattern", function()
    local code, _, err = cli.run { "simulate", EXEC, "-a", "s3:GetObject", "--pattern" }
    assert.equal(2, code)
    assert.matches("--pattern needs --resource", err, 1, true)
  end)
end)

describe("assert.allows_all / assert.allows_none", function()
  it("pass and fail with the examples in the message", function()
    assert.allows_all(CARVED, "s3:GetObject", "arn:aws:s3:::data/in/*")
    assert.allows_none(CARVED, "s3:GetObject", "arn:aws:s3:::data/secret/*")
    local ok, err = pcall(function() assert.allows_all(CARVED, "s3:GetObject", "arn:aws:s3:::data/*") end)
    assert.is_false(ok)
    assert.matches("the answer is some; allowed on arn:aws:s3:::data/", tostring(err), 1, true)
  end)
end)
