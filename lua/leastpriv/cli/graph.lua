-- leastpriv graph: who can become what, drawn.
local args = require "leastpriv.cli.args"
local inputs = require "leastpriv.inputs"
local graph = require "leastpriv.graph"
local render = require "leastpriv.graph_render"

local M = {
  summary = "draw who can assume and pass each role, and what each role reaches",
  usage = [[
usage: leastpriv graph FILE... [--format mermaid|dot|json] [--account ID]
                      [--group path|tag:KEY] [--no-collapse] [--max-edges N]
                      [--set NAME=VALUE]...

Draw the roles of FILE... (role scripts, IAM JSON policies, account dumps
from get-account-authorization-details, Terraform plans from terraform
show -json), as one graph:
  principal --> role     who may assume the role (its trust policy), with
                         the conditions as the edge's label;
  caller ==> role        iam:PassRole the caller's policies allow on the
                         role (decided by the engine), and the services it
                         may pass it to;
  role -.-> resource     what the role reaches, per resource pattern, as
                         `leastpriv can` lists it.
Roles that `leastpriv check` reports a privilege-escalation path for are
highlighted, and so are the iam:PassRole edges leaving them.

Mermaid renders in GitHub Markdown (put the output in a ```mermaid block);
DOT is for Graphviz; JSON is the graph as data.  Roles whose ARN the input
does not give (role scripts) are placed in the account --account names.

Large sets: --group puts roles in boxes by IAM path or by a tag's value;
roles with the same trust share one box that the trust edges reach once
(--no-collapse draws every edge); at most --max-edges edges are drawn
(trust first, then iam:PassRole, then reach) and a note says how many were
left out.

Exit status: 0 drawn, 2 usage or input error.]],
  options = {
    { name = "format", short = "f", arg = "FORMAT", choices = { "mermaid", "dot", "json" },
      default = "mermaid", help = "the drawing" },
    { name = "account", arg = "ID", help = "the account of roles whose ARN is not given (scripts)" },
    { name = "group", arg = "HOW", help = "group roles: path, or tag:KEY" },
    { name = "no-collapse", help = "draw every trust edge, even for roles with the same trust" },
    { name = "max-edges", arg = "N", default = tostring(render.DEFAULT_MAX_EDGES),
      help = "draw at most N edges" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

function M.run(opts, files, io_)
  if #files == 0 then fail("name at least one file (role scripts, policies, account dumps or plans)") end
  if opts.account and not opts.account:match("^%d%d%d%d%d%d%d%d%d%d%d%d$") then
    fail(("--account %q must be a 12-digit AWS account ID"):format(opts.account))
  end
  if opts.group and opts.group ~= "path" and not opts.group:match("^tag:.+$") then
    fail(("--group %q must be path or tag:KEY"):format(opts.group))
  end
  local max_edges = tonumber(opts["max-edges"])
  if not max_edges or max_edges < 0 or max_edges % 1 ~= 0 then
    fail(("--max-edges %q must be a whole number"):format(opts["max-edges"]))
  end
  local expanded, perr = require("leastpriv.cli.paths").expand(files)
  if not expanded then fail(perr) end
  files = expanded
  local vars = args.sets(opts.set)
  local items = {}
  for _, path in ipairs(files) do
    local ok, list = pcall(inputs.load, path, vars)
    if not ok then fail(tostring(list)) end
    for _, item in ipairs(list) do items[#items + 1] = item end
  end
  local g = graph.build(items, { account = opts.account })
  io_.stdout:write(render.render(g, opts.format, { group = opts.group, collapse = not opts["no-collapse"],
                                                   max_edges = max_edges }))
  return 0
end

return M
