-- SageMaker blueprints: the execution role of a job type and the caller
-- role that may start such jobs with it, each from a short table.
--
--   local sm = require "leastpriv.blueprints.sagemaker"
--   local exec = sm.execution_role {
--     job = "training", name = "churn-training", account = "123456789012", region = "us-east-1",
--     inputs = { "s3://ml-data/churn/train/" }, outputs = { "s3://ml-data/churn/models/" },
--     images = { "churn-trainer" },
--   }
--   local caller = sm.caller_role {
--     job = "training", name = "churn-launcher", account = "123456789012", region = "us-east-1",
--     execution_role = exec, trust = lp.trust.aws("arn:aws:iam::123456789012:role/ml-engineers"),
--   }
--
-- Job types: training, processing, transform (batch transform: the model's
-- role), endpoint (real-time inference: the model's role), pipeline, studio.
-- See docs/blueprints.md for every option and what each statement is for.
local lp_role = require "leastpriv.role"
local policy = require "leastpriv.policy"
local scope = require "leastpriv.scope"
local statement = require "leastpriv.statement"
local trust = require "leastpriv.trust"
local util = require "leastpriv.util"

local M = {}

local function allow(t) return statement.build(t, "Allow", "sagemaker blueprint") end

-- What each job type is: its resource type, the SourceArn SageMaker
-- presents when it assumes the role, its log group, metric namespace, and
-- the caller's control-plane actions.
M.JOBS = {
  training = {
    resource = "training-job", source = "training-job/*",
    log_group = "/aws/sagemaker/TrainingJobs", namespace = "/aws/sagemaker/TrainingJobs",
    create = "CreateTrainingJob", manage = { "DescribeTrainingJob", "StopTrainingJob" },
    list = "ListTrainingJobs",
  },
  processing = {
    resource = "processing-job", source = "processing-job/*",
    log_group = "/aws/sagemaker/ProcessingJobs", namespace = "/aws/sagemaker/ProcessingJobs",
    create = "CreateProcessingJob", manage = { "DescribeProcessingJob", "StopProcessingJob" },
    list = "ListProcessingJobs",
  },
  transform = {
    resource = "transform-job", source = "transform-job/*", model = true,
    log_group = "/aws/sagemaker/TransformJobs", namespace = "/aws/sagemaker/TransformJobs",
    create = "CreateTransformJob", manage = { "DescribeTransformJob", "StopTransformJob" },
    list = "ListTransformJobs",
  },
  endpoint = {
    -- SageMaker's confused-deputy guidance: inference roles trust the whole
    -- account's SageMaker ARNs, not one endpoint's
    resource = "endpoint", source = "*", model = true,
    log_group = "/aws/sagemaker/Endpoints/", namespace = "/aws/sagemaker/Endpoints",
  },
  pipeline = { resource = "pipeline" },
  studio = { source = "*", log_group = "/aws/sagemaker/studio" },
}

local JOB_NAMES = util.sorted_keys(M.JOBS)

local COMMON = { job = true, name = true, account = true, region = true, partition = true,
                 path = true, description = true, tags = true, permissions_boundary = true,
                 max_session_duration = true, tf_name = true }

local EXEC_OPTIONS = { inputs = true, outputs = true, images = true, framework_images = true,
                       kms = true, vpc = true, steps = true, step_roles = true, pipeline_name = true,
                       domain = true, user_profile = true, jobs = true, pass_roles = true }
local CALLER_OPTIONS = { execution_role = true, trust = true, name_prefix = true,
                         instance_types = true, vpc = true, request_tags = true,
                         network_isolation = true, domain = true, user_profile = true }

local function check_options(t, extra, fname)
  if type(t) ~= "table" then error(fname .. " takes a table", 0) end
  local allowed = {}
  for k in pairs(COMMON) do allowed[k] = true end
  for k in pairs(extra) do allowed[k] = true end
  for k in pairs(t) do
    if not allowed[k] then
      error(("unknown option '%s'%s"):format(tostring(k),
        util.did_you_mean(tostring(k), util.sorted_keys(allowed))), 0)
    end
  end
  local job = M.JOBS[t.job]
  if not job then
    error(("job must be one of %s%s"):format(table.concat(JOB_NAMES, ", "),
      type(t.job) == "string" and util.did_you_mean(t.job, JOB_NAMES) or ""), 0)
  end
  for _, k in ipairs { "name", "account", "region" } do
    if type(t[k]) ~= "string" then error(k .. " is required (a string)", 0) end
  end
  return job
end

local function list_of(v)
  if v == nil then return {} end
  return type(v) == "table" and v or { v }
end

-- An S3 location: "s3://bucket/prefix/", "s3://bucket/path/model.tar.gz",
-- { bucket =, prefix = } or { bucket =, key = }.  Returns bucket, prefix
-- or key, and whether it is one object: a key given as such, or a string
-- whose last segment is a file name (it holds a dot and no trailing "/",
-- as SageMaker's ModelDataUrl and manifest files do).
local function location(v, what)
  local bucket, prefix, object
  if type(v) == "string" then
    bucket, prefix = v:match("^s3://([^/]+)/?(.*)$")
    object = prefix ~= nil and prefix ~= "" and prefix:sub(-1) ~= "/" and
      (prefix:match("([^/]*)$") or ""):find(".", 1, true) ~= nil
  elseif type(v) == "table" then
    bucket, prefix = v.bucket, v.key or v.prefix or ""
    object = v.key ~= nil
  end
  if type(bucket) ~= "string" or bucket == "" then
    error(("%s: %s must be \"s3://bucket/prefix/\", \"s3://bucket/key\", { bucket =, prefix = } "
      .. "or { bucket =, key = }"):format(what, tostring(v)), 0)
  end
  return bucket, prefix, object
end

-- Locations grouped by bucket, buckets in order of first use: prefixes
-- and single objects apart.
local function by_bucket(list, what)
  local order, prefixes, objects = {}, {}, {}
  for i, v in ipairs(list_of(list)) do
    local bucket, prefix, object = location(v, ("%s[%d]"):format(what, i))
    if not prefixes[bucket] then
      prefixes[bucket], objects[bucket] = {}, {}
      order[#order + 1] = bucket
    end
    table.insert(object and objects[bucket] or prefixes[bucket], prefix)
  end
  return order, prefixes, objects
end

-- The S3 statements: ListBucket on each input bucket limited to its
-- prefixes, GetObject on input objects (under the prefixes, and the single
-- objects named), PutObject on output objects; with an SSE-KMS output key,
-- s3:AbortMultipartUpload too (large artifacts are uploaded in parts).
local function s3_statements(aws, inputs, outputs, kms)
  local out = {}
  local in_order, in_prefixes, in_objects = by_bucket(inputs, "inputs")
  local listed = {}
  for _, bucket in ipairs(in_order) do
    if #in_prefixes[bucket] > 0 then listed[#listed + 1] = bucket end
  end
  for _, bucket in ipairs(listed) do
    local s = aws.s3.list_bucket(bucket, in_prefixes[bucket])
    s.Sid = "ListInput" .. (#listed > 1 and #out + 1 or "")
    out[#out + 1] = s
  end
  local reads = {}
  for _, bucket in ipairs(in_order) do
    for _, p in ipairs(in_prefixes[bucket]) do reads[#reads + 1] = aws.s3.objects(bucket, p) end
    for _, key in ipairs(in_objects[bucket]) do reads[#reads + 1] = aws.s3.object(bucket, key) end
  end
  if #reads > 0 then out[#out + 1] = allow { sid = "ReadInput", action = "s3:GetObject", resource = reads } end
  local out_order, out_prefixes, out_objects = by_bucket(outputs, "outputs")
  local writes = {}
  for _, bucket in ipairs(out_order) do
    for _, p in ipairs(out_prefixes[bucket]) do writes[#writes + 1] = aws.s3.objects(bucket, p) end
    for _, key in ipairs(out_objects[bucket]) do writes[#writes + 1] = aws.s3.object(bucket, key) end
  end
  if #writes > 0 then
    local multipart = type(kms) == "table" and #list_of(kms.output) > 0
    out[#out + 1] = allow { sid = "WriteOutput", resource = writes,
                            action = multipart and { "s3:PutObject", "s3:AbortMultipartUpload" } or "s3:PutObject" }
  end
  return out
end

-- ECR: the pull actions on the named repositories (and, when asked, on
-- AWS's framework-image registry), GetAuthorizationToken on "*".
local function ecr_statements(aws, t)
  local repos = {}
  for _, r in ipairs(list_of(t.images)) do
    repos[#repos + 1] = r:match("^arn:") and r or aws.ecr.repository(r)
  end
  if t.framework_images then
    -- AWS Deep Learning Containers live in AWS-owned registries; 763104351884
    -- serves most regions (pass { accounts = {...} } for others)
    local accounts = type(t.framework_images) == "table" and t.framework_images.accounts or { "763104351884" }
    for _, account in ipairs(list_of(accounts)) do
      repos[#repos + 1] = aws.arn("ecr", "repository", { Account = account, RepositoryName = "*" })
    end
  end
  if #repos == 0 then return {} end
  return aws.ecr.pull(repos)
end

local function logs_statements(aws, job)
  if not job.log_group then return {} end
  local group = job.log_group
  local group_arn, streams
  if group:sub(-1) == "/" then                       -- one group per endpoint
    group_arn = aws.logs.group(group .. "*")
    streams = aws.logs.streams(group .. "*")
  else
    group_arn = aws.logs.group(group)
    streams = aws.logs.streams(group)
  end
  return {
    allow { sid = "LogGroup", action = { "logs:CreateLogGroup", "logs:DescribeLogStreams" }, resource = group_arn },
    allow { sid = "LogStreams", action = { "logs:CreateLogStream", "logs:PutLogEvents" }, resource = streams },
  }
end

local function metrics_statement(job)
  if not job.namespace then return {} end
  return { allow { sid = "Metrics", action = "cloudwatch:PutMetricData", resource = "*",
                   condition = { StringEquals = { ["cloudwatch:namespace"] = job.namespace } } } }
end

local function kms_arns(aws, keys)
  local out = {}
  for _, k in ipairs(list_of(keys)) do
    out[#out + 1] = k:match("^arn:") and k or aws.kms.key(k)
  end
  return out
end

-- KMS: decrypt input keys, encrypt output keys, grants on volume keys (for
-- AWS resources only).
local function kms_statements(aws, kms)
  if kms == nil then return {} end
  if type(kms) ~= "table" then error("kms must be { input =, output =, volume = } key IDs or ARNs", 0) end
  local out = {}
  local input, output, volume = kms_arns(aws, kms.input), kms_arns(aws, kms.output), kms_arns(aws, kms.volume)
  if #input > 0 then out[#out + 1] = allow { sid = "DecryptInput", action = "kms:Decrypt", resource = input } end
  if #output > 0 then
    -- multipart uploads under SSE-KMS decrypt the data key of each part
    out[#out + 1] = allow { sid = "EncryptOutput", action = { "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey" },
                            resource = output }
  end
  if #volume > 0 then
    out[#out + 1] = allow { sid = "VolumeGrant", action = "kms:CreateGrant", resource = volume,
                            condition = { Bool = { ["kms:GrantIsForAWSResource"] = "true" } } }
  end
  return out
end

-- VPC: the elastic network interfaces SageMaker creates in your subnets.
local function vpc_statements(aws, vpc)
  if vpc == nil then return {} end
  if type(vpc) ~= "table" or #list_of(vpc.subnets) == 0 or #list_of(vpc.security_groups) == 0 then
    error("vpc must be { vpc = \"vpc-...\", subnets = {...}, security_groups = {...} }", 0)
  end
  local eni = aws.ec2.network_interface("*")
  local create = { eni }
  for _, s in ipairs(list_of(vpc.subnets)) do create[#create + 1] = aws.ec2.subnet(s) end
  for _, g in ipairs(list_of(vpc.security_groups)) do create[#create + 1] = aws.ec2.security_group(g) end
  local manage = { sid = "ManageNetworkInterfaces", resource = eni,
                   action = { "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
                              "ec2:DeleteNetworkInterfacePermission" } }
  if vpc.vpc then manage.condition = { ArnEquals = { ["ec2:Vpc"] = aws.ec2.vpc(vpc.vpc) } } end
  return {
    allow { sid = "CreateNetworkInterfaces", action = "ec2:CreateNetworkInterface", resource = create },
    allow(manage),
    allow { sid = "DescribeNetwork", resource = "*",
            action = { "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups",
                       "ec2:DescribeSubnets", "ec2:DescribeVpcs" } },
  }
end

local function append(list, more)
  for _, s in ipairs(more) do list[#list + 1] = s end
end

local function role_fields(t)
  return { name = t.name, path = t.path, description = t.description, tags = t.tags,
           permissions_boundary = t.permissions_boundary, max_session_duration = t.max_session_duration,
           tf_name = t.tf_name }
end

local function arn_of_role(aws, r)
  if type(r) == "table" and r.kind == "role" then
    return aws.iam.role(r.name, { path = r.path })
  elseif type(r) == "string" and r:match("^arn:") then
    return r
  end
  error("execution_role must be a role (from execution_role{...}) or a role ARN", 0)
end

local function pass_role(arns, sid)
  return allow { sid = sid or "PassExecutionRole", action = "iam:PassRole", resource = arns,
                 condition = { StringEquals = { ["iam:PassedToService"] = "sagemaker.amazonaws.com" } } }
end

-- The caller's statements for starting, watching and stopping jobs of one
-- type (training, processing, transform) with the given role ARNs.
local function job_control(aws, job, prefix, role_arns, t)
  local sm = "sagemaker:"
  local jobs = aws.sagemaker[job.resource:gsub("%-", "_")](prefix .. "*")
  local create = { sid = "Create" .. job.create:sub(7), action = sm .. job.create, resource = jobs }
  local conds = {}
  if t.instance_types then
    -- a value with a wildcard ("ml.g5.*") only matches under a Like operator
    local like = false
    for _, v in ipairs(list_of(t.instance_types)) do
      if type(v) == "string" and v:find("[%*%?]") then like = true end
    end
    conds[like and "ForAllValues:StringLike" or "ForAllValues:StringEquals"] =
      { ["sagemaker:InstanceTypes"] = t.instance_types }
    conds.Null = { ["sagemaker:InstanceTypes"] = "false" }
  end
  if t.vpc and job.resource ~= "transform-job" then
    conds["ForAllValues:StringEquals"] = conds["ForAllValues:StringEquals"] or {}
    conds["ForAllValues:StringEquals"]["sagemaker:VpcSubnets"] = list_of(t.vpc.subnets)
    conds["ForAllValues:StringEquals"]["sagemaker:VpcSecurityGroupIds"] = list_of(t.vpc.security_groups)
    conds.Null = conds.Null or {}
    conds.Null["sagemaker:VpcSubnets"] = "false"
    conds.Null["sagemaker:VpcSecurityGroupIds"] = "false"
  end
  if t.network_isolation and job.resource ~= "transform-job" then
    conds.Bool = { ["sagemaker:NetworkIsolation"] = "true" }
  end
  if t.request_tags then
    conds.StringEquals = {}
    for k, v in pairs(t.request_tags) do conds.StringEquals["aws:RequestTag/" .. k] = v end
  end
  if next(conds) then create.condition = conds end
  local out = { allow(create) }
  local manage = {}
  for i, a in ipairs(job.manage) do manage[i] = sm .. a end
  out[#out + 1] = allow { sid = "Manage" .. job.create:sub(7) .. "s", action = manage, resource = jobs }
  out[#out + 1] = allow { sid = "List" .. job.create:sub(7) .. "s", action = sm .. job.list, resource = "*" }
  if t.request_tags then
    out[#out + 1] = allow { sid = "TagOnCreate", action = "sagemaker:AddTags", resource = jobs,
                            condition = { StringEquals = { ["sagemaker:TaggingAction"] = job.create } } }
  end
  if job.model then
    local models = aws.sagemaker.model(prefix .. "*")
    out[#out + 1] = allow { sid = "ManageModels", resource = models,
                            action = { "sagemaker:CreateModel", "sagemaker:DeleteModel", "sagemaker:DescribeModel" } }
  end
  out[#out + 1] = pass_role(role_arns)
  return out
end

local function trust_for(aws, job, t)
  local source
  if job == M.JOBS.pipeline then
    local name = t.pipeline_name or "*"
    source = { aws.sagemaker.pipeline(name), aws.sagemaker.pipeline(name) .. "/*" }
    if name == "*" then source = { aws.sagemaker.pipeline("*") } end
  elseif job.source == "*" then
    source = ("arn:%s:sagemaker:%s:%s:*"):format(aws.partition, t.region, t.account)
  else
    source = aws.arn("sagemaker", job.resource, "*")
  end
  return trust.service("sagemaker.amazonaws.com", { source_account = t.account, source_arn = source })
end

local function execution(t)
  local job = check_options(t, EXEC_OPTIONS, "execution_role")
  local aws = scope.new { account = t.account, region = t.region, partition = t.partition }
  local statements = {}
  append(statements, s3_statements(aws, t.inputs, t.outputs, t.kms))
  if job == M.JOBS.pipeline then
    -- the pipeline starts its steps' jobs and passes their roles
    local steps = list_of(t.steps or { "training", "processing" })
    local roles = list_of(t.step_roles)
    if #roles == 0 then error("a pipeline role needs step_roles: the roles its steps run as", 0) end
    local role_arns = {}
    for i, r in ipairs(roles) do role_arns[i] = arn_of_role(aws, r) end
    local tag_jobs, tag_actions = {}, {}
    for _, s in ipairs(steps) do
      local step = M.JOBS[s]
      if not step or not step.create then error(("steps: %q is not a job type a pipeline starts"):format(tostring(s)), 0) end
      local jobs = aws.sagemaker[step.resource:gsub("%-", "_")]("*")
      local actions = { "sagemaker:" .. step.create }
      for _, a in ipairs(step.manage) do actions[#actions + 1] = "sagemaker:" .. a end
      table.sort(actions)
      statements[#statements + 1] = allow { sid = "Run" .. step.create:sub(7) .. "Steps", action = actions, resource = jobs }
      tag_jobs[#tag_jobs + 1] = jobs
      tag_actions[#tag_actions + 1] = step.create
    end
    -- the pipeline tags the jobs it creates, and only while creating them
    statements[#statements + 1] = allow { sid = "TagStepJobs", action = "sagemaker:AddTags", resource = tag_jobs,
      condition = { StringEquals = { ["sagemaker:TaggingAction"] = tag_actions } } }
    statements[#statements + 1] = pass_role(role_arns, "PassStepRoles")
  elseif job == M.JOBS.studio then
    if type(t.domain) ~= "string" or type(t.user_profile) ~= "string" then
      error("a studio role needs domain (the domain ID) and user_profile", 0)
    end
    statements[#statements + 1] = allow { sid = "OwnApps", resource = aws.sagemaker.app(t.domain, t.user_profile, "*", "*"),
      action = { "sagemaker:CreateApp", "sagemaker:DeleteApp", "sagemaker:DescribeApp" } }
    statements[#statements + 1] = allow { sid = "OwnProfile", action = "sagemaker:DescribeUserProfile",
      resource = aws.sagemaker.user_profile(t.domain, t.user_profile) }
    statements[#statements + 1] = allow { sid = "OwnDomain", action = "sagemaker:DescribeDomain",
      resource = aws.sagemaker.domain(t.domain) }
    local pass = {}
    for i, r in ipairs(list_of(t.pass_roles)) do pass[i] = arn_of_role(aws, r) end
    for _, j in ipairs(list_of(t.jobs)) do
      local jt = M.JOBS[j]
      if not jt or not jt.create then error(("jobs: %q is not a job type"):format(tostring(j)), 0) end
      if #pass == 0 then error("a studio role that starts jobs needs pass_roles", 0) end
      for _, s in ipairs(job_control(aws, jt, "", pass, {})) do
        if s.Sid ~= "PassExecutionRole" then statements[#statements + 1] = s end
      end
    end
    if #pass > 0 then statements[#statements + 1] = pass_role(pass) end
  end
  append(statements, ecr_statements(aws, t))
  append(statements, logs_statements(aws, job))
  append(statements, metrics_statement(job))
  append(statements, kms_statements(aws, t.kms))
  append(statements, vpc_statements(aws, t.vpc))
  local fields = role_fields(t)
  fields.description = fields.description or ("Execution role of SageMaker %s jobs"):format(t.job)
  fields.trust = trust_for(aws, job, t)
  fields.policies = { { name = "sagemaker-" .. t.job, document = policy.build(statements, "sagemaker blueprint", {}) } }
  return lp_role.build(fields)
end

local function caller(t)
  local job = check_options(t, CALLER_OPTIONS, "caller_role")
  if t.trust == nil then error("trust is required: who may assume the caller role (e.g. lp.trust.aws(...))", 0) end
  local aws = scope.new { account = t.account, region = t.region, partition = t.partition }
  local prefix = t.name_prefix or ""
  if type(prefix) ~= "string" then error("name_prefix must be a string", 0) end
  local statements = {}
  if job.create then
    append(statements, job_control(aws, job, prefix, { arn_of_role(aws, t.execution_role) }, t))
  elseif job == M.JOBS.endpoint then
    local sm = "sagemaker:"
    statements[#statements + 1] = allow { sid = "ManageModels", resource = aws.sagemaker.model(prefix .. "*"),
      action = { sm .. "CreateModel", sm .. "DeleteModel", sm .. "DescribeModel" } }
    statements[#statements + 1] = allow { sid = "ManageEndpointConfigs", resource = aws.sagemaker.endpoint_config(prefix .. "*"),
      action = { sm .. "CreateEndpointConfig", sm .. "DeleteEndpointConfig", sm .. "DescribeEndpointConfig" } }
    statements[#statements + 1] = allow { sid = "ManageEndpoints",
      resource = { aws.sagemaker.endpoint(prefix .. "*"), aws.sagemaker.endpoint_config(prefix .. "*") },
      action = { sm .. "CreateEndpoint", sm .. "UpdateEndpoint" } }
    statements[#statements + 1] = allow { sid = "WatchEndpoints", resource = aws.sagemaker.endpoint(prefix .. "*"),
      action = { sm .. "DeleteEndpoint", sm .. "DescribeEndpoint" } }
    statements[#statements + 1] = allow { sid = "ListEndpoints", resource = "*",
      action = { sm .. "ListEndpointConfigs", sm .. "ListEndpoints", sm .. "ListModels" } }
    statements[#statements + 1] = pass_role({ arn_of_role(aws, t.execution_role) })
  elseif job == M.JOBS.pipeline then
    local sm = "sagemaker:"
    local pipelines = aws.sagemaker.pipeline(prefix .. "*")
    statements[#statements + 1] = allow { sid = "ManagePipelines", resource = pipelines,
      action = { sm .. "CreatePipeline", sm .. "DescribePipeline", sm .. "StartPipelineExecution",
                 sm .. "UpdatePipeline" } }
    statements[#statements + 1] = allow { sid = "WatchExecutions",
      resource = aws.sagemaker.pipeline_execution(prefix .. "*", "*"),
      action = { sm .. "DescribePipelineExecution", sm .. "ListPipelineExecutionSteps",
                 sm .. "StopPipelineExecution" } }
    statements[#statements + 1] = allow { sid = "ListPipelines", action = sm .. "ListPipelines", resource = "*" }
    statements[#statements + 1] = pass_role({ arn_of_role(aws, t.execution_role) }, "PassPipelineRole")
  else -- studio: open the user's own Studio
    if type(t.domain) ~= "string" or type(t.user_profile) ~= "string" then
      error("a studio caller needs domain (the domain ID) and user_profile", 0)
    end
    statements[#statements + 1] = allow { sid = "OpenStudio", action = "sagemaker:CreatePresignedDomainUrl",
      resource = aws.sagemaker.user_profile(t.domain, t.user_profile) }
    statements[#statements + 1] = allow { sid = "SeeDomain", action = "sagemaker:DescribeDomain",
      resource = aws.sagemaker.domain(t.domain) }
  end
  local fields = role_fields(t)
  fields.description = fields.description or ("Starts SageMaker %s jobs with their execution role"):format(t.job)
  fields.trust = t.trust
  local document = policy.build(statements, "sagemaker blueprint", {})
  fields.policies = { { name = "sagemaker-" .. t.job .. "-caller", document = document } }
  return lp_role.build(fields)
end

M.execution_role = util.blamed("sagemaker.execution_role", execution)
M.caller_role = util.blamed("sagemaker.caller_role", caller)

-- Both roles at once: returns exec, caller (caller.execution_role is exec).
function M.pair(exec_opts, caller_opts)
  local ok, exec = pcall(execution, exec_opts)
  if not ok then error("sagemaker.pair: " .. tostring(exec), 2) end
  local c = {}
  for k, v in pairs(caller_opts or {}) do c[k] = v end
  c.job = c.job or exec_opts.job
  c.account = c.account or exec_opts.account
  c.region = c.region or exec_opts.region
  c.partition = c.partition or exec_opts.partition
  c.execution_role = exec
  local cok, call = pcall(caller, c)
  if not cok then error("sagemaker.pair: " .. tostring(call), 2) end
  return exec, call
end

return M
