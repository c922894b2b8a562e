variable "functions" {
  default = [
    { name = "orders", handler = "orders.handler", public = true },
    { name = "billing", handler = "billing.handler", public = false },
  ]
}

variable "env" {
  default = { STAGE = "prod", TABLE = "orders" }
}

variable "callers" {
  type = list(string)
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r" {
  count              = 2
  name               = "role-${count.index}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_lambda_function" "f" {
  for_each      = { for f in var.functions : f.name => f }
  function_name = each.value.name
  handler       = each.value.handler
  runtime       = "python3.12"
  role          = aws_iam_role.r[0].arn
  environment {
    variables = { for k, v in var.env : k => lower(v) }
  }
}

resource "aws_lambda_function" "counted" {
  count         = 2
  function_name = "counted-${count.index}"
  handler       = "counted.handler"
  runtime       = "python3.12"
  role          = aws_iam_role.r.*.arn[1]
}

resource "aws_lambda_permission" "public" {
  for_each      = toset([for f in var.functions : f.name if f.public])
  function_name = aws_lambda_function.f[each.key].function_name
  action        = "lambda:InvokeFunction"
  principal     = "*"
}

resource "aws_lambda_permission" "callers" {
  for_each      = toset([for c in var.callers : c])
  function_name = aws_lambda_function.counted[0].function_name
  action        = "lambda:InvokeFunction"
  principal     = each.value
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = aws_lambda_function.counted[*].arn
  }
}

resource "aws_iam_role_policy" "invoke" {
  role   = aws_iam_role.r[1].name
  policy = data.aws_iam_policy_document.invoke.json
}
