-- The project configuration of `leastpriv check`: `.leastpriv.lua` (a Lua
-- file returning a table, run in a sandbox like a role script, with the
-- same limits) or `leastpriv.json`, read from the current directory unless
-- --config names one, or from a git revision (--config-from-git REF: on a
-- pull request, the base branch's).  See docs/check.md and docs/trust.md.
--
--   return {
--     disable = { "RESOURCE_STAR" },              -- codes never reported
--     severity = { RESOURCE_MISMATCH = "error" }, -- severity overrides
--     fail_on = "warning", format = "text",       -- CLI defaults
--     account = "111122223333",                   -- the account that owns the roles
--     profile = "seed-review",
--     limits = { trust_policy_size = 4096, managed_policies_per_role = 20 },
--     types = { ["scps/*.json"] = "scp" },        -- policy type by file pattern
--     ignore = { ["legacy/*.json"] = { "RESOURCE_STAR" } },  -- codes ignored per file pattern
--     aws_managed = false,                        -- also check AWS managed policies in dumps
--     script_timeout = 5, script_memory = 256,     -- limits of each role script (s, MiB)
--   }
local core = require "leastpriv.core"
local checks = require "leastpriv.check.checks"
local util = require "leastpriv.util"
local sandbox = require "leastpriv.sandbox"

local M = {}

M.FILES = { ".leastpriv.lua", "leastpriv.json" }

local FIELDS = { disable = "table", severity = "table", fail_on = "string", format = "string",
                 account = "string", profile = "string", limits = "table", types = "table",
                 ignore = "table", aws_managed = "boolean", script_timeout = "number",
                 script_memory = "number" }

local function fail(path, msg) error(("%s: %s"):format(path, msg), 0) end

local function check_code(path, code, where)
  if not checks.by_code[code] then
    local names = {}
    for _, c in ipairs(checks.list) do names[#names + 1] = c.code end
    fail(path, ("%s: unknown check %s%s"):format(where, tostring(code), util.did_you_mean(tostring(code), names)))
  end
end

-- Check the fields of a configuration table; raises "path: message".
function M.check(cfg, path)
  if type(cfg) ~= "table" then fail(path, "the configuration must be a table") end
  for k, v in pairs(cfg) do
    local want = FIELDS[k]
    if not want then
      fail(path, ("unknown setting '%s'%s"):format(tostring(k), util.did_you_mean(tostring(k), util.sorted_keys(FIELDS))))
    end
    if type(v) ~= want then fail(path, ("%s must be a %s"):format(k, want)) end
  end
  for _, code in ipairs(cfg.disable or {}) do check_code(path, code, "disable") end
  for code, sev in pairs(cfg.severity or {}) do
    check_code(path, code, "severity")
    if not checks.rank[sev] then fail(path, ("severity.%s must be error, security, warning or suggestion"):format(code)) end
  end
  for pattern, codes in pairs(cfg.ignore or {}) do
    if type(pattern) ~= "string" or type(codes) ~= "table" then
      fail(path, "ignore maps file patterns to lists of codes")
    end
    for _, code in ipairs(codes) do check_code(path, code, "ignore") end
  end
  for pattern, t in pairs(cfg.types or {}) do
    if type(pattern) ~= "string" or type(t) ~= "string" then fail(path, "types maps file patterns to policy types") end
  end
  for _, what in ipairs { "timeout", "memory" } do
    local v = cfg["script_" .. what]
    if v ~= nil then
      local ok, err = sandbox.check_limit(what, v)
      if not ok then fail(path, ("script_%s: %s"):format(what, err)) end
    end
  end
  return cfg
end

-- load_text(text, path) -> configuration table from the text of the file
-- named path (.json: data; else Lua, run in a sandbox); raises "path: message".
function M.load_text(text, path)
  local cfg
  if path:match("%.json$") then
    local err
    cfg, err = core.json_decode(text)
    if cfg == nil then fail(path, err) end
  else
    local ok, res = sandbox.run(text, path)
    if not ok then error(res, 0) end
    cfg = res
  end
  return M.check(cfg, path)
end

-- load(path) -> configuration table; raises "path: message".
function M.load(path)
  local refused = require("leastpriv.files").check_input(path)
  if refused then error(refused, 0) end
  local text, err = require("leastpriv.files").read(path)
  if not text then error(err, 0) end
  return M.load_text(text, path)
end

-- Output of a git command (arguments already safe to quote), and whether
-- it printed the success marker.
local function git(args)
  local p = io.popen("git " .. args .. " 2>/dev/null && echo '\1ok'")
  if not p then return nil, false end
  local out = p:read("*a")
  p:close()
  local body = out:match("^(.-)\1ok\n$")
  if body then return body, true end
  return out, false
end

-- load_from_git(ref) -> configuration table of revision ref (its
-- .leastpriv.lua or leastpriv.json in the current directory), or {} when
-- that revision has none; raises "message" when ref is not a revision.
function M.load_from_git(ref)
  if type(ref) ~= "string" or not ref:match("^[%w_][%w_%.%-/~%^@{}]*$") or ref:find("..", 1, true) then
    error(("--config-from-git: %q is not a git revision name"):format(tostring(ref)), 0)
  end
  local _, exists = git(("rev-parse --verify --quiet '%s^{commit}'"):format(ref))
  if not exists then
    error(("--config-from-git: %s is not a commit of the git repository here (fetch it first)"):format(ref), 0)
  end
  for _, name in ipairs(M.FILES) do
    local spec = ("%s:./%s"):format(ref, name)
    local _, found = git(("cat-file -e '%s'"):format(spec))
    if found then
      local text, ok = git(("show '%s'"):format(spec))
      if not ok then error(("--config-from-git: cannot read %s:%s"):format(ref, name), 0) end
      return M.load_text(text, ref .. ":" .. name)
    end
  end
  return {}
end

-- find() -> path of the configuration in the current directory, or nil.
function M.find()
  for _, name in ipairs(M.FILES) do
    local f = io.open(name, "rb")
    if f then f:close(); return name end
  end
end

-- Does file path match pattern (IAM-style wildcards; a pattern without '/'
-- also matches the file's base name)?
function M.matches(pattern, path)
  path = path:gsub("^%./", "")
  if core.glob_match(pattern, path) then return true end
  return not pattern:find("/", 1, true) and core.glob_match(pattern, path:match("([^/]+)$") or path)
end

return M
