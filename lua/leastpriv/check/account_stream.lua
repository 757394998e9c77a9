-- Input: an account dump (`aws iam get-account-authorization-details`)
-- too large to decode whole, read one element of its lists at a time
-- (core.json_stream), so that memory grows with the largest role, not with
-- the file: each element is decoded, made into entities as account.lua
-- makes them, its documents and the entity checked and its findings placed
-- (line:column in the file) at once; what is kept for the checks across
-- the account (PassRole against the trust policies) is a digest of each
-- entity: names, ARNs, the trusted services and the iam:PassRole
-- statements, with the places their findings would have.
--
-- A file is read this way when its first member is one of a dump's lists
-- (UserDetailList, GroupDetailList, RoleDetailList, Policies), as the AWS
-- CLI writes them; otherwise load returns nil.
local core = require "leastpriv.core"
local account = require "leastpriv.check.account"
local engine = require "leastpriv.check.engine"
local roles = require "leastpriv.check.roles"

local M = {}

local LISTS = {}
for _, name in ipairs(account.LISTS) do LISTS[name] = true end

local STUB = {}   -- a statement that plays no part in PassRole
-- the digest of every document without an iam:PassRole statement: the
-- checks across the account neither read nor report on it
local NOTHING = { canon = { Statement = {} } }

-- The digest of document d (whose JSON is the element text json.text):
-- its iam:PassRole statements (the others as STUB, so indexes stay), or
-- for a trust policy the services of its Allow statements, and the
-- places of the paths the checks across the account report on.
local function digest(d, is_trust)
  local c = roles.canon(d)
  local statements, want = {}, {}
  for si, s in ipairs(c and c.Statement or {}) do
    if is_trust then
      if s.Effect == "Allow" and type(s.Principal) == "table" and s.Principal.Service then
        statements[si] = { Effect = "Allow", Principal = { Service = s.Principal.Service } }
      else
        statements[si] = STUB
      end
    elseif roles.allows_passrole(s) and s.Resource then
      statements[si] = { Effect = s.Effect, Action = s.Action, Resource = s.Resource, Condition = s.Condition }
      for ri = 1, #s.Resource do want[#want + 1] = ("Statement[%d].Resource[%d]"):format(si - 1, ri - 1) end
    else
      statements[si] = STUB
    end
  end
  if is_trust then want[1] = "Statement"
  elseif #want == 0 then return NOTHING end
  local places = {}
  local json = d.json
  if json and json.text and #want > 0 then
    local full = {}
    for i, p in ipairs(want) do full[i] = engine.join(json.base, p) end
    local pos = core.json_locate(json.text, full)
    for i, p in ipairs(want) do
      local at = pos[full[i]]
      if at then places[p] = { engine.shift(json, at[1], at[2]) } end
    end
  end
  return { file = d.file, label = d.label, canon = c and { Statement = statements } or false,
           locate = function(f)
             local at = places[f.path or ""]
             if at then f.line, f.column = at[1], at[2] end
           end }
end

-- Keep of entity e what the checks across the account read.
local function compact(e)
  if e.trust then e.trust = digest(e.trust, true) end
  for i, d in ipairs(e.inline or {}) do e.inline[i] = digest(d) end
  if e.doc then e.doc = digest(e.doc) end
  e.json = nil
end

-- The JSON_SYNTAX_ERROR finding of a piece's decode error err ("L:C: msg"),
-- placed in the file.
local function piece_error(run, file, where, json, err)
  local line, col, msg = tostring(err):match("^(%d+):(%d+): (.*)$")
  local l, c
  if line then l, c = engine.shift(json, tonumber(line), tonumber(col)) end
  run:add({ code = "JSON_SYNTAX_ERROR", path = "", message = where .. ": " .. (msg or tostring(err)),
            line = l or json.line, column = c or json.column }, { file = file, label = file })
end

-- load(run, path [, opts]) -> entities (checked: validate.check and
-- roles.check skip what was done here), or nil when the file is not an
-- account dump (its first member is none of a dump's lists), or nil and a
-- message when it cannot be read.  opts.text: read this text instead of
-- the file (specs); opts.max: bytes of one element (16 MiB).
function M.load(run, path, opts)
  opts = opts or {}
  local sopts = { arrays = LISTS, max = opts.max }
  local stream, err
  if opts.text then stream = core.json_stream_text(opts.text, sopts)
  else stream, err = core.json_stream(path, sopts) end
  if not stream then return nil, err end
  local keep_documents = run.opts.profile ~= nil      -- the seed review reads every document
  local by_list = {}
  for _, name in ipairs(account.LISTS) do by_list[name] = {} end
  local first = true
  while true do
    local kind, key, index, text, line, column = stream:next()
    if kind == nil then
      if key then                                     -- bad structure: where it stopped
        if first then stream:close(); return nil end
        local l, c, msg = key:match("^(%d+):(%d+): (.*)$")
        run:add({ code = "JSON_SYNTAX_ERROR", path = "", message = msg or key,
                  line = tonumber(l), column = tonumber(c) }, { file = path, label = path })
      end
      break
    end
    if first then
      first = false
      if not LISTS[key] then stream:close(); return nil end
    end
    if kind == "element" then
      local json = { text = text, base = "", line = line, column = column }
      local where = ("%s[%d]"):format(key, index)
      local value, derr = core.json_decode(text)
      if value == nil then
        piece_error(run, path, where, json, derr)
      else
        local from = #run.findings + 1
        local ctx = { file = path, base = "",
                      json = function(base) return { text = text, base = base, line = line, column = column } end }
        local made = account.element_entities(run, key, value, ctx)
        for _, e in ipairs(made) do
          if not e.skip then
            if e.trust then run:document(e.trust) end
            for _, d in ipairs(e.inline or {}) do run:document(d) end
            if e.doc then run:document(e.doc) end
          end
          roles.each(run, e)
          e.checked = true
          local list = by_list[key]
          list[#list + 1] = e
        end
        run:locate(from)                              -- while the text is at hand
        for i = from, #run.findings do
          local f = run.findings[i]
          if f._doc and f._doc.json then f._doc = nil end
        end
        if not keep_documents then
          for _, e in ipairs(made) do compact(e) end
        end
      end
    end
  end
  -- the order account.entities gives: roles, users, groups, policies
  local entities = {}
  for _, name in ipairs(account.LISTS) do
    for _, e in ipairs(by_list[name]) do entities[#entities + 1] = e end
  end
  return entities
end

return M
