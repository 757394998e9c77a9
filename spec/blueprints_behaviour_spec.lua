-- Each SageMaker blueprint allows what its job needs and nothing more,
-- shown with the evaluation engine (assert.allows / denies / grants_only).
local lp = require "leastpriv"
require "leastpriv.busted"   -- registers assert.allows, denies, grants_only
local sm = require "leastpriv.blueprints.sagemaker"

local ACCT, REGION = "123456789012", "us-east-1"
local function arn(service, rest) return ("arn:aws:%s:%s:%s:%s"):format(service, REGION, ACCT, rest) end
local base = { account = ACCT, region = REGION }
local function opts(t)
  for k, v in pairs(base) do t[k] = t[k] or v end
  return t
end
local ENGINEERS = lp.trust.aws("arn:aws:iam::123456789012:role/ml-engineers")

-- The execution role's needs for a job type with data in s3://ml-data/job/.
local function exec_needs(job)
  local j = sm.JOBS[job]
  local group = j.log_group:sub(-1) == "/" and (j.log_group .. "*") or j.log_group
  return {
    { "s3:ListBucket", "arn:aws:s3:::ml-data" },
    { "s3:GetObject", "arn:aws:s3:::ml-data/job/in/*" },
    { "s3:PutObject", "arn:aws:s3:::ml-data/job/out/*" },
    { "ecr:BatchCheckLayerAvailability", arn("ecr", "repository/img") },
    { "ecr:BatchGetImage", arn("ecr", "repository/img") },
    { "ecr:GetDownloadUrlForLayer", arn("ecr", "repository/img") },
    { "ecr:GetAuthorizationToken", "*" },
    { "logs:CreateLogGroup", arn("logs", "log-group:" .. group) },
    { "logs:DescribeLogStreams", arn("logs", "log-group:" .. group) },
    { "logs:CreateLogStream", arn("logs", "log-group:" .. group .. ":log-stream:*") },
    { "logs:PutLogEvents", arn("logs", "log-group:" .. group .. ":log-stream:*") },
    { "cloudwatch:PutMetricData", "*" },
  }
end

for _, job in ipairs { "training", "processing", "transform", "endpoint" } do
  describe("sagemaker blueprint: " .. job, function()
    local exec, caller = sm.pair(opts { job = job, name = job .. "-exec",
      inputs = { "s3://ml-data/job/in/" }, outputs = { "s3://ml-data/job/out/" }, images = { "img" } },
      { name = job .. "-caller", trust = ENGINEERS })

    it("the execution role reads its input, writes its output, pulls its image", function()
      assert.allows(exec, "s3:GetObject", "arn:aws:s3:::ml-data/job/in/part-0001.csv")
      assert.allows(exec, "s3:PutObject", "arn:aws:s3:::ml-data/job/out/model.tar.gz")
      assert.allows(exec, "s3:ListBucket", "arn:aws:s3:::ml-data", { ["s3:prefix"] = "job/in/" })
      assert.allows(exec, "ecr:BatchGetImage", arn("ecr", "repository/img"))
      assert.allows(exec, "cloudwatch:PutMetricData", "*", { ["cloudwatch:namespace"] = sm.JOBS[job].namespace })
    end)

    it("the execution role touches nothing else", function()
      assert.denies(exec, "s3:GetObject", "arn:aws:s3:::ml-data/other/secret.csv")
      assert.denies(exec, "s3:PutObject", "arn:aws:s3:::ml-data/job/in/poison.csv")
      assert.denies(exec, "s3:ListBucket", "arn:aws:s3:::ml-data", { ["s3:prefix"] = "other/" })
      assert.denies(exec, "s3:DeleteObject", "arn:aws:s3:::ml-data/job/out/model.tar.gz")
      assert.denies(exec, "ecr:BatchGetImage", arn("ecr", "repository/other"))
      assert.denies(exec, "cloudwatch:PutMetricData", "*", { ["cloudwatch:namespace"] = "Custom/Other" })
      assert.denies(exec, "iam:PassRole", "arn:aws:iam::123456789012:role/" .. job .. "-exec")
      assert.grants_only(exec, exec_needs(job))
    end)

    it("SageMaker may assume the execution role, for this account only", function()
      local source = sm.JOBS[job].source == "*" and arn("sagemaker", "endpoint/e")
        or arn("sagemaker", sm.JOBS[job].resource .. "/j")
      local role_arn = "arn:aws:iam::123456789012:role/" .. job .. "-exec"
      local ok = { principal = "sagemaker.amazonaws.com",
                   context = { ["aws:SourceAccount"] = ACCT, ["aws:SourceArn"] = source } }
      assert.allows(exec, "sts:AssumeRole", role_arn, ok)
      assert.denies(exec, "sts:AssumeRole", role_arn, { principal = "sagemaker.amazonaws.com",
        context = { ["aws:SourceAccount"] = "999988887777", ["aws:SourceArn"] = source } })
      assert.denies(exec, "sts:AssumeRole", role_arn, { principal = "ec2.amazonaws.com", context = ok.context })
    end)

    it("the caller may pass the execution role to SageMaker only, and cannot read the data", function()
      local exec_arn = "arn:aws:iam::123456789012:role/" .. job .. "-exec"
      assert.allows(caller, "iam:PassRole", exec_arn, { ["iam:PassedToService"] = "sagemaker.amazonaws.com" })
      assert.denies(caller, "iam:PassRole", exec_arn, { ["iam:PassedToService"] = "ec2.amazonaws.com" })
      assert.denies(caller, "iam:PassRole", "arn:aws:iam::123456789012:role/admin",
        { ["iam:PassedToService"] = "sagemaker.amazonaws.com" })
      assert.denies(caller, "s3:GetObject", "arn:aws:s3:::ml-data/job/in/part-0001.csv")
    end)
  end)
