-- leastpriv simulate and leastpriv can.
local cli = require "support.cli"

local EXEC = "examples/sagemaker/execution_role.lua"
local CALLER = "examples/sagemaker/caller_role.lua"
local BUCKET = "arn:aws:s3:::my-ml-training-data"

describe("leastpriv simulate", function()
  it("prints allow and exits 0 for an allowed request", function()
    local code, out, err = cli.run { "simulate", EXEC, "--action", "s3:GetObject",
      "--resource", BUCKET .. "/experiments/input/x" }
    assert.equal(0, code)
    assert.equal("allow\n", out)
    assert.equal("", err)
  end)

  it("prints the decision and exits 1 for a denied request", function()
    local code, out = cli.run { "simulate", EXEC, "--action", "s3:PutObject",
      "--resource", BUCKET .. "/experiments/input/x" }
    assert.equal(1, code)
    assert.equal("implicit_deny\n", out)
  end)

  it("--explain names each statement and why", function()
    local code, out = cli.run { "simulate", EXEC, "-a", "s3:ListBucket", "-r", BUCKET,
      "--context", "s3:prefix=other/", "--explain" }
    assert.equal(1, code)
    assert.matches("implicit_deny: s3:ListBucket on " .. BUCKET, out, 1, true)
    assert.matches("reason: no identity policy allows it", out, 1, true)
    assert.matches('ListInput (Allow): condition fails: StringLike s3:prefix: request has "other/"', out, 1, true)
  end)

  it("--context takes several values for one key as a multivalued key", function()
    local code = cli.run { "simulate", "spec/fixtures/simulate/tags.json", "-a", "ec2:CreateTags",
      "-r", "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
      "-c", "aws:TagKeys=team", "-c", "aws:TagKeys=env" }
    assert.equal(0, code)
    code = cli.run { "simulate", "spec/fixtures/simulate/tags.json", "-a", "ec2:CreateTags",
      "-r", "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
      "-c", "aws:TagKeys=team", "-c", "aws:TagKeys=owner" }
    assert.equal(1, code)
  end)

  it("--principal decides trust requests against the trust policy", function()
    local job = "arn:aws:sagemaker:us-east-1:123456789012:training-job/j"
    local code = cli.run { "simulate", EXEC, "-a", "sts:AssumeRole", "-p", "sagemaker.amazonaws.com",
      "-c", "aws:SourceAccount=123456789012", "-c", "aws:SourceArn=" .. job }
    assert.equal(0, code)
    code = cli.run { "simulate", EXEC, "-a", "sts:AssumeRole", "-p", "ec2.amazonaws.com" }
    assert.equal(1, code)
  end)

  it("says when a request can never be valid", function()
    local code, out = cli.run { "simulate", EXEC, "-a", "ecr:GetAuthorizationToken",
      "-r", "arn:aws:ecr:us-east-1:123456789012:repository/ml-training" }
    assert.equal(1, code)
    assert.matches('invalid request: ecr:GetAuthorizationToken has no resource type: it applies only to "*"',
      out, 1, true)
  end)

  it("exits 2 naming an action, ARN or context key the catalog does not have, with the closest name", function()
    local code, out, err = cli.run { "simulate", EXEC, "--action", "s3:GetObjekt", "-r", "arn:aws:s3:::b/k" }
    local _
    assert.equal(2, code)
    assert.equal("", out)
    assert.matches("s3:GetObjekt is not an action in the catalog (did you mean s3:GetObject?)", err, 1, true)
    assert.is_nil(err:find("no statement covers", 1, true))
    code, _, err = cli.run { "simulate", EXEC, "-a", "s3:GetObject", "-r", "arn:aws:s3" }
    assert.equal(2, code)
    assert.matches('malformed ARN: invalid ARN "arn:aws:s3"', err, 1, true)
    code, _, err = cli.run { "simulate", EXEC, "-a", "s3:GetObject", "-r", "arn:aws:s4:::b/k" }
    assert.equal(2, code)
    assert.matches("not an ARN of any resource type in the catalog: no service s4 (did you mean s3?)", err, 1, true)
    code, _, err = cli.run { "simulate", EXEC, "-a", "kms:Decrypt", "-c", "kms:ViaServce=s3.us-east-1.amazonaws.com" }
    assert.equal(2, code)
    assert.matches("(did you mean kms:ViaService?)", err, 1, true)
    code = cli.exec { "simulate", EXEC, "--action", "s3:GetObjekt" }
    assert.equal(2, code)
  end)

  it("reads IAM JSON policies", function()
    local code = cli.run { "simulate", "spec/fixtures/simulate/tags.json", "-a", "ec2:CreateTags",
      "-r", "arn:aws:ec2:us-east-1:123456789012:instance/i-1" }
    assert.equal(1, code)   -- Null aws:TagKeys false: tags are required
  end)

  it("takes --set for script inputs", function()
    local code = cli.run { "simulate", "examples/sagemaker/seed_module.lua", "--set", "bucket_name=b",
      "-a", "s3:GetObject", "-r", "arn:aws:s3:::b/x" }
    assert.equal(0, code)
  end)

  it("usage errors exit 2 with a message", function()
    local code, _, err = cli.run { "simulate", EXEC, "--resource", "*" }
    assert.equal(2, code)
    assert.matches("--action is required", err, 1, true)
    code, _, err = cli.run { "simulate", EXEC, "-a", "s3:GetObject", "-c", "novalue" }
    assert.equal(2, code)
    assert.matches('--context "novalue" must look like KEY=VALUE', err, 1, true)
    code, _, err = cli.run { "simulate", "missing.lua", "-a", "s3:GetObject" }
    assert.equal(2, code)
    assert.matches("missing.lua", err, 1, true)
    code, _, err = cli.run { "simulate", "examples/sagemaker/seed_module.lua", "-a", "s3:GetObject" }
    assert.equal(2, code)
    assert.matches("bucket_name has no value", err, 1, true)
  end)

  it("runs as a command with the exit status", function()
    local code, out = cli.exec { "simulate", EXEC, "-a", "s3:GetObject", "-r", BUCKET .. "/experiments/input/x" }
    assert.equal(0, code)
    assert.equal("allow\n", out)
  end)
end)

