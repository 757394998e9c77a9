-- Every other example role allows what its workload needs and nothing
-- more (the SageMaker training pair is in examples_behaviour_spec.lua).
local lpb = require "leastpriv.busted"

local ACCT, REGION = "123456789012", "us-east-1"
local function arn(service, rest) return ("arn:aws:%s:%s:%s:%s"):format(service, REGION, ACCT, rest) end
local ALLOW_ASSUME = { Version = "2012-10-17", Statement = {
  { Effect = "Allow", Action = "sts:AssumeRole*", Resource = "*" } } }

describe("examples/cross_account/readonly_role.lua", function()
  local role = lpb.load("examples/cross_account/readonly_role.lua")
  local self_arn = "arn:aws:iam::" .. ACCT .. ":role/vendor-monitoring-readonly"
  local vendor = "arn:aws:sts::999988887777:assumed-role/monitor/run"

  it("reads metrics and the vendor's reports", function()
    assert.allows(role, "cloudwatch:GetMetricData", "*")
    assert.allows(role, "s3:GetObject", "arn:aws:s3:::ops-reports/vendor/2024-06.pdf")
    assert.allows(role, "s3:ListBucket", "arn:aws:s3:::ops-reports", { ["s3:prefix"] = "vendor/" })
    assert.denies(role, "s3:GetObject", "arn:aws:s3:::ops-reports/finance/2024-06.pdf")
    assert.denies(role, "s3:PutObject", "arn:aws:s3:::ops-reports/vendor/x")
    assert.denies(role, "cloudwatch:PutMetricData", "*")
  end)

  it("is assumed by the vendor's account with the external id", function()
    local groups = { role = role, caller = ALLOW_ASSUME }
    local ok = { principal = vendor, context = { ["sts:ExternalId"] = "vendor-4f1c2a9e" } }
    assert.allows(groups, "sts:AssumeRole", self_arn, ok)
    assert.denies(groups, "sts:AssumeRole", self_arn,
      { principal = vendor, context = { ["sts:ExternalId"] = "guess" } })
    assert.denies(groups, "sts:AssumeRole", self_arn,
      { principal = "arn:aws:sts::111122223333:assumed-role/x/y", context = ok.context })
    -- the trust names only the account: the vendor's own policy must allow too
    assert.denies(role, "sts:AssumeRole", self_arn, ok)
  end)

  it("grants reads only", function()
    assert.grants_only(role, {
      { "cloudwatch:GetMetricData", "*" }, { "cloudwatch:ListMetrics", "*" },
      { "s3:ListBucket", "arn:aws:s3:::ops-reports" },
      { "s3:GetObject*", "arn:aws:s3:::ops-reports/vendor/*" },
    })
  end)
end)

describe("examples/ecs/task_roles.lua", function()
  local _, items = lpb.load("examples/ecs/task_roles.lua")
  local execution, task = items[1], items[2]
  local ecs = { ["aws:SourceAccount"] = ACCT, ["aws:SourceArn"] = arn("ecs", "task/c/t1") }

  it("the execution role pulls the image, writes logs, reads the db secret", function()
    assert.allows(execution, "ecr:BatchGetImage", arn("ecr", "repository/report-builder"))
    assert.allows(execution, "logs:PutLogEvents", arn("logs", "log-group:/ecs/report-builder:log-stream:t1"))
    assert.allows(execution, "secretsmanager:GetSecretValue", arn("secretsmanager", "secret:report-builder/db-AbCdEf"))
    assert.denies(execution, "secretsmanager:GetSecretValue", arn("secretsmanager", "secret:other/db-AbCdEf"))
    assert.denies(execution, "s3:GetObject", "arn:aws:s3:::company-reports/monthly/x")
  end)

  it("the task role reads and writes monthly reports only", function()
    assert.allows(task, "s3:PutObject", "arn:aws:s3:::company-reports/monthly/2024-06.csv")
    assert.allows(task, "s3:GetObject", "arn:aws:s3:::company-reports/monthly/2024-06.csv")
    assert.denies(task, "s3:DeleteObject", "arn:aws:s3:::company-reports/monthly/2024-06.csv")
    assert.denies(task, "s3:GetObject", "arn:aws:s3:::company-reports/yearly/2024.csv")
    assert.denies(task, "ecr:BatchGetImage", arn("ecr", "repository/report-builder"))
  end)

  it("both are assumed by ECS tasks of the account only", function()
    for _, role in ipairs { execution, task } do
      assert.allows(role, "sts:AssumeRole", nil, { principal = "ecs-tasks.amazonaws.com", context = ecs })
      assert.denies(role, "sts:AssumeRole", nil, { principal = "ecs-tasks.amazonaws.com",
        context = { ["aws:SourceAccount"] = "999999999999", ["aws:SourceArn"] = ecs["aws:SourceArn"] } })
      assert.denies(role, "sts:AssumeRole", nil, { principal = "ec2.amazonaws.com", context = ecs })
    end
  end)

  it("grant exactly their lists", function()
    assert.grants_only(execution, {
      { "ecr:GetAuthorizationToken", "*" },
      { "ecr:*", arn("ecr", "repository/report-builder") },
      { "logs:*", arn("logs", "log-group:/ecs/report-builder:*") },
      { "secretsmanager:GetSecretValue", arn("secretsmanager", "secret:report-builder/db-*") },
    })
    assert.grants_only(task, {
      { "s3:ListBucket", "arn:aws:s3:::company-reports" },
      { "s3:GetObject", "arn:aws:s3:::company-reports/monthly/*" },
      { "s3:PutObject", "arn:aws:s3:::company-reports/monthly/*" },
    })
  end)
end)

