# orders-app (examples/orders-app/template.yaml) written in Terraform: the same functions, roles, policies,
# function URL, public permission, planted secret and deprecated runtime.

variable "stage" {
  type    = string
  default = "prod"
}

variable "log_level" {
  type    = string
  default = "INFO"
}

variable "payments_api_key_parameter" {
  type    = string
  default = "/orders/prod/payments-api-key"
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  common_environment = {
    TABLE_NAME              = aws_dynamodb_table.orders.name
    LOG_LEVEL               = var.log_level
    POWERTOOLS_SERVICE_NAME = "orders"
  }
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders-${var.stage}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled = true
  }
}

resource "aws_sqs_queue" "orders" {
  name                       = "orders-${var.stage}"
  visibility_timeout_seconds = 60
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "orders_dlq" {
  name                      = "orders-dlq-${var.stage}"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_secretsmanager_secret" "stripe_webhook" {
  name        = "orders/${var.stage}/stripe-webhook-signing-secret"
  description = "Signing secret of the payment provider's webhook endpoint."
}

resource "aws_cloudwatch_log_group" "functions" {
  name              = "/orders/${var.stage}/functions"
  retention_in_days = 30
}

# ---------------------------------------------------------------- shared trust policy
data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# ---------------------------------------------------------------- create order
resource "aws_iam_role" "create_order" {
  name               = "orders-create-${var.stage}"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "create_order_logs" {
  role       = aws_iam_role.create_order.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "create_order" {
  name = "orders-access"
  role = aws_iam_role.create_order.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query",
          "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable",
          "dynamodb:ConditionCheckItem",
        ]
        Resource = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = aws_sqs_queue.orders.arn
      },
    ]
  })
}

resource "aws_lambda_function" "create_order" {
  function_name = "orders-create-${var.stage}"
  filename      = "build/orders.zip"
  handler       = "create_order.handler"
  runtime       = "python3.13"
  architectures = ["arm64"]
  memory_size   = 256
  timeout       = 10
  role          = aws_iam_role.create_order.arn

  tracing_config {
    mode = "Active"
  }
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.functions.name
  }
  environment {
    variables = merge(local.common_environment, {
      ORDERS_QUEUE_URL = aws_sqs_queue.orders.url
    })
  }
}

# ---------------------------------------------------------------- get order
resource "aws_iam_role" "get_order" {
  name               = "orders-get-${var.stage}"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "get_order_logs" {
  role       = aws_iam_role.get_order.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

data "aws_iam_policy_document" "read_orders" {
  statement {
    actions = [
      "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable",
    ]
    resources = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
  }
}

resource "aws_iam_role_policy" "get_order" {
  name   = "orders-read"
  role   = aws_iam_role.get_order.id
  policy = data.aws_iam_policy_document.read_orders.json
}

resource "aws_lambda_function" "get_order" {
  function_name = "orders-get-${var.stage}"
  filename      = "build/orders.zip"
  handler       = "get_order.handler"
  runtime       = "python3.13"
  architectures = ["arm64"]
  memory_size   = 256
  timeout       = 10
  role          = aws_iam_role.get_order.arn

  tracing_config {
    mode = "Active"
  }
  environment {
    variables = local.common_environment
  }
}

# The fulfilment partner polls order status by invoking the function directly.
resource "aws_lambda_permission" "partner_status" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.get_order.arn
  principal     = "*"
}

# ---------------------------------------------------------------- health
resource "aws_iam_role" "health" {
  name               = "orders-health-${var.stage}"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "health_logs" {
  role       = aws_iam_role.health.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "health" {
  function_name = "orders-health-${var.stage}"
  filename      = "build/health.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  architectures = ["arm64"]
  memory_size   = 128
  timeout       = 3
  role          = aws_iam_role.health.arn

  tracing_config {
    mode = "Active"
  }
  environment {
    variables = local.common_environment
  }
}

# ---------------------------------------------------------------- queue worker
resource "aws_iam_role" "worker" {
  name = "orders-worker-${var.stage}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]

  inline_policy {
    name   = "orders-worker"
    policy = <<-POLICY
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
            "Resource": "arn:aws:dynamodb:*:*:table/orders-prod"
          },
          {
            "Effect": "Allow",
            "Action": ["ssm:DescribeParameters"],
            "Resource": "*"
          },
          {
            "Effect": "Allow",
            "Action": ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
            "Resource": "arn:aws:ssm:*:*:parameter/orders/prod/payments-api-key"
          },
          {
            "Effect": "Allow",
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            "Resource": "arn:aws:sqs:*:*:orders-prod"
          }
        ]
      }
    POLICY
  }
}

