-- A SageMaker pipeline from the blueprints: a processing step and a
-- training step, each with its own execution role; the pipeline's role,
-- which may start those steps and pass only those two roles; and the CI
-- role that creates and runs the pipeline.
local lp = require "leastpriv"
local sm = require "leastpriv.blueprints.sagemaker"

local env = { account = "123456789012", region = "us-east-1" }
local function with(t)
  for k, v in pairs(env) do t[k] = t[k] or v end
  return t
end

local prepare = sm.execution_role(with {
  job = "processing", name = "churn-prepare",
  inputs = { "s3://ml-data/churn/raw/" }, outputs = { "s3://ml-data/churn/features/" },
  images = { "churn-prepare" },
})

local train = sm.execution_role(with {
  job = "training", name = "churn-train",
  inputs = { "s3://ml-data/churn/features/" }, outputs = { "s3://ml-data/churn/models/" },
  images = { "churn-train" },
  kms = { output = "1234abcd-12ab-34cd-56ef-1234567890ab" },
})

local pipeline, ci = sm.pair(with {
  job = "pipeline", name = "churn-pipeline", pipeline_name = "churn",
  step_roles = { prepare, train },
}, {
  name = "churn-pipeline-ci", name_prefix = "churn",
  trust = lp.trust.oidc("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", {
    audience = "sts.amazonaws.com", subject = "repo:example-org/churn-model:ref:refs/heads/main" }),
})

return { prepare, train, pipeline, ci }