describe("examples/github/oidc_deploy_role.lua", function()
  local role = lpb.load("examples/github/oidc_deploy_role.lua")
  local provider = "arn:aws:iam::" .. ACCT .. ":oidc-provider/token.actions.githubusercontent.com"
  local function token(sub)
    return { principal = { federated = provider }, context = {
      ["token.actions.githubusercontent.com:aud"] = "sts.amazonaws.com",
      ["token.actions.githubusercontent.com:sub"] = sub } }
  end

  it("syncs the site bucket and invalidates its distribution", function()
    assert.allows(role, "s3:PutObject", "arn:aws:s3:::www.example.com/index.html")
    assert.allows(role, "s3:DeleteObject", "arn:aws:s3:::www.example.com/old.html")
    assert.allows(role, "cloudfront:CreateInvalidation", "arn:aws:cloudfront::" .. ACCT .. ":distribution/E2QWRUHAPOMQZL")
    assert.denies(role, "s3:PutObject", "arn:aws:s3:::other-site/index.html")
    assert.denies(role, "s3:PutBucketPolicy", "arn:aws:s3:::www.example.com")
  end)

  it("is assumed from the main branch of the repository only", function()
    assert.allows(role, "sts:AssumeRoleWithWebIdentity", nil, token("repo:example-org/website:ref:refs/heads/main"))
    assert.denies(role, "sts:AssumeRoleWithWebIdentity", nil, token("repo:example-org/website:ref:refs/heads/dev"))
    assert.denies(role, "sts:AssumeRoleWithWebIdentity", nil, token("repo:evil/website:ref:refs/heads/main"))
    assert.denies(role, "sts:AssumeRole", nil, token("repo:example-org/website:ref:refs/heads/main"))
  end)

  it("grants the deployment only", function()
    assert.grants_only(role, {
      { "s3:ListBucket", "arn:aws:s3:::www.example.com" },
      { "s3:*Object", "arn:aws:s3:::www.example.com/*" },
      { "cloudfront:CreateInvalidation", "arn:aws:cloudfront::*:distribution/E2QWRUHAPOMQZL" },
    })
  end)
end)

describe("examples/lambda/function_role.lua", function()
  local role = lpb.load("examples/lambda/function_role.lua")

  it("reads orders, sends shipments, writes its logs", function()
    assert.allows(role, "dynamodb:Query", arn("dynamodb", "table/orders/index/by-customer"))
    assert.allows(role, "dynamodb:GetItem", arn("dynamodb", "table/orders"))
    assert.allows(role, "sqs:SendMessage", arn("sqs", "shipments"))
    assert.denies(role, "dynamodb:PutItem", arn("dynamodb", "table/orders"))
    assert.denies(role, "sqs:SendMessage", arn("sqs", "refunds"))
  end)

  it("is assumed by Lambda", function()
    assert.allows(role, "sts:AssumeRole", nil,
      { principal = "lambda.amazonaws.com", context = { ["aws:SourceAccount"] = ACCT } })
    assert.denies(role, "sts:AssumeRole", nil,
      { principal = "lambda.amazonaws.com", context = { ["aws:SourceAccount"] = "999988887777" } })
    assert.denies(role, "sts:AssumeRole", nil, { principal = "ec2.amazonaws.com" })
  end)

  it("grants exactly its list", function()
    assert.grants_only(role, {
      { "dynamodb:GetItem", arn("dynamodb", "table/orders") },
      { "dynamodb:Query", arn("dynamodb", "table/orders*") },
      { "sqs:SendMessage", arn("sqs", "shipments") },
      { "logs:*", arn("logs", "log-group:/aws/lambda/orders-processor*") },
    })
  end)
end)

