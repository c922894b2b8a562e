# LS204 fixture (Terraform) - invoke grants to other accounts, the configuration's own account (the caller
# identity), a service and a variable.

variable "partner_account" {
  type = string
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_lambda_function" "orders_api" {
  function_name = "orders-api"
  role          = "arn:aws:iam::111122223333:role/orders-api"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_permission" "partner_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-expect: LS204
  principal = "444455556666"
}

resource "aws_lambda_permission" "partner_role_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:*"
  # lambdasec-expect: LS204
  principal = "arn:aws:iam::444455556666:role/partner-sync"
}

resource "aws_lambda_permission" "partner_read_only" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:GetFunctionConfiguration"
  # lambdasec-ok: LS204 -- not an invoke grant
  principal = "444455556666"
}

resource "aws_lambda_permission" "own_account_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS204 -- the configuration's own account
  principal = data.aws_caller_identity.current.account_id
}

resource "aws_lambda_permission" "own_root_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS204 -- the configuration's own account
  principal = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

resource "aws_lambda_permission" "service_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS204
  principal      = "sns.amazonaws.com"
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_lambda_permission" "var_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS204 -- depends on a variable: reported as not evaluated
  principal = "arn:aws:iam::${var.partner_account}:root"
}
