variable "name" {
  type = string
}

variable "public" {
  default = false
}

variable "role_arn" {
  type = string
}

module "role" {
  source = "../role"
  name   = "${var.name}-role"
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  role          = coalesce(var.role_arn, module.role.arn)
}

resource "aws_lambda_function_url" "url" {
  count              = var.public ? 1 : 0
  function_name      = aws_lambda_function.this.function_name
  authorization_type = "NONE"
}

output "arn" {
  value = aws_lambda_function.this.arn
}

output "role_name" {
  value = module.role.name
}
