-- leastpriv import: existing IAM into role scripts.
local args = require "leastpriv.cli.args"
local import = require "leastpriv.import"
local inputs = require "leastpriv.inputs"
local script = require "leastpriv.script"
local template = require "leastpriv.template"

local M = {
  summary = "turn IAM JSON, account dumps, plans and .tf modules into role scripts",
  usage = [[
usage: leastpriv import FILE... [--out DIR] [--check] [--set NAME=VALUE]...

Write the roles and policies of FILE... (IAM JSON documents, account dumps
from get-account-authorization-details, terraform show -json plans, .tf
files and module folders) as role scripts, one per role or policy, as a
person would write them: one lp.allow / lp.deny per statement,
lp.trust.service / lp.trust.aws / lp.trust.github where the trust has that
shape, lp.var for Terraform variables (and for values that only apply
knows, named after them), a statement the DSL would refuse kept as written
with a comment.  Each script is run and must mean the same as its input,
as IAM documents; where an idiom would not, the document is written as it
is.  Output is deterministic.

Without --out the scripts are printed, each headed "==> NAME.lua <==";
with --out DIR each is written to DIR/NAME.lua (DIR is created; a file
already there is not overwritten).  --check adds a summary of what the
imported roles would need to change to pass `leastpriv check`.

Exit status: 0 imported, 1 with --check when a role has findings at or
above warning, 2 an input that cannot be read, or a usage error.]],
  options = {
    { name = "out", short = "o", arg = "DIR", help = "write one script per role or policy into DIR" },
    { name = "check", help = "also summarise the findings of leastpriv check on what was imported" },
    { name = "set", arg = "NAME=VALUE", multi = true, help = "value of a Terraform or script input" },
  },
}

local function fail(msg) error(args.fail(msg), 0) end

-- Run a generated script; it must return an item meaning the same as item.
local function round_trip(text, item)
  local path = os.tmpname() .. ".lua"
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  local ok, items = pcall(script.load, path)
  os.remove(path)
  if not ok or type(items) ~= "table" or #items ~= 1 then return false end
  local back = items[1]
  -- the script names values only apply knows after lp.var inputs: compare
  -- its placeholders by their position, not their text
  local function plain(x)
    if type(x) == "string" then
      return (x:gsub(template.OPEN .. ".-" .. template.CLOSE, template.OPEN .. "?" .. template.CLOSE))
    end
    if type(x) ~= "table" then return x end
    local out = {}
    for k, v in pairs(x) do out[plain(k)] = plain(v) end
    return setmetatable(out, getmetatable(x))
  end
  local a = plain(item)
  local b = plain(back)
  if b.kind == "policy" and a.kind ~= "policy" then b = b.document end
  if a.kind == "policy" and b.kind ~= "policy" then b = { kind = "policy", document = b } end
  return import.same(a, b)
end

local function summary(items, out)
  local lp = require "leastpriv"
  local total, failing = 0, 0
  local per_code = {}
  for _, item in ipairs(items) do
    local ok, findings = pcall(lp.validate, item)
    if ok then
      local bad = false
      for _, f in ipairs(findings) do
        total = total + 1
        local c = per_code[f.code] or { n = 0, severity = f.severity, roles = {} }
        per_code[f.code] = c
        c.n = c.n + 1
        c.roles[tostring(item.name)] = true
        if f.severity ~= "suggestion" then bad = true end
      end
      if bad then failing = failing + 1 end
    end
  end
  out:write(("\nleastpriv check on what was imported: %d finding%s; %d of %d roles and policies need changes\n")
    :format(total, total == 1 and "" or "s", failing, #items))
  local codes = {}
  for code in pairs(per_code) do codes[#codes + 1] = code end
  table.sort(codes, function(x, y)
    if per_code[x].n ~= per_code[y].n then return per_code[x].n > per_code[y].n end
    return x < y
  end)
  for _, code in ipairs(codes) do
    local c = per_code[code]
    local roles = {}
    for r in pairs(c.roles) do roles[#roles + 1] = r end
    table.sort(roles)
    out:write(("  %5d  %-10s %s  (%s)\n"):format(c.n, c.severity, code, table.concat(roles, ", ")))
  end
  return failing
end

function M.run(opts, files, io_)
  if #files == 0 then fail("name at least one file or folder to import") end
  local expanded, perr = require("leastpriv.cli.paths").expand(files)
  if not expanded then fail(perr) end
  local vars = args.sets(opts.set)
  local all = {}
  local written = {}
  local taken = {}
  for _, path in ipairs(expanded) do
    if path:match("%.lua$") then fail(path .. ": already a role script") end
    local ok, loaded = pcall(inputs.load, path, vars)
    if not ok then fail(tostring(loaded)) end
    local items = {}
    for _, item in ipairs(loaded) do
      if item.iam_kind == "user" or item.iam_kind == "group" then
        io_.stderr:write(("leastpriv import: %s: %s %s left out (role scripts hold roles and policies)\n")
          :format(path, item.iam_kind, tostring(item.iam_name or item.name)))
      else
        items[#items + 1] = item
        all[#all + 1] = item
      end
    end
    for _, f in ipairs(import.scripts(items, { source = path:match("([^/]+)$"), check = round_trip })) do
      -- names unique across inputs
      local name = f.name
      local n = 1
      while taken[name:lower()] do n = n + 1; name = f.name:gsub("%.lua$", "") .. "_" .. n .. ".lua" end
      taken[name:lower()] = true
      f.name = name
      written[#written + 1] = f
    end
  end
  if #written == 0 then fail("no role or policy in " .. table.concat(files, ", ")) end
  if opts.out then
    local dir = opts.out:gsub("/+$", "")
    -- only new files, inside dir, whole, never through a link (leastpriv.files)
    local list = {}
    for i, f in ipairs(written) do list[i] = { path = f.name, content = f.text, origin = f.name } end
    local ok, err = pcall(require("leastpriv.files").write_new, dir, list)
    if not ok then fail(tostring(err)) end
    io_.stderr:write(("imported %d role%s and policies into %s/\n"):format(#written, #written == 1 and "" or "s", dir))
  else
    for i, f in ipairs(written) do
      if i > 1 then io_.stdout:write("\n") end
      io_.stdout:write("==> ", f.name, " <==\n", f.text)
    end
  end
  if opts.check then
    local failing = summary(all, opts.out and io_.stderr or io_.stdout)
    return failing > 0 and 1 or 0
  end
  return 0
end

return M
