# Patterns from public modules: for expressions, splats, optional(), lifecycle, provider aliases, heredoc policies.
locals {
  url      = "https://example.com/#frag" # a comment
  regex    = "^[a-z]+\\d$"
  names    = [for s in var.list : upper(s) if s != ""]
  by_name  = { for k, v in var.map : k => v.id }
  ids      = aws_instance.web[*].id
  legacy   = aws_instance.web.*.id
  first    = element(concat(aws_instance.web.*.id, [""]), 0)
  half     = var.count / 2
  small    = var.count < 3
  nested   = try(var.settings.a.b, null)
  tpl      = templatefile("${path.module}/t.tpl", { name = var.name })
  obj_type = "x"
}

variable "settings" {
  type = object({
    a = optional(string, "x")
    b = list(number)
  })
  default = null
}

provider "aws" {
  alias  = "east"
  region = "us-east-1"
}

resource "aws_lambda_function" "this" {
  count         = var.create ? 1 : 0
  function_name = "${var.prefix}-fn"
  role          = var.role_arn != null ? var.role_arn : aws_iam_role.this[0].arn
  environment {
    variables = merge(var.env, {
      STAGE = var.stage
    })
  }
  lifecycle {
    ignore_changes = [tags, environment]
  }
  depends_on = [aws_iam_role.this, aws_cloudwatch_log_group.lg]
  tags       = merge(var.tags, { "Name" = "x" })
}

resource "aws_iam_policy" "p" {
  policy = <<-POLICY
    {
      "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "${aws_s3_bucket.b.arn}/*"}]
    }
  POLICY
}

module "m" {
  source    = "./m"
  providers = { aws = aws.east }
  for_each  = var.fns
  name      = each.value["name"]
}

output "o" {
  value     = { for k, m in module.m : k => m.arn }
  sensitive = true
}
