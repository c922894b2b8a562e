variable "stage" {
  default = "prod"
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::111122223333:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "auth" {
  function_name = "auth"
  role          = "arn:aws:iam::111122223333:role/auth"
  runtime       = "python3.13"
  handler       = "auth.handler"
  filename      = "auth.zip"
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = "3"
}

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_resource" "order" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{id}"
}

resource "aws_api_gateway_authorizer" "token" {
  name           = "token"
  rest_api_id    = aws_api_gateway_rest_api.shop.id
  authorizer_uri = aws_lambda_function.auth.invoke_arn
}

resource "aws_api_gateway_method" "list" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.list.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
  timeout_milliseconds    = 10000
}

resource "aws_api_gateway_method" "get" {
  rest_api_id      = aws_api_gateway_rest_api.shop.id
  resource_id      = aws_api_gateway_resource.order.id
  http_method      = "get"
  authorization    = "CUSTOM"
  authorizer_id    = aws_api_gateway_authorizer.token.id
  api_key_required = true
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.order.id
  http_method             = "GET"
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_alias.live.invoke_arn
}

resource "aws_api_gateway_method" "mock" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_rest_api.shop.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "mock" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_rest_api.shop.root_resource_id
  http_method = aws_api_gateway_method.mock.http_method
  type        = "MOCK"
}

resource "aws_api_gateway_deployment" "shop" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.shop.id
  deployment_id        = aws_api_gateway_deployment.shop.id
  stage_name           = var.stage
  xray_tracing_enabled = true
  access_log_settings {
    destination_arn = "arn:aws:logs:us-east-1:111122223333:log-group:api"
    format          = "$context.requestId"
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}

resource "aws_api_gateway_method_settings" "list" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = "prod"
  method_path = "orders/GET"
  settings {
    throttling_rate_limit = 5
  }
}

resource "aws_api_gateway_usage_plan" "partners" {
  name = "partners"
  api_stages {
    api_id = aws_api_gateway_rest_api.shop.id
    stage  = aws_api_gateway_stage.prod.stage_name
  }
  throttle_settings {
    rate_limit  = 2
    burst_limit = 4
  }
}

resource "aws_api_gateway_deployment" "legacy" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = "legacy"
}

resource "aws_api_gateway_rest_api" "spec" {
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "spec-api", version = "1" }
    components = {
      securitySchemes = {
        sigv4 = {
          type                           = "apiKey"
          name                           = "Authorization"
          in                             = "header"
          "x-amazon-apigateway-authtype" = "awsSigv4"
        }
      }
    }
    paths = {
      "/items" = {
        get = {
          "x-amazon-apigateway-integration" = {
            type       = "aws_proxy"
            httpMethod = "POST"
            uri        = aws_lambda_function.orders.invoke_arn
          }
        }
        post = {
          security = [{ sigv4 = [] }]
          "x-amazon-apigateway-integration" = {
            type            = "aws_proxy"
            httpMethod      = "POST"
            uri             = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:other:blue/invocations"
            timeoutInMillis = 5000
          }
        }
      }
    }
  })
}