resource "aws_lambda_function" "worker" {
  function_name                  = "orders-worker-${var.stage}"
  filename                       = "build/worker.zip"
  handler                        = "process_order.handler"
  runtime                        = "python3.13"
  architectures                  = ["arm64"]
  memory_size                    = 256
  timeout                        = 30
  reserved_concurrent_executions = 10
  role                           = aws_iam_role.worker.arn

  tracing_config {
    mode = "Active"
  }
  environment {
    variables = {
      TABLE_NAME                 = aws_dynamodb_table.orders.name
      LOG_LEVEL                  = var.log_level
      POWERTOOLS_SERVICE_NAME    = "orders"
      PAYMENTS_API_KEY_PARAMETER = var.payments_api_key_parameter
      SENDGRID_API_KEY           = "{{resolve:secretsmanager:orders/prod/sendgrid:SecretString:api_key}}"
    }
  }
}

resource "aws_lambda_event_source_mapping" "worker_orders" {
  event_source_arn        = aws_sqs_queue.orders.arn
  function_name           = aws_lambda_function.worker.arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}

# ---------------------------------------------------------------- payment webhook
resource "aws_iam_role" "payments_webhook" {
  name               = "orders-payments-webhook-${var.stage}"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_policy" "payments_webhook" {
  name = "orders-payments-webhook-${var.stage}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
        Resource = aws_dynamodb_table.orders.arn
      },
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = aws_secretsmanager_secret.stripe_webhook.arn
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "payments_webhook" {
  role       = aws_iam_role.payments_webhook.name
  policy_arn = aws_iam_policy.payments_webhook.arn
}

resource "aws_iam_role_policy_attachment" "payments_webhook_logs" {
  role       = aws_iam_role.payments_webhook.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "payments_webhook" {
  function_name = "orders-payments-webhook-${var.stage}"
  filename      = "build/webhook.zip"
  handler       = "index.handler"
  runtime       = "nodejs24.x"
  architectures = ["arm64"]
  memory_size   = 256
  timeout       = 10
  role          = aws_iam_role.payments_webhook.arn

  tracing_config {
    mode = "Active"
  }
  environment {
    variables = {
      TABLE_NAME                = aws_dynamodb_table.orders.name
      LOG_LEVEL                 = var.log_level
      POWERTOOLS_SERVICE_NAME   = "orders"
      STRIPE_SECRET_KEY         = "sk_live_FAKEexampleDoNotUse12345"
      STRIPE_WEBHOOK_SECRET_ARN = aws_secretsmanager_secret.stripe_webhook.arn
    }
  }
}

resource "aws_lambda_function_url" "payments_webhook" {
  function_name      = aws_lambda_function.payments_webhook.function_name
  authorization_type = "NONE"
}

# ---------------------------------------------------------------- nightly report (legacy)
resource "aws_iam_role" "reports" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]

  inline_policy {
    name = "reports-access"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      }]
    })
  }
}

resource "aws_lambda_function" "nightly_report" {
  function_name = "orders-nightly-report-${var.stage}"
  filename      = "build/reports.zip"
  handler       = "nightly_report.handler"
  runtime       = "python3.8"
  architectures = ["x86_64"]
  memory_size   = 256
  timeout       = 300
  role          = aws_iam_role.reports.arn

  tracing_config {
    mode = "Active"
  }
  environment {
    variables = {
      TABLE_NAME              = aws_dynamodb_table.orders.name
      LOG_LEVEL               = var.log_level
      POWERTOOLS_SERVICE_NAME = "orders"
      REPORT_RECIPIENTS       = "finance@example.com"
      REPORT_SENDER           = "reports@example.com"
    }
  }
}
