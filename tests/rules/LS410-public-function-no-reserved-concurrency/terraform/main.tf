# LS410 fixture (Terraform) - a public URL without reserved concurrency (cost at the account limit), an
# open route behind a throttled stage (cost at the API rate), reserved concurrency, an IAM URL, a Cognito
# route, a route of an API only an IP range may call, reserved concurrency from a variable, and a
# suppressed webhook.

variable "reserved" {
  type = number
}

# 1,000 x 1 GB x 3600 s x $0.0000166667 + 1,000 x 3600 / 30 requests x $0.0000002
# lambdasec-expect: LS410 cost_per_hour_usd=60.02 concurrency=1000 architecture=x86_64
resource "aws_lambda_function" "public_url" {
  function_name = "public-url"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = 1024
  timeout       = 30
}

resource "aws_lambda_function_url" "public_url" {
  function_name      = aws_lambda_function.public_url.function_name
  authorization_type = "NONE"
}

# 10 req/s x 10 s = 100 concurrent; 100 x 0.5 GB x 3600 s x $0.0000133334 + 36,000 x $0.0000002
# lambdasec-expect: LS410 cost_per_hour_usd=2.41 concurrency=100 architecture=arm64
resource "aws_lambda_function" "open_route" {
  function_name = "open-route"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = 512
  timeout       = 10
  architectures = ["arm64"]
}

# lambdasec-ok: LS410
resource "aws_lambda_function" "reserved" {
  function_name                  = "reserved"
  role                           = "arn:aws:iam::111122223333:role/app"
  runtime                        = "python3.13"
  handler                        = "app.handler"
  filename                       = "app.zip"
  reserved_concurrent_executions = 20
}

resource "aws_lambda_function_url" "reserved" {
  function_name      = aws_lambda_function.reserved.function_name
  authorization_type = "NONE"
}

# lambdasec-ok: LS410
resource "aws_lambda_function" "iam_url" {
  function_name = "iam-url"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "iam_url" {
  function_name      = aws_lambda_function.iam_url.function_name
  authorization_type = "AWS_IAM"
}

# lambdasec-ok: LS410
resource "aws_lambda_function" "secured_route" {
  function_name = "secured-route"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS410 -- depends on a variable: reported as not evaluated
resource "aws_lambda_function" "var_reserved" {
  function_name                  = "var-reserved"
  role                           = "arn:aws:iam::111122223333:role/app"
  runtime                        = "python3.13"
  handler                        = "app.handler"
  filename                       = "app.zip"
  reserved_concurrent_executions = var.reserved
}

resource "aws_lambda_function_url" "var_reserved" {
  function_name      = aws_lambda_function.var_reserved.function_name
  authorization_type = "NONE"
}

# lambdasec: ignore[LS410] -- capped by the provider's 5 requests/s webhook rate
# lambdasec-expect: LS410 suppressed=inline
resource "aws_lambda_function" "webhook" {
  function_name = "webhook"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "webhook" {
  function_name      = aws_lambda_function.webhook.function_name
  authorization_type = "NONE"
}

# -- a REST API with a throttled stage: an open route and a Cognito route -------------------------

resource "aws_cognito_user_pool" "users" {
  name = "users"
}

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
}

resource "aws_api_gateway_authorizer" "cognito" {
  name          = "cognito"
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [aws_cognito_user_pool.users.arn]
}

resource "aws_api_gateway_resource" "catalog" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "catalog"
}

resource "aws_api_gateway_method" "catalog" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.catalog.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "catalog" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.catalog.id
  http_method             = aws_api_gateway_method.catalog.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.open_route.invoke_arn
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
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id
}

resource "aws_api_gateway_integration" "orders" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.secured_route.invoke_arn
}

resource "aws_api_gateway_deployment" "shop" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = aws_api_gateway_deployment.shop.id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 10
    throttling_burst_limit = 20
  }
}

# lambdasec-ok: LS410 -- the API's resource policy only lets the office's IP range in
resource "aws_lambda_function" "office_route" {
  function_name = "office-route"
  role          = "arn:aws:iam::111122223333:role/office"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_api_gateway_rest_api" "office" {
  name = "office"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
      Condition = { IpAddress = { "aws:SourceIp" = ["203.0.113.0/24"] } }
    }]
  })
}

resource "aws_api_gateway_method" "office" {
  rest_api_id   = aws_api_gateway_rest_api.office.id
  resource_id   = aws_api_gateway_rest_api.office.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "office" {
  rest_api_id             = aws_api_gateway_rest_api.office.id
  resource_id             = aws_api_gateway_rest_api.office.root_resource_id
  http_method             = aws_api_gateway_method.office.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.office_route.invoke_arn
}
