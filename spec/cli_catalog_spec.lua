-- The catalog commands: leastpriv expand, describe, actions.
local cli = require "support.cli"
local core = require "leastpriv.core"

local function decode(text)
  return assert(core.json_decode(text))
end

local function lines(text)
  local out = {}
  for line in text:gmatch("[^\n]+") do out[#out + 1] = line end
  return out
end

describe("leastpriv expand", function()
  it("prints one action a line with its access levels", function()
    local code, out, err = cli.run { "expand", "s3:Get*Acl" }
    assert.equal(0, code, err)
    assert.same({
      "s3:GetBucketAcl         Read",
      "s3:GetObjectAcl         Read",
      "s3:GetObjectVersionAcl  Read",
    }, lines(out))
  end)

  it("marks the actions that need Resource *", function()
    local _, out = cli.run { "expand", "ecr:GetAuthorizationToken" }
    assert.equal('ecr:GetAuthorizationToken  Read  (Resource "*")\n', out)
  end)

  it("shows combined access levels", function()
    local _, out = cli.run { "expand", "s3:PutObjectTagging" }
    assert.equal("s3:PutObjectTagging  Tagging, Write\n", out)
  end)

  it("merges several patterns, sorted and without duplicates", function()
    local code, out = cli.run { "expand", "s3:GetObject", "iam:PassRole", "S3:getobject" }
    assert.equal(0, code)
    assert.same({ "iam:PassRole", "s3:GetObject" }, (function()
      local names = {}
      for _, l in ipairs(lines(out)) do names[#names + 1] = l:match("^(%S+)") end
      return names
    end)())
  end)

  it("expands wildcards in the service part", function()
    local code, out = cli.run { "expand", "*:Describe*" }
    assert.equal(0, code)
    assert.matches("\nec2:DescribeInstances +List", out)
  end)

  it("prints JSON with --json", function()
    local code, out = cli.run { "expand", "--json", "ecr:GetAuth*", "iam:PassRole" }
    assert.equal(0, code)
    assert.same({
      { name = "ecr:GetAuthorizationToken", access_levels = { "Read" }, wildcard_only = true },
      { name = "iam:PassRole", access_levels = { "Write" }, wildcard_only = false },
    }, decode(out))
  end)

  it("prints [] as JSON when nothing matches, and exits 1", function()
    local code, out, err = cli.run { "expand", "--json", "s3:Nothing*" }
    assert.equal(1, code)
    assert.equal("[]\n", out)
    assert.matches('no action matches "s3:Nothing*"', err, 1, true)
  end)

  it("exits 2 with a suggestion for an unknown action", function()
    local code, out, err = cli.run { "expand", "s3:GetObjekt" }
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal('leastpriv expand: unknown action "s3:GetObjekt" (did you mean s3:GetObject?)\n', err)
  end)

  it("exits 2 with a suggestion for an unknown service", function()
    local code, _, err = cli.run { "expand", "sagemakr:Create*" }
    assert.equal(2, code)
    assert.equal('leastpriv expand: unknown service "sagemakr" (did you mean sagemaker?)\n', err)
  end)

  it("exits 2 without a pattern", function()
    local code, _, err = cli.run { "expand" }
    assert.equal(2, code)
    assert.matches("PATTERN", err, 1, true)
  end)

  it("explains itself with --help", function()
    local code, out = cli.run { "expand", "--help" }
    assert.equal(0, code)
    assert.matches("usage: leastpriv expand PATTERN", out, 1, true)
    assert.matches("--json", out, 1, true)
  end)

  it("gives the exit code to the shell through the launcher", function()
    local code, _, err = cli.exec { "expand", "s4:GetObject" }
    assert.equal(2, code)
    assert.matches("did you mean s3:GetObject?", err, 1, true)
    local ok = cli.exec { "expand", "s3:GetObject" }
    assert.equal(0, ok)
  end)
end)

describe("leastpriv describe", function()
  it("shows access level, resource types with templates and keys with types", function()
    local code, out, err = cli.run { "describe", "s3:getobject" }
    assert.equal(0, code, err)
    assert.matches("^s3:GetObject %(Amazon S3%)\n", out)
    assert.matches("access level: Read\n", out, 1, true)
    assert.matches("resource types: (none required)\n", out, 1, true)
    assert.matches("\n  object +optional  arn:${Partition}:s3:::${BucketName}/${ObjectName}\n", out)
    assert.matches("\n  s3:ExistingObjectTag/<key> +String\n", out)
  end)

  it("marks required resource types", function()
    local _, out = cli.run { "describe", "sagemaker:CreateTrainingJob" }
    assert.matches("\n  training%-job +required  arn:%${Partition}:sagemaker:", out)
    assert.matches("\n  sagemaker:VpcSubnets +ArrayOfString\n", out)
  end)

  it("says when an action needs Resource *", function()
    local _, out = cli.run { "describe", "ecr:GetAuthorizationToken" }
    assert.matches('resource types: none (the action needs "Resource": "*")', out, 1, true)
  end)

  it("lists iam:PassRole's condition keys with their types", function()
    local _, out = cli.run { "describe", "iam:PassRole" }
    assert.matches("\n  iam:PassedToService +String\n", out)
    assert.matches("\n  iam:AssociatedResourceArn +ARN\n", out)
  end)

  it("prints the catalog record with --json", function()
    local code, out = cli.run { "describe", "--json", "s3:ListBucket" }
    assert.equal(0, code)
    local rec = decode(out)
    assert.equal("s3:ListBucket", rec.name)
    assert.same({ "List" }, rec.access_levels)
    assert.equal("String", rec.condition_key_types["s3:prefix"])
    assert.equal("bucket", rec.resource_types[2].name)
  end)

  it("exits 2 with a suggestion for an unknown action", function()
    local code, out, err = cli.run { "describe", "iam:PassRoles" }
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal('leastpriv describe: unknown action "iam:PassRoles" (did you mean iam:PassRole?)\n', err)
  end)

  it("exits 2 unless given exactly one action", function()
    assert.equal(2, (cli.run { "describe" }))
    assert.equal(2, (cli.run { "describe", "s3:GetObject", "s3:PutObject" }))
  end)
end)

describe("leastpriv actions", function()
  it("lists the actions of a service that need Resource *", function()
    local code, out, err = cli.run { "actions", "--service", "ecr", "--wildcard-only" }
    assert.equal(0, code, err)
    assert.matches('\necr:GetAuthorizationToken +Read  %(Resource "%*"%)\n', out)
    assert.not_matches("ecr:BatchGetImage", out, 1, true)
  end)

  it("filters by access level in any spelling", function()
    local code, out = cli.run { "actions", "--service", "s3", "--access", "tagging" }
    assert.equal(0, code)
    for _, l in ipairs(lines(out)) do assert.matches("Tagging", l, 1, true) end
    assert.matches("s3:PutObjectTagging", out, 1, true)
    local _, both = cli.run { "actions", "-s", "iam", "-a", "permissions-management", "-a", "List" }
    assert.matches("iam:AttachRolePolicy", both, 1, true)
    assert.matches("iam:ListRoles", both, 1, true)
    assert.not_matches("iam:GetRole ", both, 1, true)
  end)

  it("prints JSON with --json", function()
    local _, out = cli.run { "actions", "--service", "ecr", "--access", "Read", "--json" }
    local list = decode(out)
    assert.is_true(#list > 3)
    for _, a in ipairs(list) do assert.same({ "Read" }, a.access_levels) end
  end)

  it("exits 2 for an unknown service, with a suggestion", function()
    local code, _, err = cli.run { "actions", "--service", "s4" }
    assert.equal(2, code)
    assert.equal('leastpriv actions: unknown service "s4" (did you mean s3?)\n', err)
  end)

  it("exits 2 for an unknown access level", function()
    local code, _, err = cli.run { "actions", "--service", "s3", "--access", "admin" }
    assert.equal(2, code)
    assert.matches('unknown access level "admin"', err, 1, true)
  end)

  it("exits 2 without --service or with a stray argument", function()
    assert.equal(2, (cli.run { "actions" }))
    assert.equal(2, (cli.run { "actions", "s3" }))
  end)
end)
