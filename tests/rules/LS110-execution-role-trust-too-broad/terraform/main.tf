# LS110 fixture (Terraform) - execution role trust policies from Lambda-only to public: policy documents with
# principals and conditions, jsonencode and heredoc trust policies, a principal from a variable, an unused role.

variable "trusted_principal" {
  type = string
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda_only" {
  name = "lambda-only"
  # lambdasec-ok: LS110
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
      ]
    }
  EOT
}

resource "aws_lambda_function" "lambda_only" {
  function_name = "lambda-only"
  role          = aws_iam_role.lambda_only.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # lambdasec-expect: LS110 severity=high
      Effect = "Allow"
      Principal = {
        Service = "lambda.amazonaws.com"
        AWS     = "arn:aws:iam::444455556666:root"
      }
      Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "partner" {
  function_name = "partner"
  role          = aws_iam_role.partner.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "public" {
  # lambdasec-expect: LS110 severity=critical
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_iam_role" "public" {
  name               = "public"
  assume_role_policy = data.aws_iam_policy_document.public.json
}

resource "aws_lambda_function" "public" {
  function_name = "public"
  role          = aws_iam_role.public.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "public_2" {
  function_name = "public-2"
  role          = aws_iam_role.public.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "organization" {
  source_policy_documents = [data.aws_iam_policy_document.lambda_trust.json]
  # lambdasec-expect: LS110 severity=medium
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_iam_role" "organization" {
  name               = "organization"
  assume_role_policy = data.aws_iam_policy_document.organization.json
}

resource "aws_lambda_function" "organization" {
  function_name = "organization"
  role          = aws_iam_role.organization.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "wildcard_condition" {
  # lambdasec-expect: LS110 severity=critical
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalOrgID"
      values   = ["*"]
    }
  }
}

resource "aws_iam_role" "wildcard_condition" {
  name               = "wildcard-condition"
  assume_role_policy = data.aws_iam_policy_document.wildcard_condition.json
}

resource "aws_lambda_function" "wildcard_condition" {
  function_name = "wildcard-condition"
  role          = aws_iam_role.wildcard_condition.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "shared_with_states" {
  # lambdasec-expect: LS110 severity=medium
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com", "states.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "shared_with_states" {
  name               = "shared-with-states"
  assume_role_policy = data.aws_iam_policy_document.shared_with_states.json
}

resource "aws_lambda_function" "shared_with_states" {
  function_name = "shared-with-states"
  role          = aws_iam_role.shared_with_states.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "from_variable" {
  # lambdasec-ok: LS110 -- depends on a variable: reported as not evaluated
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.trusted_principal]
    }
  }
}

resource "aws_iam_role" "from_variable" {
  name               = "from-variable"
  assume_role_policy = data.aws_iam_policy_document.from_variable.json
}

resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = aws_iam_role.from_variable.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "unused_public" {
  name = "unused-public"
  assume_role_policy = jsonencode({
    Statement = [{
      # lambdasec-ok: LS110 -- no function uses this role: not an execution role
      Effect    = "Allow"
      Principal = "*"
      Action    = "sts:AssumeRole"
    }]
  })
}
