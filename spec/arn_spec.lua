local core = require "leastpriv.core"

describe("arn_parse", function()
  it("splits on the first five colons", function()
    local a = assert(core.arn_parse("arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s"))
    assert.same({ partition = "aws", service = "logs", region = "us-east-1",
                  account = "123456789012", resource = "log-group:g:log-stream:s" }, a)
  end)

  it("accepts empty region and account (S3, IAM)", function()
    assert.same("b/k/x", core.arn_parse("arn:aws:s3:::b/k/x").resource)
    assert.same("", core.arn_parse("arn:aws:iam::123456789012:role/x").region)
  end)

  it("accepts other partitions and AWS-managed policy ARNs", function()
    assert.truthy(core.arn_parse("arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/a/b"))
    assert.truthy(core.arn_parse("arn:aws-cn:s3:::b"))
    assert.truthy(core.arn_parse("arn:aws:iam::aws:policy/ReadOnlyAccess"))
  end)

  it("accepts wildcards outside the service", function()
    assert.truthy(core.arn_parse("arn:aws:logs:*:*:log-group:/aws/sagemaker/*"))
    assert.truthy(core.arn_parse("arn:aws:ecr:us-*-1:12345678901?:repository/*"))
  end)

  local bad = {
    { "foo", 'must start with "arn:"' },
    { "arn:aws", "missing the service, region, account and resource parts" },
    { "arn:aws:s3:::", "resource part is empty" },
    { "arn::s3:::b", "partition part is empty" },
    { "arn:amazon:s3:::b", 'partition "amazon" is not a partition' },
    { "arn:aws:S3:::b", 'service "S3" must be lowercase' },
    { "arn:aws:s*:::b", 'service "s*" must be spelled out' },
    { "arn:aws:ecr:US-EAST-1:123456789012:repository/x", 'region "US-EAST-1" is not a region code' },
    { "arn:aws:ecr:us-east-1a:123456789012:repository/x", 'region "us-east-1a"' },
    { "arn:aws:ecr:us-east-1:1234:repository/x", 'account "1234" is not a 12-digit account ID' },
    { "arn:aws:s3:::b\nc", "control character" },
  }
  for _, case in ipairs(bad) do
    it("rejects " .. case[1]:gsub("\n", "\\n") .. " naming the bad part", function()
      local a, err = core.arn_parse(case[1])
      assert.is_nil(a)
      assert.matches(case[2], err, 1, true)
    end)
  end

  it("treats template placeholders as opaque", function()
    assert.truthy(core.arn_parse("arn:aws:ecr:\248var.region\249:\248var.account\249:repository/x"))
  end)
end)

describe("arn_check", function()
  it("returns true or false and a message", function()
    assert.is_true(core.arn_check("arn:aws:s3:::b"))
    local ok, err = core.arn_check("arn:aws:s3")
    assert.is_false(ok)
    assert.matches("missing", err)
  end)
end)

describe("arn_format", function()
  it("joins the parts, defaulting partition, region and account", function()
    assert.equal("arn:aws:s3:::b", core.arn_format { service = "s3", resource = "b" })
    assert.equal("arn:aws-cn:ecr:cn-north-1:123456789012:repository/r", core.arn_format {
      partition = "aws-cn", service = "ecr", region = "cn-north-1",
      account = "123456789012", resource = "repository/r" })
  end)

  it("raises naming the bad part", function()
    assert.has_error(function() core.arn_format { service = "s3", region = "x:y", resource = "b" } end,
      'invalid ARN "arn:aws:s3:x:y::b": region "x" is not a region code like us-east-1')
    assert.has_error(function() core.arn_format { service = 3, resource = "b" } end)
  end)
end)

describe("arn_match (Resource semantics)", function()
  it("matches * against everything", function()
    assert.is_true(core.arn_match("*", "arn:aws:s3:::b"))
  end)

  it("lets * in the resource part cross ':' and '/'", function()
    assert.is_true(core.arn_match("arn:aws:logs:*:*:log-group:/aws/sagemaker/*",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs:log-stream:a/b"))
  end)

  it("matches region and account segment by segment", function()
    assert.is_false(core.arn_match("arn:aws:logs:us-east-1:*:log-group:x",
      "arn:aws:logs:us-west-2:123456789012:log-group:x"))
    assert.is_true(core.arn_match("arn:aws:logs:us-*:*:log-group:x",
      "arn:aws:logs:us-west-2:123456789012:log-group:x"))
  end)

  it("is case-sensitive in the resource part only", function()
    assert.is_false(core.arn_match("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x"))
    assert.is_true(core.arn_match("ARN:AWS:S3:::bucket/*", "arn:aws:s3:::bucket/x"))
  end)

  it("lets a short pattern's trailing * reach across colons", function()
    assert.is_true(core.arn_match("arn:aws:s3:*", "arn:aws:s3:::b/k"))
    assert.is_false(core.arn_match("arn:aws:s3", "arn:aws:s3:::b/k"))
    assert.is_false(core.arn_match("arn:aws:ec2:*", "arn:aws:s3:::b/k"))
  end)

  it("does not let a bucket pattern match its objects", function()
    assert.is_false(core.arn_match("arn:aws:s3:::b", "arn:aws:s3:::b/k"))
    assert.is_true(core.arn_match("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"))
  end)
end)

describe("arn_like (ArnLike semantics)", function()
  local pattern = "arn:aws:someservice:*:111122223333:finance/*"
  local value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"

  it("matches the six parts separately (the AWS documentation example)", function()
    assert.is_false(core.arn_like(pattern, value))
    assert.is_true(core.glob_match(pattern, value))   -- StringLike would match
  end)

  it("matches wildcards within a part", function()
    assert.is_true(core.arn_like("arn:aws:sagemaker:*:123456789012:training-job/*",
      "arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1"))
    assert.is_false(core.arn_like("arn:aws:sagemaker:*:123456789012:training-job/*",
      "arn:aws:sagemaker:us-east-1:123456789013:training-job/job-1"))
  end)

  it("needs six parts on both sides", function()
    assert.is_false(core.arn_like("arn:aws:s3:*", "arn:aws:s3:::b"))
    assert.is_true(core.arn_like("*", "arn:aws:s3:::b"))
  end)
end)
