# LS106 fixture (Terraform) - credential-returning actions on `*`, scoped ones, and escalation and data reads
# left to LS104 and LS105.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "reads_function_settings" {
  statement {
    # lambdasec-expect: LS106
    actions   = ["lambda:GetFunctionConfiguration"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "reads_function_settings" {
  name               = "reads-function-settings"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "settings"
    policy = data.aws_iam_policy_document.reads_function_settings.json
  }
}

resource "aws_lambda_function" "reads_function_settings" {
  function_name = "reads-function-settings"
  role          = aws_iam_role.reads_function_settings.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_policy" "registry_token" {
  name = "registry-token"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # lambdasec-expect: LS106
      Effect   = "Allow"
      Action   = ["ecr:GetAuthorizationToken", "sts:GetFederationToken"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "registry_token" {
  name               = "registry-token"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "registry_token" {
  role       = aws_iam_role.registry_token.name
  policy_arn = aws_iam_policy.registry_token.arn
}

resource "aws_lambda_function" "registry_token" {
  function_name = "registry-token"
  role          = aws_iam_role.registry_token.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "others" {
  statement {
    # lambdasec-ok: LS106
    actions   = ["lambda:GetFunctionConfiguration"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:worker"]
  }
}

resource "aws_iam_role" "one_function" {
  name               = "one-function"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "settings"
    policy = data.aws_iam_policy_document.others.json
  }
}

resource "aws_lambda_function" "one_function" {
  function_name = "one-function"
  role          = aws_iam_role.one_function.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "creates_keys" {
  statement {
    # lambdasec-ok: LS106 -- LS104 reports it
    actions   = ["iam:CreateAccessKey"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "creates_keys" {
  name               = "creates-keys"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "keys"
    policy = data.aws_iam_policy_document.creates_keys.json
  }
}

resource "aws_lambda_function" "creates_keys" {
  function_name = "creates-keys"
  role          = aws_iam_role.creates_keys.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "reads_secrets" {
  statement {
    # lambdasec-ok: LS106 -- LS105 reports it
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "reads_secrets" {
  name               = "reads-secrets"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "secrets"
    policy = data.aws_iam_policy_document.reads_secrets.json
  }
}

resource "aws_lambda_function" "reads_secrets" {
  function_name = "reads-secrets"
  role          = aws_iam_role.reads_secrets.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
