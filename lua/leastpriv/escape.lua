-- Text safe to print on a terminal: what comes from a file (an action, a
-- Sid, a resource, a file name) is escaped so that it cannot start a line
-- of its own, forge output or drive the terminal.  Used by every text
-- report that prints such strings (check, can).
local core = require "leastpriv.core"

local M = {}

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
function M.text(s)
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

return M
