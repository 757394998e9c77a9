-- leastpriv preflight: every request of a SageMaker job decided before it
-- runs; the trust-policy mistake of the seed ("the PassRole call from your
-- user role will succeed, but the actual job will fail") caught up front.
local cli = require "support.cli"
local core = require "leastpriv.core"
local jobs = require "leastpriv.jobs"
local preflight = require "leastpriv.preflight"

local JOB = "examples/jobs/training.job.json"

local function spec_of(path)
  local f = assert(io.open(path))
  local def = core.json_decode(f:read("*a"))
  f:close()
  return jobs.read(def, {})
end

-- The generated roles with a change (Lua source appended before the return).
local function variant(change)
  local text = cli.read("examples/jobs/training_roles.lua")
  text = text:gsub("\nreturn { exec, caller }\n$", "\n" .. change .. "\nreturn { exec, caller }\n")
  local dir = cli.tmpdir()
  local path = dir .. "/roles.lua"
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path, dir
end

describe("preflight.requests", function()
  it("covers the caller, SageMaker's AssumeRole with this job's SourceArn, and the job's data plane", function()
    local list = preflight.requests(spec_of(JOB))
    local by = {}
    for _, r in ipairs(list) do by[r.request.action] = r end
    assert.equal("caller", by["sagemaker:CreateTrainingJob"].who)
    assert.same({ "ml.m5.2xlarge" }, by["sagemaker:CreateTrainingJob"].request.context["sagemaker:InstanceTypes"])
    assert.equal("sagemaker.amazonaws.com", by["iam:PassRole"].request.context["iam:PassedToService"])
    local assume = by["sts:AssumeRole"].request
    assert.equal("sagemaker.amazonaws.com", assume.principal)
    assert.equal("arn:aws:sagemaker:eu-west-1:123456789012:training-job/churn-xgb-2026-11-30-1200",
      assume.context["aws:SourceArn"])
    assert.equal("123456789012", assume.context["aws:SourceAccount"])
    for _, a in ipairs { "s3:ListBucket", "s3:GetObject", "s3:PutObject", "ecr:BatchGetImage", "kms:GenerateDataKey",
                         "kms:CreateGrant", "ec2:CreateNetworkInterface", "logs:PutLogEvents",
                         "cloudwatch:PutMetricData" } do
      assert.truthy(by[a], a)
    end
  end)
end)

describe("leastpriv preflight", function()
  it("passes the roles roles-for wrote for the job, exit 0", function()
    local code, out = cli.run({ "preflight", JOB, "examples/jobs/training_roles.lua" })
    assert.equal(0, code, out)
    assert.matches("all 21 requests of the job are allowed\n$", out)
  end)

  it("catches a trust policy that does not let SageMaker assume the role for this job", function()
    -- trusted for processing jobs only: this training job's SourceArn does not match
    local path, dir = variant([[exec.trust = { Version = "2012-10-17", Statement = { { Effect = "Allow",
  Principal = { Service = { "sagemaker.amazonaws.com" } }, Action = { "sts:AssumeRole" },
  Condition = { ArnLike = { ["aws:SourceArn"] = { "arn:aws:sagemaker:eu-west-1:123456789012:processing-job/*" } } } } } }]])
    local code, out = cli.run({ "preflight", JOB, path })
    cli.rm(dir)
    assert.equal(1, code)
    assert.matches("DENY sagemaker.amazonaws.com: SageMaker assumes the execution role for this job", out)
    assert.matches("1 of 21 requests would be denied", out)
  end)

  it("catches a caller that may not pass the role, and an execution role missing an output", function()
    local path, dir = variant([[caller.policies = { { name = "start-only", document = { Version = "2012-10-17",
  Statement = { { Effect = "Allow", Action = { "sagemaker:CreateTrainingJob" },
                  Resource = { "arn:aws:sagemaker:eu-west-1:123456789012:training-job/*" } } } } } }
exec.policies = {}]])
    local code, out = cli.run({ "preflight", JOB, path, "--json" })
    cli.rm(dir)
    assert.equal(1, code)
    local r = core.json_decode(out)
    local denied = {}
    for _, x in ipairs(r.results) do if x.decision ~= "allow" then denied[#denied + 1] = x.action end end
    assert.truthy(#denied > 10)
    assert.equal("iam:PassRole", denied[1])
  end)

  it("says what it could not check when a role is not in the files", function()
    local code, out = cli.run({ "preflight", JOB, "examples/sagemaker/caller_role.lua" })
    assert.equal(1, code)
    assert.matches("%?%?   execution role churn%-training%-exec %(not in the files%): read", out)
  end)

  it("refuses bad input with one line, exit 2", function()
    local code, _, err = cli.run({ "preflight", JOB })
    assert.equal(2, code)
    assert.matches("name the job definition and the role files", err)
    code, _, err = cli.run({ "preflight", JOB, "examples/jobs/training_roles.lua", "--exec", "nope" })
    assert.equal(2, code)
    assert.matches("no role named nope", err)
  end)
end)