end

describe("sagemaker blueprint: training caller", function()
  local _, caller = sm.pair(opts { job = "training", name = "t-exec", images = { "img" } },
    { name = "t-caller", trust = ENGINEERS, instance_types = { "ml.m5.xlarge" } })

  it("starts, watches and stops training jobs of the allowed instance types only", function()
    local job = arn("sagemaker", "training-job/churn-1")
    assert.allows(caller, "sagemaker:CreateTrainingJob", job, { ["sagemaker:InstanceTypes"] = { "ml.m5.xlarge" } })
    assert.denies(caller, "sagemaker:CreateTrainingJob", job, { ["sagemaker:InstanceTypes"] = { "ml.p4d.24xlarge" } })
    assert.denies(caller, "sagemaker:CreateTrainingJob", job)   -- no instance type: Null fails
    assert.allows(caller, "sagemaker:DescribeTrainingJob", job)
    assert.allows(caller, "sagemaker:StopTrainingJob", job)
    assert.allows(caller, "sagemaker:ListTrainingJobs", "*")
    assert.denies(caller, "sagemaker:DeleteModel", arn("sagemaker", "model/m"))
    assert.grants_only(caller, {
      { "sagemaker:CreateTrainingJob", arn("sagemaker", "training-job/*") },
      { "sagemaker:DescribeTrainingJob", arn("sagemaker", "training-job/*") },
      { "sagemaker:StopTrainingJob", arn("sagemaker", "training-job/*") },
      { "sagemaker:ListTrainingJobs", "*" },
      { "iam:PassRole", "arn:aws:iam::123456789012:role/t-exec" },
    })
  end)
end)

describe("sagemaker blueprint: studio", function()
  local train = sm.execution_role(opts { job = "training", name = "t-exec", images = { "img" } })
  local studio = sm.execution_role(opts { job = "studio", name = "studio-alice", domain = "d-1",
    user_profile = "alice", jobs = { "training" }, pass_roles = { train } })

  it("manages the user's own apps only, and starts training jobs with the training role", function()
    assert.allows(studio, "sagemaker:CreateApp", arn("sagemaker", "app/d-1/alice/JupyterServer/default"))
    assert.denies(studio, "sagemaker:CreateApp", arn("sagemaker", "app/d-1/bob/JupyterServer/default"))
    assert.allows(studio, "sagemaker:CreateTrainingJob", arn("sagemaker", "training-job/x"))
    assert.allows(studio, "iam:PassRole", "arn:aws:iam::123456789012:role/t-exec",
      { ["iam:PassedToService"] = "sagemaker.amazonaws.com" })
    assert.denies(studio, "iam:PassRole", "arn:aws:iam::123456789012:role/studio-alice",
      { ["iam:PassedToService"] = "sagemaker.amazonaws.com" })
  end)
end)

describe("blueprint details (issue 18)", function()
  local lpb = require "leastpriv.busted"
  local BASE = { account = "123456789012", region = "us-east-1" }
  local function with(t)
    local out = {}
    for k, v in pairs(BASE) do out[k] = v end
    for k, v in pairs(t) do out[k] = v end
    return out
  end
  assert(lpb)

  it("reads a model artifact (an object key) as that object, not a prefix", function()
    local exec = sm.execution_role(with { job = "endpoint", name = "m",
      inputs = { "s3://ml-models/churn/v3/model.tar.gz" } })
    assert.allows(exec, "s3:GetObject", "arn:aws:s3:::ml-models/churn/v3/model.tar.gz")
    assert.denies(exec, "s3:GetObject", "arn:aws:s3:::ml-models/churn/v3/model.tar.gz/x")
    assert.denies(exec, "s3:GetObject", "arn:aws:s3:::ml-models/churn/v3/other.tar.gz")
    -- no listing of a "prefix" that is a file
    assert.denies(exec, "s3:ListBucket", "arn:aws:s3:::ml-models", { ["s3:prefix"] = "churn/v3/model.tar.gz/" })
    local explicit = sm.execution_role(with { job = "training", name = "t",
      inputs = { { bucket = "b", key = "train/manifest" } } })
    assert.allows(explicit, "s3:GetObject", "arn:aws:s3:::b/train/manifest")
    assert.denies(explicit, "s3:GetObject", "arn:aws:s3:::b/train/manifest/x")
  end)

  it("keeps prefixes as prefixes", function()
    local exec = sm.execution_role(with { job = "training", name = "t", inputs = { "s3://b/train/" } })
    assert.allows(exec, "s3:GetObject", "arn:aws:s3:::b/train/part-0")
    assert.allows(exec, "s3:ListBucket", "arn:aws:s3:::b", { ["s3:prefix"] = "train/" })
  end)

  it("lets a caller start jobs on instance types given with wildcards (a Like operator)", function()
    local exec = sm.execution_role(with { job = "training", name = "t" })
    local caller = sm.caller_role(with { job = "training", name = "c", execution_role = exec,
      trust = lp.trust.aws("arn:aws:iam::123456789012:role/ml-engineers"),
      instance_types = { "ml.g5.*", "ml.p4d.*" } })
    local job = "arn:aws:sagemaker:us-east-1:123456789012:training-job/j"
    assert.allows(caller, "sagemaker:CreateTrainingJob", job, { ["sagemaker:InstanceTypes"] = { "ml.g5.2xlarge" } })
    assert.denies(caller, "sagemaker:CreateTrainingJob", job, { ["sagemaker:InstanceTypes"] = { "ml.m5.large" } })
    assert.denies(caller, "sagemaker:CreateTrainingJob", job)
  end)
end)
