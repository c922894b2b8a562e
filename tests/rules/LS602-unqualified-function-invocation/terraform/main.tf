# LS602 fixture (Terraform) - bindings to $LATEST next to an alias, to an alias (by reference, by qualified
# ARN, by qualifier), and API routes in prod and dev stages.

resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_sqs_queue" "audit" {
  name = "audit"
}

resource "aws_sqs_queue" "refunds" {
  name = "refunds"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  publish       = true
}

resource "aws_lambda_alias" "worker_live" {
  name             = "live"
  function_name    = aws_lambda_function.worker.function_name
  function_version = aws_lambda_function.worker.version
}

resource "aws_lambda_event_source_mapping" "orders" {
  # lambdasec-expect: LS602
  function_name    = aws_lambda_function.worker.arn
  event_source_arn = aws_sqs_queue.orders.arn
}

resource "aws_lambda_event_source_mapping" "audit" {
  # lambdasec-ok: LS602
  function_name    = aws_lambda_alias.worker_live.arn
  event_source_arn = aws_sqs_queue.audit.arn
}

resource "aws_lambda_event_source_mapping" "refunds" {
  # lambdasec-ok: LS602
  function_name    = "arn:aws:lambda:us-east-1:111122223333:function:worker:live"
  event_source_arn = aws_sqs_queue.refunds.arn
}

resource "aws_lambda_event_source_mapping" "paused" {
  # lambdasec-ok: LS602 -- the mapping is switched off
  function_name    = aws_lambda_function.worker.arn
  event_source_arn = aws_sqs_queue.orders.arn
  enabled          = false
}

resource "aws_lambda_permission" "from_events" {
  action         = "lambda:InvokeFunction"
  # lambdasec-expect: LS602
  function_name  = aws_lambda_function.worker.function_name
  principal      = "events.amazonaws.com"
  source_account = "111122223333"
}

resource "aws_lambda_permission" "from_events_live" {
  action         = "lambda:InvokeFunction"
  # lambdasec-ok: LS602
  function_name  = aws_lambda_function.worker.function_name
  qualifier      = aws_lambda_alias.worker_live.name
  principal      = "events.amazonaws.com"
  source_account = "111122223333"
}

resource "aws_lambda_function" "prod_handler" {
  function_name = "prod-handler"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "dev_handler" {
  function_name = "dev-handler"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_apigatewayv2_api" "prod" {
  name          = "prod-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "prod" {
  api_id                 = aws_apigatewayv2_api.prod.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.prod_handler.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "prod_orders" {
  api_id    = aws_apigatewayv2_api.prod.id
  route_key = "GET /orders"
  # lambdasec-expect: LS602
  target = "integrations/${aws_apigatewayv2_integration.prod.id}"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = aws_apigatewayv2_api.prod.id
  name        = "prod"
  auto_deploy = true
}

resource "aws_apigatewayv2_api" "dev" {
  name          = "dev-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "dev" {
  api_id                 = aws_apigatewayv2_api.dev.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.dev_handler.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "dev_orders" {
  api_id    = aws_apigatewayv2_api.dev.id
  route_key = "GET /orders"
  # lambdasec-ok: LS602
  target = "integrations/${aws_apigatewayv2_integration.dev.id}"
}

resource "aws_apigatewayv2_stage" "dev" {
  api_id      = aws_apigatewayv2_api.dev.id
  name        = "dev"
  auto_deploy = true
}
