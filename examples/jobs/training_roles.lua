-- The two roles of the SageMaker training job churn-xgb-2026-11-30-1200,
-- derived by `leastpriv roles-for training.job.json`.
-- The execution role gets exactly what the job definition names; the caller may start
-- such jobs with it and pass it to SageMaker only.
local lp = require "leastpriv"
local sm = require "leastpriv.blueprints.sagemaker"

local exec, caller = sm.pair({
  job = "training",
  name = "churn-training-exec",
  path = "/service-role/",
  account = "123456789012",
  region = "eu-west-1",
  inputs = {
    "s3://acme-ml-data/churn/features/train/",
    "s3://acme-ml-data/churn/features/validation.csv",
    "s3://acme-ml-artifacts/churn/checkpoints/",
  },
  outputs = { "s3://acme-ml-artifacts/churn/models/", "s3://acme-ml-artifacts/churn/checkpoints/" },
  images = { "churn-trainer" },
  kms = {
    output = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    volume = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  },
  vpc = {
    security_groups = { "sg-0123456789abcdef0" },
    subnets = { "subnet-0123456789abcdef0", "subnet-0fedcba9876543210" },
    vpc = "vpc-0123456789abcdef0",
  },
}, {
  name = "churn-training-caller",
  trust = lp.trust.aws("arn:aws:iam::123456789012:role/ml-engineers"),
  name_prefix = "churn-xgb-",
  instance_types = { "ml.m5.2xlarge" },
  vpc = {
    security_groups = { "sg-0123456789abcdef0" },
    subnets = { "subnet-0123456789abcdef0", "subnet-0fedcba9876543210" },
  },
  request_tags = { team = "churn" },
})

return { exec, caller }
