# LS208 fixture (Terraform) - REST and HTTP API stages with and without throttling, a stage created by a
# deployment, key-only routes under a throttled usage plan, a quick-create HTTP API, an API with no
# function behind it, and a suppressed internal stage.

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::111122223333:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# -- REST API with an open stage, a throttled stage and a deployment stage ---------------------------

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "orders" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "orders" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

# lambdasec-expect: LS208 -- the stage a deployment creates with `stage_name` has no settings
resource "aws_api_gateway_deployment" "shop" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = "legacy"
}

# lambdasec-expect: LS208
resource "aws_api_gateway_stage" "open" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = aws_api_gateway_deployment.shop.id
  stage_name    = "prod"
}

# lambdasec-ok: LS208
resource "aws_api_gateway_stage" "throttled" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = aws_api_gateway_deployment.shop.id
  stage_name    = "throttled"
}

resource "aws_api_gateway_method_settings" "throttled" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.throttled.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}

# lambdasec: ignore[LS208] -- private endpoint, throttled by the VPC endpoint policy
# lambdasec-expect: LS208 suppressed=inline
resource "aws_api_gateway_stage" "internal" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = aws_api_gateway_deployment.shop.id
  stage_name    = "internal"
}

# -- REST API whose function routes all require a key of a throttled usage plan ----------------------

resource "aws_api_gateway_rest_api" "partner" {
  name = "partner"
}

resource "aws_api_gateway_method" "partner" {
  rest_api_id      = aws_api_gateway_rest_api.partner.id
  resource_id      = aws_api_gateway_rest_api.partner.root_resource_id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_integration" "partner" {
  rest_api_id             = aws_api_gateway_rest_api.partner.id
  resource_id             = aws_api_gateway_rest_api.partner.root_resource_id
  http_method             = aws_api_gateway_method.partner.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_deployment" "partner" {
  rest_api_id = aws_api_gateway_rest_api.partner.id
}

# lambdasec-ok: LS208 -- every function route requires a key of a throttled usage plan
resource "aws_api_gateway_stage" "partner" {
  rest_api_id   = aws_api_gateway_rest_api.partner.id
  deployment_id = aws_api_gateway_deployment.partner.id
  stage_name    = "prod"
}

resource "aws_api_gateway_usage_plan" "partner" {
  name = "partner"
  api_stages {
    api_id = aws_api_gateway_rest_api.partner.id
    stage  = aws_api_gateway_stage.partner.stage_name
  }
  throttle_settings {
    rate_limit  = 5
    burst_limit = 10
  }
}

# -- REST API with no function behind it ----------------------------------------------------------

resource "aws_api_gateway_rest_api" "empty" {
  name = "empty"
}

# lambdasec-ok: LS208 -- no function behind it
resource "aws_api_gateway_stage" "empty" {
  rest_api_id   = aws_api_gateway_rest_api.empty.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

# -- HTTP APIs ------------------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "open" {
  name          = "open-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "open" {
  api_id                 = aws_apigatewayv2_api.open.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.orders.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "open" {
  api_id    = aws_apigatewayv2_api.open.id
  route_key = "GET /orders"
  target    = "integrations/${aws_apigatewayv2_integration.open.id}"
}

# lambdasec-expect: LS208
resource "aws_apigatewayv2_stage" "open" {
  api_id      = aws_apigatewayv2_api.open.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_apigatewayv2_api" "throttled" {
  name          = "throttled-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "throttled" {
  api_id                 = aws_apigatewayv2_api.throttled.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.orders.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "throttled" {
  api_id    = aws_apigatewayv2_api.throttled.id
  route_key = "GET /orders"
  target    = "integrations/${aws_apigatewayv2_integration.throttled.id}"
}

resource "aws_apigatewayv2_stage" "throttled" {
  api_id      = aws_apigatewayv2_api.throttled.id
  name        = "$default"
  auto_deploy = true
  default_route_settings {
    # lambdasec-ok: LS208
    throttling_rate_limit  = 20
    throttling_burst_limit = 40
  }
}

resource "aws_apigatewayv2_api" "quick" {
  name          = "quick-http"
  protocol_type = "HTTP"
  # lambdasec-expect: LS208 -- quick create deploys a `$default` stage with no throttling
  target = aws_lambda_function.orders.arn
}
