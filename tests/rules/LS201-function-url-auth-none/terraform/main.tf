# LS201 fixture (Terraform) - a public URL, a public URL of an administrator function (critical), an IAM
# URL, a URL from a variable, a suppressed URL, no URL.

variable "url_auth" {
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

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role" "admin" {
  name               = "admin"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "public_api" {
  function_name = "public-api"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "public_api" {
  function_name = aws_lambda_function.public_api.function_name
  # lambdasec-expect: LS201 severity=high
  authorization_type = "NONE"
}

resource "aws_lambda_function" "admin_api" {
  function_name = "admin-api"
  role          = aws_iam_role.admin.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "admin_api" {
  function_name = aws_lambda_function.admin_api.function_name
  # lambdasec-expect: LS201 severity=critical role_admin_access=true
  authorization_type = "NONE"
}

resource "aws_lambda_function" "private_api" {
  function_name = "private-api"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "private_api" {
  function_name = aws_lambda_function.private_api.function_name
  # lambdasec-ok: LS201
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_function" "var_api" {
  function_name = "var-api"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "var_api" {
  function_name = aws_lambda_function.var_api.function_name
  # lambdasec-ok: LS201 -- depends on a variable: reported as not evaluated
  authorization_type = var.url_auth
}

resource "aws_lambda_function" "webhook" {
  function_name = "webhook"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "webhook" {
  function_name = aws_lambda_function.webhook.function_name
  # lambdasec: ignore[LS201] -- Stripe webhook, signature verified in the handler
  # lambdasec-expect: LS201 suppressed=inline
  authorization_type = "NONE"
}

# lambdasec-ok: LS201
resource "aws_lambda_function" "no_url" {
  function_name = "no-url"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = 256
}
