-- leastpriv roles-for: a SageMaker job definition's two roles.  The
-- generated scripts under examples/jobs/ are what the command prints, they
-- render and check clean, and the roles allow the job's own requests and
-- nothing near them.
local cli = require "support.cli"
local jobs = require "leastpriv.jobs"
local lpb = require "leastpriv.busted"

local TRUST = "arn:aws:iam::123456789012:role/ml-engineers"
local ARGS = { "--caller-trust", TRUST, "--vpc-id", "vpc-0123456789abcdef0" }

local function roles_for(def, extra)
  local argv = { "roles-for", def }
  for _, a in ipairs(extra or ARGS) do argv[#argv + 1] = a end
  return cli.run(argv)
end

local KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

describe("leastpriv roles-for", function()
  for _, kind in ipairs { "training", "processing" } do
    it(("prints examples/jobs/%s_roles.lua from %s.job.json"):format(kind, kind), function()
      local code, out, err = roles_for(("examples/jobs/%s.job.json"):format(kind))
      assert.equal(0, code, err)
      assert.equal(cli.read(("examples/jobs/%s_roles.lua"):format(kind)), out)
    end)
  end

  it("gives the training job's execution role exactly its inputs, outputs, image, keys and network", function()
    local _, items = lpb.load("examples/jobs/training_roles.lua")
    local exec = items[1]
    assert.equal("churn-training-exec", exec.name)
    assert.equal("/service-role/", exec.path)
    -- an S3Prefix channel is a prefix, an object key that object
    assert.allows(exec, "s3:GetObject", "arn:aws:s3:::acme-ml-data/churn/features/train/part-0.csv")
    assert.allows(exec, "s3:GetObject", "arn:aws:s3:::acme-ml-data/churn/features/validation.csv")
    assert.denies(exec, "s3:GetObject", "arn:aws:s3:::acme-ml-data/churn/features/validation.csv.bak")
    assert.denies(exec, "s3:GetObject", "arn:aws:s3:::acme-ml-data/churn/raw/x")
    assert.allows(exec, "s3:PutObject", "arn:aws:s3:::acme-ml-artifacts/churn/models/m.tar.gz")
    assert.allows(exec, "s3:AbortMultipartUpload", "arn:aws:s3:::acme-ml-artifacts/churn/models/m.tar.gz")
    assert.denies(exec, "s3:PutObject", "arn:aws:s3:::acme-ml-data/churn/features/train/x")
    -- checkpoints are written and read back
    assert.allows(exec, "s3:GetObject", "arn:aws:s3:::acme-ml-artifacts/churn/checkpoints/c-1")
    assert.allows(exec, "s3:PutObject", "arn:aws:s3:::acme-ml-artifacts/churn/checkpoints/c-1")
    assert.allows(exec, "ecr:BatchGetImage", "arn:aws:ecr:eu-west-1:123456789012:repository/churn-trainer")
    assert.denies(exec, "ecr:BatchGetImage", "arn:aws:ecr:eu-west-1:123456789012:repository/other")
    assert.allows(exec, "kms:GenerateDataKey", KEY)
    assert.allows(exec, "kms:Decrypt", KEY)
    assert.allows(exec, "kms:CreateGrant", KEY, { ["kms:GrantIsForAWSResource"] = "true" })
    assert.allows(exec, "ec2:CreateNetworkInterface",
      "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0")
    assert.denies(exec, "ec2:CreateNetworkInterface", "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0aaaaaaaaaaaaaaaa")
    assert.denies(exec, "sagemaker:CreateTrainingJob", "arn:aws:sagemaker:eu-west-1:123456789012:training-job/x")
  end)

  it("trusts SageMaker for this account's training jobs only", function()
    local _, items = lpb.load("examples/jobs/training_roles.lua")
    local self_arn = "arn:aws:iam::123456789012:role/service-role/churn-training-exec"
    local ctx = { ["aws:SourceAccount"] = "123456789012",
                  ["aws:SourceArn"] = "arn:aws:sagemaker:eu-west-1:123456789012:training-job/churn-xgb-1" }
    assert.allows(items[1], "sts:AssumeRole", self_arn, { principal = "sagemaker.amazonaws.com", context = ctx })
    assert.denies(items[1], "sts:AssumeRole", self_arn, { principal = "sagemaker.amazonaws.com",
      context = { ["aws:SourceAccount"] = "999999999999", ["aws:SourceArn"] = ctx["aws:SourceArn"] } })
    assert.denies(items[1], "sts:AssumeRole", self_arn, { principal = "ec2.amazonaws.com", context = ctx })
  end)

  it("lets the caller start such jobs with the definition's pins, and pass only that role to SageMaker", function()
    local _, items = lpb.load("examples/jobs/training_roles.lua")
    local caller = items[2]
    local job = "arn:aws:sagemaker:eu-west-1:123456789012:training-job/churn-xgb-2026-12-01"
    local pins = { ["sagemaker:InstanceTypes"] = { "ml.m5.2xlarge" },
                   ["sagemaker:VpcSubnets"] = { "subnet-0123456789abcdef0" },
                   ["sagemaker:VpcSecurityGroupIds"] = { "sg-0123456789abcdef0" },
                   ["aws:RequestTag/team"] = "churn" }
    assert.allows(caller, "sagemaker:CreateTrainingJob", job, pins)
    local bigger = {}
    for k, v in pairs(pins) do bigger[k] = v end
    bigger["sagemaker:InstanceTypes"] = { "ml.p4d.24xlarge" }
    assert.denies(caller, "sagemaker:CreateTrainingJob", job, bigger)
    assert.denies(caller, "sagemaker:CreateTrainingJob",
      "arn:aws:sagemaker:eu-west-1:123456789012:training-job/fraud-1", pins)
    local exec = "arn:aws:iam::123456789012:role/service-role/churn-training-exec"
    assert.allows(caller, "iam:PassRole", exec, { ["iam:PassedToService"] = "sagemaker.amazonaws.com" })
    assert.denies(caller, "iam:PassRole", exec, { ["iam:PassedToService"] = "ec2.amazonaws.com" })
    assert.denies(caller, "s3:GetObject", "arn:aws:s3:::acme-ml-data/churn/features/train/part-0.csv")
  end)

  it("pins network isolation for the processing job's caller", function()
    local _, items = lpb.load("examples/jobs/processing_roles.lua")
    local job = "arn:aws:sagemaker:eu-west-1:123456789012:processing-job/churn-features-1"
    local ctx = { ["sagemaker:InstanceTypes"] = { "ml.m5.xlarge" }, ["sagemaker:NetworkIsolation"] = "true" }
    assert.allows(items[2], "sagemaker:CreateProcessingJob", job, ctx)
    ctx["sagemaker:NetworkIsolation"] = "false"
    assert.denies(items[2], "sagemaker:CreateProcessingJob", job, ctx)
    assert.allows(items[1], "s3:GetObject", "arn:aws:s3:::acme-ml-code/churn/prepare.py")
  end)

  it("checks clean", function()
    local code, out = cli.run({ "check", "examples/jobs", "--fail-on", "suggestion" })
    assert.equal(0, code, out)
  end)

  it("makes the VPC an input and the caller's trust the account when they are not given", function()
    local code, out = roles_for("examples/jobs/training.job.json", {})
    assert.equal(0, code)
    assert.matches('vpc = lp.var%("vpc_id"', out)
    assert.matches("NOTE: the VPC of the job's subnets is an input", out)
    assert.matches("%-%- narrow to the people or CI role that start the jobs\n"
      .. '  trust = lp.trust.aws%("arn:aws:iam::123456789012:root"%)', out)
  end)

  it("images of another account's registry are named by ARN", function()
    local spec = jobs.read({ TrainingJobName = "t", RoleArn = "arn:aws:iam::123456789012:role/r",
      AlgorithmSpecification = { TrainingImage = "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1" } })
    assert.same({ "arn:aws:ecr:us-west-2:763104351884:repository/pytorch-training" }, spec.exec.images)
    assert.equal("us-west-2", spec.exec.region)
  end)

  it("refuses what it cannot read with one line and exit 2", function()
    local dir = cli.tmpdir()
    local function write(name, text)
      local f = assert(io.open(dir .. "/" .. name, "w"))
      f:write(text)
      f:close()
      return dir .. "/" .. name
    end
    local cases = {
      { write("policy.json", '{"Version": "2012-10-17", "Statement": []}'), "not a SageMaker job definition" },
      { write("norole.json", '{"TrainingJobName": "t", "AlgorithmSpecification": {}}'), "no RoleArn" },
      { write("transform.json", '{"TransformJobName": "t", "ModelName": "m"}'), "pass %-%-role%-arn" },
      { write("bad.json", "{"), "bad%.json:1:2" },
      { write("badimg.json", '{"TrainingJobName": "t", "RoleArn": "arn:aws:iam::123456789012:role/r", '
          .. '"AlgorithmSpecification": {"TrainingImage": "docker.io/x"}}'), "not an ECR image URI" },
    }
    for _, c in ipairs(cases) do
      local code, out, err = cli.run({ "roles-for", c[1] })
      assert.equal(2, code, c[1])
      assert.equal("", out)
      assert.matches(c[2], err)
    end
    cli.rm(dir)
  end)
end)
