-- leastpriv.terraform: the module folder (files, variables, outputs,
-- versions, README), the seed's module reproduced, and, where terraform is
-- installed, fmt -check on every rendered output, jsonencode round trips
-- through terraform console, and init/validate/plan against a local aws
-- provider mirror.
local core = require "leastpriv.core"
local hcl = require "leastpriv.hcl"
local terraform = require "leastpriv.terraform"
local cjson = require "cjson"
local C = require "fixtures.hcl.corpus"
local tf = require "fixtures.hcl.tf"

local seed_role, seed_vars = dofile("spec/fixtures/hcl/seed_role.lua")

local function lines(...)
  return table.concat({ ... }, "\n")
end

local function copy(t)
  if type(t) ~= "table" then return t end
  local c = {}
  for k, v in pairs(t) do c[copy(k)] = copy(v) end
  return c
end

local function role(t)
  local r = { kind = "role", name = "fn", policies = {}, managed_policy_arns = {}, tags = {},
              trust = { Version = "2012-10-17", Statement = { { Effect = "Allow",
                Principal = { Service = { "lambda.amazonaws.com" } }, Action = { "sts:AssumeRole" } } } } }
  for k, v in pairs(t or {}) do r[k] = v end
  return r
end

local function policy(name, resource)
  return { kind = "policy", name = name, document = { Version = "2012-10-17", Statement = { {
    Effect = "Allow", Action = { "s3:GetObject" }, Resource = { resource or "arn:aws:s3:::b/*" } } } } }
end

-- The text after the generated-file header comment and its blank line.
local function body_of(text)
  return (text:gsub("^#[^\n]*\n\n", "", 1))
end

