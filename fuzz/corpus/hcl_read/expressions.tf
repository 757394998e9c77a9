variable "bucket_name" {
  type        = string
  description = "S3 bucket"
}

variable "role_name" {
  type    = string
  default = "sagemaker-execution-role"
}

# a comment
resource "aws_iam_role" "sagemaker_execution" {
  name = var.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "p" {
  name   = "x-${var.role_name}-%{ if true }y%{ else }z%{ endif }"
  role   = aws_iam_role.sagemaker_execution.id
  policy = <<-EOT
    {
      "a": "${var.bucket_name}/*"
    }
  EOT
  count = length(local.x[*].id) > 0 ? 1 : 0
  tags = { for k, v in var.tags : k => upper(v) if k != "x" }
  list = [for s in local.l : "${s}-x"]
  nums = [1, 2.5, 1e3, -4, !true, a.b[0].c, a.*.b, f(x...)]
  ops  = 1 + 2 * 3 == 7 && !false || a >= b
}
