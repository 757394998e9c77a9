-- SARIF 2.1.0 for GitHub code scanning: every check described once as a
-- rule, every finding a result located by a URI relative to the source root
-- (%SRCROOT%), with a fingerprint that follows it across runs and line moves.
-- Valid against the OASIS schema (spec/sarif_spec.lua checks it); output is
-- deterministic.
local core = require "leastpriv.core"
local checks = require "leastpriv.check.checks"

local M = {}

local SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
local DOCS = "https://github.com/leastpriv/leastpriv/blob/main/docs/checks.md"
local ROOT_ID = "%SRCROOT%"
local FINGERPRINT = "leastprivFinding/v1"

local LEVEL = { error = "error", security = "error", warning = "warning", suggestion = "note" }
-- GitHub maps security-severity to critical (9.0+), high (7.0-8.9),
-- medium (4.0-6.9) and low (0.1-3.9).
local SECURITY_SEVERITY = { error = "7.5", security = "8.0", warning = "5.0", suggestion = "2.0" }
local PROBLEM_SEVERITY = { error = "error", security = "error", warning = "warning", suggestion = "recommendation" }

local function array(t) return setmetatable(t, core.array_mt) end

-- The anchor GitHub gives the heading "### `CODE`" in docs/checks.md
-- (lower case; the backticks dropped; '_' kept).
function M.anchor(code) return DOCS .. "#" .. code:lower() end

-- ---------------------------------------------------------------- URIs

