-- The inputs of `leastpriv check`: role scripts (.lua), Terraform source
-- (.tf files and module folders), and JSON files holding a policy, an
-- account dump (get-account-authorization-details) or a Terraform plan
-- (terraform show -json), told apart by their content.
-- "-" reads JSON from standard input.
local validate = require "leastpriv.validate"
local script = require "leastpriv.check.script"
local sandbox = require "leastpriv.sandbox"

local M = {}

local function read(path)
  if path == "-" then return io.stdin:read("*a") end
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("*a")
  f:close()
  if text == nil then return nil, path .. ": cannot read the file" end
  return text
end

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
    local f = io.open(path, "r")
    if not f then return nil, ("%s: cannot read the file"):format(path) end
    f:close()
    local ok, res = pcall(script.entities, run, path, opts.vars)
    if ok then return res end
    local msg = tostring(res)
    if sandbox.is_limit_message(msg) then return nil, msg, "limit" end
    local line, rest = msg:match("^[^\n]-:(%d+): (.*)$")
    if msg:sub(1, #path + 1) == path .. ":" and not line then rest = msg:sub(#path + 3) end
    run:add({ code = "SCRIPT_ERROR", path = "", message = rest or msg, line = tonumber(line),
              column = line and 1 or nil }, { file = path, label = path })
    return {}
  end
  local text, err = read(path)
  if not text then return nil, err end
  return validate.json_entities(run, text, { file = path }, { type = opts.type, service = opts.service })
end

return M
