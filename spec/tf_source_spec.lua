-- Terraform source read without a plan: evaluation (variables, locals,
-- templates, functions, count and for_each, local modules, policy
-- documents) and the IAM entities that check, diff and the other commands
-- see.  Terraform's documented behaviour decides (developer.hashicorp.com,
-- "Configuration Language"; the AWS provider's aws_iam_policy_document).
local cli = require "support.cli"
local core = require "leastpriv.core"
local tf = require "leastpriv.check.tf_source"
local tfmodule = require "leastpriv.tf.module"
local V = require "leastpriv.tf.values"
local template = require "leastpriv.template"

local function write_module(files)
  local dir = cli.tmpdir()
  for name, text in pairs(files) do
    local sub = name:match("^(.*)/[^/]*$")
    if sub then os.execute(("mkdir -p %q"):format(dir .. "/" .. sub)) end
    local f = assert(io.open(dir .. "/" .. name, "w"))
    f:write(text)
    f:close()
  end
  return dir
end

-- The value of local.x in a module of main.tf.
local function eval_local(hcl, vars)
  local dir = write_module({ ["main.tf"] = hcl })
  local m = tfmodule.load(dir, { vars = vars })
  local ok, v = pcall(m.local_value, m, "x", { line = 1, column = 1 })
  cli.rm(dir)
  if not ok then error(v, 0) end
  return v
end

