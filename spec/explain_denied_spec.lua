-- leastpriv explain-denied: AWS's AccessDenied message formats (IAM User
-- Guide, "Troubleshoot access denied error messages": "User: ARN is not
-- authorized to perform: ACTION on resource: ARN because no identity-based
-- policy allows the ACTION action", "... with an explicit deny in a
-- service control policy", ...) and decode-authorization-message's JSON;
-- each outcome with role files.
local cli = require "support.cli"
local core = require "leastpriv.core"
local denied = require "leastpriv.denied"

local EXEC = "examples/sagemaker/execution_role.lua"
local WHO = "arn:aws:sts::123456789012:assumed-role/sagemaker-training-execution/SageMaker"

local function msg(action, resource, tail)
  return ("User: %s is not authorized to perform: %s on resource: %s %s"):format(WHO, action, resource, tail)
end

describe("denied.parse", function()
  it("reads each policy type of the 'because no ... allows' form", function()
    for words, ptype in pairs(denied.TYPES) do
      local d = assert(denied.parse(msg("s3:GetObject", "arn:aws:s3:::b/k",
        ("because no %s allows the s3:GetObject action"):format(words))))
      assert.equal(ptype, d.policy_type, words)
      assert.is_false(d.explicit)
      assert.equal("s3:GetObject", d.action)
      assert.equal("arn:aws:s3:::b/k", d.resource)
      assert.equal(WHO, d.principal)
    end
  end)

  it("reads each policy type of the 'explicit deny' form, with the policy's ARN when given", function()
    for words, ptype in pairs(denied.TYPES) do
      local article = words:match("^[aeiouAEIOU]") and "an" or "a"
      local d = assert(denied.parse(msg("s3:GetObject", "arn:aws:s3:::b/k",
        ("with an explicit deny in %s %s"):format(article, words))))
      assert.equal(ptype, d.policy_type, words)
      assert.is_true(d.explicit)
    end
    local d = denied.parse(msg("s3:GetObject", "arn:aws:s3:::b/k", "with an explicit deny in a service control "
      .. "policy: arn:aws:organizations::111111111111:policy/o-abc/service_control_policy/p-123"))
    assert.equal("scp", d.policy_type)
    assert.equal("arn:aws:organizations::111111111111:policy/o-abc/service_control_policy/p-123", d.policy_arn)
  end)

  it("reads a message inside an SDK error, a quoted resource, and the older form without a reason", function()
    local d = assert(denied.parse("An error occurred (AccessDenied) when calling the GetObject operation: "
      .. msg("s3:GetObject", '"arn:aws:s3:::b/k"', "")))
    assert.equal("arn:aws:s3:::b/k", d.resource)
    assert.is_nil(d.policy_type)
    local e = assert(denied.parse("User: " .. WHO .. " is not authorized to perform: sts:GetSessionToken"))
    assert.is_nil(e.resource)
  end)

  it("reads decode-authorization-message JSON, its context keys included", function()
    local inner = '{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[]},'
      .. '"failures":{"items":[]},"context":{"principal":{"id":"AROA:s",'
      .. '"arn":"arn:aws:sts::123456789012:assumed-role/r/s"},"action":"ec2:RunInstances",'
      .. '"resource":"arn:aws:ec2:us-east-1:123456789012:instance/*","conditions":{"items":['
      .. '{"key":"ec2:InstanceType","values":{"items":[{"value":"p4d.24xlarge"}]}},'
      .. '{"key":"Region","values":{"items":[{"value":"us-east-1"}]}}]}}}'
    local json = core.json_encode({ DecodedMessage = inner })
    local d = assert(denied.parse(json))
    assert.equal("ec2:RunInstances", d.action)
    assert.is_true(d.explicit)
    assert.equal("p4d.24xlarge", d.context["ec2:InstanceType"])
    assert.equal("us-east-1", d.context["aws:Region"])
  end)

  it("refuses what is not such a message, and asks for an encoded one to be decoded first", function()
    assert.is_nil(denied.parse("access denied"))
    local _, err = denied.parse("You are not authorized to perform this operation. Encoded authorization failure message: abc")
    assert.matches("decode%-authorization%-message", err)
    _, err = denied.parse("{\"a\": 1}")
    assert.matches("decoded authorization message", err)
  end)
end)

