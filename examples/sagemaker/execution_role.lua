-- The execution role of a SageMaker training job, least-privilege: the
-- identity SageMaker assumes while the job runs.  It can pull one image,
-- read its input prefix, write its output prefix, and write its own logs
-- and metrics; nothing else.  (Its caller: caller_role.lua.)
local lp = require "leastpriv"

local account = lp.var("account_id", { description = "AWS account that runs the training jobs",
                                        default = "123456789012" })
local region = lp.var("region", { description = "Region of the training jobs", default = "us-east-1" })
local bucket = lp.var("bucket_name", { description = "S3 bucket with the training data and model artifacts",
                                       default = "my-ml-training-data" })
local repository = lp.var("ecr_repository", { description = "ECR repository of the training image",
                                              default = "ml-training" })
local aws = lp.scope { account = account, region = region }

local input, output = "experiments/input/", "experiments/output/"
local log_group = "/aws/sagemaker/TrainingJobs"

return lp.role {
  name = "sagemaker-training-execution",
  description = "Assumed by SageMaker training jobs: read input, write output, pull one image, logs, metrics",
  trust = lp.trust.service("sagemaker.amazonaws.com", {
    source_account = account,
    source_arn = aws.sagemaker.training_job("*"),
  }),
  policies = {
    ["training-job"] = lp.policy {
      aws.s3.list_bucket(bucket, input, { sid = "ListInput" }),
      lp.allow { sid = "ReadInput", action = "s3:GetObject", resource = aws.s3.objects(bucket, input) },
      lp.allow { sid = "WriteOutput", action = "s3:PutObject", resource = aws.s3.objects(bucket, output) },
      aws.ecr.pull(repository),
      lp.allow { sid = "LogGroup", action = { "logs:CreateLogGroup", "logs:DescribeLogStreams" },
                 resource = aws.logs.group(log_group) },
      lp.allow { sid = "LogStreams", action = { "logs:CreateLogStream", "logs:PutLogEvents" },
                 resource = aws.logs.streams(log_group) },
      lp.allow { sid = "Metrics", action = "cloudwatch:PutMetricData", resource = "*",
                 condition = { StringEquals = { ["cloudwatch:namespace"] = log_group } } },
    },
  },
}
