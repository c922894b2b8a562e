# LS101 fixture (Terraform) - AdministratorAccess attached by ARN, a star-on-star inline policy, NotAction
# in a role policy, an aws_iam_policy attached with aws_iam_policy_attachment, narrow policies, a role from
# a variable.

variable "role_arn" {
  type = string
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

resource "aws_iam_role" "managed_admin" {
  name               = "managed-admin"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "managed_admin" {
  role = aws_iam_role.managed_admin.name
  # lambdasec-expect: LS101
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "managed_admin" {
  function_name = "managed-admin"
  role          = aws_iam_role.managed_admin.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "star_on_star" {
  name               = "star-on-star"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name = "everything"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          # lambdasec-expect: LS101
          Effect   = "Allow"
          Action   = "*"
          Resource = "*"
        },
      ]
    })
  }
}

resource "aws_lambda_function" "star_on_star" {
  function_name = "star-on-star"
  role          = aws_iam_role.star_on_star.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "all_but_iam" {
  name               = "all-but-iam"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "all_but_iam" {
  name = "all-but-iam"
  role = aws_iam_role.all_but_iam.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # lambdasec-expect: LS101
      Effect    = "Allow"
      NotAction = ["iam:*", "organizations:*"]
      Resource  = "*"
    }]
  })
}

resource "aws_lambda_function" "all_but_iam" {
  function_name = "all-but-iam"
  role          = aws_iam_role.all_but_iam.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "shared_admin" {
  name               = "shared-admin"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

data "aws_iam_policy_document" "everything" {
  # lambdasec-expect: LS101
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "everything" {
  name   = "everything"
  policy = data.aws_iam_policy_document.everything.json
}

resource "aws_iam_policy_attachment" "everything" {
  name       = "everything"
  roles      = [aws_iam_role.shared_admin.name]
  policy_arn = aws_iam_policy.everything.arn
}

resource "aws_lambda_function" "shared_admin" {
  function_name = "shared-admin"
  role          = aws_iam_role.shared_admin.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "narrow" {
  name                = "narrow"
  assume_role_policy  = data.aws_iam_policy_document.lambda_trust.json
  # lambdasec-ok: LS101
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
}

data "aws_iam_policy_document" "narrow" {
  # lambdasec-ok: LS101
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "narrow" {
  role   = aws_iam_role.narrow.id
  policy = data.aws_iam_policy_document.narrow.json
}

resource "aws_iam_role_policy" "narrow_heredoc" {
  role = aws_iam_role.narrow.id
  # lambdasec-ok: LS101
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}
      ]
    }
  EOT
}

resource "aws_lambda_function" "narrow" {
  function_name = "narrow"
  role          = aws_iam_role.narrow.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS101 -- depends on a variable: reported as not evaluated
resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = var.role_arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "bounded" {
  name                 = "bounded"
  assume_role_policy   = data.aws_iam_policy_document.lambda_trust.json
  permissions_boundary = "arn:aws:iam::123456789012:policy/lambda-boundary"

  inline_policy {
    name = "everything"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        # lambdasec-expect: LS101 confidence=medium
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      }]
    })
  }
}

resource "aws_lambda_function" "bounded" {
  function_name = "bounded"
  role          = aws_iam_role.bounded.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
