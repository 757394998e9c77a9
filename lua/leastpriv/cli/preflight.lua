-- leastpriv preflight: decide every request a SageMaker job will make
-- with the roles given, before the job runs.
local args = require "leastpriv.cli.args"
local core = require "leastpriv.core"
local inputs = require "leastpriv.inputs"
local jobs = require "leastpriv.jobs"
local preflight = require "leastpriv.preflight"

local M = {
  summary = "decide every request a SageMaker job will make with the roles given, before it runs",
  usage = [[
usage: leastpriv preflight JOB.json FILE... [--exec NAME] [--caller NAME]
                          [--region REGION] [--set NAME=VALUE]... [--json]

Read a SageMaker job definition (as `leastpriv roles-for` does) and decide,
with the roles of FILE... (role scripts, JSON, account dumps, plans, .tf
modules), every request the job will make:
  the caller's CreateXJob with the context SageMaker sends (instance types,
  subnets and security groups, network isolation, tags) and its
  iam:PassRole of the execution role to SageMaker;
  SageMaker's sts:AssumeRole on the execution role, with aws:SourceAccount
  and aws:SourceArn of this job (a trust policy that does not allow it
  fails the job after it was accepted);
  the execution role's own calls: list and read each input, write each
  output, pull the image, use the KMS keys, create its network interfaces,
  write its logs and metrics.
Each request that would be denied is listed with the explanation.  The
execution role is the one the definition's RoleArn names (or --exec), the
caller the other role of the files (or --caller); a role the files do not
hold makes its requests "not checked".

Exit status: 0 every request is allowed, 1 a request is denied or not
checked, 2 a definition or file that cannot be read, or a usage error.]],
  options = {
    { name = "exec", arg = "NAME", help = "the execution role's name in FILE... (default: the RoleArn's)" },
    { name = "caller", arg = "NAME", help = "the caller role's name in FILE... (default: the other role)" },
    { name = "role-arn", arg = "ARN", help = "the execution role ARN (transform jobs: the model's role)" },
    { name = "region", arg = "REGION", help = "the region, when the image does not tell it" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "json", help = "the results as JSON" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

function M.run(opts, files, io_)
  if #files < 2 then fail("name the job definition and the role files (FILE...)") end
  local job_path = table.remove(files, 1)
  local f = io.open(job_path, "rb")
  if not f then fail(job_path .. ": cannot read the file") end
  local text = f:read("*a")
  f:close()
  local def, err = core.json_decode(text)
  if def == nil then fail(("%s:%s"):format(job_path, err)) end
  local ok, spec = pcall(jobs.read, def, { region = opts.region, role_arn = opts["role-arn"] })
  if not ok then fail(job_path .. ": " .. tostring(spec)) end
  local expanded, perr = require("leastpriv.cli.paths").expand(files)
  if not expanded then fail(perr) end
  local roles = {}
  for _, path in ipairs(expanded) do
    local lok, list = pcall(inputs.load, path, args.sets(opts.set))
    if not lok then fail(tostring(list)) end
    for _, item in ipairs(list) do
      if item.kind == "role" then roles[#roles + 1] = item end
    end
  end
  local want = opts.exec or spec.exec.name
  local exec, caller
  for _, r in ipairs(roles) do if r.name == want then exec = r end end
  if opts.exec and not exec then fail(("no role named %s in the files"):format(opts.exec)) end
  for _, r in ipairs(roles) do
    if r ~= exec and (not opts.caller or r.name == opts.caller) then caller = caller or r end
  end
  if opts.caller and not caller then fail(("no role named %s in the files"):format(opts.caller)) end
  local results = preflight.run(spec, exec, caller)
  local bad = 0
  for _, r in ipairs(results) do if r.decision ~= "allow" then bad = bad + 1 end end
  if opts.json then
    local list = setmetatable({}, core.array_mt)
    for i, r in ipairs(results) do
      list[i] = { who = r.who, what = r.what, decision = r.decision, explanation = r.explanation,
                  action = r.request.action, resource = r.request.resource }
    end
    io_.stdout:write(core.json_encode({ job = spec.name, exec = exec and exec.name, caller = caller and caller.name,
                                        results = list, denied = bad }), "\n")
    return bad > 0 and 1 or 0
  end
  local out = io_.stdout
  local who = { caller = caller and ("caller " .. caller.name) or "caller (not in the files)",
                sagemaker = "sagemaker.amazonaws.com",
                exec = exec and ("execution role " .. exec.name) or ("execution role " .. want .. " (not in the files)") }
  for _, r in ipairs(results) do
    local mark = r.decision == "allow" and "ok  " or r.decision == "not_checked" and "??  " or "DENY"
    out:write(("%s %s: %s\n"):format(mark, who[r.who], r.what))
    if r.decision ~= "allow" and r.explanation then
      out:write("       ", r.explanation:gsub("\n", "\n       "), "\n")
    end
  end
  out:write(bad == 0 and ("all %d requests of the job are allowed\n"):format(#results)
    or ("%d of %d requests would be denied or are not checked: the job would fail\n"):format(bad, #results))
  return bad > 0 and 1 or 0
end

return M
