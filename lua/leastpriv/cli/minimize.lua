-- leastpriv minimize: smaller policies that allow exactly the same.
local analysis = require "leastpriv.analysis"
local args = require "leastpriv.cli.args"
local inputs = require "leastpriv.inputs"
local core = require "leastpriv.core"

local M = {
  summary = "shrink policies without changing what they allow (checked by the engine)",
  usage = [[
usage: leastpriv minimize FILE [--set NAME=VALUE]... [--compact]

Merge Allow statements that differ only in their actions or only in their
resources, and write action lists with wildcards where a wildcard expands
to exactly the same actions of today's catalog (s3:GetObject* where every
s3:GetObject... action is listed).  Deny statements stay as they are.  The
evaluation engine checks that each result allows exactly what the input
allows; nothing is printed for a policy where it would not.

Prints each minimized policy (headed "==> NAME <==" when there are several)
and, on stderr, its size before and after as IAM counts it (no whitespace),
with the quota that applies (inline policies of a role: 10,240 in all;
managed policies: 6,144).

A wildcard also matches actions AWS adds later: review the output before
you adopt it where that matters.]],
  options = {
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a script input (lp.var)" },
    { name = "compact", help = "JSON without whitespace" },
  },
}

function M.run(opts, files, io_)
  if #files ~= 1 then error(args.fail("give one file"), 0) end
  local vars = args.sets(opts.set)
  local ok, items = pcall(inputs.load, files[1], vars)
  if not ok then error(args.fail(tostring(items)), 0) end
  local docs = {}
  for _, item in ipairs(items) do
    if item.kind == "role" then
      for _, p in ipairs(item.policies) do
        docs[#docs + 1] = { name = item.name .. "/" .. p.name, doc = p.document, quota = 10240 }
      end
    elseif item.kind == "policy" then
      docs[#docs + 1] = { name = item.name, doc = item.document, quota = 6144 }
    else
      docs[#docs + 1] = { name = "policy", doc = item, quota = 6144 }
    end
  end
  for i, d in ipairs(docs) do
    local mok, small, sizes = pcall(analysis.minimize, d.doc)
    if not mok then error(args.fail(d.name .. ": " .. tostring(small)), 0) end
    if #docs > 1 then io_.stdout:write(i > 1 and "\n" or "", "==> ", d.name, " <==\n") end
    io_.stdout:write(core.policy_json(small, { compact = opts.compact }), "\n")
    io_.stderr:write(("%s: %d -> %d characters (%d statements -> %d; quota %d)\n"):format(
      d.name, sizes.before, sizes.after, #d.doc.Statement, #small.Statement, d.quota))
  end
  return 0
end

return M
