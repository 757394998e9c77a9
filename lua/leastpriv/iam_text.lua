-- The characters IAM accepts in a role's description and tags, checked
-- before Terraform text is written.  Terraform normalises every string to
-- Unicode NFC; the sets below never hold a character NFC changes, so what
-- is written is what IAM gets.
--   Role Description: "[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*",
--     at most 1,000 characters (IAM API Reference, CreateRole).
--   Tag Key: "[\p{L}\p{Z}\p{N}_.:/=+\-@]+", 1 to 128 characters; Value the
--     same set, 0 to 256 (IAM API Reference, Tag).
-- Beyond Latin-1, characters are accepted (IAM decides at apply which are
-- letters, digits or spaces) but for those NFC rewrites (compatibility
-- singletons such as U+212B ANGSTROM SIGN, the CJK compatibility block,
-- conjoining Hangul jamo) and the common combining marks (category M,
-- which the tag set does not hold): a superset of what NFC changes there.
local M = {}

-- The code points of UTF-8 text s, or nil at the first invalid byte.
local function code_points(s)
  local out, i = {}, 1
  while i <= #s do
    local c = s:byte(i)
    local n, cp = 0, c
    if c >= 0xF0 then n, cp = 3, c % 8
    elseif c >= 0xE0 then n, cp = 2, c % 16
    elseif c >= 0xC0 then n, cp = 1, c % 32
    elseif c >= 0x80 then return nil end
    for k = 1, n do
      local b = s:byte(i + k)
      if not b or b < 0x80 or b > 0xBF then return nil end
      cp = cp * 64 + b % 64
    end
    out[#out + 1] = cp
    i = i + n + 1
  end
  return out
end

local function description_ok(cp)
  return cp == 9 or cp == 10 or cp == 13 or (cp >= 0x20 and cp <= 0x7E) or (cp >= 0xA1 and cp <= 0xFF)
end

-- Characters NFC changes, or that are combining marks (never in the tag set).
local NFC_UNSTABLE = {
  { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05C7 }, { 0x0610, 0x061A },
  { 0x064B, 0x065F }, { 0x0340, 0x0344 }, { 0x0374, 0x0374 }, { 0x037E, 0x037E },
  { 0x0387, 0x0387 }, { 0x1100, 0x11FF }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
  { 0x1F71, 0x1F71 }, { 0x1F73, 0x1F73 }, { 0x1F75, 0x1F75 }, { 0x1F77, 0x1F77 },
  { 0x1F79, 0x1F79 }, { 0x1F7B, 0x1F7B }, { 0x1F7D, 0x1F7D }, { 0x1FBB, 0x1FBB },
  { 0x1FC9, 0x1FC9 }, { 0x1FCB, 0x1FCB }, { 0x1FD3, 0x1FD3 }, { 0x1FDB, 0x1FDB },
  { 0x1FE3, 0x1FE3 }, { 0x1FEB, 0x1FEB }, { 0x1FEE, 0x1FEF }, { 0x1FF9, 0x1FF9 },
  { 0x1FFB, 0x1FFB }, { 0x1FFD, 0x1FFD },
  { 0x2000, 0x2001 }, { 0x20D0, 0x20FF }, { 0x2126, 0x2126 }, { 0x212A, 0x212B },
  { 0x2329, 0x232A }, { 0x3099, 0x309A }, { 0xA960, 0xA97F }, { 0xD7B0, 0xD7FF },
  { 0xF900, 0xFAFF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0x2F800, 0x2FA1F },
}

local function tag_ok(cp)
  if cp < 0x80 then
    local c = string.char(cp)
    return c:match("[%w _%.:/=%+%-@]") ~= nil
  end
  if cp <= 0xFF then
    -- Latin-1 letters, digits and the no-break space
    return cp == 0xA0 or cp == 0xAA or cp == 0xB2 or cp == 0xB3 or cp == 0xB5 or cp == 0xB9
      or cp == 0xBA or (cp >= 0xBC and cp <= 0xBE) or (cp >= 0xC0 and cp ~= 0xD7 and cp ~= 0xF7)
  end
  if cp >= 0xD800 and cp <= 0xDFFF then return false end
  for _, r in ipairs(NFC_UNSTABLE) do
    if cp >= r[1] and cp <= r[2] then return false end
  end
  return true
end

local function first_bad(s, ok)
  local cps = code_points(s)
  if not cps then return "invalid UTF-8" end
  for _, cp in ipairs(cps) do
    if not ok(cp) then return ("U+%04X"):format(cp), #cps end
  end
  return nil, #cps
end

-- check(kind, s) -> nil, or why IAM (or NFC) would not keep s as it is.
-- kind: "description", "tag key", "tag value".  Placeholder parts are the
-- caller's business (their values are checked by Terraform).
function M.check(kind, s)
  local ok, max, min = tag_ok, 256, 0
  if kind == "description" then ok, max = description_ok, 1000
  elseif kind == "tag key" then max, min = 128, 1 end
  local bad, n = first_bad(s, ok)
  if bad == "invalid UTF-8" then return "is not valid UTF-8" end
  if bad then
    return ("holds %s, which IAM does not accept in a %s%s"):format(bad, kind,
      kind == "description" and "" or " (or Unicode NFC would change it)")
  end
  if n > max or n < min then
    return ("must be %d to %d characters long"):format(min, max)
  end
end

return M
