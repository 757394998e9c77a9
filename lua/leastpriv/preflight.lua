-- Pre-flight: every request a SageMaker job will make, decided with the
-- roles given, before the job runs.
--
--   local list = preflight.requests(spec)      -- spec from leastpriv.jobs.read
--   local results = preflight.run(spec, exec_role, caller_role)
--
-- The requests, in the order the job makes them:
--   1. the caller's CreateXJob on the job's ARN, with the context SageMaker
--      sends (instance types, VPC subnets and security groups, network
--      isolation, request tags), and its iam:PassRole of the execution role
--      with iam:PassedToService = sagemaker.amazonaws.com;
--   2. SageMaker's sts:AssumeRole on the execution role, with aws:SourceAccount
--      and aws:SourceArn of this job (the trust-policy mistake that fails a
--      job "silently");
--   3. the execution role's data plane: listing and reading each input,
--      writing each output, pulling the image, its KMS keys, its network
--      interfaces, its logs and metrics.
local blueprint = require "leastpriv.blueprints.sagemaker"
local simulate = require "leastpriv.simulate"

local M = {}

local function s3_parts(uri)
  local bucket, key = uri:match("^s3://([^/]+)/?(.*)$")
  return bucket, key or ""
end

-- Is the location one object (a file name as its last segment)?
local function is_object(key)
  return key ~= "" and key:sub(-1) ~= "/" and (key:match("([^/]*)$") or ""):find(".", 1, true) ~= nil
end

local function folder(key)
  if key == "" or key:sub(-1) == "/" then return key end
  return key .. "/"
end

-- requests(spec) -> { { who = "caller" | "sagemaker" | "exec", what =, request = }... }
function M.requests(spec)
  local e, c = spec.exec, spec.caller
  local p = e.partition or "aws"
  local job = blueprint.JOBS[spec.job]
  local name = spec.name or "preflight"
  local job_arn = ("arn:%s:sagemaker:%s:%s:%s/%s"):format(p, e.region, e.account, job.resource, name:lower())
  local role_arn = ("arn:%s:iam::%s:role%s%s"):format(p, e.account, e.path or "/", e.name)
  local out = {}
  local function add(who, what, request) out[#out + 1] = { who = who, what = what, request = request } end

  local ctx = {}
  if c.instance_types then ctx["sagemaker:InstanceTypes"] = c.instance_types end
  if c.vpc then
    ctx["sagemaker:VpcSubnets"] = c.vpc.subnets
    ctx["sagemaker:VpcSecurityGroupIds"] = c.vpc.security_groups
  end
  if spec.job ~= "transform" then ctx["sagemaker:NetworkIsolation"] = c.network_isolation and "true" or "false" end
  for k, v in pairs(c.request_tags or {}) do ctx["aws:RequestTag/" .. k] = v end
  if job.create then
    add("caller", "sagemaker:" .. job.create .. " of this job", { action = "sagemaker:" .. job.create,
      resource = job_arn, context = ctx })
  end
  add("caller", "iam:PassRole of the execution role to SageMaker", { action = "iam:PassRole", resource = role_arn,
    context = { ["iam:PassedToService"] = "sagemaker.amazonaws.com" } })
  add("sagemaker", "SageMaker assumes the execution role for this job", { action = "sts:AssumeRole",
    resource = role_arn, principal = "sagemaker.amazonaws.com",
    context = { ["aws:SourceAccount"] = e.account, ["aws:SourceArn"] = job_arn } })

  for _, uri in ipairs(e.inputs or {}) do
    local bucket, key = s3_parts(uri)
    if is_object(key) then
      add("exec", "read the input object " .. uri, { action = "s3:GetObject",
        resource = ("arn:%s:s3:::%s/%s"):format(p, bucket, key) })
    else
      add("exec", "list the input prefix " .. uri, { action = "s3:ListBucket",
        resource = ("arn:%s:s3:::%s"):format(p, bucket), context = { ["s3:prefix"] = folder(key) } })
      add("exec", "read an object under " .. uri, { action = "s3:GetObject",
        resource = ("arn:%s:s3:::%s/%spart-00000"):format(p, bucket, folder(key)) })
    end
  end
  for _, uri in ipairs(e.outputs or {}) do
    local bucket, key = s3_parts(uri)
    local target = is_object(key) and key or (folder(key) .. (spec.name or "job") .. "/output/model.tar.gz")
    add("exec", "write an output under " .. uri, { action = "s3:PutObject",
      resource = ("arn:%s:s3:::%s/%s"):format(p, bucket, target) })
  end
  for _, image in ipairs(e.images or {}) do
    local repo = image:match("^arn:") and image or
      ("arn:%s:ecr:%s:%s:repository/%s"):format(p, e.region, e.account, image)
    add("exec", "pull the image from " .. repo, { action = "ecr:BatchGetImage", resource = repo })
    add("exec", "pull the image's layers", { action = "ecr:GetDownloadUrlForLayer", resource = repo })
    add("exec", "get a registry token", { action = "ecr:GetAuthorizationToken", resource = "*" })
  end
  local kms = e.kms or {}
  if kms.output then
    add("exec", "encrypt the outputs with " .. kms.output, { action = "kms:GenerateDataKey", resource = kms.output })
    add("exec", "upload large outputs in parts with " .. kms.output, { action = "kms:Decrypt", resource = kms.output })
  end
  if kms.volume then
    add("exec", "attach the encrypted volume (" .. kms.volume .. ")", { action = "kms:CreateGrant",
      resource = kms.volume, context = { ["kms:GrantIsForAWSResource"] = "true" } })
  end
  if e.vpc then
    for _, s in ipairs(e.vpc.subnets or {}) do
      add("exec", "create a network interface in " .. s, { action = "ec2:CreateNetworkInterface",
        resource = ("arn:%s:ec2:%s:%s:subnet/%s"):format(p, e.region, e.account, s) })
    end
    add("exec", "describe the VPC's subnets", { action = "ec2:DescribeSubnets", resource = "*" })
  end
  if job.log_group then
    local group = job.log_group:gsub("/$", "/" .. name)
    add("exec", "write its logs to " .. group, { action = "logs:PutLogEvents",
      resource = ("arn:%s:logs:%s:%s:log-group:%s:log-stream:%s/algo-1"):format(p, e.region, e.account, group, name) })
  end
  if job.namespace then
    add("exec", "publish its metrics in " .. job.namespace, { action = "cloudwatch:PutMetricData", resource = "*",
      context = { ["cloudwatch:namespace"] = job.namespace } })
  end
  return out
end

-- run(spec, exec, caller) -> results: each request with decision and
-- explanation; a role that is missing makes its requests "not checked".
function M.run(spec, exec, caller)
  local results = {}
  for _, r in ipairs(M.requests(spec)) do
    local policies
    if r.who == "caller" then policies = caller
    else policies = exec end        -- SageMaker's AssumeRole: the role's trust policy
    local res = { who = r.who, what = r.what, request = r.request }
    if not policies then
      res.decision = "not_checked"
    else
      local ok, decision, why = pcall(simulate.simulate, r.request, policies, { explain = true })
      if ok then
        res.decision, res.explanation = decision, why and why.text
      else
        res.decision, res.explanation = "error", tostring(decision)
      end
    end
    results[#results + 1] = res
  end
  return results
end

return M