-- A path's segments with "." and "" dropped and ".." applied; a ".." above
-- the top is kept only for relative paths (it leaves their base).
local function segments(path)
  local out = {}
  for seg in path:gmatch("[^/]+") do
    if seg == ".." then
      if #out > 0 and out[#out] ~= ".." then out[#out] = nil
      elseif path:sub(1, 1) ~= "/" then out[#out + 1] = ".." end
    elseif seg ~= "." then
      out[#out + 1] = seg
    end
  end
  return out
end

-- The absolute, lexically normalised form of path (relative to cwd).
function M.absolute(path, cwd)
  if path:sub(1, 1) ~= "/" then path = cwd .. "/" .. path end
  return "/" .. table.concat(segments(path), "/")
end

-- The source root: the nearest folder from cwd up that holds .git (a
-- folder, or a file in a git worktree), else cwd itself.
function M.find_root(cwd)
  local dir = M.absolute(cwd, "/")
  while true do
    local f = io.open((dir == "/" and "" or dir) .. "/.git", "r")
    if f then f:close(); return dir end
    if dir == "/" then return M.absolute(cwd, "/") end
    dir = dir:match("^(.*)/[^/]*$")
    if dir == "" then dir = "/" end
  end
end

-- path relative to root ("roles/x.lua"), or nil when it is outside.
-- Lexical: symbolic links are not followed.
function M.relative(path, root, cwd)
  local abs = M.absolute(path, cwd)
  root = M.absolute(root, cwd)
  if root == "/" then return abs:sub(2) end
  if abs:sub(1, #root + 1) == root .. "/" then return abs:sub(#root + 2) end
  return nil
end

-- A relative path as an RFC 3986 relative reference: every byte but the
-- unreserved ones and "/" percent-encoded (so "a b/ü.lua" is
-- "a%20b/%C3%BC.lua", and a ':' can never read as a scheme).
function M.encode_path(rel)
  return (rel:gsub("[^%w%-%._~/]", function(c) return ("%%%02X"):format(c:byte()) end))
end

-- ---------------------------------------------------------------- fingerprints

-- Four polynomial hashes modulo primes below 2^31: exact in doubles and in
-- integers alike, so every Lua gives the same 32 hex digits.
local PRIMES = { 2147483647, 2147483629, 2147483587, 2147483579 }
local BASES = { 257, 263, 269, 271 }

function M.hash(s)
  local h1, h2, h3, h4 = 0, 0, 0, 0
  local p1, p2, p3, p4 = PRIMES[1], PRIMES[2], PRIMES[3], PRIMES[4]
  local b1, b2, b3, b4 = BASES[1], BASES[2], BASES[3], BASES[4]
  local byte = string.byte
  for i = 1, #s do
    local b = byte(s, i) + 1
    h1, h2 = (h1 * b1 + b) % p1, (h2 * b2 + b) % p2
    h3, h4 = (h3 * b3 + b) % p3, (h4 * b4 + b) % p4
  end
  return ("%08x%08x%08x%08x"):format(h1, h2, h3, h4)
end

-- What identifies a finding whatever its line: the rule, the file, the
-- document and the JSON path in it (a statement named by its Sid when it
-- has one, so inserting a statement above does not move it), and the
-- message with its numbers (lines, columns, counts) left out.
-- where: the file as the report names it; message: the message as the
-- report has it (with the file so named).
function M.identity(f, where, message)
  local path = f.path or ""
  if f.sid and f.sid ~= "" then
    path = path:gsub("^Statement%[%d+%]", function() return "Statement[Sid=" .. f.sid .. "]" end)
  end
  message = (message or f.message or ""):gsub("%d+", "#"):gsub("%s+", " ")
  local document = f.document ~= f.file and f.document or ""
  return table.concat({ f.code, where or "", document, path, message }, "\0")
end

-- ---------------------------------------------------------------- document

local function rules_of()
  local rules, index = array({}), {}
  for i, c in ipairs(checks.list) do
    index[c.code] = i - 1
    local security = c.severity == "security" or c.category == "security" or c.category == "trust"
    local tags = array({ c.category })
    if security and c.category ~= "security" then tags[#tags + 1] = "security" end
    local properties = { tags = tags, precision = "high", ["problem.severity"] = PROBLEM_SEVERITY[c.severity] }
    if security then properties["security-severity"] = SECURITY_SEVERITY[c.severity] end
    rules[i] = {
      id = c.code,
      name = (c.code:lower():gsub("_(%w)", string.upper):gsub("^%w", string.upper)),
      shortDescription = { text = c.title },
      fullDescription = { text = c.description },
      helpUri = M.anchor(c.code),
      help = { text = c.description,
               markdown = ("%s\n\nSee [%s](%s)."):format(c.description, c.code, M.anchor(c.code)) },
      defaultConfiguration = { level = LEVEL[c.severity] },
      properties = properties,
    }
  end
  return rules, index
end

-- The last path segment of a file name, for files without a URI.
local function base_name(file)
  return file:match("([^/]*)/*$")
end

-- s with every plain occurrence of old replaced by new.
local function replace_plain(s, old, new)
  local out, i = {}, 1
  while true do
    local a, b = s:find(old, i, true)
    if not a then break end
    out[#out + 1] = s:sub(i, a - 1)
    out[#out + 1] = new
    i = b + 1
  end
  out[#out + 1] = s:sub(i)
  return table.concat(out)
end

-- Where finding f is: { uri =, name = } where name is how the report
-- names its file: the path below the root, else (standard input, a file
-- outside the root) its last segment only, so that no path of the machine
-- that ran the check leaks into the report.
local function place_of(f, ctx)
  if not f.file then return {} end
  if f.file == "-" then return { name = "(standard input)" } end
  local rel = M.relative(f.file, ctx.root, ctx.cwd)
  if rel and rel ~= "" then return { uri = M.encode_path(rel), name = rel } end
  return { name = base_name(f.file), outside = true }
end

-- The locations of finding f at place: a physical location when its file
-- has a URI, a logical one (document and JSON path) when it has them.
local function locations_of(f, place)
  local loc = {}
  if place.uri then
    local line = math.max(1, math.floor(tonumber(f.line) or 1))
    local column = math.max(1, math.floor(tonumber(f.column) or 1))
    loc.physicalLocation = {
      artifactLocation = { uri = place.uri, uriBaseId = ROOT_ID },
      region = { startLine = line, startColumn = column },
    }
  end
  local names = {}
  if place.name and not place.uri then names[#names + 1] = place.name end
  if f.document and f.document ~= f.file then names[#names + 1] = f.document end
  if f.path then names[#names + 1] = f.path end
  if #names > 0 then
    loc.logicalLocations = array({ { fullyQualifiedName = table.concat(names, ": "), kind = "object" } })
  end
  if place.outside then
    loc.message = { text = ("%s is outside the source root"):format(place.name) }
  end
  return array({ loc })
end

-- sarif(findings [, opts]) -> SARIF 2.1.0 text.  opts.root: the source
-- root (default: find_root of the current directory); opts.cwd.
function M.sarif(findings, opts)
  opts = opts or {}
  local cwd = opts.cwd
  if not cwd then
    local err
    cwd, err = core.getcwd()
    if not cwd then error(err, 0) end
  end
  local ctx = { cwd = cwd, root = opts.root and M.absolute(opts.root, cwd) or M.find_root(cwd) }
  local rules, index = rules_of()
  local results, seen = array({}), {}
  local places = {}
  for _, f in ipairs(findings) do
    local place = f.file and places[f.file] or place_of(f, ctx)
    if f.file then places[f.file] = place end
    local message = f.message
    if f.file and place.name and f.file ~= place.name then message = replace_plain(message, f.file, place.name) end
    local id = M.identity(f, place.uri or place.name, message)
    if f.hint then message = message .. " (" .. f.hint .. ")" end
    seen[id] = (seen[id] or 0) + 1
    results[#results + 1] = {
      ruleId = f.code, ruleIndex = index[f.code], level = LEVEL[f.severity] or "error",
      message = { text = message }, locations = locations_of(f, place),
      partialFingerprints = { [FINGERPRINT] = M.hash(id) .. ":" .. seen[id] },
      properties = { severity = f.severity },
    }
  end
  local catalog = core.catalog_version()
  return core.json_encode({
    ["$schema"] = SCHEMA,
    version = "2.1.0",
    runs = array({ {
      tool = { driver = { name = "leastpriv", version = core._VERSION, semanticVersion = core._VERSION,
                          informationUri = "https://github.com/leastpriv/leastpriv",
                          rules = rules,
                          properties = { catalog = catalog.version } } },
      originalUriBaseIds = { [ROOT_ID] = { description = {
        text = "The source root: the git work tree leastpriv check ran in (or --source-root)." } } },
      results = results,
      columnKind = "unicodeCodePoints",
    } }),
  }) .. "\n"
end

return M
