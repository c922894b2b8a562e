# LS209 fixture (Terraform) - REST and HTTP API stages with and without access logs, a stage created by a
# deployment, a quick-create HTTP API and a suppressed stage.

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/api-gateway/shop-access"
  retention_in_days = 365
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::111122223333:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
}

resource "aws_api_gateway_method" "orders" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_rest_api.shop.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "orders" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_rest_api.shop.root_resource_id
  http_method             = aws_api_gateway_method.orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

# lambdasec-expect: LS209 -- the stage a deployment creates with `stage_name` has no access log
resource "aws_api_gateway_deployment" "shop" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = "legacy"
}

# lambdasec-expect: LS209
resource "aws_api_gateway_stage" "unlogged" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = aws_api_gateway_deployment.shop.id
  stage_name    = "prod"
}

resource "aws_api_gateway_stage" "logged" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = aws_api_gateway_deployment.shop.id
  stage_name    = "logged"
  access_log_settings {
    # lambdasec-ok: LS209
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp" })
  }
}

# lambdasec: ignore[LS209] -- scratch stage for load tests, torn down daily
# lambdasec-expect: LS209 suppressed=inline
resource "aws_api_gateway_stage" "scratch" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = aws_api_gateway_deployment.shop.id
  stage_name    = "scratch"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "shop-http"
  protocol_type = "HTTP"
}

# lambdasec-expect: LS209
resource "aws_apigatewayv2_stage" "unlogged" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_apigatewayv2_stage" "logged" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "logged"
  auto_deploy = true
  access_log_settings {
    # lambdasec-ok: LS209
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId" })
  }
}

resource "aws_apigatewayv2_api" "quick" {
  name          = "quick-http"
  protocol_type = "HTTP"
  # lambdasec-expect: LS209 -- quick create deploys a `$default` stage with no access log
  target = aws_lambda_function.orders.arn
}
