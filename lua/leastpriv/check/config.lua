-- The project configuration of `leastpriv check`: `.leastpriv.lua` (a Lua
-- file returning a table, run without access to globals) or
-- `leastpriv.json`, read from the current directory unless --config names
-- one.  See docs/check.md.
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
--   }
local core = require "leastpriv.core"
local checks = require "leastpriv.check.checks"
local util = require "leastpriv.util"

local M = {}

M.FILES = { ".leastpriv.lua", "leastpriv.json" }

local FIELDS = { disable = "table", severity = "table", fail_on = "string", format = "string",
                 account = "string", profile = "string", limits = "table", types = "table",
                 ignore = "table", aws_managed = "boolean" }

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
  return cfg
end

-- load(path) -> configuration table; raises "path: message".
function M.load(path)
  local text, read_err = require("leastpriv.files").read(path)
  if not text then error(read_err, 0) end
  local cfg
  if path:match("%.json$") then
    local err
    cfg, err = core.json_decode(text)
    if cfg == nil then fail(path, err) end
  else
    local chunk, err
    local setfenv, loadstring = rawget(_G, "setfenv"), rawget(_G, "loadstring")
    if setfenv then                                  -- Lua 5.1
      chunk, err = loadstring(text, "@" .. path)
      if chunk then setfenv(chunk, {}) end
    else
      chunk, err = load(text, "@" .. path, "t", {})
    end
    if not chunk then error(err, 0) end
    local ok, res = pcall(chunk)
    if not ok then error(tostring(res), 0) end
    cfg = res
  end
  return M.check(cfg, path)
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