describe("leastpriv explain-denied", function()
  it("proposes the narrowest statement when nothing allows it, verified, exit 1", function()
    local code, out = cli.run({ "explain-denied", msg("s3:GetObject", "arn:aws:s3:::my-ml-training-data/other/x.csv",
      "because no identity-based policy allows the s3:GetObject action"), EXEC })
    assert.equal(1, code)
    assert.matches("no statement of an identity%-based policy", out)
    assert.matches('lp.allow { action = "s3:GetObject", resource = "arn:aws:s3:::my%-ml%-training%-data/other/x.csv" }', out)
    assert.matches("with it, the request is allowed", out)
    local _, json = cli.run({ "explain-denied", msg("s3:GetObject", "arn:aws:s3:::my-ml-training-data/other/x.csv",
      "because no identity-based policy allows the s3:GetObject action"), EXEC, "--json" })
    local r = core.json_decode(json)
    assert.is_true(r.proposal.verified)
    assert.equal("implicit_deny", r.decision)
    assert.equal("sagemaker-training-execution", r.role)
  end)

  it("says the refusal is outside the files when they allow it (an SCP), exit 0", function()
    local code, out = cli.run({ "explain-denied", msg("s3:GetObject",
      "arn:aws:s3:::my-ml-training-data/experiments/input/a", "with an explicit deny in a service control policy"), EXEC })
    assert.equal(0, code)
    assert.matches("No change to the role can fix this", out)
    assert.matches("allows it: the refusal comes from outside these files: a service control policy", out)
  end)

  it("names the Deny statement of the files that refuses it", function()
    local dir = cli.tmpdir()
    local path = dir .. "/deny.json"
    local f = assert(io.open(path, "w"))
    f:write('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},'
      .. ' {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}')
    f:close()
    local code, out = cli.run({ "explain-denied", msg("s3:DeleteObject", "arn:aws:s3:::b/k",
      "with an explicit deny in an identity-based policy"), path })
    cli.rm(dir)
    assert.equal(1, code)
    assert.matches("statement 2 NoDelete of identity .- denies it: narrow or remove that Deny", out)
  end)

  it("names the condition that fails", function()
    local dir = cli.tmpdir()
    local path = dir .. "/cond.json"
    local f = assert(io.open(path, "w"))
    f:write('{"Version": "2012-10-17", "Statement": [{"Sid": "Tls", "Effect": "Allow", "Action": "s3:GetObject",'
      .. ' "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}')
    f:close()
    local code, out = cli.run({ "explain-denied", msg("s3:GetObject", "arn:aws:s3:::b/k",
      "because no identity-based policy allows the s3:GetObject action"), path, "-c", "aws:SecureTransport=false" })
    cli.rm(dir)
    assert.equal(1, code)
    assert.matches("statement 1 Tls of identity .- would allow it, but its condition fails: Bool aws:SecureTransport", out)
  end)

  it("reads the message from standard input, and refuses bad ones with exit 2", function()
    local code, _, err = cli.run({ "explain-denied", "access denied" })
    assert.equal(2, code)
    assert.matches("not an AccessDenied message", err)
    code, _, err = cli.run({ "explain-denied" })
    assert.equal(2, code)
    assert.matches("give the AccessDenied message", err)
    local p = io.popen(("printf '%%s' %q | %sbin/leastpriv explain-denied - 2>&1; echo \"exit:$?\""):format(
      msg("s3:GetObject", "arn:aws:s3:::b/k", "because no session policy allows the s3:GetObject action"), cli.LUA))
    local out = p:read("*a")
    p:close()
    assert.matches("no statement of a session policy", out)
    assert.matches("exit:0", out)
  end)
end)
