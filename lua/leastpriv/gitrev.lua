-- Files as they are at a git revision, for `leastpriv diff --git REF`.
-- Old files are read with `git ls-tree` and `git show REF:path` (nothing is
-- checked out, the working tree is never touched) and written under a
-- private temporary folder (mktemp -d: mode 0700) in the same layout, so
-- that the old revision's scripts run through the normal loaders, in the
-- same sandbox as any script, and their `require`s find the old modules.
local M = {}

local MAX_FILE = 16 * 1024 * 1024   -- the document limit (docs/limits.md)

-- Quote a word for a POSIX shell.
local function sh(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local text = f:read("*a")
  f:close()
  os.remove(path)
  return text
end

-- Run a command; returns its output, or nil and its first line of errors.
-- (The exit status goes through a file: io.popen's close reports it
-- differently in Lua 5.1 and LuaJIT.)
local function run(cmd)
  local err_file, rc_file = os.tmpname(), os.tmpname()
  local p = io.popen("(" .. cmd .. ") 2>" .. sh(err_file) .. "; echo $? >" .. sh(rc_file), "r")
  local out = p and p:read("*a") or ""
  if p then p:close() end
  local err, rc = slurp(err_file), slurp(rc_file)
  if tonumber(rc) ~= 0 then
    return nil, (err:match("[^\n]+") or ("exit status " .. rc:gsub("%s+$", "")))
  end
  return out
end

-- A revision name git can take, and not an option.
local function check_ref(ref)
  if type(ref) ~= "string" or ref == "" or ref:sub(1, 1) == "-" or
      not ref:match("^[%w%._/%-~%^@{}]+$") then
    return nil, ("--git %q is not a revision name"):format(tostring(ref))
  end
  return true
end

-- files(ref, paths) -> { { path = "roles/a.lua" (as given, relative to the
-- current folder), old = "/tmp/.../roles/a.lua" } ... }, tmpdir | nil, err.
-- Every file below paths at ref is written under tmpdir.
function M.checkout(ref, paths)
  local ok, err = check_ref(ref)
  if not ok then return nil, err end
  local prefix, perr = run("git rev-parse --show-prefix")
  if not prefix then return nil, "--git: not in a git repository (" .. tostring(perr) .. ")" end
  prefix = prefix:gsub("%s+$", "")
  local _, rerr = run("git rev-parse --verify --quiet " .. sh(ref .. "^{commit}"))
  if rerr then return nil, ("--git %s: no such revision"):format(ref) end
  local quoted = {}
  for i, p in ipairs(paths) do quoted[i] = sh(p) end
  local list, lerr = run("git ls-tree -r -z --name-only " .. sh(ref) .. " -- " .. table.concat(quoted, " "))
  if not list then return nil, ("--git %s: %s"):format(ref, lerr) end
  local dir = run("mktemp -d")
  dir = dir and dir:gsub("%s+$", "")
  if not dir or dir == "" then return nil, "--git: cannot make a temporary folder" end
  local files = {}
  for name in list:gmatch("([^%z]+)%z") do
    -- ls-tree prints paths relative to the current folder; one above it
    -- (../x) is written under the temporary folder's up/
    local rel = name
    local target = dir .. "/" .. rel:gsub("%.%./", "up/")
    local body, berr = run("git show " .. sh(ref .. ":./" .. rel))
    if not body then
      M.cleanup(dir)
      return nil, ("--git %s: %s: %s"):format(ref, rel, berr)
    end
    if #body > MAX_FILE then
      M.cleanup(dir)
      return nil, ("--git %s: %s: larger than %d bytes"):format(ref, rel, MAX_FILE)
    end
    local folder = target:match("^(.*)/[^/]*$")
    if folder then run("mkdir -p " .. sh(folder)) end
    local f = io.open(target, "wb")
    if not f then
      M.cleanup(dir)
      return nil, ("--git: cannot write %s"):format(target)
    end
    f:write(body)
    f:close()
    files[#files + 1] = { path = rel, old = target }
  end
  table.sort(files, function(a, b) return a.path < b.path end)
  return files, dir, prefix
end

-- The files below paths in the working tree (tracked or not, not ignored).
function M.working(paths)
  local quoted = {}
  for i, p in ipairs(paths) do quoted[i] = sh(p) end
  local list, err = run("git ls-files -z --cached --others --exclude-standard -- " ..
                        table.concat(quoted, " "))
  if not list then return nil, "--git: " .. tostring(err) end
  local files, seen = {}, {}
  for name in list:gmatch("([^%z]+)%z") do
    local f = io.open(name, "rb")
    if f and not seen[name] then
      f:close()
      seen[name] = true
      files[#files + 1] = name
    end
  end
  table.sort(files)
  return files
end

function M.cleanup(dir)
  if dir and dir:match("^/[%w%._/%-]+$") and #dir > 5 then
    os.execute("rm -rf " .. sh(dir))
  end
end

return M
