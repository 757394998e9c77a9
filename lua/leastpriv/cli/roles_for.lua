-- leastpriv roles-for: from a SageMaker job definition to its two roles.
local args = require "leastpriv.cli.args"
local core = require "leastpriv.core"
local jobs = require "leastpriv.jobs"

local M = {
  summary = "write the execution and caller roles of a SageMaker job definition as a role script",
  usage = [[
usage: leastpriv roles-for JOB.json [--caller-trust ARN] [--caller-name NAME]
                          [--role-arn ARN] [--region REGION] [--vpc-id VPC]

Read a SageMaker job definition (the JSON of a CreateTrainingJob,
DescribeTrainingJob, CreateProcessingJob or CreateTransformJob request, as
the API, the CLI's --cli-input-json or a describe call gives it) and print a
role script with its two roles, built with the SageMaker blueprints:

  the execution role: exactly the job's S3 inputs (a prefix as a prefix, an
  object key as that object), outputs, checkpoint, debugger, profiler and
  TensorBoard paths, its image's repository (in the image's account and
  region), its KMS keys (volume and output, multipart uploads included), its
  VPC subnets and security groups, its own logs and metrics, trusted by
  SageMaker for this account's jobs of this type only;
  the caller role: create, describe and stop jobs named like this one,
  iam:PassRole on exactly that role to SageMaker only, and conditions that
  pin what the definition pins (instance type, subnets and security groups,
  network isolation, tags).

Render it, check it and test it as any role script (leastpriv render,
check, simulate; assert.allows in busted).  What the definition cannot say
(a manifest's objects, a model's artifact) is left as a NOTE in the script.

Exit status: 0 written to standard output, 2 a definition that cannot be
read, or a usage error.]],
  options = {
    { name = "caller-trust", arg = "ARN", help = "who may assume the caller role (default: the account, narrow it)" },
    { name = "caller-name", arg = "NAME", help = "the caller role's name (default: from the execution role's)" },
    { name = "role-arn", arg = "ARN", help = "the execution role (transform jobs: the model's role)" },
    { name = "region", arg = "REGION", help = "the region, when the image does not tell it" },
    { name = "vpc-id", arg = "VPC", help = "the VPC of the job's subnets (scopes the network-interface actions)" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

function M.run(opts, files, io_)
  if #files ~= 1 then fail("name one job definition (JSON)") end
  local path = files[1]
  local f = io.open(path, "rb")
  if not f then fail(path .. ": cannot read the file") end
  local text = f:read("*a")
  f:close()
  local def, err = core.json_decode(text)
  if def == nil then fail(("%s:%s"):format(path, err)) end
  if opts["caller-trust"] and not opts["caller-trust"]:match("^arn:") then
    fail(("--caller-trust %q must be an ARN (a role, a user or an account root)"):format(opts["caller-trust"]))
  end
  local ok, spec = pcall(jobs.read, def, { region = opts.region, caller_trust = opts["caller-trust"],
    caller_name = opts["caller-name"], role_arn = opts["role-arn"], vpc_id = opts["vpc-id"] })
  if not ok then fail(path .. ": " .. tostring(spec)) end
  local script = jobs.script(spec, { source = path:match("([^/]+)$") })
  -- the script must build: run it as any role script is, in a sandbox (its
  -- strings come from the job definition, which is data)
  local bok, berr = pcall(require("leastpriv.script").load, "roles-for", { text = script })
  if not bok then
    fail(path .. ": the roles cannot be built: " .. tostring(berr):gsub("^roles%-for:%d*:? ?", ""))
  end
  io_.stdout:write(script)
  return 0
end

return M
