-- From a SageMaker job definition (the JSON of a CreateTrainingJob,
-- DescribeTrainingJob, CreateProcessingJob or CreateTransformJob request)
-- to the options of the SageMaker blueprints (leastpriv.blueprints.sagemaker),
-- and to a role script that builds both roles with them.
--
--   local spec, err = jobs.read(decoded_json, { region =, caller_trust =, role_arn = })
--   local text = jobs.script(spec, { source = "job.json" })
--
-- What the definition names, the roles get: its S3 inputs (a prefix as a
-- prefix, an object key as that object), outputs, checkpoint, debugger,
-- profiler and TensorBoard paths, its image's repository (in the image's
-- own account and region), its KMS keys, its VPC subnets and security
-- groups, and for the caller its instance type, network isolation, VPC and
-- tags.
local M = {}

local function fail(msg) error(msg, 0) end

local function str(v) return type(v) == "string" and v or nil end

local function list_of(v)
  if type(v) ~= "table" then return {} end
  return v
end

-- "arn:aws:iam::123456789012:role/service-role/name" -> account, path, name, partition
local function role_parts(arn)
  local partition, account, rest = arn:match("^arn:([%w%-]+):iam::(%d%d%d%d%d%d%d%d%d%d%d%d):role(/.+)$")
  if not partition then return nil end
  local path, name = rest:match("^(.*/)([^/]+)$")
  return account, path, name, partition
end

-- "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo/name:tag" -> account, region, repository
local function image_parts(uri)
  local account, region, repo = uri:match("^(%d+)%.dkr%.ecr%.([%w%-]+)%.amazonaws%.com[%.%w]*/([^:@]+)")
  return account, region, repo
end

local function s3(uri, what)
  if type(uri) ~= "string" or not uri:match("^s3://[^/]+") then
    fail(("%s must be an s3:// URI, not %s"):format(what, tostring(uri)))
  end
  return uri
end

-- A prefix location keeps (or gets) its folder form; an object stays one.
local function as_input(uri, data_type)
  if data_type == "ManifestFile" or data_type == "AugmentedManifestFile" then
    return uri, "manifest"
  end
  return uri
end

