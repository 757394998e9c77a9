-- The SageMaker blueprints, checked for least privilege against the catalog:
-- every action on "*" exists only on "*" (or has no required resource
-- type); every other action applies to at least one resource it is given;
-- PassRole names exact roles for SageMaker only; the trust pins the account
-- and the job type.  (Behaviour specs in the assert.allows style live with
-- the evaluation engine.)
local lp = require "leastpriv"
local sm = require "leastpriv.blueprints.sagemaker"

local ACCOUNT, REGION = "123456789012", "us-east-1"
local function opts(t)
  local o = { account = ACCOUNT, region = REGION }
  for k, v in pairs(t) do o[k] = v end
  return o
end

local function needs_no_resource(rec)
  if rec.wildcard_only then return true end
  for _, rt in ipairs(rec.resource_types) do
    if rt.required then return false end
  end
  return true
end

local function applies(rec, arn)
  local service = arn:match("^arn:[^:]*:([^:]*):")
  local types = {}
  for _, t in ipairs(lp.arn.resource_types(arn, service) or {}) do types[t.name] = true end
  for _, rt in ipairs(rec.resource_types) do
    if types[rt.name] then return true end
  end
  return false
end

local function check_least_privilege(role)
  for _, p in ipairs(role.policies) do
    for i, s in ipairs(p.document.Statement) do
      local where = ("%s %s statement %d (%s)"):format(role.name, p.name, i, s.Sid or "")
      assert.is_nil(s.NotAction, where)
      assert.is_nil(s.NotResource, where)
      for _, a in ipairs(s.Action) do
        assert.is_nil(a:find("*", 1, true), where .. ": wildcard action " .. a)
        local rec = assert(lp.actions.get(a))
        if s.Resource[1] == "*" then
          assert.is_true(needs_no_resource(rec), where .. ": " .. a .. " on * could be scoped")
        else
          local ok = false
          for _, arn in ipairs(s.Resource) do ok = ok or applies(rec, arn) end
          assert.is_true(ok, where .. ": " .. a .. " applies to none of its resources")
        end
        if a == "iam:PassRole" then
          assert.same({ "sagemaker.amazonaws.com" }, s.Condition.StringEquals["iam:PassedToService"])
          for _, arn in ipairs(s.Resource) do assert.matches(":role/[%w%-]+$", arn) end
        end
      end
    end
  end
end

local function check_trust(role, source)
  local s = role.trust.Statement[1]
  assert.same({ "sagemaker.amazonaws.com" }, s.Principal.Service)
  assert.same({ ACCOUNT }, s.Condition.StringEquals["aws:SourceAccount"])
  assert.same(source, s.Condition.ArnLike["aws:SourceArn"])
end

local function full(job)
  return opts { job = job, name = job .. "-exec", inputs = { "s3://ml-data/in/", "s3://other/x/" },
                outputs = { "s3://ml-data/out/" }, images = { "trainer" },
                kms = { input = "k-in", output = "k-out", volume = "k-vol" },
                vpc = { vpc = "vpc-1", subnets = { "subnet-1" }, security_groups = { "sg-1" } } }
end

