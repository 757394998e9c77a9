-- The inputs of `leastpriv check`: role scripts (.lua), Terraform source
-- (.tf files and module folders), and JSON files holding a policy, an
-- account dump (get-account-authorization-details) or a Terraform plan
-- (terraform show -json), told apart by their content.
-- "-" reads JSON from standard input.
local errors = require "leastpriv.errors"
local files = require "leastpriv.files"
local validate = require "leastpriv.validate"
local account_stream = require "leastpriv.check.account_stream"
local script = require "leastpriv.check.script"
local sandbox = require "leastpriv.sandbox"

local M = {}

-- Files larger than this are read as a stream when they are account
-- dumps (check/account_stream.lua); specs lower it to read small ones so.
M.STREAM_OVER = files.LIMIT

-- load(run, path, opts) -> entities, or nil and a message when the file
-- cannot be read (and "limit" third when a role script was stopped at a
-- sandbox limit).  Bad JSON and failing scripts become findings.  opts:
-- type, service (JSON policies), vars (values of script inputs, --set),
-- var_files (.tfvars for Terraform source).
function M.load(run, path, opts)
  local refused = require("leastpriv.files").check_input(path)
  if refused then return nil, refused end
  local tf = require "leastpriv.check.tf_source"
  if path ~= "-" and tf.is_source(path) then
    local ok, res = pcall(tf.entities, run, path, { vars = opts.vars, var_files = opts.var_files })
    if ok then return res end
    local msg = tostring(res)
    local file, line, col, rest = msg:match("^(.-):(%d+):(%d+): (.*)$")
    run:add({ code = "TERRAFORM_SYNTAX_ERROR", path = "", message = rest or msg, line = tonumber(line),
              column = tonumber(col) }, { file = file or path, label = file or path })
    return {}
  end
  if path:match("%.lua$") then
    local readable, err = files.check(path)
    if not readable then return nil, err end
    local ok, res = pcall(script.entities, run, path, opts.vars)
    if ok then return res end
    local msg = errors.strip(tostring(res))
    if sandbox.is_limit_message(msg) then return nil, msg, "limit" end
    local line, rest = msg:match("^[^\n]-:(%d+): (.*)$")
    if msg:sub(1, #path + 1) == path .. ":" and not line then rest = msg:sub(#path + 3) end
    run:add({ code = "SCRIPT_ERROR", path = "", message = rest or msg, line = tonumber(line),
              column = line and 1 or nil }, { file = path, label = path })
    return {}
  end
  local text, err, why = files.read(path, M.STREAM_OVER)
  if why == "too large" and path ~= "-" then
    local entities, serr = account_stream.load(run, path)
    if entities then return entities end
    if serr then return nil, serr end
    if M.STREAM_OVER < files.LIMIT then text, err, why = files.read(path) end
  end
  if why == "too large" then         -- what json_decode says of such a text
    validate.json_error(run, "1:1: document larger than 16 MiB", path)
    return {}
  end
  if not text then return nil, err end
  return validate.json_entities(run, text, { file = path }, { type = opts.type, service = opts.service })
end

return M
