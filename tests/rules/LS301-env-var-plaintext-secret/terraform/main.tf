# LS301 fixture (Terraform) - literal secrets, references to secret stores, variables and plain settings.

variable "signing_secret" {
  type      = string
  sensitive = true
}

data "aws_secretsmanager_secret_version" "api" {
  secret_id = "prod/orders/api"
}

resource "aws_lambda_function" "orders_api" {
  function_name = "orders-api"
  role          = "arn:aws:iam::123456789012:role/orders-api"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"

  environment {
    variables = {
      # lambdasec-expect: LS301
      DB_PASSWORD = "hunter2-prod-2024"
      # lambdasec-expect: LS301
      AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
      # lambdasec-expect: LS301
      AWS_KEY_DATA = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
      # lambdasec-expect: LS301
      STRIPE_KEY = "sk_live_51Habcdefghijklmnop"
      # lambdasec-ok: LS301
      TABLE_NAME = "orders"
      # lambdasec-ok: LS301
      API_TOKEN = data.aws_secretsmanager_secret_version.api.secret_string
      # lambdasec-ok: LS301
      DB_PASSWORD_PARAM = "/orders/db/password"
      # lambdasec-ok: LS301
      SIGNING_SECRET = var.signing_secret
      # lambdasec-ok: LS301
      ADMIN_PASSWORD = "changeme"
      # lambdasec-todo-expect: LS301 -- under a neutral name
      CONFIG_BLOB = "s3cr3t-v4lu3-x9"
    }
  }
}