describe("leastpriv can", function()
  it("lists every grant with its resource pattern", function()
    local code, out = cli.run { "can", CALLER }
    assert.equal(0, code)
    assert.matches("iam:PassRole%s+arn:aws:iam::123456789012:role/sagemaker%-training%-execution"
      .. "  %(if its conditions hold%)", out)
    assert.matches("sagemaker:ListTrainingJobs%s+%*\n", out)
    local n = select(2, out:gsub("\n", ""))
    assert.equal(7, n)
  end)

  it("--resource lists the actions allowed on one ARN", function()
    local code, out, err = cli.run { "can", EXEC, "--resource", BUCKET .. "/experiments/output/m" }
    assert.equal(0, code)
    assert.equal("s3:PutObject\n", out)
    assert.equal("1 action allowed on " .. BUCKET .. "/experiments/output/m\n", err)
  end)

  it("--resource * with a context", function()
    local _, out = cli.run { "can", EXEC, "-r", "*", "-c", "cloudwatch:namespace=/aws/sagemaker/TrainingJobs" }
    -- sts:GetCallerIdentity needs no permission (it is always allowed)
    assert.equal("cloudwatch:PutMetricData\necr:GetAuthorizationToken\nsts:GetCallerIdentity\n", out)
  end)

  it("--json prints JSON", function()
    local _, out = cli.run { "can", EXEC, "--json", "-r", "*" }
    assert.equal('["ecr:GetAuthorizationToken","sts:GetCallerIdentity"]', (out:gsub("%s", "")))
    _, out = cli.run { "can", CALLER, "--json" }
    assert.matches('"action":"iam:PassRole"', out:gsub("%s", ""), 1, true)
  end)

  it("fails with exit 2 on an ARN of no known type", function()
    local code, _, err = cli.run { "can", EXEC, "-r", "arn:aws:nothing:::x" }
    assert.equal(2, code)
    assert.matches("not an ARN of any resource type", err, 1, true)
  end)
end)