-- read(def, opts) -> spec | raises "message".  spec = { job =, exec = {...},
-- caller = {...}, notes = {...}, kind = "CreateTrainingJob" ... }
function M.read(def, opts)
  opts = opts or {}
  if type(def) ~= "table" then fail("a job definition is a JSON object") end
  local spec = { exec = { inputs = {}, outputs = {} }, caller = {}, notes = {} }
  local exec, caller, notes = spec.exec, spec.caller, spec.notes
  local image, name, role_arn, resources, vpc, kms_volume, kms_output
  if def.AlgorithmSpecification or def.TrainingJobName then
    spec.job, spec.kind = "training", "CreateTrainingJob"
    name = str(def.TrainingJobName)
    local algo = def.AlgorithmSpecification or {}
    image = str(algo.TrainingImage)
    if not image and algo.AlgorithmName then
      notes[#notes + 1] = "the job uses the algorithm " .. tostring(algo.AlgorithmName) .. ": add its image"
    end
    for i, ch in ipairs(list_of(def.InputDataConfig)) do
      local src = type(ch) == "table" and type(ch.DataSource) == "table" and ch.DataSource.S3DataSource
      if type(src) == "table" then
        local uri, kind = as_input(s3(src.S3Uri, ("InputDataConfig[%d].DataSource.S3DataSource.S3Uri"):format(i - 1)),
          src.S3DataType)
        exec.inputs[#exec.inputs + 1] = uri
        if kind == "manifest" then
          notes[#notes + 1] = ("channel %s reads a manifest (%s): add the prefix of the objects it lists to inputs")
            :format(tostring(ch.ChannelName), uri)
        end
      elseif type(ch) == "table" and type(ch.DataSource) == "table" and ch.DataSource.FileSystemDataSource then
        notes[#notes + 1] = ("channel %s reads a file system (EFS or FSx): not covered here"):format(tostring(ch.ChannelName))
      end
    end
    local out = def.OutputDataConfig or {}
    if out.S3OutputPath then exec.outputs[#exec.outputs + 1] = s3(out.S3OutputPath, "OutputDataConfig.S3OutputPath") end
    kms_output = str(out.KmsKeyId)
    local ck = def.CheckpointConfig
    if type(ck) == "table" and ck.S3Uri then          -- checkpoints are written and read back
      local uri = s3(ck.S3Uri, "CheckpointConfig.S3Uri")
      exec.inputs[#exec.inputs + 1] = uri
      exec.outputs[#exec.outputs + 1] = uri
    end
    for _, field in ipairs { "DebugHookConfig", "ProfilerConfig", "TensorBoardOutputConfig" } do
      local c = def[field]
      local path = type(c) == "table" and (c.S3OutputPath or c.LocalPath and nil)
      if path then exec.outputs[#exec.outputs + 1] = s3(path, field .. ".S3OutputPath") end
    end
    resources = def.ResourceConfig or {}
    kms_volume = str(resources.VolumeKmsKeyId)
    vpc = def.VpcConfig
    role_arn = str(def.RoleArn)
  elseif def.ProcessingJobName or def.AppSpecification then
    spec.job, spec.kind = "processing", "CreateProcessingJob"
    name = str(def.ProcessingJobName)
    image = type(def.AppSpecification) == "table" and str(def.AppSpecification.ImageUri)
    for i, input in ipairs(list_of(def.ProcessingInputs)) do
      local s3in = type(input) == "table" and input.S3Input
      if type(s3in) == "table" then
        exec.inputs[#exec.inputs + 1] = as_input(s3(s3in.S3Uri, ("ProcessingInputs[%d].S3Input.S3Uri"):format(i - 1)),
          s3in.S3DataType)
      end
    end
    local oc = def.ProcessingOutputConfig or {}
    for i, o in ipairs(list_of(oc.Outputs)) do
      local s3out = type(o) == "table" and o.S3Output
      if type(s3out) == "table" then
        exec.outputs[#exec.outputs + 1] = s3(s3out.S3Uri, ("ProcessingOutputConfig.Outputs[%d].S3Output.S3Uri"):format(i - 1))
      end
    end
    kms_output = str(oc.KmsKeyId)
    local pr = def.ProcessingResources or {}
    resources = type(pr.ClusterConfig) == "table" and pr.ClusterConfig or {}
    kms_volume = str(resources.VolumeKmsKeyId)
    local net = def.NetworkConfig or {}
    vpc = net.VpcConfig
    if net.EnableNetworkIsolation then caller.network_isolation = true end
    role_arn = str(def.RoleArn)
  elseif def.TransformJobName or def.TransformInput then
    spec.job, spec.kind = "transform", "CreateTransformJob"
    name = str(def.TransformJobName)
    local ti = def.TransformInput or {}
    local src = type(ti.DataSource) == "table" and ti.DataSource.S3DataSource
    if type(src) == "table" then
      exec.inputs[#exec.inputs + 1] = as_input(s3(src.S3Uri, "TransformInput.DataSource.S3DataSource.S3Uri"), src.S3DataType)
    end
    local to = def.TransformOutput or {}
    if to.S3OutputPath then exec.outputs[#exec.outputs + 1] = s3(to.S3OutputPath, "TransformOutput.S3OutputPath") end
    kms_output = str(to.KmsKeyId)
    resources = def.TransformResources or {}
    kms_volume = str(resources.VolumeKmsKeyId)
    role_arn = opts.role_arn
    if not role_arn then
      fail("a transform job runs with its model's role, which CreateTransformJob does not name: pass --role-arn")
    end
    notes[#notes + 1] = ("the model %s: its artifact (ModelDataUrl) and image are the model's, add them to inputs "
      .. "and images"):format(tostring(def.ModelName))
  else
    fail("not a SageMaker job definition this reads (CreateTrainingJob, DescribeTrainingJob, "
      .. "CreateProcessingJob, CreateTransformJob)")
  end
  role_arn = opts.role_arn or role_arn
  if not role_arn then fail("the job definition has no RoleArn: pass --role-arn") end
  local account, path, rname, partition = role_parts(role_arn)
  if not account then fail(("RoleArn %q is not a role ARN"):format(role_arn)) end
  exec.name, exec.account, exec.partition = rname, account, partition ~= "aws" and partition or nil
  if path ~= "/" then exec.path = path end
  local region = opts.region
  if image then
    local iacct, iregion, repo = image_parts(image)
    if not repo then fail(("image %q is not an ECR image URI"):format(image)) end
    region = region or iregion
    if iacct == account and iregion == region then
      exec.images = { repo }
    else        -- another account's (or AWS's) registry, or another region
      exec.images = { ("arn:%s:ecr:%s:%s:repository/%s"):format(partition, iregion, iacct, repo) }
    end
  end
  if not region then fail("the region cannot be told from the job (no ECR image): pass --region") end
  exec.region = region
  if kms_output or kms_volume then
    exec.kms = { output = kms_output, volume = kms_volume }
  end
  if type(vpc) == "table" then
    local subnets, groups = list_of(vpc.Subnets), list_of(vpc.SecurityGroupIds)
    if #subnets > 0 and #groups > 0 then
      exec.vpc = { subnets = subnets, security_groups = groups, vpc = opts.vpc_id }
      if not opts.vpc_id then
        -- the definition names subnets, not their VPC: an input, so that the
        -- network-interface permissions stay in that VPC
        exec.vpc.vpc = { var = "vpc_id", description = "The VPC of the job's subnets" }
        notes[#notes + 1] = "the VPC of the job's subnets is an input (vpc_id): pass --vpc-id, or --set vpc_id=vpc-..."
      end
      caller.vpc = { subnets = subnets, security_groups = groups }
    end
  end
  if def.EnableNetworkIsolation then caller.network_isolation = true end
  if type(resources) == "table" and str(resources.InstanceType) then
    caller.instance_types = { resources.InstanceType }
  end
  local tags = {}
  for _, t in ipairs(list_of(def.Tags)) do
    if type(t) == "table" and str(t.Key) and t.Value ~= nil then tags[t.Key] = tostring(t.Value) end
  end
  if next(tags) then caller.request_tags = tags end
  -- the caller may start jobs named like this one: its name without the
  -- run-specific suffix (digits, dates)
  if name then
    local prefix = name:gsub("[%d%-_]+$", "")
    caller.name_prefix = (prefix ~= "" and prefix ~= name) and (prefix .. "-"):gsub("%-%-$", "-") or name
  end
  caller.name = opts.caller_name or (rname:gsub("%-?exec[%w]*$", ""):gsub("%-?role$", "") .. "-caller")
  caller.trust = opts.caller_trust
  spec.name = name
  return spec
end

-- Lua source for a value: strings quoted, lists and maps in order.
local function lua(v, indent)
  indent = indent or ""
  if type(v) == "string" then return ("%q"):format(v) end
  if type(v) ~= "table" then return tostring(v) end
  if v.var then return ("lp.var(%q, { description = %q })"):format(v.var, v.description) end
  if #v > 0 then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = lua(x, indent) end
    return "{ " .. table.concat(parts, ", ") .. " }"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local key = k:match("^[%a_][%w_]*$") and k or ("[%q]"):format(k)
    parts[#parts + 1] = key .. " = " .. lua(v[k], indent)
  end
  return "{ " .. table.concat(parts, ", ") .. " }"
end

local EXEC_ORDER = { "job", "name", "path", "account", "region", "partition", "inputs", "outputs", "images",
                     "kms", "vpc" }
local CALLER_ORDER = { "name", "trust", "name_prefix", "instance_types", "vpc", "network_isolation", "request_tags" }

-- key = value, over several lines when one would be long: a list one item
-- a line, a map one field a line (each field again as short as it fits).
local function field(key, v, indent)
  local one = indent .. key .. " = " .. lua(v) .. ","
  if #one <= 100 or type(v) ~= "table" or v.var then return one end
  local lines = { indent .. key .. " = {" }
  if #v > 0 then
    for _, x in ipairs(v) do lines[#lines + 1] = indent .. "  " .. lua(x) .. "," end
  else
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local name = k:match("^[%a_][%w_]*$") and k or ("[%q]"):format(k)
      lines[#lines + 1] = field(name, v[k], indent .. "  ")
    end
  end
  lines[#lines + 1] = indent .. "},"
  return table.concat(lines, "\n")
end

local function fields(t, order, indent)
  local lines = {}
  for _, k in ipairs(order) do
    local v = t[k]
    if v ~= nil and not (type(v) == "table" and next(v) == nil) then
      if k == "trust" then
        local code, comment = v:match("^(.-)%s*%-%-%s*(.*)$")
        if comment then lines[#lines + 1] = indent .. "-- " .. comment end
        lines[#lines + 1] = indent .. "trust = " .. (code or v) .. ","
      else
        lines[#lines + 1] = field(k, v, indent)
      end
    end
  end
  return table.concat(lines, "\n")
end

-- script(spec, opts) -> the text of a role script returning both roles.
-- opts.source names the job definition in the header.
function M.script(spec, opts)
  opts = opts or {}
  local exec = {}
  for k, v in pairs(spec.exec) do exec[k] = v end
  exec.job = spec.job
  local caller = {}
  for k, v in pairs(spec.caller) do caller[k] = v end
  caller.trust = caller.trust and ("lp.trust.aws(%q)"):format(caller.trust)
    or ("lp.trust.aws(%q) -- narrow to the people or CI role that start the jobs"):format(
      ("arn:%s:iam::%s:root"):format(exec.partition or "aws", exec.account))
  local out = {
    ("-- The two roles of the SageMaker %s job%s,"):format(spec.job, spec.name and (" " .. spec.name) or ""),
    ("-- derived by `leastpriv roles-for%s`."):format(opts.source and (" " .. opts.source) or ""),
    "-- The execution role gets exactly what the job definition names; the caller may start",
    "-- such jobs with it and pass it to SageMaker only.",
  }
  for _, n in ipairs(spec.notes) do out[#out + 1] = "-- NOTE: " .. n end
  out[#out + 1] = 'local lp = require "leastpriv"'
  out[#out + 1] = 'local sm = require "leastpriv.blueprints.sagemaker"'
  out[#out + 1] = ""
  out[#out + 1] = "local exec, caller = sm.pair({"
  out[#out + 1] = fields(exec, EXEC_ORDER, "  ")
  out[#out + 1] = "}, {"
  out[#out + 1] = fields(caller, CALLER_ORDER, "  ")
  out[#out + 1] = "})"
  out[#out + 1] = ""
  out[#out + 1] = "return { exec, caller }"
  return table.concat(out, "\n") .. "\n"
end

return M
