# LS109 fixture (Terraform) - a role without log permissions (heredoc policy), a Deny on logs, logs granted on
# another group (heredoc), on its own group, the basic execution policy attached by ARN, a role from a variable.

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

resource "aws_iam_role" "bare" {
  name               = "bare"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "table"
    policy = <<-EOT
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
          }
        ]
      }
    EOT
  }
}

resource "aws_lambda_function" "no_logs" {
  function_name = "no-logs"
  # lambdasec-expect: LS109
  role     = aws_iam_role.bare.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_iam_role" "denied_logs" {
  name                = "denied-logs"
  assume_role_policy  = data.aws_iam_policy_document.lambda_trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
}

resource "aws_iam_role_policy" "denied_logs" {
  role = aws_iam_role.denied_logs.id
  policy = jsonencode({
    Statement = [{
      # lambdasec-expect: LS109
      Effect   = "Deny"
      Action   = "logs:*"
      Resource = "*"
    }]
  })
}

resource "aws_lambda_function" "denied_logs" {
  function_name = "denied-logs"
  role          = aws_iam_role.denied_logs.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "other_group" {
  name               = "other-group"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "other_group" {
  role   = aws_iam_role.other_group.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
          "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/orders-other:*"
        }
      ]
    }
  EOT
}

resource "aws_lambda_function" "other_group" {
  function_name = "orders-writer"
  # lambdasec-expect: LS109
  role     = aws_iam_role.other_group.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

data "aws_iam_policy_document" "own_group" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:*:*:log-group:/aws/lambda/orders-reader:*"]
  }
}

resource "aws_iam_role" "own_group" {
  name               = "own-group"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json

  inline_policy {
    name   = "logs"
    policy = data.aws_iam_policy_document.own_group.json
  }
}

resource "aws_lambda_function" "own_group" {
  function_name = "orders-reader"
  # lambdasec-ok: LS109
  role     = aws_iam_role.own_group.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_iam_role" "basic" {
  name               = "basic"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.basic.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "basic" {
  function_name = "basic"
  # lambdasec-ok: LS109
  role     = aws_iam_role.basic.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  # lambdasec-ok: LS109 -- depends on a variable: reported as not evaluated
  role     = var.role_arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}
