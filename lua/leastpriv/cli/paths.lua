-- The inputs a command line names: a file as it is, "-" for standard
-- input, and a folder as the files in it that leastpriv reads: role
-- scripts (.lua), JSON (.json: policies, account dumps, plans) and
-- Terraform modules (a folder holding .tf files is one module, read as a
-- whole: its subfolders are reached through its module blocks).  Folders
-- are walked in name order; hidden entries (.git, .terraform,
-- .leastpriv.lua), node_modules, the project configuration leastpriv.json,
-- SageMaker job definitions (*.job.json: what `leastpriv roles-for` reads)
-- and symbolic links (never followed) are left out.  Bounded: 32 levels,
-- 100,000 files.
local core = require "leastpriv.core"

local M = {}

M.KINDS = "role scripts (.lua), JSON policies, account dumps and plans (.json), Terraform modules (.tf)"

local MAX_DEPTH, MAX_FILES = 32, 100000

local function has_tf(entries)
  for _, e in ipairs(entries) do
    if e.kind == "file" and e.name:match("%.tf$") then return true end
  end
  return false
end

local function skipped(e)
  return e.name:sub(1, 1) == "." or e.name == "node_modules" or e.name == "leastpriv.json"
    or e.name:match("%.job%.json$") ~= nil
end

-- Is path a folder that is not a Terraform module (one of .tf files is
-- read as a whole by every command)?
function M.is_folder_of_files(path)
  if path == "-" or not core.is_dir(path) then return false end
  local entries = core.list_dir(path)
  return not (entries and has_tf(entries))
end

-- The message of a command that takes one input when it is given a folder.
function M.one_input(path)
  if M.is_folder_of_files(path) then
    return ("%s is a folder: this command takes one role script, JSON document or Terraform module "
      .. "(a folder of .tf files); name one of its files"):format(path)
  end
end

-- expand(args) -> paths, or nil and a one-line message.
function M.expand(args)
  local out = {}
  local function walk(dir, depth, top)
    if depth > MAX_DEPTH then return nil, ("%s: folders nested deeper than %d levels"):format(dir, MAX_DEPTH) end
    local entries, err = core.list_dir(dir)
    if not entries then return nil, err end
    if has_tf(entries) then
      out[#out + 1] = dir
      return true
    end
    local before = #out
    for _, e in ipairs(entries) do
      if not skipped(e) then
        local path = dir .. "/" .. e.name
        if e.kind == "dir" then
          local ok, werr = walk(path, depth + 1, false)
          if not ok then return nil, werr end
        elseif e.kind == "file" and (e.name:match("%.lua$") or e.name:match("%.json$")) then
          out[#out + 1] = path
          if #out > MAX_FILES then return nil, ("%s: more than %d files"):format(dir, MAX_FILES) end
        end
      end
    end
    if top and #out == before then
      return nil, ("%s: a folder with no file leastpriv reads (it reads %s)"):format(dir, M.KINDS)
    end
    return true
  end
  for _, a in ipairs(args) do
    if a ~= "-" and core.is_dir(a) then
      local ok, err = walk((a:gsub("(.)/+$", "%1")), 0, true)
      if not ok then return nil, err end
    else
      out[#out + 1] = a
    end
  end
  return out
end

return M
