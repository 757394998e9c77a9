-- Where leastpriv writes and reads files, and how: only where asked, once,
-- whole.
--
-- write_folder(DIR, files) is `render --out DIR`: every path must stay
-- inside DIR (no "", "." or ".." component, never through a symbolic link:
-- the C side walks each component with O_NOFOLLOW), no two outputs may land
-- on one path (compared ignoring case, as a case-insensitive file system
-- would), files are written to random temporary names created exclusively
-- and renamed into place, and a lock file keeps two renders of one folder
-- apart.  A manifest (.leastpriv-render) lists what the render wrote, with
-- a digest of each file, so the next render removes the files it no longer
-- writes: only files the manifest lists, only while they still hold what
-- was written, and only inside DIR whatever the manifest says.
--
-- write_file(PATH, text) is `check --output PATH`: inside the current
-- directory, a temporary file beside PATH renamed over it, so a symbolic
-- link planted at PATH is replaced, never written through, and no folder
-- on the way may be a link either; outside it (/dev/stdout), as given.
--
-- check_input(PATH) refuses an input reached through a symbolic link that
-- leads out of the current directory (a pull request can plant one to make
-- leastpriv read, and quote in its errors, a file of the runner): such a
-- file is not read.  A path given as absolute or with ".." is the user's
-- explicit choice and is read.
local core = require "leastpriv.core"

local M = {}

M.MANIFEST = ".leastpriv-render"
M.LOCK = ".leastpriv-render.lock"
local MANIFEST_LIMIT = 4 * 1024 * 1024   -- bytes; far more than any real manifest
local STALE_LIMIT = 64 * 1024 * 1024     -- a file larger than this is not one render wrote
local RESERVED = { [M.MANIFEST] = true, [M.LOCK] = true }

-- s with control bytes and quotes escaped, in double quotes: safe to print.
local function quote(s)
  return '"' .. tostring(s):gsub('[%c"\\\127]', function(c)
    return ("\\x%02X"):format(c:byte())
  end) .. '"'
end
M.quote = quote

-- nil when rel is a path that stays inside its folder, else the reason.
function M.unsafe_path(rel)
  if type(rel) ~= "string" or rel == "" then return "an empty path" end
  if rel:find("%z") then return "a NUL byte in the path" end
  if rel:sub(1, 1) == "/" then return "an absolute path" end
  for comp in (rel .. "/"):gmatch("([^/]*)/") do
    if comp == "" or comp == "." or comp == ".." then
      return ("the path component %s would leave the folder"):format(quote(comp))
    end
    if RESERVED[comp:lower()] then
      return ("%s is the name leastpriv keeps for its own file"):format(quote(comp))
    end
  end
  return nil
end

-- Refuse paths that leave the folder and two outputs on one path (or a file
-- where another output needs a folder).  files: { path =, origin = }.
local function check_paths(dir, files)
  local seen = {}
  for _, f in ipairs(files) do
    local why = M.unsafe_path(f.path)
    if why then
      error(("%s: %s/%s would be written outside %s (%s)"):format(
        f.origin or "output", dir, quote(f.path):sub(2, -2), dir, why), 0)
    end
    local key = f.path:lower()
    local other = seen[key]
    if other then
      error(("%s/%s would be written twice: by %s and by %s"):format(
        dir, f.path, other.origin or other.path, f.origin or f.path), 0)
    end
    seen[key] = f
  end
  for _, f in ipairs(files) do
    local key = f.path:lower()
    for cut in key:gmatch("()/") do
      local other = seen[key:sub(1, cut - 1)]
      if other then
        error(("%s/%s is both a file (%s) and the folder of %s/%s (%s)"):format(
          dir, other.path, other.origin or other.path, dir, f.path, f.origin or f.path), 0)
      end
    end
  end
end

