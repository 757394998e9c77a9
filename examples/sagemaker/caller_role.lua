-- The caller of SageMaker training jobs (a person's or a CI pipeline's
-- role): control plane only.  It may start, watch and stop training jobs,
-- and pass exactly one role, the execution role, to SageMaker and to no
-- other service.  It cannot read the training data itself.
local lp = require "leastpriv"

local account = lp.var("account_id", { description = "AWS account that runs the training jobs",
                                        default = "123456789012" })
local region = lp.var("region", { description = "Region of the training jobs", default = "us-east-1" })
local aws = lp.scope { account = account, region = region }

local execution_role = aws.iam.role("sagemaker-training-execution")

return lp.role {
  name = "sagemaker-training-caller",
  description = "Starts, describes and stops SageMaker training jobs with the training execution role",
  trust = lp.trust.aws(aws.iam.role("ml-engineers")),
  policies = {
    ["launch-training"] = lp.policy {
      lp.allow { sid = "ManageTrainingJobs",
                 action = { "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob",
                            "sagemaker:StopTrainingJob" },
                 resource = aws.sagemaker.training_job("*") },
      lp.allow { sid = "ListTrainingJobs", action = "sagemaker:ListTrainingJobs", resource = "*" },
      lp.allow { sid = "PassExecutionRole", action = "iam:PassRole", resource = execution_role,
                 condition = { StringEquals = { ["iam:PassedToService"] = "sagemaker.amazonaws.com" } } },
      lp.allow { sid = "FindJobLogs", action = "logs:DescribeLogStreams",
                 resource = aws.logs.group("/aws/sagemaker/TrainingJobs") },
      lp.allow { sid = "ReadJobLogs", action = "logs:GetLogEvents",
                 resource = aws.logs.streams("/aws/sagemaker/TrainingJobs") },
    },
  },
}