describe("examples/sagemaker/pipeline_blueprint.lua", function()
  local _, items = lpb.load("examples/sagemaker/pipeline_blueprint.lua")
  local prepare, train, pipeline, ci = items[1], items[2], items[3], items[4]

  it("each step reads its input and writes its output only", function()
    assert.allows(prepare, "s3:GetObject", "arn:aws:s3:::ml-data/churn/raw/a.csv")
    assert.allows(prepare, "s3:PutObject", "arn:aws:s3:::ml-data/churn/features/a.parquet")
    assert.denies(prepare, "s3:PutObject", "arn:aws:s3:::ml-data/churn/models/m")
    assert.allows(train, "s3:GetObject", "arn:aws:s3:::ml-data/churn/features/a.parquet")
    assert.allows(train, "s3:PutObject", "arn:aws:s3:::ml-data/churn/models/m.tar.gz")
    assert.allows(train, "kms:GenerateDataKey", arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"))
    -- "To upload or download an object encrypted with an AWS KMS key to or from
    -- Amazon S3, you need kms:GenerateDataKey and kms:Decrypt permissions on the
    -- key." (Amazon S3 User Guide, SSE-KMS): multipart uploads of large artifacts
    assert.allows(train, "kms:Decrypt", arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"))
    assert.allows(train, "s3:AbortMultipartUpload", "arn:aws:s3:::ml-data/churn/models/m.tar.gz")
    assert.denies(prepare, "s3:AbortMultipartUpload", "arn:aws:s3:::ml-data/churn/features/a.parquet")
    assert.denies(train, "s3:GetObject", "arn:aws:s3:::ml-data/churn/raw/a.csv")
  end)

  it("the pipeline role passes only the step roles to SageMaker", function()
    local to_sm = { ["iam:PassedToService"] = "sagemaker.amazonaws.com" }
    assert.allows(pipeline, "iam:PassRole", "arn:aws:iam::" .. ACCT .. ":role/churn-train", to_sm)
    assert.denies(pipeline, "iam:PassRole", "arn:aws:iam::" .. ACCT .. ":role/admin", to_sm)
    assert.allows(pipeline, "sagemaker:CreateTrainingJob", arn("sagemaker", "training-job/churn-1"))
    assert.denies(pipeline, "sagemaker:CreateEndpoint", arn("sagemaker", "endpoint/churn"))
  end)

  it("CI starts and updates the churn pipelines only", function()
    assert.allows(ci, "sagemaker:StartPipelineExecution", arn("sagemaker", "pipeline/churn"))
    assert.denies(ci, "sagemaker:StartPipelineExecution", arn("sagemaker", "pipeline/fraud"))
    assert.denies(ci, "sagemaker:DeletePipeline", arn("sagemaker", "pipeline/churn"))
  end)

  it("no role grants beyond its job", function()
    assert.grants_only(pipeline, {
      { "iam:PassRole", "arn:aws:iam::" .. ACCT .. ":role/churn-*" },
      { "sagemaker:*", arn("sagemaker", "processing-job/*") },
      { "sagemaker:*", arn("sagemaker", "training-job/*") },
    })
    assert.grants_only(ci, {
      { "iam:PassRole", "arn:aws:iam::" .. ACCT .. ":role/churn-pipeline" },
      { "sagemaker:ListPipelines", "*" },
      { "sagemaker:*Pipeline*", arn("sagemaker", "pipeline/churn*") },
    })
    for _, role in ipairs { prepare, train } do
      assert.grants_only(role, {
        { "s3:ListBucket", "arn:aws:s3:::ml-data" }, { "s3:GetObject", "arn:aws:s3:::ml-data/churn/*" },
        { "s3:PutObject", "arn:aws:s3:::ml-data/churn/*" }, { "ecr:*", "*" }, { "logs:*", "*" },
        { "cloudwatch:PutMetricData", "*" }, { "kms:Encrypt", "*" }, { "kms:GenerateDataKey", "*" },
        { "kms:Decrypt", "*" }, { "s3:AbortMultipartUpload", "arn:aws:s3:::ml-data/churn/models/*" },
      })
    end
  end)
end)
