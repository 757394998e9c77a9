-- Output of `leastpriv check`: compiler-style text, JSON, and SARIF 2.1.0
-- for GitHub code scanning (every rule described once, results located by
-- file, line and column).  All output is deterministic.
local core = require "leastpriv.core"
local checks = require "leastpriv.check.checks"

local M = {}

M.formats = { "text", "json", "sarif" }

local DOCS = "https://github.com/leastpriv/leastpriv/blob/main/docs/checks.md"

-- Counts per severity.
function M.summary(findings)
  local s = { error = 0, security = 0, warning = 0, suggestion = 0, total = #findings }
  for _, f in ipairs(findings) do s[f.severity] = (s[f.severity] or 0) + 1 end
  return s
end

local function plural(n, word)
  return ("%d %s%s"):format(n, word, n == 1 and "" or "s")
end

-- text(findings, ndocs) -> "FILE:LINE:COL: severity CODE message" lines,
-- each followed by where in the document and the hint, then a summary.
function M.text(findings, opts)
  opts = opts or {}
  local out = {}
  for _, f in ipairs(findings) do
    local where = f.file or f.document or "-"
    if f.line then where = ("%s:%d:%d"):format(where, f.line, f.column or 1) end
    out[#out + 1] = ("%s: %s %s %s\n"):format(where, f.severity, f.code, f.message)
    local ctx = {}
    if f.document and f.document ~= f.file then ctx[#ctx + 1] = f.document end
    if f.path then ctx[#ctx + 1] = f.path end
    if #ctx > 0 then out[#out + 1] = "    in " .. table.concat(ctx, ": ") .. "\n" end
    if f.hint then out[#out + 1] = "    hint: " .. f.hint .. "\n" end
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

local LEVEL = { error = "error", security = "error", warning = "warning", suggestion = "note" }
local SECURITY_SEVERITY = { error = "7.0", security = "8.0", warning = "4.0", suggestion = "1.0" }

local function anchor(code) return DOCS .. "#" .. code:lower() end

local function uri(path)
  if not path or path == "-" then return "stdin" end
  path = path:gsub("^%./", "")
  if path:sub(1, 1) == "/" then return "file://" .. path end
  return path
end

local function array(t) return setmetatable(t, core.array_mt) end

-- sarif(findings) -> SARIF 2.1.0 text.
function M.sarif(findings)
  local rules, index = array({}), {}
  for i, c in ipairs(checks.list) do
    index[c.code] = i - 1
    local tags = array({ c.category })
    if c.severity == "security" or c.category == "security" or c.category == "trust" then
      tags[#tags + 1] = "security"
    end
    rules[i] = {
      id = c.code,
      name = (c.code:lower():gsub("_(%w)", string.upper):gsub("^%w", string.upper)),
      shortDescription = { text = c.title },
      fullDescription = { text = c.description },
      helpUri = anchor(c.code),
      help = { text = c.description, markdown = ("%s\n\nSee [%s](%s)."):format(c.description, c.code, anchor(c.code)) },
      defaultConfiguration = { level = LEVEL[c.severity] },
      properties = { tags = tags, ["security-severity"] = SECURITY_SEVERITY[c.severity],
                     precision = "high", ["problem.severity"] = c.severity == "suggestion"
                       and "recommendation" or c.severity == "warning" and "warning" or "error" },
    }
  end
  local results = array({})
  for _, f in ipairs(findings) do
    local message = f.message
    if f.hint then message = message .. " (" .. f.hint .. ")" end
    local loc = {
      physicalLocation = {
        artifactLocation = { uri = uri(f.file) },
        region = { startLine = f.line or 1, startColumn = f.column or 1 },
      },
    }
    if f.document or f.path then
      loc.logicalLocations = array({ { fullyQualifiedName = table.concat(
        { f.document or "", f.path or "" }, f.document and f.path and ": " or ""),
        kind = "object" } })
    end
    results[#results + 1] = {
      ruleId = f.code, ruleIndex = index[f.code], level = LEVEL[f.severity] or "error",
      message = { text = message }, locations = array({ loc }),
      properties = { severity = f.severity },
    }
  end
  local catalog = core.catalog_version()
  return core.json_encode({
    ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
    version = "2.1.0",
    runs = array({ {
      tool = { driver = { name = "leastpriv", version = core._VERSION, semanticVersion = core._VERSION,
                          informationUri = "https://github.com/leastpriv/leastpriv",
                          rules = rules,
                          properties = { catalog = catalog.version } } },
      results = results,
      columnKind = "unicodeCodePoints",
    } }),
  }) .. "\n"
end

return M
