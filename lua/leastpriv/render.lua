-- Rendering a script's items into output files (name -> content), in the
-- formats of `leastpriv render`: json, hcl, hcl-doc, terraform.
local core = require "leastpriv.core"
local template = require "leastpriv.template"

local M = {}

M.formats = { "json", "hcl", "hcl-doc", "terraform" }

-- A file-name-safe form of s.
local function safe(s)
  return (template.display(s):gsub("[^%w%._%-]", "_"))
end

-- A name as error messages show it: quoted, control bytes escaped.
local function shown(s)
  return require("leastpriv.files").quote(template.display(s))
end

-- The JSON documents of the items: list of { path =, doc =, origin = }
-- (origin: what the file holds, for messages about its path).
local function documents(items, basename)
  local docs = {}
  for _, x in ipairs(items) do
    if x.kind == "role" then
      local dir = safe(x.name) .. "/"
      docs[#docs + 1] = { path = dir .. "trust.json", doc = x.trust,
                          origin = ("the trust policy of role %s"):format(shown(x.name)) }
      for _, p in ipairs(x.policies) do
        docs[#docs + 1] = { path = dir .. safe(p.name) .. ".json", doc = p.document,
          origin = ("inline policy %s of role %s"):format(shown(p.name), shown(x.name)) }
      end
    elseif x.kind == "policy" then
      docs[#docs + 1] = { path = safe(x.name) .. ".json", doc = x.document,
                          origin = ("policy %s"):format(shown(x.name)) }
    else
      docs[#docs + 1] = { path = basename .. ".json", doc = x, origin = "the policy document" }
    end
  end
  return docs
end

-- Items with bare documents wrapped as named managed policies (for HCL).
local function named_items(items, basename)
  local out = {}
  for i, x in ipairs(items) do
    if x.kind then out[i] = x
    else out[i] = { kind = "policy", name = basename, document = x } end
  end
  return out
end

-- The declarations with the validation blocks their uses call for (a
-- 12-digit account, a region, a bucket name; no "&{" in documents).
local function with_validations(items, variables, document)
  local input_rules = require "leastpriv.input_rules"
  local rules = input_rules.of(items, { document = document })
  local out = {}
  for i, v in ipairs(variables or {}) do
    local copy = {}
    for k, x in pairs(v) do copy[k] = x end
    local checks = input_rules.validations(v.name, rules[v.name], core.hcl_string)
    if #checks > 0 then copy.validations = checks end
    out[i] = copy
  end
  return out
end

-- render(items, variables, opts) -> list of { path =, content = } in a
-- stable order.  opts: format, basename (for unnamed documents), vars
-- (values from --set), compact, module_name (Terraform module's name),
-- managed (inline policies as aws_iam_policy + attachment), exclusive (the
-- exclusive resources), aws_version (terraform: narrower aws constraint).
function M.render(items, variables, opts)
  local format, basename = opts.format or "json", opts.basename or "policy"
  local files = {}
  -- only lp.var's placeholders, naming declared variables, reach a writer
  template.check_tree(items, variables)
  if format ~= "json" then variables = with_validations(items, variables, format == "hcl-doc") end
  if format == "json" then
    local ok, filled = pcall(template.substitute, items, opts.vars or {}, variables)
    if not ok then error(tostring(filled), 0) end
    for _, d in ipairs(documents(filled, basename)) do
      files[#files + 1] = { path = d.path, origin = d.origin,
                            content = core.policy_json(d.doc, { compact = opts.compact }) .. "\n" }
    end
  elseif format == "hcl" or format == "hcl-doc" then
    local hcl = require "leastpriv.hcl"
    local text = hcl.render_bare(named_items(items, basename), {
      style = format == "hcl-doc" and "document" or "jsonencode",
      policies = opts.managed and "managed" or "inline", exclusive = opts.exclusive,
    })
    -- declare the script's inputs too, so the file stands on its own
    local declarations = require("leastpriv.terraform").variables_bare(variables)
    if declarations ~= "" then text = declarations .. "\n" .. text end
    files[1] = { path = basename .. ".tf", content = text, origin = "the Terraform file" }
  elseif format == "terraform" then
    local terraform = require "leastpriv.terraform"
    local module = terraform.module_bare(named_items(items, basename),
      { variables = variables, name = opts.module_name or basename,
        policies = opts.managed and "managed" or "inline", exclusive = opts.exclusive,
        aws_version = opts.aws_version })
    local names = {}
    for name in pairs(module) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do
      files[#files + 1] = { path = name, content = module[name], origin = "the module's " .. name }
    end
  else
    error(("unknown format %q"):format(tostring(format)), 0)
  end
  return files
end

-- write(dir, files [, warn]): see leastpriv.files.write_folder (only
-- inside dir, each path once, whole, stale files of the previous render
-- removed).
function M.write(dir, files, warn)
  return require("leastpriv.files").write_folder(dir, files, warn)
end

return M
