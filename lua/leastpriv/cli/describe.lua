-- leastpriv describe: everything the catalog knows about one action.
local args = require "leastpriv.cli.args"
local catalog = require "leastpriv.catalog"
local fmt = require "leastpriv.cli.expand"   -- print_actions, json

local USAGE = [[
usage: leastpriv describe ACTION [--json]

Print what AWS documents for ACTION ("s3:GetObject"; case does not
matter): its access levels, the resource types it applies to with their
ARN templates and whether each is required, and the condition keys it
honours with their types.  An action with no resource type needs
"Resource": "*".

Exit status: 0 described, 2 an action the catalog does not have (with the
closest names), or a usage error.]]

local M = {
  summary = "show an action's access levels, resource types and condition keys",
  usage = USAGE,
  options = {
    { name = "json", help = "print the catalog record as JSON" },
  },
}

local function pad(s, width)
  return s .. string.rep(" ", width - #s)
end

local function text(rec)
  local svc = catalog.services.get(rec.service)
  local lines = {
    ("%s (%s)"):format(rec.name, svc and svc.name or rec.service),
  }
  if rec.description ~= "" then lines[#lines + 1] = rec.description end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "access level: " .. table.concat(rec.access_levels, ", ")

  if #rec.resource_types == 0 then
    lines[#lines + 1] = 'resource types: none (the action needs "Resource": "*")'
  else
    local any_required, width = false, 0
    for _, rt in ipairs(rec.resource_types) do
      if rt.required then any_required = true end
      if #rt.name > width then width = #rt.name end
    end
    lines[#lines + 1] = "resource types:" .. (any_required and "" or " (none required)")
    for _, rt in ipairs(rec.resource_types) do
      lines[#lines + 1] = ("  %s  %-8s  %s"):format(pad(rt.name, width),
        rt.required and "required" or "optional", table.concat(rt.arns, " | "))
      if #rt.condition_keys > 0 then
        lines[#lines + 1] = ("  %s  condition keys: %s"):format(string.rep(" ", width),
          table.concat(rt.condition_keys, ", "))
      end
    end
  end

  -- the action's keys, then those of its resource types
  local keys, seen = {}, {}
  for _, k in ipairs(rec.condition_keys) do
    if not seen[k] then seen[k] = true; keys[#keys + 1] = k end
  end
  for _, rt in ipairs(rec.resource_types) do
    for _, k in ipairs(rt.condition_keys) do
      if not seen[k] then seen[k] = true; keys[#keys + 1] = k end
    end
  end
  if #keys == 0 then
    lines[#lines + 1] = "condition keys: none of its own (global aws: keys still apply)"
  else
    local width = 0
    for _, k in ipairs(keys) do if #k > width then width = #k end end
    lines[#lines + 1] = "condition keys:"
    for _, k in ipairs(keys) do
      lines[#lines + 1] = ("  %s  %s"):format(pad(k, width), rec.condition_key_types[k] or "")
    end
  end
  if #rec.dependent_actions > 0 then
    lines[#lines + 1] = "dependent actions: " .. table.concat(rec.dependent_actions, ", ")
  end
  if rec.scenarios then
    lines[#lines + 1] = "scenarios:"
    for _, sc in ipairs(rec.scenarios) do
      local rts = {}
      for i, rt in ipairs(sc.resource_types) do
        rts[i] = rt.name .. (rt.required and "" or " (optional)")
      end
      lines[#lines + 1] = ("  %s: %s"):format(sc.name, table.concat(rts, ", "))
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

function M.run(opts, positional, io)
  if #positional ~= 1 then
    error(args.fail(#positional == 0 and "give one ACTION (for example s3:GetObject)"
      or "give exactly one ACTION"), 0)
  end
  local rec, err = catalog.actions.get(positional[1])
  if not rec then error(args.fail(err), 0) end
  if opts.json then
    io.stdout:write(fmt.json(rec))
  else
    io.stdout:write(text(rec))
  end
  return 0
end

return M
