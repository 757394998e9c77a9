-- A Lambda function's execution role: it reads one DynamoDB table, writes
-- messages to one SQS queue, and writes its own logs.
local lp = require "leastpriv"

local account = lp.var("account_id", { description = "AWS account of the function", default = "123456789012" })
local region = lp.var("region", { description = "Region of the function", default = "us-east-1" })
local aws = lp.scope { account = account, region = region }

local fn = "orders-processor"

return lp.role {
  name = fn .. "-lambda",
  description = "Execution role of the " .. fn .. " Lambda function",
  -- Lambda assumes the role for functions of this account only
  -- (confused-deputy protection, per Lambda's execution-role guide)
  trust = lp.trust.service("lambda.amazonaws.com", { source_account = account }),
  policies = {
    [fn] = lp.policy {
      lp.allow { sid = "ReadOrders", action = { "dynamodb:GetItem", "dynamodb:Query" },
                 resource = { aws.dynamodb.table("orders"), aws.dynamodb.index("orders", "*") } },
      lp.allow { sid = "SendShipments", action = "sqs:SendMessage", resource = aws.sqs.queue("shipments") },
      lp.allow { sid = "LogGroup", action = "logs:CreateLogGroup",
                 resource = aws.logs.group("/aws/lambda/" .. fn) },
      lp.allow { sid = "LogStreams", action = { "logs:CreateLogStream", "logs:PutLogEvents" },
                 resource = aws.logs.streams("/aws/lambda/" .. fn) },
    },
  },
}
