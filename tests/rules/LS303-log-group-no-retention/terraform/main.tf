# LS303 fixture (Terraform) - function log groups with and without retention, none declared, a shared group
# named by logging_config, a retention from a variable.

variable "retention_days" {
  type = number
}

# lambdasec-expect: LS303
resource "aws_lambda_function" "no_log_group" {
  function_name = "no-log-group"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS303
resource "aws_lambda_function" "with_retention" {
  function_name = "with-retention"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "with_retention" {
  # lambdasec-ok: LS303
  name              = "/aws/lambda/${aws_lambda_function.with_retention.function_name}"
  retention_in_days = 14
}

# lambdasec-ok: LS303
resource "aws_lambda_function" "named_no_retention" {
  function_name = "orders-export"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "named_no_retention" {
  # lambdasec-expect: LS303
  name = "/aws/lambda/orders-export"
}

# lambdasec-ok: LS303
resource "aws_lambda_function" "shared_logging" {
  function_name = "shared-logging"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.shared.name
  }
}

resource "aws_cloudwatch_log_group" "shared" {
  # lambdasec-ok: LS303
  name              = "/orders/shared"
  retention_in_days = 30
}

# lambdasec-ok: LS303
resource "aws_lambda_function" "retention_from_variable" {
  function_name = "retention-from-variable"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "retention_from_variable" {
  # lambdasec-ok: LS303 -- depends on a variable: reported as not evaluated
  name              = "/aws/lambda/retention-from-variable"
  retention_in_days = var.retention_days
}
