-- Markdown for pull requests (GitHub Flavored Markdown): escaping of text
-- that comes from policies, code spans, tables, collapsed sections, and a
-- size budget so that a report fits in one comment (GitHub refuses comments
-- over 65,536 characters).  The report modules (check, diff, can,
-- overgrant) build on these.
local escape = require "leastpriv.escape"

local M = {}

-- GitHub's limit for a comment body; reports stay under it with room for
-- a heading that a workflow may add.
M.COMMENT_LIMIT = 65536
M.BUDGET = 60000

-- Text from data: control and bidirectional characters as visible escapes
-- (leastpriv.escape: "\n", "\u{202e}"), HTML-significant characters as
-- entities, every other ASCII punctuation mark that Markdown reads
-- (emphasis, links, images, headings, lists, tables, autolinks)
-- backslash-escaped.  Nothing in it can become markup or reorder a line.
function M.text(s)
  s = escape.text(s)        -- controls, bidi overrides, bad UTF-8 as visible escapes
  return (s:gsub("[&<>\\`*_{}%[%]()#+%-.!|~\"]", function(c)
    if c == "&" then return "&amp;" end
    if c == "<" then return "&lt;" end
    if c == ">" then return "&gt;" end
    if c == "\"" then return "&quot;" end
    return "\\" .. c
  end))
end

-- A code span holding s literally (ARNs, actions, codes, file names): a
-- fence longer than any run of backticks in s, spaces where s starts or
-- ends with one.  In a table cell (in_cell), "|" is escaped: GitHub splits
-- cells on it even inside code, and shows "\|" there as "|".
function M.code(s, in_cell)
  s = escape.text(s)
  local longest = 0
  for run in s:gmatch("`+") do if #run > longest then longest = #run end end
  local fence = string.rep("`", longest + 1)
  local pad = (s:sub(1, 1) == "`" or s:sub(-1) == "`" or s:match("^ .* $")) and " " or ""
  if in_cell then s = s:gsub("|", "\\|") end
  return fence .. pad .. s .. pad .. fence
end

-- A fenced code block of s (a request, a command line).
function M.block(s, lang)
  s = tostring(s)
  local longest = 2
  for run in s:gmatch("`+") do if #run > longest then longest = #run end end
  local fence = string.rep("`", longest + 1)
  return fence .. (lang or "") .. "\n" .. s .. (s:sub(-1) == "\n" and "" or "\n") .. fence .. "\n"
end

-- A relative link to file at line: [file:line](base + percent-encoded file #Lline).
function M.link(file, line, base)
  local label = line and (file .. ":" .. line) or file
  local target = tostring(file):gsub("^%./", ""):gsub("[^%w%-%._~/]", function(c)
    return ("%%%02X"):format(c:byte())
  end)
  return ("[%s](%s%s%s)"):format(M.text(label), base or "", target, line and ("#L" .. line) or "")
end

-- A table: header (list of strings), rows (lists of cell texts, already
-- escaped); returns the lines as one string.
function M.table(header, rows)
  local out = { "| " .. table.concat(header, " | ") .. " |" }
  local rule = {}
  for i = 1, #header do rule[i] = "---" end
  out[#out + 1] = "|" .. table.concat(rule, "|") .. "|"
  for _, r in ipairs(rows) do out[#out + 1] = "| " .. table.concat(r, " | ") .. " |" end
  return table.concat(out, "\n") .. "\n"
end

-- A collapsed section.
function M.details(summary, body)
  return ("<details><summary>%s</summary>\n\n%s\n</details>\n"):format(summary, body)
end

-- A writer with a budget: add(piece) keeps pieces while they fit, and
-- counts what it had to leave out; finish(note) ends with a note about
-- what was cut (note(n) -> text), itself kept within the limit.
function M.budget(limit)
  local b = { parts = {}, used = 0, limit = limit or M.BUDGET, cut = 0 }
  function b.add(piece, units)
    if b.cut > 0 or b.used + #piece > b.limit then
      b.cut = b.cut + (units or 1)
      return false
    end
    b.parts[#b.parts + 1] = piece
    b.used = b.used + #piece
    return true
  end
  function b.force(piece)
    b.parts[#b.parts + 1] = piece
    b.used = b.used + #piece
  end
  function b.finish(note)
    if b.cut > 0 and note then b.parts[#b.parts + 1] = "\n" .. note(b.cut) .. "\n" end
    return table.concat(b.parts)
  end
  return b
end

return M