local function check_dir(dir, argv)
  local args = { "check", dir, "--format", "json" }
  for _, a in ipairs(argv or {}) do args[#args + 1] = a end
  local code, out, err = cli.run(args)
  local report = core.json_decode(out)
  return code, report and report.findings or {}, err
end

local function codes(findings)
  local list = {}
  for _, f in ipairs(findings) do list[#list + 1] = f.code end
  table.sort(list)
  return list
end

describe("Terraform expressions", function()
  it("evaluates templates, operators, conditionals and for expressions", function()
    assert.equal("a-b-3", eval_local('locals {\n  x = "a-${"b"}-${1 + 2}"\n}\n'))
    assert.equal(true, eval_local('locals {\n  x = 1 + 2 * 3 == 7 && !false\n}\n'))
    assert.equal("y", eval_local('locals {\n  x = 2 > 1 ? "y" : "n"\n}\n'))
    assert.same(V.list({ "A", "C" }), eval_local('locals {\n  x = [for s in ["a", "b", "c"] : upper(s) if s != "b"]\n}\n'))
    assert.same({ a = "1", b = "2" }, eval_local('locals {\n  x = {for k, v in { a = 1, b = 2 } : k => tostring(v)}\n}\n'))
    assert.same({ x = V.list({ "a", "b" }) }, eval_local('locals {\n  x = {for v in ["a", "b"] : "x" => v...}\n}\n'))
    assert.equal("k=1,", eval_local('locals {\n  x = "%{ for k, v in { k = 1 } }${k}=${v},%{ endfor }"\n}\n'))
  end)

  it("keeps the type of a template that is one interpolation", function()
    -- "${x}" alone is x itself, not its string form
    assert.same(V.list({ 1, 2 }), eval_local('locals {\n  l = [1, 2]\n  x = "${local.l}"\n}\n'))
  end)

  it("has the functions IAM code uses", function()
    assert.same({ a = 1, b = 3 }, eval_local('locals {\n  x = merge({ a = 1, b = 2 }, { b = 3 })\n}\n'))
    assert.same(V.list({ 1, 2, 3 }), eval_local('locals {\n  x = concat([1], [2, 3])\n}\n'))
    assert.equal("a,b", eval_local('locals {\n  x = join(",", ["a", "b"])\n}\n'))
    assert.same(V.list({ "a", "b" }), eval_local('locals {\n  x = split("/", "a/b")\n}\n'))
    assert.equal("a-b", eval_local('locals {\n  x = replace("a_b", "_", "-")\n}\n'))
    assert.equal("arn:aws:s3:::b/*", eval_local('locals {\n  x = format("arn:aws:s3:::%s/*", "b")\n}\n'))
    assert.same(V.list({ 1, 2, 3 }), eval_local('locals {\n  x = flatten([[1], [2, [3]]])\n}\n'))
    assert.same(V.list({ "a", "b" }), eval_local('locals {\n  x = distinct(["a", "b", "a"])\n}\n'))
    assert.equal("d", eval_local('locals {\n  x = coalesce("", null, "d")\n}\n'))
    assert.equal("fallback", eval_local('locals {\n  x = try(local.missing, "fallback")\n}\n'))
    assert.equal(7, eval_local('locals {\n  x = lookup({ a = 7 }, "a", 0)\n}\n'))
    assert.equal(2, eval_local('locals {\n  x = length(["a", "b"])\n}\n'))
    assert.is_true(eval_local('locals {\n  x = contains(["a"], "a")\n}\n'))
    assert.same(V.list({ "a", "b" }), eval_local('locals {\n  x = keys({ b = 1, a = 2 })\n}\n'))
    assert.same({ Action = "s3:GetObject" },
      core.json_decode(eval_local('locals {\n  x = jsonencode({ Action = "s3:GetObject" })\n}\n')))
    assert.same({ a = V.list({ 1 }) }, eval_local('locals {\n  x = jsondecode("{\\"a\\": [1]}")\n}\n'))
  end)

  it("takes variables from --set, their defaults, or leaves a placeholder", function()
    local hcl = 'variable "b" {\n  type = string\n}\nvariable "n" {\n  type    = number\n  default = 2\n}\n'
      .. 'locals {\n  x = "${var.b}:${var.n}"\n}\n'
    assert.equal("my:2", eval_local(hcl, { b = "my" }))
    assert.equal("my:5", eval_local(hcl, { b = "my", n = "5" }))
    assert.equal(template.reference("var.b") .. ":2", eval_local(hcl))
  end)

  it("reports errors at the expression's line", function()
    local ok, err = pcall(eval_local, 'locals {\n  x = local.nope\n}\n')
    assert.is_false(ok)
    assert.matches('^2:7: no local value "nope"', err)
    ok, err = pcall(eval_local, 'locals {\n  x = local.x\n}\n')
    assert.is_false(ok)
    assert.matches("refers to itself", err)
  end)

  it("gives unknown for what nothing offline knows, and it spreads", function()
    local v = eval_local('locals {\n  x = "a-${uuid()}"\n}\n')
    assert.is_true(V.is_unknown(v))
    assert.matches("uuid", v.why)
  end)
end)

describe("Terraform resources", function()
  it("keeps a reference to what apply creates as one exact value, named by its address", function()
    local dir = write_module({ ["main.tf"] = [[
resource "aws_s3_bucket" "data" {
  bucket = "my-bucket"
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.data.arn}/*" }]
  })
}
]] })
    local items = tf.items(dir)
    local code, findings = check_dir(dir)
    cli.rm(dir)
    assert.equal(1, #items)
    local r = items[1].document.Statement[1].Resource
    r = type(r) == "table" and r[1] or r
    assert.equal("${aws_s3_bucket.data.arn}/*", template.display(r))
    -- not a wildcard: no RESOURCE_STAR, nothing unknown
    assert.same({}, codes(findings))
    assert.equal(0, code)
  end)

  it("expands count and for_each, with count.index and each.key / each.value", function()
    local dir = write_module({ ["main.tf"] = [[
variable "buckets" {
  default = { raw = "acme-raw", out = "acme-out" }
}

resource "aws_iam_role" "r" {
  count              = 2
  name               = "role-${count.index}"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" },
    Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } } }] })
}

resource "aws_iam_role_policy" "p" {
  for_each = var.buckets
  name     = each.key
  role     = aws_iam_role.r[0].id
  policy   = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${each.value}/*" }] })
}
]] })
    local items = tf.items(dir)
    cli.rm(dir)
    local names = {}
    for _, it in ipairs(items) do names[#names + 1] = it.name end
    assert.same({ "role-0", "role-1" }, names)
    assert.equal(2, #items[1].policies)
    local res = {}
    for _, p in ipairs(items[1].policies) do
      local r = p.document.Statement[1].Resource
      res[#res + 1] = p.name .. " " .. (type(r) == "table" and r[1] or r)
    end
    table.sort(res)
    assert.same({ "out arn:aws:s3:::acme-out/*", "raw arn:aws:s3:::acme-raw/*" }, res)
    assert.equal(0, #items[2].policies)
  end)

  it("builds aws_iam_policy_document as the provider does: blocks, dynamic, principals, conditions, overrides", function()
    local dir = write_module({ ["main.tf"] = [[
locals {
  prefixes = ["in", "out"]
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Keep"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::b"]
  }
  statement {
    sid       = "Replace"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "p" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Replace"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
  dynamic "statement" {
    for_each = local.prefixes
    content {
      sid       = "Put${statement.key}"
      actions   = ["s3:PutObject"]
      resources = ["arn:aws:s3:::b/${statement.value}/*"]
    }
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "p" {
  name   = "p"
  role   = aws_iam_role.r.name
  policy = data.aws_iam_policy_document.p.json
}
]] })
    local items = tf.items(dir)
    cli.rm(dir)
    local role
    for _, it in ipairs(items) do if it.kind == "role" then role = it end end
    assert.truthy(role, "the role")
    local sts = role.policies[1].document.Statement
    local sids = {}
    for i, st in ipairs(sts) do sids[i] = st.Sid end
    -- the source's statements first, the one with the same Sid replaced in place
    assert.same({ "Keep", "Replace", "Put0", "Put1" }, sids)
    local action = sts[2].Action
    assert.equal("s3:GetObject", type(action) == "table" and action[1] or action)
    assert.truthy(sts[2].Condition and sts[2].Condition.Bool)
    local svc = role.trust.Statement[1].Principal.Service
    assert.equal("sagemaker.amazonaws.com", type(svc) == "table" and svc[1] or svc)
    -- the documents that resources use are not checked twice on their own
    for _, it in ipairs(items) do assert.equal("role", it.kind) end
  end)

  it("reads local modules with their arguments, and refuses remote ones as unknown", function()
    local dir = write_module({
      ["main.tf"] = 'module "exec" {\n  source = "./modules/exec"\n  bucket = "acme"\n}\n'
        .. 'module "remote" {\n  source = "terraform-aws-modules/iam/aws"\n}\n',
      ["modules/exec/main.tf"] = 'variable "bucket" {}\n'
        .. 'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        .. '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", '
        .. 'Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.bucket}/*" }] })\n}\n',
    })
    local code, findings = check_dir(dir)
    local items = tf.items(dir)
    cli.rm(dir)
    assert.equal("p", items[1].name)          -- a named policy pairs by its name
    local r = items[1].document.Statement[1].Resource
    assert.equal("arn:aws:s3:::acme/*", type(r) == "table" and r[1] or r)
    assert.same({ "TERRAFORM_VALUE_UNKNOWN" }, codes(findings))
    assert.matches("only local modules", findings[1].message)
    assert.equal(5, findings[1].line)
    assert.equal(1, code)
  end)

  it("reports a policy nothing offline can know at its line, and fails the gate", function()
    local dir = write_module({ ["main.tf"] = 'data "external" "p" {\n  program = ["./x.sh"]\n}\n\n'
      .. 'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = data.external.p.result\n}\n' })
    local code, findings = check_dir(dir)
    cli.rm(dir)
    assert.same({ "TERRAFORM_VALUE_UNKNOWN" }, codes(findings))
    assert.equal(1, code)
    assert.matches("aws_iam_policy%.p: policy cannot be known offline", findings[1].message)
  end)

  it("reads terraform.tfvars, *.auto.tfvars and --var-file, in that order", function()
    local dir = write_module({
      ["main.tf"] = 'variable "b" {}\nresource "aws_iam_policy" "p" {\n  name   = "p"\n'
        .. '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", '
        .. 'Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.b}/*" }] })\n}\n',
      ["terraform.tfvars"] = 'b = "from-tfvars"\n',
      ["x.auto.tfvars"] = 'b = "from-auto"\n',
      ["extra.tfvars"] = 'b = "from-file"\n',
    })
    local items = tf.items(dir)
    local r = items[1].document.Statement[1].Resource
    assert.equal("arn:aws:s3:::from-auto/*", type(r) == "table" and r[1] or r)
    items = tf.items(dir, { var_files = { dir .. "/extra.tfvars" } })
    r = items[1].document.Statement[1].Resource
    cli.rm(dir)
    assert.equal("arn:aws:s3:::from-file/*", type(r) == "table" and r[1] or r)
  end)
end)

describe("check on Terraform source", function()
  it("reports the seed's module as the seed's script, at the .tf lines", function()
    local code, findings = check_dir("spec/fixtures/tf/seed")
    local _, out = cli.run({ "check", "examples/sagemaker/seed_module.lua", "--format", "json" })
    local script = core.json_decode(out).findings
    assert.equal(1, code)
    assert.same(codes(script), codes(findings))
    local at = {}
    for _, f in ipairs(findings) do at[#at + 1] = ("%s %d:%d"):format(f.code, f.line, f.column) end
    table.sort(at)
    -- Principal's Service value (line 17) and the ECR statement's Resource (line 47)
    assert.same({ "RESOURCE_STAR 47:20", "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL 17:31" }, at)
    for _, f in ipairs(findings) do assert.equal("spec/fixtures/tf/seed/main.tf", f.file) end
  end)

  it("links the inline policy to its role: seed-review finds one role and one inline policy", function()
    local _, findings = check_dir("spec/fixtures/tf/seed", { "--profile", "seed-review" })
    for _, f in ipairs(findings) do assert.falsy(f.code:match("^SEED_REVIEW"), f.message) end
  end)

  it("diffs the seed's module against the seed's script as unchanged", function()
    local code, out, err = cli.run({ "diff", "examples/sagemaker/seed_module.lua", "spec/fixtures/tf/seed",
                                     "--set", "bucket_name=my-ml-training-data" })
    assert.equal(0, code, out .. err)
  end)

  it("reports a syntax error at its line and column", function()
    local dir = write_module({ ["main.tf"] = 'resource "aws_iam_role" "r" {\n  name = "r"\n' })
    local code, findings = check_dir(dir)
    cli.rm(dir)
    assert.equal(1, code)
    assert.same({ "TERRAFORM_SYNTAX_ERROR" }, codes(findings))
    assert.equal(1, findings[1].line)
    assert.matches("block without its closing }", findings[1].message)
  end)
end)
