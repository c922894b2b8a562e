# LS102 fixture (Terraform) - service-wide wildcards in policy documents, jsonencode and an attached AWS managed
# policy, denied by a source document, partial wildcards, narrow grants, an administrator role.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "s3_everything" {
  name               = "s3-everything"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name = "s3"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        # lambdasec-expect: LS102
        Effect   = "Allow"
        Action   = "s3:*"
        Resource = "*"
      }]
    })
  }
}

resource "aws_lambda_function" "s3_everything" {
  function_name = "s3-everything"
  role          = aws_iam_role.s3_everything.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "table_everything" {
  name               = "table-everything"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

data "aws_iam_policy_document" "table_everything" {
  statement {
    # lambdasec-ok: LS102
    actions   = ["dynamodb:GetItem"]
    resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  }
  statement {
    # lambdasec-expect: LS102
    actions   = ["sqs:*", "dynamodb:*"]
    resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  }
}

resource "aws_iam_policy" "table_everything" {
  name   = "table-everything"
  policy = data.aws_iam_policy_document.table_everything.json
}

resource "aws_iam_role_policy_attachment" "table_everything" {
  role       = aws_iam_role.table_everything.name
  policy_arn = aws_iam_policy.table_everything.arn
}

resource "aws_lambda_function" "table_everything" {
  function_name = "table-everything"
  role          = aws_iam_role.table_everything.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "iam_everything" {
  name               = "iam-everything"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "iam_everything" {
  role = aws_iam_role.iam_everything.id
  policy = jsonencode({
    Statement = [{
      # lambdasec-expect: LS102 severity=critical
      Effect   = "Allow"
      Action   = "iam:*"
      Resource = "*"
    }]
  })
}

resource "aws_lambda_function" "iam_everything" {
  function_name = "iam-everything"
  role          = aws_iam_role.iam_everything.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "managed_s3_full" {
  name               = "managed-s3-full"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "managed_s3_full" {
  role = aws_iam_role.managed_s3_full.name
  # lambdasec-expect: LS102
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_lambda_function" "managed_s3_full" {
  function_name = "managed-s3-full"
  role          = aws_iam_role.managed_s3_full.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "deny_s3" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "denied_everywhere" {
  source_policy_documents = [data.aws_iam_policy_document.deny_s3.json]
  statement {
    # lambdasec-ok: LS102
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "denied_everywhere" {
  name               = "denied-everywhere"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "s3"
    policy = data.aws_iam_policy_document.denied_everywhere.json
  }
}

resource "aws_lambda_function" "denied_everywhere" {
  function_name = "denied-everywhere"
  role          = aws_iam_role.denied_everywhere.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "conditional" {
  statement {
    # lambdasec-expect: LS102 confidence=medium
    actions   = ["sns:*"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["orders"]
    }
  }
}

resource "aws_iam_role" "conditional" {
  name               = "conditional"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "sns"
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

resource "aws_iam_role" "partial_wildcard" {
  name               = "partial-wildcard"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "partial_wildcard" {
  role = aws_iam_role.partial_wildcard.id
  # lambdasec-ok: LS102
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
  EOT
}

resource "aws_lambda_function" "partial_wildcard" {
  function_name = "partial-wildcard"
  role          = aws_iam_role.partial_wildcard.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "administrator" {
  name               = "administrator"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name = "everything"
    policy = jsonencode({
      Statement = [
        {
          # lambdasec-ok: LS102 -- LS101 reports the role
          Effect   = "Allow"
          Action   = "s3:*"
          Resource = "*"
        },
        { Effect = "Allow", Action = "*", Resource = "*" },
      ]
    })
  }
}

resource "aws_lambda_function" "administrator" {
  function_name = "administrator"
  role          = aws_iam_role.administrator.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
