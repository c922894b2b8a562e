# LS105 fixture (Terraform) - bulk data reads on `*` and on every bucket, scoped reads, a Deny merged in with
# override_policy_documents, a condition, the SQS poller policy attached by ARN, a service wildcard.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "reads_everything" {
  statement {
    # lambdasec-expect: LS105
    actions   = ["s3:GetObject", "secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "reads_everything" {
  name               = "reads-everything"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "read"
    policy = data.aws_iam_policy_document.reads_everything.json
  }
}

resource "aws_lambda_function" "reads_everything" {
  function_name = "reads-everything"
  role          = aws_iam_role.reads_everything.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "every_object" {
  name               = "every-object"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "every_object" {
  role = aws_iam_role.every_object.id
  policy = jsonencode({
    Statement = [{
      # lambdasec-expect: LS105
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::*/*"
    }]
  })
}

resource "aws_lambda_function" "every_object" {
  function_name = "every-object"
  role          = aws_iam_role.every_object.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "scoped_read" {
  statement {
    # lambdasec-ok: LS105
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::orders-data/*"]
  }
}

resource "aws_iam_role" "scoped_read" {
  name               = "scoped-read"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "read"
    policy = data.aws_iam_policy_document.scoped_read.json
  }
}

resource "aws_lambda_function" "scoped_read" {
  function_name = "scoped-read"
  role          = aws_iam_role.scoped_read.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "denied_secrets" {
  statement {
    # lambdasec-ok: LS105
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
  override_policy_documents = [jsonencode({
    Statement = [{ Sid = "NoSecrets", Effect = "Deny", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })]
}

resource "aws_iam_role" "denied_secrets" {
  name               = "denied-secrets"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "secrets"
    policy = data.aws_iam_policy_document.denied_secrets.json
  }
}

resource "aws_lambda_function" "denied_secrets" {
  function_name = "denied-secrets"
  role          = aws_iam_role.denied_secrets.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "decrypt_via_service" {
  statement {
    # lambdasec-expect: LS105 confidence=medium
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.us-east-1.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "decrypt_via_service" {
  name               = "decrypt-via-service"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "decrypt"
    policy = data.aws_iam_policy_document.decrypt_via_service.json
  }
}

resource "aws_lambda_function" "decrypt_via_service" {
  function_name = "decrypt-via-service"
  role          = aws_iam_role.decrypt_via_service.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "queue_poller" {
  name               = "queue-poller"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "queue_poller" {
  role = aws_iam_role.queue_poller.name
  # lambdasec-ok: LS105 -- made for SQS event sources
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
}

resource "aws_lambda_function" "queue_poller" {
  function_name = "queue-poller"
  role          = aws_iam_role.queue_poller.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "service_wildcard" {
  statement {
    # lambdasec-ok: LS105 -- LS102 reports it
    actions   = ["dynamodb:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "service_wildcard" {
  name               = "service-wildcard"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "table"
    policy = data.aws_iam_policy_document.service_wildcard.json
  }
}

resource "aws_lambda_function" "service_wildcard" {
  function_name = "service-wildcard"
  role          = aws_iam_role.service_wildcard.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
