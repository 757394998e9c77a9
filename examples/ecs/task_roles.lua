-- An ECS service's two roles.  The task execution role is what ECS itself
-- uses to start the task: pull the image, create the log stream, read the
-- one secret the container is given.  The task role is what the code in the
-- container runs as: here, read and write one S3 prefix.
local lp = require "leastpriv"

local account = lp.var("account_id", { description = "AWS account of the ECS cluster", default = "123456789012" })
local region = lp.var("region", { description = "Region of the ECS cluster", default = "us-east-1" })
local aws = lp.scope { account = account, region = region }

local service, log_group = "report-builder", "/ecs/report-builder"

-- ECS tasks: pinned to this account's ECS resources (confused-deputy protection)
local function ecs_trust()
  return lp.trust.service("ecs-tasks.amazonaws.com", {
    source_account = account,
    source_arn = ("arn:aws:ecs:%s:%s:*"):format(region, account),
  })
end

local execution = lp.role {
  name = service .. "-task-execution",
  description = "Used by ECS to start " .. service .. " tasks",
  trust = ecs_trust(),
  policies = {
    ["start-task"] = lp.policy {
      aws.ecr.pull(service),
      lp.allow { sid = "TaskLogs", action = { "logs:CreateLogStream", "logs:PutLogEvents" },
                 resource = aws.logs.streams(log_group) },
      lp.allow { sid = "TaskSecret", action = "secretsmanager:GetSecretValue",
                 resource = aws.secretsmanager.secret(service .. "/db-*") },
    },
  },
}

local task = lp.role {
  name = service .. "-task",
  description = "What the " .. service .. " container runs as",
  trust = ecs_trust(),
  policies = {
    reports = lp.policy {
      aws.s3.list_bucket("company-reports", "monthly/", { sid = "ListReports" }),
      lp.allow { sid = "ReadWriteReports", action = { "s3:GetObject", "s3:PutObject" },
                 resource = aws.s3.objects("company-reports", "monthly/") },
    },
  },
}

return { execution, task }
