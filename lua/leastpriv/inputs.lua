-- Reading what the analysis commands compare: a role script (.lua), an IAM
-- JSON policy document, a Terraform plan (terraform show -json) or an
-- account dump (aws iam get-account-authorization-details).  Returns items
-- as script.load does (the readers of plans and dumps are leastpriv
-- check's).  A role with a known IAM name is named "role NAME" as a
-- script's is, so that a script and its plan pair up; other plan items are
-- named by their Terraform address.  items.unknown lists the policies of a
-- plan known only after apply: { label =, attribute =, refs = }.
local core = require "leastpriv.core"
local files = require "leastpriv.files"
local script = require "leastpriv.script"

local M = {}

local function canonical(doc, where)
  local ok, c = pcall(core.policy_normalize, doc)
  if not ok then error(where .. ": " .. tostring(c):gsub("^[^\n]-:%d+: ", ""), 0) end
  return c
end

-- Items from the entities of leastpriv check's plan and dump readers.
local function items_of_entities(path, entities, unknown)
  local items = { unknown = unknown or {} }
  for _, e in ipairs(entities) do
    local name = e.label or e.name or ("entity " .. #items + 1)
    if e.doc then
      items[#items + 1] = { kind = "policy", name = name, address = true,
                            iam_kind = e.kind, iam_name = type(e.name) == "string" and e.name or nil,
                            document = canonical(e.doc.document, path .. ": " .. name) }
    elseif e.inline or e.trust then
      local item = { kind = "role", name = name, address = true, policies = {},
                     managed_policy_arns = {}, tags = {},
                     arn = type(e.arn) == "string" and e.arn or nil,
                     path = type(e.path) == "string" and e.path or nil,
                     iam_kind = e.kind, iam_name = type(e.name) == "string" and e.name or nil }
      if e.kind == "role" and type(e.name) == "string" then
        item.name, item.address, item.terraform_address = e.name, nil, e.label
      end
      if e.trust and e.trust.document then
        item.trust = canonical(e.trust.document, path .. ": " .. name .. " trust")
      end
      for _, d in ipairs(e.inline or {}) do
        if d.document then
          item.policies[#item.policies + 1] = { name = d.name or d.label,
            document = canonical(d.document, path .. ": " .. (d.label or name)) }
        end
      end
      items[#items + 1] = item
    end
  end
  return items
end

-- load(path [, vars]) -> items; raises "path[:line:col]: message".
function M.load(path, vars)
  local refused = require("leastpriv.files").check_input(path)
  if refused then error(refused, 0) end
  local tf = require "leastpriv.check.tf_source"
  if tf.is_source(path) then return tf.items(path, { vars = vars }) end
  if path:match("%.lua$") then
    local items, variables = script.load(path)
    if vars or #variables > 0 then
      local template = require "leastpriv.template"
      local ok, filled = pcall(template.substitute, items, vars or {}, variables)
      if not ok then error(path .. ": " .. tostring(filled), 0) end
      items = filled
    end
    return items
  end
  local text, read_err = files.read(path)
  if not text then error(read_err, 0) end
  local doc, err = core.json_decode(text)
  if doc == nil then error(("%s:%s"):format(path, err), 0) end
  local terraform, account = require "leastpriv.check.terraform", require "leastpriv.check.account"
  local quiet = { add = function() end, opts = {} }   -- findings are check's business
  if terraform.is_plan(doc) then
    local entities, unknown = terraform.entities(quiet, doc, { file = path, text = text })
    return items_of_entities(path, entities, unknown)
  elseif account.is_dump(doc) then
    return items_of_entities(path, account.entities(quiet, doc, { file = path, text = text }))
  end
  if type(doc) ~= "table" or doc.Statement == nil then
    error(path .. ": not an IAM policy document, Terraform plan or account dump", 0)
  end
  return { canonical(doc, path) }
end

return M
