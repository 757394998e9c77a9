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
  -- Lambda assumes execution roles itself; its documentation gives no
  -- aws:SourceArn for them, so the trust names the service alone.
  trust = lp.trust.service("lambda.amazonaws.com"),
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
