# LS103 fixture (Terraform) - write actions on `*`, actions that only work on `*`, scoped writes, wildcards and
# tagged actions left to other rules, a condition, NotResource, a policy from a variable.

variable "writer_actions" {
  type = list(string)
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

data "aws_iam_policy_document" "writes_everywhere" {
  statement {
    # lambdasec-expect: LS103
    actions   = ["sqs:SendMessage", "dynamodb:PutItem"]
    resources = ["*"]
  }
  statement {
    # lambdasec-ok: LS103
    actions   = ["xray:PutTraceSegments", "logs:DescribeLogGroups", "s3:ListAllMyBuckets"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "writes_everywhere" {
  name               = "writes-everywhere"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "writes_everywhere" {
  role   = aws_iam_role.writes_everywhere.name
  policy = data.aws_iam_policy_document.writes_everywhere.json
}

resource "aws_lambda_function" "writes_everywhere" {
  function_name = "writes-everywhere"
  role          = aws_iam_role.writes_everywhere.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "scoped_write" {
  name               = "scoped-write"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name = "queue"
    policy = jsonencode({
      Statement = [
        {
          # lambdasec-ok: LS103
          Effect   = "Allow"
          Action   = "sqs:SendMessage"
          Resource = "arn:aws:sqs:us-east-1:123456789012:orders"
        },
        {
          # lambdasec-expect: LS103
          Effect   = "Allow"
          Action   = "sns:TagResource"
          Resource = "*"
        },
      ]
    })
  }
}

resource "aws_lambda_function" "scoped_write" {
  function_name = "scoped-write"
  role          = aws_iam_role.scoped_write.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "left_to_others" {
  statement {
    # lambdasec-ok: LS103 -- LS102 reports it
    actions   = ["s3:*"]
    resources = ["*"]
  }
  statement {
    # lambdasec-ok: LS103 -- LS107 reports it
    actions   = ["s3:PutBucketPolicy"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "left_to_others" {
  name   = "left-to-others"
  policy = data.aws_iam_policy_document.left_to_others.json
}

resource "aws_iam_role" "left_to_others" {
  name                = "left-to-others"
  assume_role_policy  = data.aws_iam_policy_document.lambda_trust.json
  managed_policy_arns = [aws_iam_policy.left_to_others.arn]
}

resource "aws_lambda_function" "left_to_others" {
  function_name = "left-to-others"
  role          = aws_iam_role.left_to_others.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "conditional" {
  statement {
    # lambdasec-expect: LS103
    actions   = ["sns:Publish"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["orders"]
    }
  }
}

data "aws_iam_policy_document" "not_resource" {
  statement {
    # lambdasec-expect: LS103
    actions       = ["dynamodb:DeleteItem"]
    not_resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/audit"]
  }
}

resource "aws_iam_role" "not_resource" {
  name               = "not-resource"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "not_resource" {
  role   = "not-resource"
  policy = data.aws_iam_policy_document.not_resource.json
}

resource "aws_lambda_function" "not_resource" {
  function_name = "not-resource"
  role          = aws_iam_role.not_resource.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "conditional" {
  name               = "conditional"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "publish"
    policy = data.aws_iam_policy_document.conditional.json
  }
}

resource "aws_lambda_function" "conditional" {
  function_name = "conditional"
  role          = aws_iam_role.conditional.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "from_variable" {
  statement {
    # lambdasec-ok: LS103 -- depends on a variable: reported as not evaluated
    actions   = var.writer_actions
    resources = ["*"]
  }
}

resource "aws_iam_role" "from_variable" {
  name               = "from-variable"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "writer"
    policy = data.aws_iam_policy_document.from_variable.json
  }
}

resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = aws_iam_role.from_variable.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
