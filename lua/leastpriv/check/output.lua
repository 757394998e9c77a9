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

local ESCAPES = { ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

-- The length of the valid UTF-8 sequence at s[i], or nil.
local function utf8_at(s, i)
  local c = s:byte(i)
  local n = c >= 0xC2 and c <= 0xDF and 2 or c >= 0xE0 and c <= 0xEF and 3
    or c >= 0xF0 and c <= 0xF4 and 4 or nil
  if n and i + n - 1 <= #s and core.utf8_valid(s:sub(i, i + n - 1)) then return n end
  return nil
end

-- Characters a terminal acts on or that reorder or break the line: C1
-- controls, line and paragraph separators, bidirectional overrides.
local function is_format_char(seq)
  local a, b, c = seq:byte(1, 3)
  if a == 0xC2 then return b <= 0x9F end
  if a == 0xE2 and b == 0x80 then return c >= 0xA8 and c <= 0xAE end  -- U+2028..U+202E
  if a == 0xE2 and b == 0x81 then return c >= 0xA6 and c <= 0xA9 end  -- U+2066..U+2069
  return false
end

local function code_point(seq)
  local a, b, c = seq:byte(1, 3)
  if #seq == 2 then return (a - 0xC0) * 64 + (b - 0x80) end
  return (a - 0xE0) * 4096 + (b - 0x80) * 64 + (c - 0x80)
end

-- escape(s) -> s with every control character written as an escape (\n,
-- \x1b, \u{202e}) and every byte that is not UTF-8 as \xNN: a name from a
-- file cannot start a line of its own or drive the terminal.
function M.escape(s)
  s = tostring(s)
  if not s:find("[%c\128-\255]") then return s end
  local out, i = {}, 1
  while i <= #s do
    local c = s:byte(i)
    if c < 0x20 or c == 0x7F then
      out[#out + 1] = ESCAPES[string.char(c)] or ("\\x%02x"):format(c)
      i = i + 1
    elseif c < 0x80 then
      out[#out + 1] = string.char(c)
      i = i + 1
    else
      local n = utf8_at(s, i)
      if not n then
        out[#out + 1] = ("\\x%02x"):format(c)
        i = i + 1
      else
        local seq = s:sub(i, i + n - 1)
        out[#out + 1] = is_format_char(seq) and ("\\u{%04x}"):format(code_point(seq)) or seq
        i = i + n
      end
    end
  end
  return table.concat(out)
end

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
           document = f.document }
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
