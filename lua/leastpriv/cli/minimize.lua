-- leastpriv minimize: smaller policies that allow exactly the same.
local analysis = require "leastpriv.analysis"
local args = require "leastpriv.cli.args"
local inputs = require "leastpriv.inputs"
local core = require "leastpriv.core"

local M = {
  summary = "shrink policies without changing what they allow (checked by the engine)",
  usage = [[
usage: leastpriv minimize FILE [--format json|lua|hcl] [--set NAME=VALUE]... [--compact]

Merge Allow statements that differ only in their actions or only in their
resources, and write action lists with wildcards where a wildcard expands
to exactly the same actions of today's catalog (s3:GetObject* where every
s3:GetObject... action is listed).  Deny statements stay as they are.  The
evaluation engine checks that each result allows exactly what the input
allows; nothing is printed for a policy where it would not.

Prints each minimized policy (headed "==> NAME <==" when there are several)
as IAM JSON; --format lua prints a role script instead (the role, its trust
policy and its minimized inline policies, as data: `leastpriv render` and
`leastpriv diff` read it back), --format hcl Terraform (as `leastpriv render
--format hcl` writes it).  On stderr, its size before and after as IAM counts it (no whitespace),
with the quota that applies (inline policies of a role: 10,240 in all;
managed policies: 6,144).

A wildcard also matches actions AWS adds later: review the output before
you adopt it where that matters.

Exit status: 0 minimized, 2 an input that cannot be read, or a usage error.]],
  options = {
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "compact", help = "JSON without whitespace" },
    { name = "format", arg = "FORMAT", choices = { "json", "lua", "hcl" },
      help = "json (default), lua (a role script) or hcl (Terraform)" },
  },
}

function M.run(opts, files, io_)
  if #files ~= 1 then error(args.fail("give one file"), 0) end
  local vars = args.sets(opts.set)
  local folder = require("leastpriv.cli.paths").one_input(files[1])
  if folder then error(args.fail(folder), 0) end
  local ok, items = pcall(inputs.load, files[1], vars)
  if not ok then error(args.fail(tostring(items)), 0) end
  local format = opts.format or "json"
  local docs, smaller = {}, {}
  for i, item in ipairs(items) do
    if item.kind == "role" then
      local copy = {}
      for k, v in pairs(item) do copy[k] = v end
      copy.policies = {}
      smaller[i] = copy
      for j, p in ipairs(item.policies) do
        copy.policies[j] = { name = p.name, document = p.document }
        docs[#docs + 1] = { name = item.name .. "/" .. p.name, doc = p.document, quota = 10240,
                            set = function(d) copy.policies[j].document = d end }
      end
    elseif item.kind == "policy" then
      local copy = {}
      for k, v in pairs(item) do copy[k] = v end
      smaller[i] = copy
      docs[#docs + 1] = { name = item.name, doc = item.document, quota = 6144,
                          set = function(d) copy.document = d end }
    else
      docs[#docs + 1] = { name = "policy", doc = item, quota = 6144,
                          set = function(d) smaller[i] = d end }
    end
  end
  for i, d in ipairs(docs) do
    local mok, small, sizes = pcall(analysis.minimize, d.doc)
    if not mok then error(args.fail(d.name .. ": " .. tostring(small)), 0) end
    d.set(small)
    if format == "json" then
      if #docs > 1 then io_.stdout:write(i > 1 and "\n" or "", "==> ", d.name, " <==\n") end
      io_.stdout:write(core.policy_json(small, { compact = opts.compact }), "\n")
    end
    io_.stderr:write(("%s: %d -> %d characters (%d statements -> %d; quota %d)\n"):format(
      d.name, sizes.before, sizes.after, #d.doc.Statement, #small.Statement, d.quota))
  end
  if format == "lua" then
    local luawrite = require "leastpriv.luawrite"
    for i, item in ipairs(smaller) do
      if #smaller > 1 then io_.stdout:write(i > 1 and "\n" or "", "-- ==> ", item.name or "policy", " <==\n") end
      local wok, text = pcall(luawrite.script, item, "minimized by leastpriv minimize from " .. files[1])
      if not wok then error(args.fail(files[1] .. ": " .. tostring(text)), 0) end
      io_.stdout:write(text)
    end
  elseif format == "hcl" then
    local hcl = require "leastpriv.hcl"
    local list = #smaller == 1 and smaller[1] or smaller
    local hok, text = pcall(hcl.render, list)
    if not hok then
      error(args.fail(files[1] .. ": cannot write as Terraform: " ..
                      tostring(text):gsub("^[^\n]-%.lua:%d+: ", "")), 0)
    end
    io_.stdout:write(text)
  end
  return 0
end

return M
