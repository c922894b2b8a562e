# LS302 fixture (Terraform) - sensitive environment variables with and without a customer managed key.

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_kms_key" "environment" {
  description = "Lambda environment variables"
}

resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"

  environment {
    # lambdasec-expect: LS302 severity=low
    variables = {
      DB_PASSWORD = var.db_password
    }
  }
}

resource "aws_lambda_function" "with_customer_key" {
  function_name = "with-customer-key"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  kms_key_arn   = aws_kms_key.environment.arn

  environment {
    # lambdasec-ok: LS302
    variables = {
      DB_PASSWORD = var.db_password
    }
  }
}

resource "aws_lambda_function" "pointers_only" {
  function_name = "pointers-only"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"

  environment {
    # lambdasec-ok: LS302
    variables = {
      DB_PASSWORD_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-db-AbCdEf"
      DB_PASSWORD_PATH       = "/orders/prod/db-password"
      LOG_LEVEL              = "INFO"
    }
  }
}
