# LS111 fixture (Terraform) - a typo in a list, an unknown service prefix, a wildcard matching nothing, known
# actions, an administrator role with a typo.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "typo" {
  statement {
    # lambdasec-expect: LS111
    actions   = ["s3:GetObject", "s3:PutObjet"]
    resources = ["arn:aws:s3:::orders-data/*"]
  }
}

resource "aws_iam_role" "typo" {
  name               = "typo"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "orders"
    policy = data.aws_iam_policy_document.typo.json
  }
}

resource "aws_lambda_function" "typo" {
  function_name = "typo"
  role          = aws_iam_role.typo.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "unknown_service" {
  statement {
    # lambdasec-expect: LS111
    actions   = ["dynamo:GetItem"]
    resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  }
}

resource "aws_iam_role" "unknown_service" {
  name               = "unknown-service"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "orders"
    policy = data.aws_iam_policy_document.unknown_service.json
  }
}

resource "aws_lambda_function" "unknown_service" {
  function_name = "unknown-service"
  role          = aws_iam_role.unknown_service.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "matches_nothing" {
  statement {
    # lambdasec-expect: LS111
    actions   = ["s3:Fetch*"]
    resources = ["arn:aws:s3:::orders-data/*"]
  }
}

resource "aws_iam_role" "matches_nothing" {
  name               = "matches-nothing"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "orders"
    policy = data.aws_iam_policy_document.matches_nothing.json
  }
}

resource "aws_lambda_function" "matches_nothing" {
  function_name = "matches-nothing"
  role          = aws_iam_role.matches_nothing.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "known_actions" {
  statement {
    # lambdasec-ok: LS111
    actions   = ["s3:GetObject", "s3:Get*"]
    resources = ["arn:aws:s3:::orders-data/*"]
  }
}

resource "aws_iam_role" "known_actions" {
  name               = "known-actions"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "orders"
    policy = data.aws_iam_policy_document.known_actions.json
  }
}

resource "aws_lambda_function" "known_actions" {
  function_name = "known-actions"
  role          = aws_iam_role.known_actions.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_policy" "administrator" {
  name = "administrator"
  policy = jsonencode({
    Statement = [
      {
        # lambdasec-ok: LS111
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
      {
        # lambdasec-expect: LS111
        Effect   = "Allow"
        Action   = "sqs:SendMesage"
        Resource = "arn:aws:sqs:us-east-1:123456789012:orders"
      },
    ]
  })
}

resource "aws_iam_role" "administrator" {
  name                = "administrator"
  assume_role_policy  = data.aws_iam_policy_document.lambda_trust.json
  managed_policy_arns = [aws_iam_policy.administrator.arn]
}

resource "aws_lambda_function" "administrator" {
  function_name = "administrator"
  role          = aws_iam_role.administrator.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
