-- The checking run shared by lp.validate and `leastpriv check`: documents
-- go through the C validator (core.validate_policy), findings get their
-- severity from the table of checks, sizes are held against IAM's quotas,
-- and findings in JSON text get line:column (located after the fact, in
-- one scan per text, only for documents that have findings).
--
-- A document: { document = table, type = "trust" | ... | nil (inferred),
--   service = a resource policy's service prefix (or nil),
--   label = "ROLE/POLICY", name =, managed = bool, inline = bool,
--   file = path, json = { text =, base = "JSON path of the document" },
--   line =, column = (a fixed place, e.g. a script's line),
--   locate = function(finding) (sets line and column itself) }
local core = require "leastpriv.core"
local checks = require "leastpriv.check.checks"

local M = {}

-- IAM's quotas; every one is an option (limits = {...}).  AWS raises the
-- trust policy size (to 4,096) and managed policies per role (to 20) on request.
M.LIMITS = {
  managed_policy_size = 6144, role_inline_size = 10240, user_inline_size = 2048,
  group_inline_size = 5120, trust_policy_size = 2048, resource_policy_size = 20480,
  scp_size = 5120, rcp_size = 5120, session_policy_size = 2048,
  managed_policies_per_role = 10,
}

local TYPES = {}
for _, t in ipairs(core.validate_types()) do TYPES[t] = true end
M.TYPES = TYPES

local Run = {}
Run.__index = Run

local NONE = {}
local BY_CODE = checks.by_code

-- Repeated findings fold, as the C validator folds its own (validate.c,
-- vd_fold): per document, code and statement at most GROUP_KEEP distinct
-- findings are kept; a repeat of one (same message), or one past that,
-- becomes a place it stands for (count, and the first PATHS of paths).
local GROUP_KEEP, PATHS = 10, 5
M.GROUP_KEEP, M.PATHS = GROUP_KEEP, PATHS

local function merge(into, f)
  into.count = (into.count or 1) + (f.count or 1)
  local paths = into.paths
  if not paths then
    paths = { into.path or "" }
    into.paths = paths
  end
  for _, p in ipairs(f.paths or { f.path or "" }) do
    if #paths >= PATHS then break end
    paths[#paths + 1] = p
  end
end

-- The message of a finding that stands for count places: its own, then
-- how many more and where the first of them are.
local function describe_repeats(f)
  local n = f.count
  if type(n) ~= "number" or n <= 1 then return end
  local more, where = {}, (f.path or ""):match("^Statement") and "statement" or "document"
  for i = 2, #(f.paths or {}) do more[#more + 1] = f.paths[i] ~= "" and f.paths[i] or "(the document)" end
  local shown = #more
  f.message = ("%s (and %d more like it in the %s%s%s)"):format(f.message, n - 1, where,
    shown > 0 and ", at " .. table.concat(more, ", ") or "", n - 1 > shown and ", ..." or "")
end
M.describe_repeats = describe_repeats

-- new(opts) -> run.  opts: type, account, disable (list or set of codes),
-- limits, profile, severity (code -> severity overrides).
function M.new(opts)
  opts = opts or {}
  local disabled = {}
  if type(opts.disable) == "table" then
    for k, v in pairs(opts.disable) do
      if type(k) == "number" then disabled[v] = true elseif v then disabled[k] = true end
    end
  end
  local limits = setmetatable({}, { __index = M.LIMITS })
  for k, v in pairs(opts.limits or {}) do limits[k] = v end
  return setmetatable({ opts = opts, disabled = disabled, limits = limits, findings = {},
                        groups = setmetatable({}, { __mode = "k" }),
                        severity = opts.severity or NONE, seq = 0,
                        copts = { disabled = disabled } }, Run)
end

-- Add finding f (a table with code, message, ...) for document or entity d.
function Run:add(f, d)
  if self.disabled[f.code] then return end
  local c = BY_CODE[f.code]
  f.severity = self.severity[f.code] or (c and c.severity) or "error"
  if d then
    f.file = f.file or d.file
    f.document = f.document or d.label
    f._doc = d
  end
  local groups = self.groups[d or NONE]
  if not groups then
    groups = {}
    self.groups[d or NONE] = groups
  end
  local path = f.path or ""
  local gkey = f.code .. "|" .. (path:match("^Statement%[%d+%]") or path:match("^Statement") or "")
  local mkey = gkey .. "|" .. tostring(f.message) .. "|" .. tostring(f.line)
  local same = groups[mkey]
  if same then return merge(same, f) end
  local group = groups[gkey]
  if group and group.n >= GROUP_KEEP then return merge(group.last, f) end
  if not group then
    group = { n = 0 }
    groups[gkey] = group
  end
  group.n, group.last, groups[mkey] = group.n + 1, f, f
  self.seq = self.seq + 1
  f._seq = self.seq
  self.findings[#self.findings + 1] = f
end

-- Size of a document: characters without whitespace (outside strings), all characters.
local function sizes(d)
  if d.size then return d.size, d.size_total or d.size end
  if d.text then return core.json_size(d.text) end
  local ok, text = pcall(core.json_encode, d.document, { compact = true })
  if not ok then return 0, 0 end
  return core.json_size(text)
end
M.sizes = sizes

local SIZE = {
  identity = { "managed_policy_size", "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "a managed policy" },
  boundary = { "managed_policy_size", "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "a permissions boundary" },
  trust = { "trust_policy_size", "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", "a role trust policy" },
  resource = { "resource_policy_size", "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", "a resource-based policy" },
  scp = { "scp_size", "POLICY_SIZE_EXCEEDS_SCP_QUOTA", "a service control policy", true },
  rcp = { "rcp_size", "POLICY_SIZE_EXCEEDS_RCP_QUOTA", "a resource control policy", true },
  session = { "session_policy_size", "POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA", "a session policy" },
}

-- The size finding of a document of type dtype (nil if within its quota);
-- sets d.chars (size without whitespace) on the way.
local function size_finding(d, dtype, limits, disabled)
  local rule = SIZE[dtype]
  if rule and not (dtype == "identity" and d.inline) and not disabled[rule[2]] then
    local tight, total = sizes(d)
    local n = rule[4] and total or tight
    d.chars = tight
    local limit = limits[rule[1]]
    if n > limit then
      return { code = rule[2], path = "",
        message = ("the document has %d characters%s: %s holds at most %d"):format(
          n, rule[4] and "" or " without whitespace", rule[3], limit),
        hint = rule[4] and "remove whitespace and merge statements"
               or "merge statements, use wildcards only where they stay least-privilege, "
                  .. "or split the permissions over several policies" }
    end
  elseif dtype == "identity" then
    d.chars = sizes(d)
  end
end

-- Check document d; returns its (given or inferred) type.
function Run:document(d)
  local opts = self.opts
  local copts = self.copts
  copts.type, copts.account, copts.managed = d.type or opts.type, d.account or opts.account, d.managed
  copts.service = d.service or opts.service
  local list, inferred = core.validate_policy(d.document, copts)
  d.type = inferred
  for _, f in ipairs(list) do self:add(f, d) end
  local f = size_finding(d, inferred, self.limits, self.disabled)
  if f then self:add(f, d) end
  return inferred
end

-- Join a base JSON path and a relative one.
local function join(base, path)
  if base == nil or base == "" then return path or "" end
  if path == nil or path == "" then return base end
  if path:sub(1, 1) == "[" then return base .. path end
  return base .. "." .. path
end
M.join = join

-- A position in a piece of text that starts at line, column of its file
-- (json.line, json.column: a streamed element) as a position in the file.
local function shift(json, line, column)
  if not json.line then return line, column end
  if line == 1 then return json.line, json.column + column - 1 end
  return json.line + line - 1, column
end
M.shift = shift

-- Give every finding (from the from-th on, default all) a line and column
-- where it can have one: one scan per JSON text, for the documents that
-- have findings (a path that goes into a JSON string lands on the string).
function Run:locate(from)
  local by_text
  local findings = self.findings
  for i = from or 1, #findings do
    local f = findings[i]
    local d = f._doc
    if d and f.line == nil then
      if d.locate then
        d.locate(f)
      elseif d.json and d.json.text then
        by_text = by_text or {}
        local key = d.json.line and ("%s\0%d:%d"):format(d.json.text, d.json.line, d.json.column)
                    or d.json.text
        local t = by_text[key]
        if not t then
          t = { text = d.json.text, json = d.json, want = {}, seen = {}, list = {} }
          by_text[key] = t
        end
        local full = join(d.json.base, f.path)
        f._full = full
        if not t.seen[full] then t.seen[full] = true; t.want[#t.want + 1] = full end
        t.list[#t.list + 1] = f
      elseif d.line then
        f.line, f.column = d.line, d.column or 1
      end
    end
  end
  for _, t in pairs(by_text or {}) do
    local pos = core.json_locate(t.text, t.want)
    for _, f in ipairs(t.list) do
      local at = pos[f._full]
      if at then f.line, f.column = shift(t.json, at[1], at[2]) end
      f._full = nil
    end
  end
end

local function cmp(a, b)
  if (a._order or 0) ~= (b._order or 0) then return (a._order or 0) < (b._order or 0) end
  if (a.file or "") ~= (b.file or "") then return (a.file or "") < (b.file or "") end
  if (a.line or 0) ~= (b.line or 0) then return (a.line or 0) < (b.line or 0) end
  if (a.column or 0) ~= (b.column or 0) then return (a.column or 0) < (b.column or 0) end
  if a._seq ~= b._seq then return a._seq < b._seq end
  return false
end

-- The findings, located, filtered (suppressions) and in a stable order,
-- each { code, severity, message, path, line, column, sid, hint, file, document }.
function Run:result()
  self:locate()
  local out = {}
  for _, f in ipairs(self.findings) do
    local d = f._doc
    if not (d and d.suppressed and d.suppressed(f)) then out[#out + 1] = f end
  end
  if #out > 1 then table.sort(out, cmp) end
  for _, f in ipairs(out) do
    f._doc, f._seq, f._order = nil, nil, nil
    if f.path == "" then f.path = nil end
    describe_repeats(f)
  end
  return out
end

local COPTS = {}

-- code -> severity, as the C validator takes it (opts.severity).
local SEVERITY = {}
for code, c in pairs(BY_CODE) do SEVERITY[code] = c.severity end

-- single(doc, text, opts) -> findings of one policy document (decoded
-- from text, when given): what new(opts) + document + result give, without
-- the bookkeeping for many documents and entities.  The C validator sets
-- severities and, from the text, positions and order.
function M.single(doc, text, opts)
  local disabled, limits, severity = NONE, M.LIMITS, SEVERITY
  if opts.disable or opts.limits or opts.severity then
    local run = M.new(opts)
    disabled, limits = run.disabled, run.limits
    if opts.severity then
      severity = {}
      for code, sev in pairs(SEVERITY) do severity[code] = opts.severity[code] or sev end
    end
  end
  local c = COPTS                    -- read by validate_policy only, never kept
  c.type, c.account, c.disabled, c.severity, c.text = opts.type, opts.account, disabled, severity, text
  c.service = opts.service
  local list, inferred = core.validate_policy(doc, c)
  c.text = nil
  local f = size_finding({ document = doc, text = text }, inferred, limits, disabled)
  if f then                          -- at the document's root, after the others there
    f.path = nil
    f.severity = severity[f.code]
    local at = 1
    if text then
      local root = core.json_locate(text, { "" })[""]
      if root then
        f.line, f.column = root[1], root[2]
        while list[at] and list[at].line == f.line and list[at].column == f.column do at = at + 1 end
      end
    else
      at = #list + 1
    end
    table.insert(list, at, f)
  end
  local file = opts.file
  for i = 1, #list do
    if file then list[i].file, list[i].document = file, file end
    describe_repeats(list[i])
  end
  return list
end

return M
