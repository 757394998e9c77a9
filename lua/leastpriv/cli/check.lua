-- leastpriv check: offline validation of role scripts, IAM JSON, account
-- dumps and Terraform plans; findings as compiler-style text, JSON or SARIF.
local args = require "leastpriv.cli.args"
local checks = require "leastpriv.check.checks"
local config = require "leastpriv.check.config"
local core = require "leastpriv.core"
local engine = require "leastpriv.check.engine"
local inputs = require "leastpriv.check.inputs"
local output = require "leastpriv.check.output"
local paths = require "leastpriv.cli.paths"
local resource_policy = require "leastpriv.check.resource_policy"
local roles = require "leastpriv.check.roles"
local sandbox = require "leastpriv.sandbox"
local util = require "leastpriv.util"
local validate = require "leastpriv.validate"

local USAGE = [[
usage: leastpriv check FILE... [--format text|json|sarif|markdown] [--fail-on LEVEL]
                               [--type TYPE] [--service SERVICE] [--account ID]
                               [--disable CODE]... [--profile seed-review]
                               [--limit NAME=N]... [--summary] [--link-base URL]

Check role scripts (.lua), Terraform source (.tf files and module folders,
read without a plan: docs/terraform-source.md) and JSON files offline: IAM
policies, the output of `aws iam get-account-authorization-details`, and
`terraform show -json` plans, told apart by their content.  A folder reads
the .lua and .json files in it and below and each folder of .tf files as
one module (hidden entries, node_modules and symbolic links left out); "-"
reads standard input.  For .tf inputs, terraform.tfvars, *.auto.tfvars and
each --var-file give the variables.  Every check is listed in
docs/checks.md (or run `leastpriv check --list-checks`).
Files are regular files of at most 16 MiB, but account dumps, which are
read one role at a time when larger.  A finding repeated in one statement
is reported once, with how many more and where.

Findings print as FILE:LINE:COL: SEVERITY CODE MESSAGE.  On a terminal,
stderr shows progress (files, then roles and policies: done, rate, time
left); --quiet turns it off.  Severities, most severe first: error,
security, warning, suggestion.  Exit status: 1
when a finding is at or above --fail-on (default: warning), 0 otherwise, and
2 for a usage error or an unreadable file.

--format markdown is the report for a pull request comment: a summary line,
then a table per file and role or policy (links to FILE#LLINE, relative or
under --link-base, e.g. https://github.com/ORG/REPO/blob/SHA/), long tables
collapsed, the whole under GitHub's 65,536-character limit.  --summary also
appends that report to $GITHUB_STEP_SUMMARY (GitHub Actions' job summary),
whatever --format prints.

A project configuration (.leastpriv.lua or leastpriv.json in the current
directory, or --config FILE; on a pull request, --config-from-git with the
base branch, so that the pull request cannot change it) sets defaults for
these options, severity overrides, policy types, ignored codes per file
pattern and the script limits.  In role
scripts, a comment `-- leastpriv: ignore CODE` on a line (or on the line
above) silences that code there.  See docs/check.md.

--set NAME=VALUE gives a role script input (lp.var) the value render would
get, so that check sees what render writes; inputs without a value take
their declared default, and those without one stay unknown (not checked).
--account names the roles' own account, for the checks of cross-account
trust; without it (and without the configuration's account), the account
that the role scripts' lp.scope { account = } calls name is used, when
they all name the same one (an lp.var account takes its --set value or
default; values that are no 12-digit account are left out).
--type applies to JSON policy files whose type cannot be inferred (a
Principal makes a resource-based policy, sts:AssumeRole* with a Principal a
trust policy, anything else an identity policy).
--service names the service of resource policy files (a prefix such as s3,
or a resource type such as AWS::S3::Bucket; implies --type resource): their
actions and resource ARNs must be that service's.  Terraform plans name it
themselves (aws_s3_bucket_policy, aws_kms_key, aws_sqs_queue_policy, ...).
--format sarif locates results by URIs relative to the source root
(%SRCROOT%: --source-root, else the git work tree around the current
directory, else the current directory); a file outside it keeps only its
name, as a logical location, so no path of the machine leaks.
--limit NAME=N changes a quota: trust_policy_size (2048; AWS raises it to
4096), managed_policies_per_role (10; up to 20), managed_policy_size,
role_inline_size, user_inline_size, group_inline_size, resource_policy_size,
scp_size, rcp_size, session_policy_size.]]

local LEVELS = { "error", "security", "warning", "suggestion", "none" }

local M = {
  summary = "check role scripts, IAM JSON, account dumps and Terraform plans offline",
  usage = USAGE,
  options = {
    { name = "format", short = "f", arg = "FORMAT", choices = output.formats, help = "output format [default: text]" },
    { name = "fail-on", arg = "LEVEL", choices = LEVELS,
      help = "exit 1 on findings at or above LEVEL [default: warning]" },
    { name = "type", short = "t", arg = "TYPE",
      choices = { "identity", "resource", "trust", "scp", "rcp", "boundary", "session", "endpoint" },
      help = "policy type of JSON policy files" },
    { name = "service", arg = "SERVICE",
      help = "service of resource policy files (s3, AWS::S3::Bucket, ...); implies --type resource" },
    { name = "disable", short = "d", arg = "CODE", multi = true, help = "do not report CODE" },
    { name = "account", arg = "ID",
      help = "the account that owns the roles (cross-account trust) [default: the one the scripts' lp.scope names]" },
    { name = "profile", arg = "NAME", choices = { "seed-review" }, help = "an opt-in set of review rules" },
    { name = "limit", arg = "NAME=N", multi = true, help = "change a quota" },
    { name = "set", arg = "NAME=VALUE", multi = true,
      help = "value of a role script input (lp.var), as for render" },
    { name = "var-file", arg = "FILE", multi = true, help = "values of Terraform variables (.tfvars) for .tf inputs" },
    { name = "config", arg = "FILE", help = "read the project configuration from FILE" },
    { name = "no-config", help = "ignore the project configuration" },
    { name = "config-from-git", arg = "REF",
      help = "read the project configuration from git revision REF (on a pull request: the base branch)" },
    { name = "aws-managed", help = "also check the AWS managed policies of account dumps" },
    { name = "output", short = "o", arg = "FILE",
      help = "write the report to FILE instead of stdout (replaced whole, links in the current directory not followed)" },
    { name = "source-root", arg = "DIR",
      help = "SARIF URIs are relative to DIR [default: the git work tree, else the current directory]" },
    { name = "summary", help = "also append the Markdown report to $GITHUB_STEP_SUMMARY" },
    { name = "link-base", arg = "URL", help = "prefix of file links in the Markdown report" },
    { name = "graph", help = "add the roles' graph (Mermaid) to the Markdown report" },
    { name = "quiet", short = "q", help = "no progress on stderr (shown only on a terminal)" },
    { name = "list-checks", help = "list every check (code, severity, title) and exit" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

local function code_names()
  local names = {}
  for _, c in ipairs(checks.list) do names[#names + 1] = c.code end
  return names
end

local function check_code(code, what)
  if not checks.by_code[code] then
    fail(("%s: unknown check %s%s"):format(what, code, util.did_you_mean(code, code_names())))
  end
end

-- The one account the role scripts' lp.scope calls agree on, or nil
-- (none named, or two different ones: then no guess).
local function scripts_account(entities)
  local found
  for _, e in ipairs(entities) do
    for _, a in ipairs(e.scope_accounts or {}) do
      if found and found ~= a then return nil end
      found = a
    end
  end
  return found
end

local function list_checks(out)
  for _, c in ipairs(checks.list) do
    out:write(("%-55s %-10s %s\n"):format(c.code, c.severity, c.title))
  end
  return 0
end

-- The Markdown report's graph of the checked roles (leastpriv graph), or
-- a line saying why there is none.
-- Edges are dropped (the drawing says how many) until the whole report
-- fits GitHub's comment limit.
local function graph_section(files, opts, room)
  local items = {}
  for _, path in ipairs(files) do
    local ok, list = pcall(require("leastpriv.inputs").load, path)
    if ok then for _, item in ipairs(list) do items[#items + 1] = item end end
  end
  if #items == 0 then return "\n### Who can become what\n\nNo role to draw.\n" end
  local render = require "leastpriv.graph_render"
  local g = require("leastpriv.graph").build(items, { account = opts.account })
  local max = render.DEFAULT_MAX_EDGES
  while true do
    local text = "\n### Who can become what\n\n```mermaid\n" ..
      render.render(g, "mermaid", { collapse = true, max_edges = max }) .. "```\n"
    if #text <= room then return text end
    if max == 0 then return "\n### Who can become what\n\nThe graph does not fit in this comment: "
      .. "run `leastpriv graph` on these files.\n" end
    max = math.floor(max / 2)
  end
end

function M.run(opts, files, io_)
  if opts["list-checks"] then return list_checks(io_.stdout) end
  if #files == 0 then fail("name at least one file or folder (" .. paths.KINDS .. ")") end
  local expanded, perr = paths.expand(files)
  if not expanded then fail(perr) end
  files = expanded
  local cfg = {}
  local from_git = opts["config-from-git"]
  if from_git and (opts.config or opts["no-config"]) then
    fail("--config-from-git: give one of --config, --no-config and --config-from-git")
  end
  if from_git then
    local ok, res = pcall(config.load_from_git, from_git)
    if not ok then fail(tostring(res)) end
    cfg = res
  elseif not opts["no-config"] then
    local path = opts.config or config.find()
    if path then
      local ok, res = pcall(config.load, path)
      if not ok then fail(tostring(res)) end
      cfg = res
    end
  end
  sandbox.set_limits({ timeout = cfg.script_timeout, memory = cfg.script_memory }, "config")
  local disable = {}
  for _, code in ipairs(cfg.disable or {}) do disable[code] = true end
  for _, code in ipairs(opts.disable) do check_code(code, "--disable"); disable[code] = true end
  local limits = {}
  for k, v in pairs(cfg.limits or {}) do limits[k] = v end
  for _, item in ipairs(opts.limit) do
    local name, n = item:match("^([%w_]+)=(%d+)$")
    if not name then fail(("--limit %q must look like NAME=N"):format(item)) end
    if not engine.LIMITS[name] then
      fail(("--limit: unknown limit %s%s"):format(name, util.did_you_mean(name, util.sorted_keys(engine.LIMITS))))
    end
    limits[name] = tonumber(n)
  end
  for name in pairs(limits) do
    if not engine.LIMITS[name] then fail(("unknown limit %s"):format(name)) end
  end
  local profile = opts.profile or cfg.profile
  if profile and not roles.PROFILES[profile] then fail(("unknown profile %s"):format(profile)) end
  local format = opts.format or cfg.format or "text"
  if opts["source-root"] and not core.is_dir(opts["source-root"]) then
    fail(("--source-root %s is not a directory"):format(opts["source-root"]))
  end
  local fail_on = opts["fail-on"] or cfg.fail_on or "warning"
  local okf = false
  for _, l in ipairs(LEVELS) do if l == fail_on then okf = true end end
  if not okf then fail(("fail_on must be one of %s"):format(table.concat(LEVELS, ", "))) end

  local service = opts.service
  if service then
    local svc, err = resource_policy.resolve(service)
    if not svc then fail("--service: " .. err) end
    if opts.type and opts.type ~= "resource" then
      fail(("--service applies to resource policies, not to --type %s"):format(opts.type))
    end
    service = svc
  end
  local run = engine.new({ account = opts.account or cfg.account, disable = disable,
    limits = limits, profile = profile, severity = cfg.severity,
    aws_managed = opts["aws-managed"] or cfg.aws_managed })
  -- role script inputs: the values render would use (else their defaults;
  -- an input without either stays unknown, and is checked as such)
  local sets = args.sets(opts.set)
  local progress = require("leastpriv.progress").new(io_.stderr,
    { label = "check", unit = "files", total = #files, quiet = opts.quiet })
  local entities = {}
  -- the report must not depend on the order files are named in
  local sorted = {}
  for i, path in ipairs(files) do sorted[i] = path end
  table.sort(sorted)
  files = sorted
  local stopped = {}                  -- role scripts stopped at a sandbox limit
  for i, path in ipairs(files) do
    progress:tick()
    local ftype = opts.type or (service and "resource")
    if not ftype then
      for pattern, t in pairs(cfg.types or {}) do
        if config.matches(pattern, path) then ftype = t end
      end
    end
    local before = #run.findings
    local list, err, why = inputs.load(run, path, { type = ftype, service = service, vars = sets,
                                                    var_files = opts["var-file"] })
    if not list and why == "limit" then
      stopped[#stopped + 1] = err
      list = {}
    elseif not list then
      fail(tostring(err))
    end
    for j = before + 1, #run.findings do run.findings[j]._order = i end
    for _, e in ipairs(list) do
      e.order = i
      entities[#entities + 1] = e
    end
  end
  -- without --account (or the config's), the account the scripts' scopes
  -- name is the roles' own account (cross-account trust needs it)
  local account = opts.account or cfg.account
  if not account then
    account = scripts_account(entities)
    run.opts.account = account
  end
  local n = #run.findings
  progress:phase("roles and policies", #entities)
  validate.check(run, entities, progress)
  progress:finish()
  for j = n + 1, #run.findings do
    local f = run.findings[j]
    for i, path in ipairs(files) do
      if f.file == path then f._order = i; break end
    end
  end
  local findings = run:result()
  if cfg.ignore then
    local kept = {}
    for _, f in ipairs(findings) do
      local drop = false
      for pattern, codes in pairs(cfg.ignore) do
        if f.file and config.matches(pattern, f.file) then
          for _, code in ipairs(codes) do if code == f.code then drop = true end end
        end
      end
      if not drop then kept[#kept + 1] = f end
    end
    findings = kept
  end

  local markdown
  if format == "markdown" or opts.summary then
    -- with the graph, the findings leave it a third of the comment
    markdown = require("leastpriv.check.markdown").report(findings,
      { files = #files - #stopped, link_base = opts["link-base"], budget = opts.graph and 40000 or nil })
    if opts.graph then
      local md = require "leastpriv.markdown"
      markdown = markdown .. graph_section(files, { account = account }, md.COMMENT_LIMIT - #markdown - 200)
    end
  end
  if opts.summary then
    local path = os.getenv("GITHUB_STEP_SUMMARY")
    if not path or path == "" then
      fail("--summary: GITHUB_STEP_SUMMARY is not set (GitHub Actions sets it for each step)")
    end
    local f, err = io.open(path, "ab")
    if not f then fail("--summary: " .. tostring(err)) end
    f:write(markdown, "\n")
    f:close()
  end
  local text
  if format == "markdown" then text = markdown
  elseif format == "json" then text = output.json(findings)
  elseif format == "sarif" then text = output.sarif(findings, { root = opts["source-root"] })
  else text = output.text(findings, { files = #files - #stopped }) end
  if opts.output then
    -- whole or not at all, never through a symbolic link (leastpriv.files)
    local ok, err = pcall(require("leastpriv.files").write_file, opts.output, text)
    if not ok then fail(tostring(err)) end
  else
    io_.stdout:write(text)
  end
  for _, msg in ipairs(stopped) do io_.stderr:write("leastpriv check: ", msg, "\n") end
  if #stopped > 0 then return 2 end
  if fail_on == "none" then return 0 end
  local limit = checks.rank[fail_on]
  for _, f in ipairs(findings) do
    if checks.rank[f.severity] >= limit then return 1 end
  end
  return 0
end

return M
