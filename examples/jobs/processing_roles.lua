-- The two roles of the SageMaker processing job churn-features-20261130,
-- derived by `leastpriv roles-for processing.job.json`.
-- The execution role gets exactly what the job definition names; the caller may start
-- such jobs with it and pass it to SageMaker only.
local lp = require "leastpriv"
local sm = require "leastpriv.blueprints.sagemaker"

local exec, caller = sm.pair({
  job = "processing",
  name = "churn-processing-exec",
  account = "123456789012",
  region = "eu-west-1",
  inputs = { "s3://acme-ml-data/churn/raw/", "s3://acme-ml-code/churn/prepare.py" },
  outputs = { "s3://acme-ml-data/churn/features/" },
  images = { "churn-prepare" },
}, {
  name = "churn-processing-caller",
  trust = lp.trust.aws("arn:aws:iam::123456789012:role/ml-engineers"),
  name_prefix = "churn-features-",
  instance_types = { "ml.m5.xlarge" },
  network_isolation = true,
})

return { exec, caller }
