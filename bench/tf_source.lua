-- bench/tf_source.lua: reading Terraform source without a plan.  A
-- generated module shaped like real IAM modules (per role: a variable, an
-- aws_iam_role with a jsonencode trust policy, a data
-- "aws_iam_policy_document" with three statements and a condition, an
-- aws_iam_role_policy using it, an attachment; 20% of roles with count,
-- distinct names and ARNs) at 100, 1,000 and 10,000 IAM resources:
--   parse  core.hcl_parse throughput (MB/s; target > 20 MB/s)
--   check  leastpriv check's entities and findings (s; target: 1,000
--          resources well under a second), and its growth at 10x.
--
--   lua5.4 bench/tf_source.lua [--quick]      (from the repository root, after make build)
package.path = "bench/?.lua;" .. package.path
local bench = require "lib"
local core = require "leastpriv.core"
local engine = require "leastpriv.check.engine"
local inputs = require "leastpriv.check.inputs"
local validate = require "leastpriv.validate"

local ROLE = [[
variable "bucket_%d" {
  type    = string
  default = "acme-ml-%d"
}

resource "aws_iam_role" "role_%d" {
  name = "team-%d-exec"
  path = "/service-role/"
  %s
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    }]
  })
  tags = { team = "team-%d" }
}

data "aws_iam_policy_document" "data_%d" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.bucket_%d}", "arn:aws:s3:::${var.bucket_%d}/input/*"]
  }
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${var.bucket_%d}/output/*"]
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs:*"]
  }
}

resource "aws_iam_role_policy" "data_%d" {
  name   = "data"
  role   = aws_iam_role.role_%d%s.id
  policy = data.aws_iam_policy_document.data_%d.json
}

resource "aws_iam_role_policy_attachment" "ro_%d" {
  role       = aws_iam_role.role_%d%s.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerReadOnly"
}

]]

-- A module of n roles (4 IAM resources and one data source each).
local function module_text(n)
  local parts = {}
  for i = 1, n do
    local counted = i % 5 == 0
    local count = counted and "count = 1" or ""
    local idx = counted and "[0]" or ""
    parts[i] = ROLE:format(i, i, i, i, count, i, i, i, i, i, i, i, idx, i, i, i, idx)
  end
  return table.concat(parts)
end

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)

for _, roles in ipairs(bench.QUICK and { 25, 250 } or { 25, 250, 2500 }) do
  local text = module_text(roles)
  local resources = roles * 4
  local path = dir .. "/main.tf"
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  local mb = #text / 1e6
  local t = bench.time(function() assert(core.hcl_parse(text)) end)
  bench.report(("tf source: hcl_parse, %d IAM resources (%.1f MB)"):format(resources, mb), mb / t, "MB/s", ">20")
  local function check()
    local run = engine.new({})
    validate.check(run, inputs.load(run, path, {}))
    run:result()
  end
  local tc = resources >= 10000 and bench.per_call(check, 1, 3) or bench.time(check)
  bench.report(("tf source: check a module of %d IAM resources"):format(resources), tc, "s",
    resources == 1000 and "<0.5" or "-")
end
os.execute("rm -rf " .. dir)
