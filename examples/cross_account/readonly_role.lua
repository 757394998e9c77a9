-- A role a third party (a monitoring vendor, account 999988887777) assumes
-- to read this account's CloudWatch metrics and one reports prefix.  The
-- ExternalId the vendor gave you stops other customers of theirs from
-- pointing the vendor at your role (the confused-deputy problem).
local lp = require "leastpriv"

local account = lp.var("account_id", { description = "This AWS account", default = "123456789012" })
local external_id = lp.var("external_id", { description = "ExternalId issued by the vendor",
                                            default = "vendor-4f1c2a9e" })
local aws = lp.scope { account = account, region = "us-east-1" }

return lp.role {
  name = "vendor-monitoring-readonly",
  description = "Read-only access for the monitoring vendor",
  trust = lp.trust.aws("arn:aws:iam::999988887777:root", { external_id = external_id }),
  policies = {
    ["read-metrics-and-reports"] = lp.policy {
      -- classic CloudWatch metrics have no ARN (the catalog's only resource
      -- type here, "dataset", is for OTLP data), so "*" is the scope
      -- leastpriv: ignore RESOURCE_STAR
      lp.allow { sid = "ReadMetrics", resource = "*",
                 action = { "cloudwatch:GetMetricData", "cloudwatch:ListMetrics" } },
      aws.s3.list_bucket("ops-reports", "vendor/", { sid = "ListReports" }),
      lp.grant(aws.s3.objects("ops-reports", "vendor/"), "read", { sid = "ReadReports" }),
    },
  },
}
