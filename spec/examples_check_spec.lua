-- Every example and every SageMaker blueprint passes `leastpriv check`
-- with no finding; the seed draws exactly the findings it should.
local cli = require "support.cli"
local lp = require "leastpriv"
local sm = require "leastpriv.blueprints.sagemaker"

local function codes(findings)
  local out = {}
  for _, f in ipairs(findings) do out[#out + 1] = f.code .. " " .. (f.message or "") end
  return out
end

describe("leastpriv check on the examples", function()
  for _, file in ipairs(cli.examples()) do
    if not file:find("seed_module", 1, true) then
      it(file .. " has no finding", function()
        local code, out = cli.run { "check", file, "--fail-on", "suggestion" }
        assert.equal("no findings in 1 file\n", out)
        assert.equal(0, code)
      end)
    end
  end

  it("the seed draws the confused-deputy and ECR-on-* findings, and only those", function()
    local code, out = cli.run { "check", "examples/sagemaker/seed_module.lua", "--format", "json" }
    assert.equal(1, code)
    local found = {}
    for c in out:gmatch('"code":%s*"([%u_]+)"') do found[#found + 1] = c end
    table.sort(found)
    assert.same({ "RESOURCE_STAR", "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL" }, found)
  end)
end)

describe("lp.validate on the SageMaker blueprints", function()
  local base = { account = "123456789012", region = "us-east-1" }
  local function opts(t)
    for k, v in pairs(base) do t[k] = t[k] or v end
    return t
  end
  local engineers = lp.trust.aws("arn:aws:iam::123456789012:role/ml-engineers")

  for _, job in ipairs { "training", "processing", "transform", "endpoint" } do
    it(job .. ": execution and caller roles, together, have no finding", function()
      local exec, caller = sm.pair(opts { job = job, name = job .. "-exec", inputs = { "s3://d/in/" },
        outputs = { "s3://d/out/" }, images = { "img" }, kms = { input = "k1", output = "k2", volume = "k3" },
        vpc = { vpc = "vpc-1", subnets = { "subnet-1" }, security_groups = { "sg-1" } } },
        { name = job .. "-caller", trust = engineers, instance_types = { "ml.m5.xlarge" },
          request_tags = { team = "ml" } })
      assert.same({}, codes(lp.validate({ exec, caller }, { account = "123456789012" })))
    end)
  end

  it("pipeline and studio roles have no finding", function()
    local train = sm.execution_role(opts { job = "training", name = "t", images = { "img" } })
    local pipe, ci = sm.pair(opts { job = "pipeline", name = "p", pipeline_name = "churn", step_roles = { train } },
      { name = "p-ci", trust = engineers })
    local studio = sm.execution_role(opts { job = "studio", name = "s", domain = "d-1", user_profile = "alice",
      jobs = { "training" }, pass_roles = { train } })
    local opener = sm.caller_role(opts { job = "studio", name = "alice", domain = "d-1", user_profile = "alice",
      trust = engineers })
    assert.same({}, codes(lp.validate({ train, pipe, ci, studio, opener }, { account = "123456789012" })))
  end)
end)
