# LS423 fixture (Terraform) - no vpc_config, an empty vpc_config, a VPC function and a vpc_config from
# variables.

variable "vpc_config" {
  type = object({ subnet_ids = list(string), security_group_ids = list(string) })
}

resource "aws_subnet" "main" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "10.0.1.0/24"
}

# lambdasec-expect: LS423
resource "aws_lambda_function" "no_vpc" {
  function_name = "no-vpc"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-expect: LS423
resource "aws_lambda_function" "empty_vpc_config" {
  function_name = "empty-vpc-config"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = []
    security_group_ids = []
  }
}

# lambdasec-ok: LS423
resource "aws_lambda_function" "in_vpc" {
  function_name = "in-vpc"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.main.id]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

# lambdasec-ok: LS423 -- not evaluated: the vpc_config block comes from a variable
resource "aws_lambda_function" "maybe_vpc" {
  function_name = "maybe-vpc"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS423
  dynamic "vpc_config" {
    for_each = var.vpc_config == null ? [] : [var.vpc_config]
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }
}
