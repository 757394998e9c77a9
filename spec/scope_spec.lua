local lp = require "leastpriv"

describe("lp.scope", function()
  local aws = lp.scope { account = "123456789012", region = "us-east-1" }

  it("builds S3 bucket and object ARNs", function()
    assert.equal("arn:aws:s3:::data", aws.s3.bucket("data"))
    assert.equal("arn:aws:s3:::data/input/*", aws.s3.objects("data", "input/"))
    assert.equal("arn:aws:s3:::data/input/*", aws.s3.objects("data", "input"))
    assert.equal("arn:aws:s3:::data/*", aws.s3.objects("data"))
  end)

  it("builds a ListBucket statement limited by s3:prefix", function()
    local s = aws.s3.list_bucket("data", { "in/", "out" }, { sid = "List" })
    assert.equal("List", s.Sid)
    assert.same({ "s3:ListBucket" }, s.Action)
    assert.same({ "arn:aws:s3:::data" }, s.Resource)
    assert.same({ "in/*", "out/*" }, s.Condition.StringLike["s3:prefix"])
    assert.is_nil(aws.s3.list_bucket("data").Condition)
  end)

  it("builds ECR repository ARNs and the pull statements", function()
    assert.equal("arn:aws:ecr:us-east-1:123456789012:repository/team/trainer", aws.ecr.repository("team/trainer"))
    local pull = aws.ecr.pull("trainer")
    assert.same({ "arn:aws:ecr:us-east-1:123456789012:repository/trainer" }, pull[1].Resource)
    assert.same({ "ecr:GetAuthorizationToken" }, pull[2].Action)
    assert.same({ "*" }, pull[2].Resource)
  end)

  it("builds log group and log stream ARNs", function()
    assert.equal("arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs",
      aws.logs.group("/aws/sagemaker/TrainingJobs"))
    assert.equal("arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs:log-stream:*",
      aws.logs.streams("/aws/sagemaker/TrainingJobs"))
  end)

  it("builds IAM role ARNs with a path", function()
    assert.equal("arn:aws:iam::123456789012:role/x", aws.iam.role("x"))
    assert.equal("arn:aws:iam::123456789012:role/service-role/x", aws.iam.role("x", { path = "/service-role/" }))
  end)

  it("builds any resource type of any service from the catalog", function()
    assert.equal("arn:aws:sagemaker:us-east-1:123456789012:training-job/*", aws.sagemaker.training_job("*"))
    assert.equal("arn:aws:dynamodb:us-east-1:123456789012:table/orders", aws.dynamodb.table("orders"))
    assert.equal("arn:aws:dynamodb:us-east-1:123456789012:table/orders",
      aws.arn("dynamodb", "table", { TableName = "orders" }))
  end)

  it("uses the scope's partition", function()
    local gov = lp.scope { account = "123456789012", region = "us-gov-west-1", partition = "aws-us-gov" }
    assert.equal("arn:aws-us-gov:s3:::b", gov.s3.bucket("b"))
  end)

  it("works without a scope where the ARN needs no account or region", function()
    assert.equal("arn:aws:s3:::b", lp.s3.bucket("b"))
  end)

  local function fails(fn, pattern)
    local ok, err = pcall(fn)
    assert.is_false(ok)
    assert.matches("scope_spec.lua:%d+: ", err)
    assert.matches(pattern, err)
  end

  it("asks for an account or region the template needs", function()
    fails(function() local r = lp.ecr.repository("x"); return r end, "name a region")
    fails(function() local r = lp.scope { region = "us-east-1" }.ecr.repository("x"); return r end, "name an account")
  end)

  it("rejects unknown resource types with a suggestion in the spelling a script types", function()
    fails(function() local r = aws.sagemaker.trainingjob("x"); return r end,
      "sagemaker has no resource type or helper of that name %(did you mean 'training_job'%?%)")
    -- the service's helpers are candidates too
    fails(function() local r = aws.s3.object_s("b"); return r end, "did you mean 'objects'%?")
  end)

  it("suggests the catalog's spelling where the script gave the catalog's name (aws.arn)", function()
    fails(function() local r = aws.arn("sagemaker", "trainingjob", "x"); return r end,
      "sagemaker has no resource type \"trainingjob\" %(did you mean 'training%-job'%?%)")
  end)

  it("rejects a wrong number of values", function()
    fails(function() local r = aws.s3.object("b"); return r end, "takes 2 value")
  end)

  it("rejects unknown scope fields", function()
    assert.has_error(function() lp.scope { acount = "1" } end)
  end)
end)