-- The entries of a manifest's text: list of { path =, digest = }; lines
-- that are not "DIGEST PATH" with a safe PATH are ignored (never removed).
local function parse_manifest(text)
  local entries, ignored = {}, 0
  for line in text:gmatch("([^\n]*)\n?") do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      local digest, path = line:match("^(%x+) (.+)$")
      if digest and #digest == 16 and not M.unsafe_path(path) then
        entries[#entries + 1] = { path = path, digest = digest:lower() }
      else
        ignored = ignored + 1
      end
    end
  end
  return entries, ignored
end

local function manifest_text(entries)
  local lines = { "# Written by leastpriv render: the files it wrote in this folder, with a",
                  "# digest of each.  The next render removes those it no longer writes,",
                  "# while unchanged.  Do not edit." }
  for _, e in ipairs(entries) do lines[#lines + 1] = e.digest .. " " .. e.path end
  return table.concat(lines, "\n") .. "\n"
end

local function parent_of(rel) return rel:match("^(.*)/[^/]*$") end

-- write_folder(dir, files [, warn]) -> { written =, removed =, kept = }.
-- files: list of { path =, content =, origin = } with paths relative to
-- dir.  Raises "message" naming the file; on error no file is left
-- half-written and no temporary file is left behind.  warn(msg) is told
-- about stale files kept and manifest lines ignored.
function M.write_folder(dir, files, warn)
  warn = warn or function() end
  check_paths(dir, files)
  local ok, err = core.mkdir_p(dir)
  if not ok then error(err, 0) end
  local folder, oerr = core.fsio_open(dir)
  if not folder then error(oerr, 0) end
  local temps = {}
  local function fail(msg)
    for _, t in ipairs(temps) do if t then folder:remove(t) end end
    folder:close()
    error(msg, 0)
  end
  local function at(msg) return dir .. "/" .. msg end

  local locked, lerr = folder:lock(M.LOCK)
  if not locked then fail(at(lerr)) end

  -- what the previous render wrote
  local old = {}
  local kind = folder:kind(M.MANIFEST)
  if kind == "file" then
    local text, rerr = folder:read(M.MANIFEST, MANIFEST_LIMIT)
    if not text then fail(at(rerr)) end
    local ignored
    old, ignored = parse_manifest(text)
    if ignored > 0 then
      warn(("%s/%s: %d line(s) ignored (not a digest and a path inside the folder)"):format(
        dir, M.MANIFEST, ignored))
    end
  elseif kind ~= nil then
    fail(("%s/%s: not a regular file (not followed)"):format(dir, M.MANIFEST))
  end

  -- every new file beside its place, under a temporary name
  local new, new_set = {}, {}
  for i, f in ipairs(files) do
    local parent = parent_of(f.path)
    if parent then
      local mok, merr = folder:mkdirs(parent)
      if not mok then fail(at(merr)) end
    end
    local temp, werr = folder:write_temp(f.path, f.content)
    if not temp then fail(at(werr)) end
    temps[i] = temp
    new[i] = { path = f.path, digest = core.fsio_digest(f.content) }
    new_set[f.path] = true
  end

  local function put_manifest(entries)
    local temp, werr = folder:write_temp(M.MANIFEST, manifest_text(entries))
    if not temp then return nil, werr end
    local rok, rerr = folder:rename(temp, M.MANIFEST)
    if not rok then folder:remove(temp); return nil, rerr end
    return true
  end

  -- first a manifest of both runs' files, so that an interrupted render
  -- still lets the next one clean up; then the files, all at once
  local union = {}
  for _, e in ipairs(new) do union[#union + 1] = e end
  for _, e in ipairs(old) do if not new_set[e.path] then union[#union + 1] = e end end
  local pok, perr = put_manifest(union)
  if not pok then fail(at(perr)) end
  for _, f in ipairs(files) do
    local k = folder:kind(f.path)
    if k == "other" or k == "folder" then
      fail(("%s/%s: not a regular file (not replaced)"):format(dir, f.path))
    end
  end
  for i, f in ipairs(files) do
    local rok, rerr = folder:rename(temps[i], f.path)
    if not rok then fail(at(rerr)) end
    temps[i] = false
  end
  temps = {}

  -- stale files: listed by the old manifest, unchanged since, not written now
  local removed, kept, emptied = {}, {}, {}
  local final = {}
  for _, e in ipairs(new) do final[#final + 1] = e end
  for _, e in ipairs(old) do
    if not new_set[e.path] then
      local k = folder:kind(e.path)
      if k == "file" then
        local text = folder:read(e.path, STALE_LIMIT)
        if text and core.fsio_digest(text) == e.digest and folder:remove(e.path) then
          removed[#removed + 1] = e.path
          local p = parent_of(e.path)
          while p do emptied[p] = true; p = parent_of(p) end
        else
          kept[#kept + 1] = e.path
          final[#final + 1] = e   -- still ours to remove once it is back as written
          warn(("%s/%s: not removed, it changed since leastpriv render wrote it"):format(dir, e.path))
        end
      elseif k ~= nil then
        warn(("%s/%s: not removed, not a regular file"):format(dir, e.path))
      end
    end
  end
  -- folders left empty by the removals (deepest first; a folder that is
  -- not empty stays)
  local folders = {}
  for p in pairs(emptied) do folders[#folders + 1] = p end
  table.sort(folders, function(a, b) return #a > #b or (#a == #b and a < b) end)
  for _, p in ipairs(folders) do folder:remove(p, true) end

  pok, perr = put_manifest(final)
  if not pok then fail(at(perr)) end
  folder:close()
  table.sort(removed)
  return { removed = removed, kept = kept }
end

-- write_new(dir, files): like write_folder, for files that must not exist
-- yet (`import --out`): each path is refused if anything is there (a link
-- too), no manifest is kept, nothing is removed.  All or nothing.
function M.write_new(dir, files)
  check_paths(dir, files)
  local ok, err = core.mkdir_p(dir)
  if not ok then error(err, 0) end
  local folder, oerr = core.fsio_open(dir)
  if not folder then error(oerr, 0) end
  local temps = {}
  local function fail(msg)
    for _, t in ipairs(temps) do if t then folder:remove(t) end end
    folder:close()
    error(msg, 0)
  end
  local locked, lerr = folder:lock(M.LOCK)
  if not locked then fail(dir .. "/" .. lerr) end
  for _, f in ipairs(files) do
    local k, kerr = folder:kind(f.path)
    if k ~= nil or kerr then
      fail(("%s/%s: already exists (only new files are written)"):format(dir, f.path))
    end
  end
  for i, f in ipairs(files) do
    local parent = parent_of(f.path)
    if parent then
      local mok, merr = folder:mkdirs(parent)
      if not mok then fail(dir .. "/" .. merr) end
    end
    local temp, werr = folder:write_temp(f.path, f.content)
    if not temp then fail(dir .. "/" .. werr) end
    temps[i] = temp
  end
  for i, f in ipairs(files) do
    local rok, rerr = folder:rename(temps[i], f.path)
    if not rok then fail(dir .. "/" .. rerr) end
    temps[i] = false
  end
  folder:close()
end

-- path as a relative path below the current directory when it names a
-- place inside it: relative without "..", or absolute and (lexically)
-- under the current directory; else nil.
local function inside(path)
  local p = path:gsub("/+", "/")
  if p:sub(1, 1) == "/" then
    local rel
    for _, here in ipairs { core.fsio_realpath("."), os.getenv("PWD") } do
      here = here and here:gsub("/+$", "")
      if here and here ~= "" and p:sub(1, #here + 1) == here .. "/" then rel = p:sub(#here + 2) end
    end
    if not rel then return nil end
    p = rel
  end
  while p:sub(1, 2) == "./" do p = p:sub(3) end
  if M.unsafe_path(p) then return nil end
  return p
end

-- write_file(path, text): path replaced whole by text; raises "path: why".
-- Inside the current directory (where a pull request can plant links) the
-- file is written beside its place and renamed over it, with no link
-- followed on the way and nothing but a regular file (or a link) replaced.
-- Outside it (/dev/stdout, /tmp/report.json) the path is the user's own
-- choice and is opened as given.
function M.write_file(path, text)
  local rel = inside(path)
  if not rel then
    local f, err = io.open(path, "wb")
    if not f then error(tostring(err), 0) end
    local ok, werr = f:write(text)
    local cok, cerr = f:close()
    if not ok or not cok then error(path .. ": " .. tostring(werr or cerr), 0) end
    return
  end
  local folder, oerr = core.fsio_open(".")
  if not folder then error(oerr, 0) end
  local kind = folder:kind(rel)
  if kind ~= nil and kind ~= "file" and kind ~= "link" then
    folder:close()
    error(path .. ": not a regular file", 0)
  end
  local temp, werr = folder:write_temp(rel, text)
  if not temp then folder:close(); error(path .. ": " .. werr:sub(#rel + 3), 0) end
  local ok, rerr = folder:rename(temp, rel)
  if not ok then
    folder:remove(temp)
    folder:close()
    error(path .. ": " .. rerr:sub(#rel + 3), 0)
  end
  folder:close()
end

-- check_input(path) -> nil | message: refuses a relative path inside the
-- current directory that resolves (through a symbolic link) outside it.
function M.check_input(path)
  if path == "-" or path:sub(1, 1) == "/" then return nil end
  for comp in (path .. "/"):gmatch("([^/]*)/") do
    if comp == ".." then return nil end
  end
  local real = core.fsio_realpath(path)
  local here = core.fsio_realpath(".")
  if not real or not here then return nil end   -- missing: the reader says so
  if real == here or real:sub(1, #here + 1) == (here == "/" and "/" or here .. "/") then
    return nil
  end
  return ("%s: a symbolic link that leads out of the current directory: not read"):format(path)
end

-- ---- reading inputs, bounded ----
-- Regular files only, and never more than the document limit (16 MiB) plus
-- one byte, so a symlink to /dev/zero, a FIFO or a directory gets a
-- one-line error instead of a read without end.  "-" is standard input,
-- read with the same bound.

M.LIMIT = 16 * 1024 * 1024     -- LPV_MAX_DOCUMENT: what json_decode reads at once

-- read(path [, limit]) -> text | nil, "PATH: message" [, "too large"].
function M.read(path, limit)
  limit = limit or M.LIMIT
  if path == "-" then
    local text = io.stdin:read(limit + 1) or ""
    if #text > limit then
      return nil, ("-: standard input larger than %d MiB"):format(math.floor(limit / 1048576)), "too large"
    end
    return text
  end
  return core.read_file(path, limit)
end

-- check(path [, limit]) -> true | nil, "PATH: message": may a reader that
-- opens the file itself (loadfile) read it?
function M.check(path, limit)
  return core.check_file(path, limit or M.LIMIT)
end

return M
