variable "function_name" {
  type = string
}

variable "create_url" {
  type    = bool
  default = false
}

variable "allowed_triggers" {
  type    = map(any)
  default = {}
}

module "role" {
  source = "./modules/role"
  name   = var.function_name
}

resource "aws_lambda_function" "this" {
  count = 1

  function_name = var.function_name
  role          = module.role.arn
  handler       = "app.handler"
  runtime       = "python3.12"
}

resource "aws_lambda_permission" "triggers" {
  for_each = { for k, v in var.allowed_triggers : k => v }

  function_name = aws_lambda_function.this[0].function_name
  action        = try(each.value.action, "lambda:InvokeFunction")
  principal     = try(each.value.principal, format("%s.amazonaws.com", try(each.value.service, "")))
  source_arn    = try(each.value.source_arn, null)
}

resource "aws_lambda_function_url" "this" {
  count = var.create_url ? 1 : 0

  function_name      = aws_lambda_function.this[0].function_name
  authorization_type = "NONE"
}

output "name" {
  value = try(aws_lambda_function.this[0].function_name, "")
}
