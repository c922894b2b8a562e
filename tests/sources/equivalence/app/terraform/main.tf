# The shop app (see ../README.md) in Terraform.

locals {
  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  basic_execution = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

# ---------------------------------------------------------------- HTTP API
resource "aws_apigatewayv2_api" "shop" {
  name          = "shop-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.shop.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_apigatewayv2_integration" "list_orders" {
  api_id                 = aws_apigatewayv2_api.shop.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.list_orders.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "list_orders" {
  api_id             = aws_apigatewayv2_api.shop.id
  route_key          = "GET /orders"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.list_orders.id}"
}

resource "aws_apigatewayv2_integration" "create_order" {
  api_id                 = aws_apigatewayv2_api.shop.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.create_order.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "create_order" {
  api_id    = aws_apigatewayv2_api.shop.id
  route_key = "POST /orders"
  target    = "integrations/${aws_apigatewayv2_integration.create_order.id}"
}

resource "aws_lambda_permission" "list_orders_api" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.list_orders.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.shop.execution_arn}/*/GET/orders"
}

resource "aws_lambda_permission" "create_order_api" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.create_order.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.shop.execution_arn}/*/POST/orders"
}

# ---------------------------------------------------------------- queue
resource "aws_sqs_queue" "orders" {
  name                       = "shop-orders"
  visibility_timeout_seconds = 60
}

# ---------------------------------------------------------------- roles
resource "aws_iam_role" "api" {
  name               = "shop-api"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy_attachment" "api_logs" {
  role       = aws_iam_role.api.name
  policy_arn = local.basic_execution
}

resource "aws_iam_role_policy" "api" {
  name = "orders-table"
  role = aws_iam_role.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
        Resource = "arn:aws:dynamodb:us-east-1:111122223333:table/shop-orders"
      },
      {
        Effect   = "Allow"
        Action   = "sqs:SendMessage"
        Resource = aws_sqs_queue.orders.arn
      },
    ]
  })
}

resource "aws_iam_role" "worker" {
  name               = "shop-worker"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy_attachment" "worker_logs" {
  role       = aws_iam_role.worker.name
  policy_arn = local.basic_execution
}

data "aws_iam_policy_document" "consume_orders" {
  statement {
    actions = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
    ]
    resources = [aws_sqs_queue.orders.arn]
  }
  statement {
    actions   = ["dynamodb:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  name   = "consume-orders"
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.consume_orders.json
}

resource "aws_iam_role" "webhook" {
  name                = "shop-webhook"
  assume_role_policy  = local.lambda_trust
  managed_policy_arns = [local.basic_execution]

  inline_policy {
    name = "webhook-secret"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:shop/stripe-AbCdEf"
      }]
    })
  }
}

resource "aws_iam_role" "get_order" {
  name                = "shop-get-order"
  assume_role_policy  = local.lambda_trust
  managed_policy_arns = [local.basic_execution]

  inline_policy {
    name = "read-orders"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "dynamodb:GetItem"
        Resource = "arn:aws:dynamodb:us-east-1:111122223333:table/shop-orders"
      }]
    })
  }
}

# ---------------------------------------------------------------- functions
resource "aws_lambda_function" "list_orders" {
  function_name = "shop-list-orders"
  filename      = "build/shop.zip"
  handler       = "app.list_orders"
  runtime       = "python3.12"
  memory_size   = 256
  timeout       = 10
  role          = aws_iam_role.api.arn

  environment {
    variables = {
      TABLE_NAME = "shop-orders"
    }
  }
}

resource "aws_lambda_function" "create_order" {
  function_name = "shop-create-order"
  filename      = "build/shop.zip"
  handler       = "app.create_order"
  runtime       = "python3.12"
  memory_size   = 256
  timeout       = 10
  role          = aws_iam_role.api.arn

  environment {
    variables = {
      TABLE_NAME = "shop-orders"
      QUEUE_URL  = aws_sqs_queue.orders.url
    }
  }
}

resource "aws_lambda_function" "worker" {
  function_name = "shop-worker"
  filename      = "build/shop.zip"
  handler       = "worker.handler"
  runtime       = "python3.12"
  memory_size   = 512
  timeout       = 30
  role          = aws_iam_role.worker.arn
}

resource "aws_lambda_event_source_mapping" "worker_orders" {
  event_source_arn = aws_sqs_queue.orders.arn
  function_name    = aws_lambda_function.worker.arn
  batch_size       = 10
}

resource "aws_lambda_function" "webhook" {
  function_name = "shop-webhook"
  filename      = "build/shop.zip"
  handler       = "webhook.handler"
  runtime       = "python3.9"
  memory_size   = 128
  timeout       = 5
  role          = aws_iam_role.webhook.arn

  environment {
    variables = {
      STRIPE_SECRET_KEY = "sk_live_FAKEexampleDoNotUse67890"
    }
  }
}

resource "aws_lambda_function_url" "webhook" {
  function_name      = aws_lambda_function.webhook.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "webhook_url" {
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.webhook.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "webhook_url_invoke" {
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.webhook.function_name
  principal                = "*"
  invoked_via_function_url = true
}

resource "aws_lambda_function" "get_order" {
  function_name = "shop-get-order"
  filename      = "build/shop.zip"
  handler       = "app.get_order"
  runtime       = "python3.12"
  memory_size   = 256
  timeout       = 10
  role          = aws_iam_role.get_order.arn
  publish       = true
}

resource "aws_lambda_alias" "get_order" {
  name             = "provisioned"
  function_name    = aws_lambda_function.get_order.function_name
  function_version = aws_lambda_function.get_order.version
}

resource "aws_lambda_provisioned_concurrency_config" "get_order" {
  function_name                     = aws_lambda_alias.get_order.function_name
  qualifier                         = aws_lambda_alias.get_order.name
  provisioned_concurrent_executions = 5
}

# ---------------------------------------------------------------- log groups
resource "aws_cloudwatch_log_group" "list_orders" {
  name              = "/aws/lambda/shop-list-orders"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "create_order" {
  name              = "/aws/lambda/shop-create-order"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/aws/lambda/shop-worker"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "webhook" {
  name              = "/aws/lambda/shop-webhook"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "get_order" {
  name              = "/aws/lambda/shop-get-order"
  retention_in_days = 30
}
