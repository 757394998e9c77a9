-- The SageMaker example roles allow what a training job needs and nothing
-- more: each role is unit-tested with the leastpriv.busted assertions.
local lpb = require "leastpriv.busted"

local ACCT, REGION = "123456789012", "us-east-1"
local BUCKET = "arn:aws:s3:::my-ml-training-data"
local REPO = ("arn:aws:ecr:%s:%s:repository/ml-training"):format(REGION, ACCT)
local GROUP = ("arn:aws:logs:%s:%s:log-group:/aws/sagemaker/TrainingJobs"):format(REGION, ACCT)
local STREAM = GROUP .. ":log-stream:job-1/algo-1"
local JOB = ("arn:aws:sagemaker:%s:%s:training-job/job-1"):format(REGION, ACCT)
local EXEC_ROLE = ("arn:aws:iam::%s:role/sagemaker-training-execution"):format(ACCT)

describe("examples/sagemaker/execution_role.lua", function()
  local role = lpb.load("examples/sagemaker/execution_role.lua")

  it("reads its input and lists only the input prefix", function()
    assert.allows(role, "s3:GetObject", BUCKET .. "/experiments/input/train.csv")
    assert.allows(role, "s3:ListBucket", BUCKET, { ["s3:prefix"] = "experiments/input/" })
    assert.denies(role, "s3:ListBucket", BUCKET, { ["s3:prefix"] = "experiments/output/" })
    assert.denies(role, "s3:ListBucket", BUCKET)
  end)

  it("writes only its output prefix", function()
    assert.allows(role, "s3:PutObject", BUCKET .. "/experiments/output/model.tar.gz")
    assert.denies(role, "s3:PutObject", BUCKET .. "/experiments/input/train.csv")
    assert.denies(role, "s3:GetObject", BUCKET .. "/experiments/output/model.tar.gz")
    assert.denies(role, "s3:DeleteObject", BUCKET .. "/experiments/output/model.tar.gz")
    assert.denies(role, "s3:GetObject", "arn:aws:s3:::another-bucket/experiments/input/x")
  end)

  it("pulls its one image", function()
    assert.allows(role, "ecr:GetAuthorizationToken", "*")
    assert.allows(role, "ecr:BatchGetImage", REPO)
    assert.allows(role, "ecr:GetDownloadUrlForLayer", REPO)
    assert.denies(role, "ecr:BatchGetImage", REPO .. "-other")
    assert.denies(role, "ecr:PutImage", REPO)
  end)

  it("writes its logs and metrics", function()
    assert.allows(role, "logs:CreateLogStream", STREAM)
    assert.allows(role, "logs:PutLogEvents", STREAM)
    assert.allows(role, "logs:CreateLogGroup", GROUP)
    assert.allows(role, "cloudwatch:PutMetricData", "*",
      { ["cloudwatch:namespace"] = "/aws/sagemaker/TrainingJobs" })
    assert.denies(role, "cloudwatch:PutMetricData", "*", { ["cloudwatch:namespace"] = "Other" })
    assert.denies(role, "logs:DeleteLogGroup", GROUP)
  end)

  it("has no control-plane rights", function()
    assert.denies(role, "sagemaker:CreateTrainingJob", JOB)
    assert.denies(role, "iam:PassRole", EXEC_ROLE)
  end)

  it("is assumed only by SageMaker training jobs of its account", function()
    local ctx = { ["aws:SourceAccount"] = ACCT, ["aws:SourceArn"] = JOB }
    assert.allows(role, "sts:AssumeRole", nil, { principal = "sagemaker.amazonaws.com", context = ctx })
    assert.denies(role, "sts:AssumeRole", nil, { principal = "ec2.amazonaws.com", context = ctx })
    assert.denies(role, "sts:AssumeRole", nil, { principal = "sagemaker.amazonaws.com",
      context = { ["aws:SourceAccount"] = "999999999999", ["aws:SourceArn"] = JOB } })
    assert.denies(role, "sts:AssumeRole", nil, { principal = "sagemaker.amazonaws.com",
      context = { ["aws:SourceAccount"] = ACCT,
                  ["aws:SourceArn"] = JOB:gsub("training%-job", "processing-job") } })
  end)

  it("grants exactly what the job needs", function()
    assert.grants_only(role, {
      { "s3:ListBucket", BUCKET },
      { "s3:GetObject", BUCKET .. "/experiments/input/*" },
      { "s3:PutObject", BUCKET .. "/experiments/output/*" },
      { "ecr:GetAuthorizationToken", "*" },
      { "ecr:BatchCheckLayerAvailability", REPO },
      { "ecr:BatchGetImage", REPO },
      { "ecr:GetDownloadUrlForLayer", REPO },
      { "logs:CreateLogGroup", GROUP },
      { "logs:DescribeLogStreams", GROUP },
      { "logs:CreateLogStream", GROUP .. ":log-stream:*" },
      { "logs:PutLogEvents", GROUP .. ":log-stream:*" },
      { "cloudwatch:PutMetricData", "*" },
    })
  end)
end)