local function err_of(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

describe("terraform.module", function()
  local files = terraform.module(seed_role, { variables = seed_vars,
                                              name = "sagemaker-execution-role" })

  it("returns main.tf, variables.tf, outputs.tf, versions.tf and README.md", function()
    local names = {}
    for name in pairs(files) do names[#names + 1] = name end
    table.sort(names)
    assert.same({ "README.md", "main.tf", "outputs.tf", "variables.tf", "versions.tf" }, names)
    assert.same({ "main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md" }, terraform.FILES)
  end)

  it("starts every .tf file with a generated-file comment", function()
    for _, name in ipairs { "main.tf", "variables.tf", "outputs.tf", "versions.tf" } do
      assert.equal("# " .. terraform.HEADER .. "\n\n", files[name]:sub(1, #terraform.HEADER + 4))
    end
  end)

  it("writes in main.tf what leastpriv.hcl.render writes", function()
    assert.equal(hcl.render(seed_role), body_of(files["main.tf"]))
  end)

  it("reproduces the seed module's main.tf byte for byte", function()
    local expected = tf.read("spec/fixtures/hcl/seed_main.tf"):gsub("^#[^\n]*\n#[^\n]*\n#[^\n]*\n\n", "")
    assert.equal(expected, body_of(files["main.tf"]))
  end)

  it("reproduces the seed's resources: one role, one inline policy, nothing managed", function()
    local main = files["main.tf"]
    local resources = {}
    for rtype, name in main:gmatch('\nresource "([%w_]+)" "([%w_]+)"') do
      resources[#resources + 1] = rtype .. "." .. name
    end
    assert.same({ "aws_iam_role.sagemaker_execution",
                  "aws_iam_role_policy.sagemaker_least_privilege" }, resources)
    assert.matches("\n  name = var.role_name\n", main, 1, true)
    assert.matches("\n  role = aws_iam_role.sagemaker_execution.id\n", main, 1, true)
    assert.matches('"arn:aws:s3:::${var.bucket_name}/*"', main, 1, true)
    assert.not_matches("aws_iam_policy", main, 1, true)
    assert.not_matches("attachment", main, 1, true)
  end)

  it("declares the seed's variables, required first as declared", function()
    assert.equal(lines(
      'variable "bucket_name" {',
      '  description = "S3 bucket the SageMaker jobs will read/write"',
      '  type        = string',
      '}',
      '',
      'variable "role_name" {',
      '  description = "Name of the IAM execution role"',
      '  type        = string',
      '  default     = "sagemaker-execution-role"',
      '}', ''), body_of(files["variables.tf"]))
  end)

  it("outputs role_arn and role_name for exactly one role", function()
    assert.equal(lines(
      'output "role_arn" {',
      '  description = "ARN of the IAM role sagemaker_execution"',
      '  value       = aws_iam_role.sagemaker_execution.arn',
      '}',
      '',
      'output "role_name" {',
      '  description = "Name of the IAM role sagemaker_execution"',
      '  value       = aws_iam_role.sagemaker_execution.name',
      '}', ''), body_of(files["outputs.tf"]))
  end)

  -- issue 15 item 9: every resource used is on 5.x and 6.x
  it("pins terraform and the widest aws provider range in versions.tf", function()
    assert.equal(lines(
      'terraform {',
      '  required_version = ">= 1.3"',
      '',
      '  required_providers {',
      '    aws = {',
      '      source  = "hashicorp/aws"',
      '      version = ">= 5.0, < 7.0"',
      '    }',
      '  }',
      '}', ''), body_of(files["versions.tf"]))
  end)

  -- issue 15 item 10: aws_iam_role_policies_exclusive came with provider
  -- 5.68.0, aws_iam_role_policy_attachments_exclusive with 5.72.0
  it("with exclusive, adds the exclusive resources and raises the floor to 5.72", function()
    local r = role { policies = { { name = "p", document = policy("p").document } },
                     managed_policy_arns = { "arn:aws:iam::aws:policy/ReadOnlyAccess" } }
    local v = terraform.module(r, { exclusive = true })
    local main = v["main.tf"]
    assert.matches('resource "aws_iam_role_policies_exclusive" "fn" {\n'
      .. '  role_name    = aws_iam_role.fn.name\n  policy_names = [aws_iam_role_policy.p.name]\n}', main, 1, true)
    assert.matches('resource "aws_iam_role_policy_attachments_exclusive" "fn" {\n'
      .. '  role_name   = aws_iam_role.fn.name\n'
      .. '  policy_arns = [aws_iam_role_policy_attachment.fn_ReadOnlyAccess.policy_arn]\n}', main, 1, true)
    assert.is_nil(main:find("inline_policy", 1, true))
    assert.is_nil(main:find("managed_policy_arns", 1, true))
    assert.matches('version = ">= 5.72, < 7.0"', v["versions.tf"], 1, true)
    assert.matches('version = ">= 5.0, < 7.0"', terraform.module(r)["versions.tf"], 1, true)
    -- managed policies: the attachments list holds them, no inline policy is kept
    main = terraform.module(r, { exclusive = true, policies = "managed" })["main.tf"]
    assert.matches("policy_names = []", main, 1, true)
    assert.matches("aws_iam_policy.p.arn,", main, 1, true)
  end)

  it("takes the version constraints from opts", function()
    local v = terraform.module(role(), { required_version = ">= 1.5", aws_version = ">= 5.0, < 7" })
    assert.matches('required_version = ">= 1.5"', v["versions.tf"], 1, true)
    assert.matches('version = ">= 5.0, < 7"', v["versions.tf"], 1, true)
  end)

  it("writes variable defaults of any type, sensitive, and list as list(any)", function()
    local v = terraform.module(role { name = "\248var.a\249-\248var.b\249-\248var.c\249" }, { variables = {
      { name = "a", type = "list", default = { "x", "y" } },
      { name = "b", type = "number", default = 3, sensitive = true },
      { name = "c", type = "map(string)", default = { k = "v" } } } })
    assert.equal(lines(
      'variable "a" {',
      '  type    = list(any)',
      '  default = ["x", "y"]',
      '}',
      '',
      'variable "b" {',
      '  type      = number',
      '  default   = 3',
      '  sensitive = true',
      '}',
      '',
      'variable "c" {',
      '  type    = map(string)',
      '  default = { k = "v" }',
      '}', ''), body_of(v["variables.tf"]))
  end)

  it("writes a comment in variables.tf when there are no variables", function()
    assert.equal("# This module has no input variables.\n",
                 body_of(terraform.module(role())["variables.tf"]))
  end)

  it("raises when a placeholder uses an undeclared variable", function()
    local err = err_of(terraform.module, role { name = "\248var.role_name\249" })
    assert.matches("var.role_name is used (in ${var.role_name}) but not declared in opts.variables",
                   err, 1, true)
    err = err_of(terraform.module, role { policies = { { name = "p", document = {
      Statement = { { Effect = "Allow", Action = { "a:b" },
                      Resource = { "arn:aws:s3:::\248lookup(var.buckets, \"in\")\249" } } } } } } })
    assert.matches('var.buckets is used (in ${lookup(var.buckets, "in")})', err, 1, true)
  end)

  it("accepts declared variables that no placeholder uses", function()
    local v = terraform.module(role(), { variables = { { name = "unused", type = "string" } } })
    assert.matches('variable "unused"', v["variables.tf"], 1, true)
  end)

  it("raises on bad variable declarations", function()
    assert.matches("declared twice", err_of(terraform.module, role(), { variables = {
      { name = "a" }, { name = "a" } } }), 1, true)
    assert.matches("opts.variables[0].name: expected an identifier",
                   err_of(terraform.module, role(), { variables = { { name = "a b" } } }), 1, true)
    assert.matches("opts.variables[0].description: must be literal text",
                   err_of(terraform.module, role(), { variables = {
                     { name = "a", description = "x\248var.y\249" } } }), 1, true)
    assert.matches("opts.variables[0].default: must be literal",
                   err_of(terraform.module, role(), { variables = {
                     { name = "a", default = { "\248var.b\249" } } } }), 1, true)
    assert.matches("opts.variables[0].type: expected a type constraint",
                   err_of(terraform.module, role(), { variables = {
                     { name = "a", type = "string\n" } } }), 1, true)
  end)

  it("raises at the caller's line", function()
    local _, err = pcall(function() terraform.module(role { name = "\248var.x\249" }) end)
    assert.matches("^spec/terraform_spec.lua:%d+: var.x is used", err)
  end)

  it("outputs <tf_name>_arn and <tf_name>_name for several roles", function()
    local v = terraform.module { role { name = "reader" }, role { name = "writer", tf_name = "w" } }
    local names = {}
    for n in v["outputs.tf"]:gmatch('output "([%w_]+)"') do names[#names + 1] = n end
    assert.same({ "reader_arn", "reader_name", "w_arn", "w_name" }, names)
    assert.matches("value       = aws_iam_role.w.arn", v["outputs.tf"], 1, true)
  end)

  it("outputs <tf_name>_policy_arn for each standalone policy", function()
    local v = terraform.module { role(), policy("read-b") }
    local names = {}
    for n in v["outputs.tf"]:gmatch('output "([%w_]+)"') do names[#names + 1] = n end
    assert.same({ "role_arn", "role_name", "read_b_policy_arn" }, names)
    assert.matches("value       = aws_iam_policy.read_b.arn", v["outputs.tf"], 1, true)
  end)

  it("raises when two outputs would get the same name", function()
    assert.matches('two outputs would be named "x_policy_arn"', err_of(terraform.module,
      { role { name = "a", tf_name = "x_policy" }, role { name = "b" }, policy("x") }), 1, true)
  end)

  it("writes the document style and managed policies when asked", function()
    local v = terraform.module(role { policies = { { name = "p", document = policy("p").document } } },
                               { style = "document", policies = "managed" })
    assert.matches('data "aws_iam_policy_document" "p"', v["main.tf"], 1, true)
    assert.matches('resource "aws_iam_policy" "p"', v["main.tf"], 1, true)
    assert.matches('output "role_arn"', v["outputs.tf"], 1, true)
  end)

  it("gives the same files for the same input, whatever the table order", function()
    local a = role { tags = { a = "1", b = "2", c = "3" } }
    local b = role { tags = {} }
    b.tags.c, b.tags.a, b.tags.b = "3", "1", "2"
    assert.same(terraform.module(a), terraform.module(b))
    assert.same(files, terraform.module(copy(seed_role), { variables = seed_vars,
                                                            name = "sagemaker-execution-role" }))
  end)

  describe("README.md", function()
    local readme = files["README.md"]

    it("lists what the module creates", function()
      assert.matches("# sagemaker-execution-role\n", readme, 1, true)
      assert.matches("- `aws_iam_role.sagemaker_execution`: IAM role `${var.role_name}`\n" ..
                     "  - `aws_iam_role_policy.sagemaker_least_privilege`: its policy", readme, 1, true)
    end)

    it("shows usage with the required inputs only", function()
      assert.matches(lines('```hcl', 'module "sagemaker_execution_role" {',
                           '  source = "./modules/sagemaker-execution-role"', '',
                           '  bucket_name = "..."', '}', '```'), readme, 1, true)
      assert.matches("module.sagemaker_execution_role.role_arn", readme, 1, true)
    end)

    it("has an inputs table", function()
      assert.matches("| bucket_name | S3 bucket the SageMaker jobs will read/write | `string` | n/a | yes |",
                     readme, 1, true)
      assert.matches('| role_name | Name of the IAM execution role | `string` | `"sagemaker-execution-role"` | no |',
                     readme, 1, true)
    end)

    it("has an outputs table", function()
      assert.matches("| role_arn | ARN of the IAM role sagemaker_execution |", readme, 1, true)
      assert.matches("| role_name | Name of the IAM role sagemaker_execution |", readme, 1, true)
    end)

    it("has the version requirements", function()
      assert.matches("| terraform | `>= 1.3` |\n| aws | `>= 5.0, < 7.0` |", readme, 1, true)
    end)

    it("escapes | in table cells", function()
      local v = terraform.module(role(), { variables = { { name = "a", description = "x | y" } } })
      assert.matches("| a | x \\| y | `any` | n/a | yes |", v["README.md"], 1, true)
    end)

    it("names attached managed policies and standalone policies", function()
      local v = terraform.module { role { managed_policy_arns = { "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
                                   policy("read-b") }
      assert.matches("  - `aws_iam_role_policy_attachment.fn_ReadOnlyAccess`: attaches " ..
                     "`arn:aws:iam::aws:policy/ReadOnlyAccess`", v["README.md"], 1, true)
      assert.matches("- `aws_iam_policy.read_b`: managed policy `read-b`", v["README.md"], 1, true)
    end)
  end)
end)


-- ---- with terraform ----

-- Every kind of output the writers produce, as files for terraform fmt.
local function rendered_corpus()
  local out = {}
  local n = 0
  local function add(name, text) n = n + 1; out[("%02d_%s"):format(n, name)] = text end
  local names = {}
  for k, v in pairs(C) do
    if type(v) == "table" and v.Statement then names[#names + 1] = k end
  end
  table.sort(names)
  for _, k in ipairs(names) do
    for _, indent in ipairs { 0, 2, 6 } do
      local pad = (" "):rep(indent)
      local nest_open, nest_close = "", ""
      for i = 1, indent / 2 - 1 do
        nest_open = nest_open .. ("  "):rep(i) .. "b" .. i .. " = {\n"
        nest_close = ("  "):rep(i) .. "}\n" .. nest_close
      end
      if indent == 0 then
        add(k .. "_jsonencode.tf", "locals {\n  p = " .. core.hcl_policy(C[k], { indent = 2 }) .. "\n}\n")
      else
        add(k .. "_indent" .. indent .. ".tf", "locals {\n" .. nest_open .. pad .. "p = " ..
            core.hcl_policy(C[k], { indent = indent }) .. "\n" .. nest_close .. "}\n")
      end
    end
    add(k .. "_document.tf", core.hcl_policy(C[k], { style = "document", name = k }))
  end
  local roles = {
    role { path = "/x/", description = "d", max_session_duration = 3600,
           permissions_boundary = "arn:aws:iam::1:policy/b", tags = { team = "ml", ["a:b"] = "c" },
           managed_policy_arns = { "arn:aws:iam::aws:policy/ReadOnlyAccess" },
           policies = { { name = "escapes", document = C.escapes }, { name = "long", document = C.long } } },
    role { name = "trust", trust = C.trust_conditions, policies = { { name = "p", document = C.principals } } },
    policy("standalone"),
  }
  for _, style in ipairs { "jsonencode", "document" } do
    for _, mode in ipairs { "inline", "managed" } do
      add(("render_%s_%s.tf"):format(style, mode), hcl.render(roles, { style = style, policies = mode }))
      local files = terraform.module(roles, { style = style, policies = mode, variables = {
        { name = "x", type = "list", default = { "a", "b" } } } })
      for _, f in ipairs { "main.tf", "variables.tf", "outputs.tf", "versions.tf" } do
        add(("module_%s_%s/%s"):format(style, mode, f), files[f])
      end
    end
  end
  local seed = terraform.module(seed_role, { variables = seed_vars })
  for _, f in ipairs { "main.tf", "variables.tf", "outputs.tf", "versions.tf" } do
    add("seed/" .. f, seed[f])
  end
  add("seed_usage.tf", seed["README.md"]:match("```hcl\n(.-)```"))
  add("body.tf", core.hcl_body {
    { comment = "values of every kind" },
    { attr = "a", value = { 1, 2.5, -3, true, "s" } },
    { attr = "long_name", value = { nested = { deep = { "x" } }, other = "y" } },
    { attr = "c", value = core.hcl_call("merge", { a = ("x"):rep(40) }, { b = ("y"):rep(40) }) },
    { blank = true },
    { attr = "d", value = { { k = "v", w = "x" } } },
    { block = "locals", body = { { attr = "z", value = core.hcl_jsonencode(C.star) } } } })
  return out
end

-- Replace each \248var.NAME\249 in the strings and keys of v.
local function fill(v, vars)
  if type(v) == "string" then
    return (v:gsub("\248var%.([%w_]+)\249", vars))
  elseif type(v) == "table" then
    local t = {}
    for k, x in pairs(v) do t[fill(k, vars)] = fill(x, vars) end
    return t
  end
  return v
end

-- A policy in a shape where JSON encodings of the same meaning compare
-- equal: strings become one-element lists; with sets, lists are sorted
-- (what aws_iam_policy_document does to them).
local function comparable(v, sets)
  if type(v) == "string" then return { v } end
  if type(v) ~= "table" then return v end
  local t = {}
  if v[1] ~= nil and type(v[1]) == "string" then
    for i, x in ipairs(v) do t[i] = x end
    if sets then table.sort(t) end
    return t
  end
  for k, x in pairs(v) do t[k] = comparable(x, sets) end
  return t
end

describe("terraform checks", function()
  local have = tf.available()

  it("finds every rendered output terraform fmt-clean", function()
    if not have then return pending("terraform not found: fmt check skipped") end
    local ok, diff = tf.fmt_check(rendered_corpus())
    assert(ok, "terraform fmt -check found differences:\n" .. diff)
  end)

  it("evaluates each jsonencode expression to the policy, escapes intact", function()
    if not have then return pending("terraform not found: console round trip skipped") end
    local dir = tf.tmpdir()
    finally(function() tf.rmrf(dir) end)
    local names, vars, locals = {}, {}, {}
    for k, v in pairs(C) do
      if type(v) == "table" and v.Statement then names[#names + 1] = k end
    end
    table.sort(names)
    for name, value in pairs(C.placeholder_vars) do
      vars[#vars + 1] = { block = "variable", labels = { name }, body = {
        { attr = "default", value = value } } }
    end
    table.sort(vars, function(a, b) return a.labels[1] < b.labels[1] end)
    for _, k in ipairs(names) do
      locals[#locals + 1] = { attr = k, value = core.hcl_jsonencode(C[k]) }
    end
    vars[#vars + 1] = { block = "locals", body = locals }
    tf.write(dir .. "/main.tf", core.hcl_body(vars))
    local all = {}
    for i, k in ipairs(names) do all[i] = k .. " = local." .. k end
    tf.write(dir .. "/input", "base64encode(jsonencode({ " .. table.concat(all, ", ") .. " }))\n")
    local ok, out = tf.terraform(dir, "console -no-color < input")
    assert(ok, out)
    local b64 = out:match('"([%w%+/=]+)"%s*$')
    assert(b64, "no base64 in console output:\n" .. out)
    local got = cjson.decode(tf.base64_decode(b64))
    for _, k in ipairs(names) do
      local expected = comparable(fill(C[k], C.placeholder_vars))
      assert.same(expected, comparable(cjson.decode(got[k])), k)
    end
  end)

  it("validates and plans the generated modules with a local aws provider", function()
    if not have then return pending("terraform not found: validate/plan skipped") end
    local mirror, version = tf.aws_mirror()
    if not mirror then
      return pending("no local aws provider mirror (LEASTPRIV_TF_PLUGIN_DIR): validate/plan skipped")
    end
    local dir = tf.tmpdir()
    finally(function() tf.rmrf(dir) end)
    local rc = tf.mirror_rc(dir, mirror)
    local escapes = copy(C.escapes)
    escapes.Statement[1].Resource[4] = "control \31"   -- NUL is not allowed in IAM anyway
    local doc_role = role { name = "doc-role", trust = C.trust_conditions,
                            policies = { { name = "escapes", document = escapes },
                                         { name = "not", document = C.not_elements } } }
    local mods = {
      seed = terraform.module(seed_role, { variables = seed_vars, aws_version = ">= " .. version }),
      doc = terraform.module(doc_role, { style = "document", aws_version = ">= " .. version }),
      enc = terraform.module(copy(doc_role), { aws_version = ">= " .. version }),
    }
    for name, files in pairs(mods) do
      tf.run("mkdir -p " .. tf.quote(dir .. "/" .. name))
      for f, text in pairs(files) do tf.write(dir .. "/" .. name .. "/" .. f, text) end
    end
    tf.write(dir .. "/main.tf", core.hcl_body {
      { block = "provider", labels = { "aws" }, body = {
        { attr = "region", value = "us-east-1" }, { attr = "access_key", value = "test" },
        { attr = "secret_key", value = "test" },
        { attr = "skip_credentials_validation", value = true },
        { attr = "skip_requesting_account_id", value = true },
        { attr = "skip_metadata_api_check", value = true } } },
      { block = "module", labels = { "seed" }, body = {
        { attr = "source", value = "./seed" }, { attr = "bucket_name", value = "my-ml-training-data" } } },
      { block = "module", labels = { "doc" }, body = { { attr = "source", value = "./doc" } } },
      { block = "module", labels = { "enc" }, body = { { attr = "source", value = "./enc" } } } })
    local ok, out = tf.terraform(dir, "init -no-color -input=false", rc)
    assert(ok, out)
    ok, out = tf.terraform(dir, "validate -no-color", rc)
    assert(ok, out)
    ok, out = tf.terraform(dir, "plan -no-color -input=false -refresh=false -out=tfplan", rc)
    assert(ok, out)
    ok, out = tf.terraform(dir, "show -json tfplan", rc)
    assert(ok, out)
    local plan = cjson.decode(out:match("{.*}"))
    local planned = {}
    for _, rc_ in ipairs(plan.resource_changes) do planned[rc_.address] = rc_.change.after end

    local seed_vals = { bucket_name = "my-ml-training-data", role_name = "sagemaker-execution-role" }
    local r = planned["module.seed.aws_iam_role.sagemaker_execution"]
    assert.equal("sagemaker-execution-role", r.name)
    assert.same(comparable(fill(seed_role.trust, seed_vals)),
                comparable(cjson.decode(r.assume_role_policy)))
    assert.same(comparable(fill(seed_role.policies[1].document, seed_vals)),
                comparable(cjson.decode(planned[
                  "module.seed.aws_iam_role_policy.sagemaker_least_privilege"].policy)))
    for _, m in ipairs { "doc", "enc" } do
      local sets = m == "doc"
      assert.same(comparable(C.trust_conditions, sets),
                  comparable(cjson.decode(planned["module." .. m .. ".aws_iam_role.doc_role"]
                                          .assume_role_policy), sets), m)
      assert.same(comparable(escapes, sets),
                  comparable(cjson.decode(planned["module." .. m .. ".aws_iam_role_policy.escapes"]
                                          .policy), sets), m)
      assert.same(comparable(C.not_elements, sets),
                  comparable(cjson.decode(planned["module." .. m .. ".aws_iam_role_policy.not"]
                                          .policy), sets), m)
    end
  end)
end)

-- issue 15 item 11: managed policy names are unique per account
describe("managed policy names", function()
  local function reader(name)
    return role { name = name, policies = { { name = "data", document = policy("data").document } } }
  end

  it("are ROLE-POLICY when a policy name is used by several roles", function()
    local main = terraform.module({ reader("a"), reader("b") }, { policies = "managed" })["main.tf"]
    assert.matches('name = "a-data"', main, 1, true)
    assert.matches('name = "b-data"', main, 1, true)
    assert.is_nil(main:find('name = "data"', 1, true))
  end)

  it("stay as they are when used once", function()
    local main = terraform.module({ reader("a") }, { policies = "managed" })["main.tf"]
    assert.matches('name = "data"', main, 1, true)
  end)

  it("refuse a clash that remains (ignoring case)", function()
    local ok, err = pcall(terraform.module, { reader("a"), reader("b"), policy("A-data") }, { policies = "managed" })
    assert.is_false(ok)
    assert.matches('two managed policies would be named "A-data"', err, 1, true)
  end)
end)
