# LS107 fixture (Terraform) - resource-policy changes on `*` (policy document, jsonencode), on one bucket, and
# under a condition.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "rewrites_policies" {
  statement {
    # lambdasec-expect: LS107
    actions   = ["s3:PutBucketPolicy", "lambda:AddPermission"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "rewrites_policies" {
  name               = "rewrites-policies"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "policies"
    policy = data.aws_iam_policy_document.rewrites_policies.json
  }
}

resource "aws_lambda_function" "rewrites_policies" {
  function_name = "rewrites-policies"
  role          = aws_iam_role.rewrites_policies.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "queue_attributes" {
  name               = "queue-attributes"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "queue_attributes" {
  role = aws_iam_role.queue_attributes.id
  policy = jsonencode({
    Statement = [{
      # lambdasec-expect: LS107
      Effect   = "Allow"
      Action   = "sqs:SetQueueAttributes"
      Resource = "*"
    }]
  })
}

resource "aws_lambda_function" "queue_attributes" {
  function_name = "queue-attributes"
  role          = aws_iam_role.queue_attributes.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "one_bucket" {
  statement {
    # lambdasec-ok: LS107
    actions   = ["s3:PutBucketPolicy"]
    resources = ["arn:aws:s3:::orders-data"]
  }
}

resource "aws_iam_role" "one_bucket" {
  name               = "one-bucket"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "bucket"
    policy = data.aws_iam_policy_document.one_bucket.json
  }
}

resource "aws_lambda_function" "one_bucket" {
  function_name = "one-bucket"
  role          = aws_iam_role.one_bucket.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "tagged_keys" {
  statement {
    # lambdasec-expect: LS107 confidence=medium
    actions   = ["kms:PutKeyPolicy"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["orders"]
    }
  }
}

resource "aws_iam_role" "tagged_keys" {
  name               = "tagged-keys"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "keys"
    policy = data.aws_iam_policy_document.tagged_keys.json
  }
}

resource "aws_lambda_function" "tagged_keys" {
  function_name = "tagged-keys"
  role          = aws_iam_role.tagged_keys.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
