-- `leastpriv check --format markdown`: the report for a pull request.  A
-- summary line first (counts by severity), then one table per file and
-- document (role, policy) with each finding's code, place (a link to
-- file:line), message and hint: the same findings and fields as --format
-- json.  Tables longer than DETAILS_AFTER rows are collapsed, and the whole
-- stays under GitHub's comment limit, saying what was cut.
local checks = require "leastpriv.check.checks"
local md = require "leastpriv.markdown"

local M = {}

M.DETAILS_AFTER = 10

local function plural(n, word)
  return ("%d %s%s"):format(n, word, n == 1 and "" or "s")
end

local WORD = { error = "**error**", security = "**security**", warning = "warning", suggestion = "suggestion" }

-- The summary line: "**3 findings**: 1 error, 2 security findings in 2 files".
function M.summary_line(findings, files)
  local counts = {}
  for _, f in ipairs(findings) do counts[f.severity] = (counts[f.severity] or 0) + 1 end
  local where = files and (" in " .. plural(files, "file")) or ""
  if #findings == 0 then return "**No findings**" .. where .. "." end
  local parts = {}
  for _, sev in ipairs(checks.severities) do
    local n = counts[sev] or 0
    if n > 0 then parts[#parts + 1] = plural(n, sev == "security" and "security finding" or sev) end
  end
  return ("**%s**: %s%s."):format(plural(#findings, "finding"), table.concat(parts, ", "), where)
end

local function row(f, base)
  local place = f.file and f.file ~= "-" and md.link(f.file, f.line, base) or md.text(f.file or "stdin")
  if f.path and f.path ~= "" then place = place .. " " .. md.code(f.path, true) end
  local message = md.text(f.message or "")
  if f.hint then message = message .. "<br>*hint:* " .. md.text(f.hint) end
  return { WORD[f.severity] or md.text(f.severity), md.code(f.code, true), place, message }
end

-- report(findings, opts) -> Markdown.  opts: files (how many were
-- checked), link_base (prefix of file links, e.g. a blob URL), title.
function M.report(findings, opts)
  opts = opts or {}
  local b = md.budget(opts.budget)
  b.force(("## %s\n\n%s\n"):format(opts.title or "leastpriv check", M.summary_line(findings, opts.files)))

  -- Groups: file, then document, in the findings' (sorted) order.
  local groups, index = {}, {}
  for _, f in ipairs(findings) do
    local key = (f.file or "") .. "\0" .. (f.document or "")
    local g = index[key]
    if not g then
      g = { file = f.file, document = f.document, list = {} }
      index[key] = g
      groups[#groups + 1] = g
    end
    g.list[#g.list + 1] = f
  end
  local header = { "severity", "check", "where", "finding" }
  local last_file
  for _, g in ipairs(groups) do
    local piece = {}
    if g.file ~= last_file then
      piece[#piece + 1] = ("\n### %s\n"):format(md.code(g.file or "stdin"))
    end
    local rows = {}
    for i, f in ipairs(g.list) do rows[i] = row(f, opts.link_base) end
    local tbl = md.table(header, rows)
    local title = g.document and g.document ~= g.file and md.code(g.document) or nil
    if #g.list > M.DETAILS_AFTER then
      piece[#piece + 1] = "\n" .. md.details(("%s%s"):format(title and (title .. ": ") or "",
        plural(#g.list, "finding")), tbl)
    else
      if title then piece[#piece + 1] = ("\n%s\n"):format(title) end
      piece[#piece + 1] = "\n" .. tbl
    end
    if b.add(table.concat(piece), #g.list) then last_file = g.file end
  end
  return b.finish(function(n)
    return ("_%s not shown here (the comment would be too long): run `leastpriv check --format json` "
      .. "for the whole report._"):format(plural(n, "more finding"))
  end)
end

return M
