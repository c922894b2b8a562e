# LS304 fixture (Terraform) - log groups of functions that handle secrets, with and without a KMS key.

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_kms_key" "logs" {
  description = "Lambda logs"
}

resource "aws_secretsmanager_secret" "stripe" {
  name = "stripe"
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "read_stripe" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.stripe.arn]
  }
}

resource "aws_iam_role" "secret_reader" {
  name               = "secret-reader"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "stripe"
    policy = data.aws_iam_policy_document.read_stripe.json
  }
}

resource "aws_lambda_function" "secret_reader" {
  function_name = "secret-reader"
  role          = aws_iam_role.secret_reader.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "secret_reader" {
  # lambdasec-expect: LS304
  name              = "/aws/lambda/${aws_lambda_function.secret_reader.function_name}"
  retention_in_days = 30
}

# lambdasec-expect: LS304
resource "aws_lambda_function" "sensitive_no_log_group" {
  function_name = "sensitive-no-log-group"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"

  environment {
    variables = {
      DB_PASSWORD = var.db_password
    }
  }
}

resource "aws_iam_role" "encrypted_reader" {
  name               = "encrypted-reader"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "stripe"
    policy = data.aws_iam_policy_document.read_stripe.json
  }
}

resource "aws_lambda_function" "encrypted_reader" {
  function_name = "encrypted-reader"
  role          = aws_iam_role.encrypted_reader.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "encrypted_reader" {
  # lambdasec-ok: LS304
  name              = "/aws/lambda/${aws_lambda_function.encrypted_reader.function_name}"
  retention_in_days = 30
  kms_key_id        = aws_kms_key.logs.arn
}

# lambdasec-ok: LS304
resource "aws_lambda_function" "nothing_sensitive" {
  function_name = "nothing-sensitive"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"

  environment {
    variables = {
      TABLE_NAME = "orders"
    }
  }
}