describe("sagemaker blueprints", function()
  for _, job in ipairs { "training", "processing", "transform" } do
    it(job .. ": execution and caller roles are least-privilege", function()
      local exec, caller = sm.pair(full(job), { name = job .. "-caller",
        trust = lp.trust.aws("arn:aws:iam::123456789012:role/ml-engineers") })
      check_least_privilege(exec)
      check_least_privilege(caller)
      check_trust(exec, { ("arn:aws:sagemaker:%s:%s:%s/*"):format(REGION, ACCOUNT, sm.JOBS[job].resource) })
      local pass = caller.policies[1].document.Statement[#caller.policies[1].document.Statement]
      assert.same({ "arn:aws:iam::123456789012:role/" .. job .. "-exec" }, pass.Resource)
    end)
  end

  it("endpoint: the model role trusts the account's SageMaker ARNs", function()
    local exec, caller = sm.pair(opts { job = "endpoint", name = "serve", inputs = { "s3://models/churn/" },
      images = { "server" } }, { name = "deployer", trust = lp.trust.aws("123456789012") })
    check_least_privilege(exec)
    check_least_privilege(caller)
    check_trust(exec, { "arn:aws:sagemaker:us-east-1:123456789012:*" })
  end)

  it("pipeline: starts its steps' jobs and passes only the step roles", function()
    local exec, caller = sm.pair(opts { job = "pipeline", name = "pipe", pipeline_name = "churn",
      step_roles = { "arn:aws:iam::123456789012:role/churn-training" }, inputs = { "s3://b/in/" } },
      { name = "pipe-caller", trust = lp.trust.aws("123456789012") })
    check_least_privilege(exec)
    check_least_privilege(caller)
    check_trust(exec, { "arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn",
                        "arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn/*" })
  end)

  it("studio: its own apps and profile, and the jobs it may start", function()
    local training = sm.execution_role(full("training"))
    local exec = sm.execution_role(opts { job = "studio", name = "studio", domain = "d-1", user_profile = "alice",
      jobs = { "training" }, pass_roles = { training }, inputs = { "s3://b/in/" } })
    check_least_privilege(exec)
    check_trust(exec, { "arn:aws:sagemaker:us-east-1:123456789012:*" })
    local caller = sm.caller_role(opts { job = "studio", name = "alice", domain = "d-1", user_profile = "alice",
      trust = lp.trust.aws("123456789012") })
    check_least_privilege(caller)
  end)

  it("adds instance-type, VPC, isolation and tag conditions to job creation", function()
    local exec = sm.execution_role(full("training"))
    local caller = sm.caller_role(opts { job = "training", name = "c", execution_role = exec,
      trust = lp.trust.aws("123456789012"), instance_types = { "ml.m5.xlarge" }, network_isolation = true,
      vpc = { subnets = { "subnet-1" }, security_groups = { "sg-1" } }, request_tags = { team = "ml" } })
    local create = caller.policies[1].document.Statement[1]
    assert.same({ "sagemaker:CreateTrainingJob" }, create.Action)
    local c = create.Condition
    assert.same({ "ml.m5.xlarge" }, c["ForAllValues:StringEquals"]["sagemaker:InstanceTypes"])
    assert.same({ "subnet-1" }, c["ForAllValues:StringEquals"]["sagemaker:VpcSubnets"])
    assert.same({ "false" }, c.Null["sagemaker:VpcSubnets"])
    assert.same({ "true" }, c.Bool["sagemaker:NetworkIsolation"])
    assert.same({ "ml" }, c.StringEquals["aws:RequestTag/team"])
    check_least_privilege(caller)
  end)

  it("limits job names to a prefix when asked", function()
    local caller = sm.caller_role(opts { job = "training", name = "c", name_prefix = "churn-",
      execution_role = "arn:aws:iam::123456789012:role/x", trust = lp.trust.aws("123456789012") })
    assert.same({ "arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-*" },
      caller.policies[1].document.Statement[1].Resource)
  end)

  it("renders as fmt-clean Terraform and JSON", function()
    local exec = sm.execution_role(full("training"))
    assert.matches('"CreateNetworkInterfaces"', lp.json(exec.policies[1].document), 1, true)
    assert.matches('resource "aws_iam_role"', lp.hcl(exec), 1, true)
  end)

  local function fails(fn, pattern)
    local ok, err = pcall(fn)
    assert.is_false(ok)
    assert.matches("blueprints_sagemaker_spec.lua:%d+: sagemaker%.", err)
    assert.matches(pattern, err)
  end

  it("rejects misuse at the caller's line", function()
    fails(function() local r = sm.execution_role(opts { job = "trainig", name = "x" }); return r end,
      "did you mean 'training'")
    fails(function() local r = sm.execution_role(opts { job = "training", name = "x", input = {} }); return r end,
      "unknown option 'input' %(did you mean 'inputs'%?%)")
    fails(function() local r = sm.execution_role { job = "training", name = "x" }; return r end, "account is required")
    fails(function() local r = sm.execution_role(opts { job = "training", name = "x", inputs = { "ml-data" } }); return r end,
      "s3://bucket/prefix/")
    fails(function() local r = sm.execution_role(opts { job = "pipeline", name = "x" }); return r end, "step_roles")
    fails(function() local r = sm.execution_role(opts { job = "studio", name = "x" }); return r end, "domain")
    fails(function() local r = sm.caller_role(opts { job = "training", name = "x", execution_role = "r" }); return r end,
      "trust is required")
    fails(function()
      local r = sm.caller_role(opts { job = "training", name = "x", execution_role = "r", trust = lp.trust.aws("123456789012") })
      return r
    end, "execution_role must be")
  end)
end)
