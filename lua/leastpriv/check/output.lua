-- Output of `leastpriv check`: compiler-style text, JSON, and SARIF 2.1.0
-- for GitHub code scanning (every rule described once, results located by
-- file, line and column).  All output is deterministic.
local core = require "leastpriv.core"
local checks = require "leastpriv.check.checks"

local M = {}

M.formats = { "text", "json", "sarif", "markdown" }

-- Counts per severity.
function M.summary(findings)
  local s = { error = 0, security = 0, warning = 0, suggestion = 0, total = #findings }
  for _, f in ipairs(findings) do s[f.severity] = (s[f.severity] or 0) + 1 end
  return s
end

local function plural(n, word)
  return ("%d %s%s"):format(n, word, n == 1 and "" or "s")
end

-- escape(s) -> s safe to print on a terminal (see leastpriv/escape.lua).
M.escape = require("leastpriv.escape").text

-- text(findings, ndocs) -> "FILE:LINE:COL: severity CODE message" lines,
-- each followed by where in the document and the hint, then a summary.
-- Every field is escaped (M.escape): one finding is one line.
function M.text(findings, opts)
  opts = opts or {}
  local out = {}
  local esc = M.escape
  for _, f in ipairs(findings) do
    local where = esc(f.file or f.document or "-")
    if f.line then where = ("%s:%d:%d"):format(where, f.line, f.column or 1) end
    out[#out + 1] = ("%s: %s %s %s\n"):format(where, esc(f.severity), esc(f.code), esc(f.message))
    local ctx = {}
    if f.document and f.document ~= f.file then ctx[#ctx + 1] = esc(f.document) end
    if f.path then ctx[#ctx + 1] = esc(f.path) end
    if #ctx > 0 then out[#out + 1] = "    in " .. table.concat(ctx, ": ") .. "\n" end
    if f.hint then out[#out + 1] = "    hint: " .. esc(f.hint) .. "\n" end
  end
  local s = M.summary(findings)
  if s.total == 0 then
    out[#out + 1] = ("no findings%s\n"):format(opts.files and (" in " .. plural(opts.files, "file")) or "")
  else
    local parts = {}
    for _, sev in ipairs(checks.severities) do
      if s[sev] > 0 then parts[#parts + 1] = plural(s[sev], sev == "security" and "security finding" or sev) end
    end
    out[#out + 1] = ("%s: %s%s\n"):format(plural(s.total, "finding"), table.concat(parts, ", "),
      opts.files and (" in " .. plural(opts.files, "file")) or "")
  end
  return table.concat(out)
end

local function clean(f)
  return { code = f.code, severity = f.severity, message = f.message, path = f.path,
           line = f.line, column = f.column, sid = f.sid, hint = f.hint, file = f.file,
           document = f.document, count = f.count, paths = f.paths }
end

-- json(findings) -> { "findings": [...], "summary": {...}, "version": ... }
function M.json(findings)
  local list = setmetatable({}, core.array_mt)
  for i, f in ipairs(findings) do list[i] = clean(f) end
  local s = M.summary(findings)
  return core.json_encode({ version = core._VERSION, findings = list,
    summary = { total = s.total, error = s.error, security = s.security, warning = s.warning,
                suggestion = s.suggestion } }) .. "\n"
end

-- sarif(findings [, opts]) -> SARIF 2.1.0 text (see check/sarif.lua).
function M.sarif(findings, opts)
  return require("leastpriv.check.sarif").sarif(findings, opts)
end

return M
