# LS104 fixture (Terraform) - PassRole with CreateFunction, policy attachment, AssumeRole on `*` and on one role,
# updating named functions, an administrator role.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "pass_role" {
  statement {
    # lambdasec-expect: LS104
    actions   = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "pass_role" {
  name               = "pass-role"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "deploy"
    policy = data.aws_iam_policy_document.pass_role.json
  }
}

resource "aws_lambda_function" "pass_role" {
  function_name = "pass-role"
  role          = aws_iam_role.pass_role.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "attaches_policies" {
  name               = "attaches-policies"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "attaches_policies" {
  role = aws_iam_role.attaches_policies.id
  policy = jsonencode({
    Statement = [{
      # lambdasec-expect: LS104
      Effect   = "Allow"
      Action   = "iam:AttachRolePolicy"
      Resource = "*"
    }]
  })
}

resource "aws_lambda_function" "attaches_policies" {
  function_name = "attaches-policies"
  role          = aws_iam_role.attaches_policies.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "assume_any" {
  statement {
    # lambdasec-expect: LS104
    actions   = ["sts:AssumeRole"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "assume_any" {
  name   = "assume-any"
  policy = data.aws_iam_policy_document.assume_any.json
}

resource "aws_iam_policy_attachment" "assume_any" {
  name       = "assume-any"
  roles      = [aws_iam_role.assumes_any.name]
  policy_arn = aws_iam_policy.assume_any.arn
}

resource "aws_iam_role" "assumes_any" {
  name               = "assumes-any"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_lambda_function" "assumes_any" {
  function_name = "assumes-any"
  role          = aws_iam_role.assumes_any.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "scoped" {
  statement {
    # lambdasec-ok: LS104
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::123456789012:role/reader"]
  }
  statement {
    # lambdasec-ok: LS104
    actions   = ["lambda:UpdateFunctionCode"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:worker"]
  }
  statement {
    # lambdasec-ok: LS104
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::123456789012:role/worker"]
  }
}

resource "aws_iam_role" "scoped" {
  name               = "scoped"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "scoped"
    policy = data.aws_iam_policy_document.scoped.json
  }
}

resource "aws_lambda_function" "scoped" {
  function_name = "scoped"
  role          = aws_iam_role.scoped.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

data "aws_iam_policy_document" "administrator" {
  statement {
    # lambdasec-ok: LS104 -- LS101 reports the role
    actions   = ["iam:AttachRolePolicy"]
    resources = ["*"]
  }
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "administrator" {
  name               = "administrator"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "everything"
    policy = data.aws_iam_policy_document.administrator.json
  }
}

resource "aws_lambda_function" "administrator" {
  function_name = "administrator"
  role          = aws_iam_role.administrator.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
