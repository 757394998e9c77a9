-- leastpriv render: role scripts -> IAM JSON, Terraform HCL, or a module.
local args = require "leastpriv.cli.args"
local render = require "leastpriv.render"
local script = require "leastpriv.script"
local template = require "leastpriv.template"
local util = require "leastpriv.util"

local USAGE = [[
usage: leastpriv render FILE.lua... [--format json|hcl|hcl-doc|terraform] [--out DIR]

Run each role script and render what it returns (a role, a policy, or a
list of them).

formats:
  json       each document (a role's trust policy and inline policies) as
             IAM JSON: ROLE/trust.json, ROLE/POLICY.json
  hcl        Terraform resources with jsonencode({...}) policies: FILE.tf
  hcl-doc    the same with data "aws_iam_policy_document" blocks: FILE.tf
  terraform  a module folder: main.tf, variables.tf, outputs.tf,
             versions.tf, README.md (needs --out)

Without --out, files are printed to stdout (each headed "==> PATH <==" when
there are several).  With --out, they are written under DIR (with several
FILEs, under DIR/NAME/ for each script), and only there: a name that
would leave DIR (such as a role named ".."), two outputs on one path
(such as an inline policy named "trust" and the trust policy), and
symbolic links inside DIR are refused.  Every file is written to a new
temporary file with a random name and renamed into place, so an error
leaves nothing half-written; DIR/.leastpriv-render.lock keeps two renders
of one folder apart.  DIR/.leastpriv-render lists the files written: the
next render into DIR removes those it no longer writes (and only those,
while unchanged).  Output is deterministic: the same input gives the same
bytes.

Script inputs declared with lp.var become Terraform variables; for JSON
they take --set NAME=VALUE or their declared default.  With
--managed-policies, a role's inline policies become customer managed
policies (aws_iam_policy) attached to it, for teams whose rules forbid
inline policies.  With --exclusive, each role also gets
aws_iam_role_policies_exclusive and aws_iam_role_policy_attachments_exclusive,
so that Terraform removes inline policies and attachments added by hand
(the deprecated inline_policy and managed_policy_arns are never used).

versions.tf requires the widest aws provider range that has every resource
the module uses: ">= 5.0, < 7.0", or ">= 5.72, < 7.0" with --exclusive
(the exclusive resources came with 5.68 and 5.72).  --aws-version narrows it.

Before anything is written, the scripts are checked as `leastpriv check`
checks them (with the --set values): an error-level finding (what IAM would
refuse: an invalid Sid, an unknown condition key, a bad account ID), an
empty Action or Resource list, or a Sid used twice in one document stops the
render and nothing is written.  --no-check renders anyway.

Exit status: 0 rendered, 2 a script or input that fails, an error-level
finding (without --no-check), or a usage error; nothing is written then.]]

local M = {
  summary = "render role scripts as IAM JSON, Terraform HCL or a Terraform module",
  usage = USAGE,
  options = {
    { name = "format", short = "f", arg = "FORMAT", choices = render.formats, default = "json",
      help = "output format" },
    { name = "out", short = "o", arg = "DIR", help = "write files under DIR instead of stdout" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "compact", help = "JSON without whitespace" },
    { name = "managed-policies", help = "hcl/terraform: each inline policy as an aws_iam_policy plus an attachment" },
    { name = "exclusive", help = "hcl/terraform: also aws_iam_role_policies_exclusive and "
      .. "aws_iam_role_policy_attachments_exclusive, so Terraform removes policies added by hand" },
    { name = "aws-version", arg = "CONSTRAINT",
      help = "terraform: the aws provider constraint of versions.tf (to narrow the default)" },
    { name = "no-check", help = "render even when the scripts have error-level findings" },
  },
}

local function basename(path)
  return (path:match("([^/]+)$"):gsub("%.lua$", ""))
end

-- The --set values as { NAME = value }, typed by the declarations of the
-- scripts (each NAME must be declared by at least one of them).
local function parse_sets(list, declared)
  local known = {}
  for _, v in ipairs(declared) do known[v.name] = known[v.name] or v end
  local values = args.sets(list)
  for _, name in ipairs(util.sorted_keys(values)) do
    local value = values[name]
    local item = name .. "=" .. value
    local decl = known[name]
    if not decl then
      local names = {}
      for _, v in ipairs(declared) do names[#names + 1] = v.name end
      error(args.fail(("--set %s: no script declares an input named %s%s"):format(item, name,
        #names > 0 and (" (declared: " .. table.concat(names, ", ") .. ")") or "")), 0)
    end
    if decl.type == "number" then
      -- kept as its exact decimal text: a double would lose digits
      value = template.decimal_text(value)
        or error(args.fail(("--set %s: %s must be a number"):format(item, name)), 0)
    elseif decl.type == "bool" and value ~= "true" and value ~= "false" then
      error(args.fail(("--set %s: %s must be true or false"):format(item, name)), 0)
    end
    values[name] = value
  end
  return values
end

function M.run(opts, files, io_)
  if #files == 0 then error(args.fail("name at least one role script (FILE.lua)"), 0) end
  if opts.format == "terraform" and not opts.out then
    error(args.fail("--format terraform writes a module folder: give --out DIR"), 0)
  end
  -- a folder: the role scripts in it and below (paths.expand's rules)
  local scripts = {}
  for _, path in ipairs(files) do
    if require("leastpriv.cli.paths").is_folder_of_files(path) then
      local list, perr = require("leastpriv.cli.paths").expand({ path })
      if not list then error(args.fail(perr), 0) end
      local n = 0
      for _, p in ipairs(list) do
        if p:match("%.lua$") then scripts[#scripts + 1] = p; n = n + 1 end
      end
      if n == 0 then error(args.fail(path .. ": a folder with no role script (.lua)"), 0) end
    else
      scripts[#scripts + 1] = path
    end
  end
  files = scripts
  -- Run every script, then render everything, before writing anything.
  local loaded, declared = {}, {}
  for i, path in ipairs(files) do
    local refused = require("leastpriv.files").check_input(path)
    if refused then error(args.fail(refused), 0) end
    local ok, items, variables = pcall(script.load, path)
    if not ok then error(args.fail(tostring(items)), 0) end
    loaded[i] = { path = path, items = items, variables = variables }
    for _, v in ipairs(variables) do declared[#declared + 1] = v end
  end
  local vars = parse_sets(opts.set, declared)
  -- --set values obey the rules of where each input is used (as literals do)
  local input_rules = require "leastpriv.input_rules"
  for _, l in ipairs(loaded) do
    local rules = input_rules.of(l.items)
    for _, name in ipairs(util.sorted_keys(vars)) do
      local why = input_rules.check(name, vars[name], rules[name])
      if why then error(args.fail(("--set %s=%s: %s (%s uses it so)"):format(name, vars[name], why, l.path)), 0) end
    end
  end
  if not opts["no-check"] then
    local gate = require "leastpriv.check.gate"
    local ok, refused = pcall(gate.refusals, files, vars)
    if not ok then error(args.fail(tostring(refused)), 0) end
    if #refused > 0 then
      local message, details = gate.message(refused)
      error(args.fail(message, 2, details), 0)
    end
  end
  local outputs = {}
  for _, l in ipairs(loaded) do
    -- a module is named after its folder: --out DIR, or DIR/NAME with several scripts
    local module_name = (#files == 1 and opts.out and opts.out:match("([^/]+)/*$")) or basename(l.path)
    local rok, rendered = pcall(render.render, l.items, l.variables, {
      format = opts.format, basename = basename(l.path), vars = vars, compact = opts.compact,
      module_name = module_name, managed = opts["managed-policies"],
      exclusive = opts.exclusive, aws_version = opts["aws-version"] })
    if not rok then error(args.fail(l.path .. ": " .. tostring(rendered)), 0) end
    local prefix = (#files > 1) and (basename(l.path) .. "/") or ""
    for _, f in ipairs(rendered) do
      outputs[#outputs + 1] = { path = prefix .. f.path, content = f.content,
                                origin = l.path .. ": " .. (f.origin or f.path) }
    end
  end
  if opts.out then
    local warnings = {}
    local ok, res = pcall(render.write, opts.out, outputs,
      function(msg) warnings[#warnings + 1] = msg end)
    if not ok then error(args.fail(tostring(res)), 0) end
    for _, f in ipairs(outputs) do io_.stderr:write("wrote ", opts.out, "/", f.path, "\n") end
    for _, p in ipairs(res.removed) do
      io_.stderr:write("removed ", opts.out, "/", p, " (written by a previous render, not by this one)\n")
    end
    for _, w in ipairs(warnings) do io_.stderr:write("warning: ", w, "\n") end
    return 0
  end
  for i, f in ipairs(outputs) do
    if #outputs > 1 then
      io_.stdout:write(i > 1 and "\n" or "", "==> ", f.path, " <==\n")
    end
    io_.stdout:write(f.content)
  end
  return 0
end

return M
