# LS411 fixture (Terraform) - REST and HTTP API functions above and at their integration timeout, a
# shorter and a raised timeout_milliseconds, a function URL with a long timeout, a timeout from a
# variable, and a suppressed one.

variable "timeout_seconds" {
  type = number
}

resource "aws_lambda_function" "slow_rest" {
  function_name = "slow-rest"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-expect: LS411 trigger_limit_s=29
  timeout = 60
}

resource "aws_lambda_function" "rest_at_limit" {
  function_name = "rest-at-limit"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS411
  timeout = 29
}

resource "aws_lambda_function" "http_at_limit" {
  function_name = "http-at-limit"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS411 -- HTTP APIs wait 30 s
  timeout = 30
}

resource "aws_lambda_function" "slow_http" {
  function_name = "slow-http"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-expect: LS411 trigger_limit_s=30
  timeout = 120
}

resource "aws_lambda_function" "short_integration" {
  function_name = "short-integration"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-expect: LS411 trigger_limit_s=10
  timeout = 20
}

resource "aws_lambda_function" "raised_quota" {
  function_name = "raised-quota"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS411 -- integration timeout raised to 120 s (service quota increase)
  timeout = 90
}

resource "aws_lambda_function" "url" {
  function_name = "url"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS411 -- function URLs wait up to 15 minutes
  timeout = 900
}

resource "aws_lambda_function" "var_timeout" {
  function_name = "var-timeout"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS411 -- depends on a variable: reported as not evaluated
  timeout = var.timeout_seconds
}

resource "aws_lambda_function" "streaming" {
  function_name = "streaming"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec: ignore[LS411] -- long-poll endpoint, the client expects the 504 and reconnects
  # lambdasec-expect: LS411 suppressed=inline
  timeout = 45
}

resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.url.function_name
  authorization_type = "AWS_IAM"
}

# -- REST API -----------------------------------------------------------------------------------

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
}

resource "aws_api_gateway_resource" "slow_rest" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "report"
}

resource "aws_api_gateway_method" "slow_rest" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.slow_rest.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "slow_rest" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.slow_rest.id
  http_method             = aws_api_gateway_method.slow_rest.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.slow_rest.invoke_arn
}

resource "aws_api_gateway_resource" "rest_at_limit" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "rest_at_limit" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.rest_at_limit.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "rest_at_limit" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.rest_at_limit.id
  http_method             = aws_api_gateway_method.rest_at_limit.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.rest_at_limit.invoke_arn
}

resource "aws_api_gateway_resource" "short_integration" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "search"
}

resource "aws_api_gateway_method" "short_integration" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.short_integration.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "short_integration" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.short_integration.id
  http_method             = aws_api_gateway_method.short_integration.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.short_integration.invoke_arn
  timeout_milliseconds    = 10000
}

resource "aws_api_gateway_resource" "raised_quota" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "summarize"
}

resource "aws_api_gateway_method" "raised_quota" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.raised_quota.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "raised_quota" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.raised_quota.id
  http_method             = aws_api_gateway_method.raised_quota.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.raised_quota.invoke_arn
  timeout_milliseconds    = 120000
}

resource "aws_api_gateway_resource" "var_timeout" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "status"
}

resource "aws_api_gateway_method" "var_timeout" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.var_timeout.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "var_timeout" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.var_timeout.id
  http_method             = aws_api_gateway_method.var_timeout.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.var_timeout.invoke_arn
}

resource "aws_api_gateway_resource" "streaming" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "poll"
}

resource "aws_api_gateway_method" "streaming" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.streaming.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "streaming" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.streaming.id
  http_method             = aws_api_gateway_method.streaming.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.streaming.invoke_arn
}

# -- HTTP API -----------------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "http" {
  name          = "shop-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "http_at_limit" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.http_at_limit.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "http_at_limit" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /orders"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.http_at_limit.id}"
}

resource "aws_apigatewayv2_integration" "slow_http" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.slow_http.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "slow_http" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /export"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.slow_http.id}"
}
