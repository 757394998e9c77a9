-- The execution role from the article this project grew from, reproduced
-- as it stands (see examples/sagemaker/execution_role.lua for the same job
-- done least-privilege).  `leastpriv check` has findings on it on purpose:
-- ListBucket and object access share one statement, the ECR pull actions
-- run on "*", and the trust names a service without aws:SourceAccount.
local lp = require "leastpriv"

local bucket = lp.var("bucket_name", {
  description = "S3 bucket the SageMaker jobs will read/write",
})
local role_name = lp.var("role_name", {
  description = "Name of the IAM execution role",
  default = "sagemaker-execution-role",
})

return lp.role {
  name = role_name,
  tf_name = "sagemaker_execution",
  trust = lp.trust.service("sagemaker.amazonaws.com"),
  policies = {
    ["sagemaker-least-privilege"] = lp.policy {
      lp.allow {
        sid = "S3DataAccess",
        action = { "s3:GetObject", "s3:PutObject", "s3:ListBucket" },
        resource = { "arn:aws:s3:::" .. bucket, "arn:aws:s3:::" .. bucket .. "/*" },
      },
      lp.allow {
        sid = "ECRImagePull",
        action = { "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                   "ecr:BatchCheckLayerAvailability", "ecr:GetAuthorizationToken" },
        resource = "*",
      },
      lp.allow {
        sid = "CloudWatchLogs",
        action = { "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents" },
        resource = "arn:aws:logs:*:*:log-group:/aws/sagemaker/*",
      },
    },
  },
}