describe("examples/sagemaker/caller_role.lua", function()
  local role = lpb.load("examples/sagemaker/caller_role.lua")

  it("starts, watches and stops training jobs", function()
    assert.allows(role, "sagemaker:CreateTrainingJob", JOB)
    assert.allows(role, "sagemaker:DescribeTrainingJob", JOB)
    assert.allows(role, "sagemaker:StopTrainingJob", JOB)
    assert.allows(role, "sagemaker:ListTrainingJobs", "*")
    assert.denies(role, "sagemaker:DeleteModel",
      ("arn:aws:sagemaker:%s:%s:model/m"):format(REGION, ACCT))
  end)

  it("passes the execution role to SageMaker only", function()
    assert.allows(role, "iam:PassRole", EXEC_ROLE, { ["iam:PassedToService"] = "sagemaker.amazonaws.com" })
    assert.denies(role, "iam:PassRole", EXEC_ROLE, { ["iam:PassedToService"] = "ec2.amazonaws.com" })
    assert.denies(role, "iam:PassRole", EXEC_ROLE)
    assert.denies(role, "iam:PassRole", ("arn:aws:iam::%s:role/admin"):format(ACCT),
      { ["iam:PassedToService"] = "sagemaker.amazonaws.com" })
  end)

  it("reads the job logs but not the training data", function()
    assert.allows(role, "logs:GetLogEvents", STREAM)
    assert.denies(role, "s3:GetObject", BUCKET .. "/experiments/input/train.csv")
  end)

  it("is assumed from the ml-engineers role", function()
    local engineer = ("arn:aws:sts::%s:assumed-role/ml-engineers/alice"):format(ACCT)
    assert.allows(role, "sts:AssumeRole", nil, { principal = engineer })
    assert.denies(role, "sts:AssumeRole", nil,
      { principal = ("arn:aws:sts::%s:assumed-role/intern/bob"):format(ACCT) })
  end)

  it("grants exactly the control plane", function()
    assert.grants_only(role, {
      { "sagemaker:CreateTrainingJob", "arn:aws:sagemaker:*:*:training-job/*" },
      { "sagemaker:DescribeTrainingJob", "arn:aws:sagemaker:*:*:training-job/*" },
      { "sagemaker:StopTrainingJob", "arn:aws:sagemaker:*:*:training-job/*" },
      { "sagemaker:ListTrainingJobs", "*" },
      { "iam:PassRole", EXEC_ROLE },
      { "logs:DescribeLogStreams", GROUP },
      { "logs:GetLogEvents", GROUP .. ":log-stream:*" },
    })
  end)
end)

describe("examples/sagemaker/seed_module.lua", function()
  local role = lpb.load("examples/sagemaker/seed_module.lua", { bucket_name = "ml-bucket" })

  it("does what the job needs", function()
    assert.allows(role, "s3:GetObject", "arn:aws:s3:::ml-bucket/experiments/input/x")
    assert.allows(role, "ecr:BatchGetImage", REPO)
  end)

  it("grants more than the job needs: the seed is not least privilege", function()
    assert.denies(role, "s3:DeleteObject", "arn:aws:s3:::ml-bucket/x")
    assert.allows(role, "s3:PutObject", "arn:aws:s3:::ml-bucket/experiments/input/x")
    assert.allows(role, "ecr:BatchGetImage", ("arn:aws:ecr:%s:%s:repository/any"):format(REGION, ACCT))
    assert.has_error(function()
      assert.grants_only(role, {
        { "s3:GetObject", "arn:aws:s3:::ml-bucket/experiments/input/*" },
        { "s3:PutObject", "arn:aws:s3:::ml-bucket/experiments/output/*" },
        { "s3:ListBucket", "arn:aws:s3:::ml-bucket" },
        { "ecr:GetAuthorizationToken", "*" },
        { "ecr:BatchGetImage", REPO }, { "ecr:GetDownloadUrlForLayer", REPO },
        { "ecr:BatchCheckLayerAvailability", REPO },
        { "logs:*", "arn:aws:logs:*:*:log-group:/aws/sagemaker/*" },
      })
    end)
  end)
end)

describe("README.md", function()
  it("its unit-test example passes", function()
    local f = assert(io.open("README.md"))
    local text = f:read("*a")
    f:close()
    local code = text:match('```lua\n(local lpb = require "leastpriv.busted".-)```')
    assert.truthy(code)
    local env = setmetatable({
      assert = assert,
      describe = function(_, fn) fn() end,
      it = function(_, fn) fn() end,
    }, { __index = _G })
    local chunk
    local setfenv = rawget(_G, "setfenv")
    if setfenv then                                  -- Lua 5.1: no env for load
      chunk = assert(rawget(_G, "loadstring")(code, "=README.md"))
      setfenv(chunk, env)
    else
      chunk = assert(load(code, "=README.md", "t", env))
    end
    chunk()
  end)
end)
