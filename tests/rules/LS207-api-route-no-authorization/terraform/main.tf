# LS207 fixture (Terraform) - open REST and HTTP API routes, a CORS preflight route, routes behind a
# Cognito authorizer, IAM auth, an API key and a JWT authorizer, an authorization from a variable,
# routes of APIs whose resource policy lets only a VPC endpoint or an IP range in, a suppressed health
# check and a function with no route.

variable "orders_authorization" {
  type = string
}

resource "aws_cognito_user_pool" "users" {
  name = "users"
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::111122223333:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "health" {
  function_name = "health"
  role          = "arn:aws:iam::111122223333:role/health"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS207
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/worker"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = 256
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

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_resource" "health" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "health"
}

resource "aws_api_gateway_method" "list_orders" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = "GET"
  # lambdasec-expect: LS207
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_orders" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.list_orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_method" "preflight" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = "OPTIONS"
  # lambdasec-ok: LS207 -- CORS preflight
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "preflight" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.preflight.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_method" "create_order" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = "POST"
  # lambdasec-ok: LS207 -- Cognito authorizer
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id
}

resource "aws_api_gateway_integration" "create_order" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.create_order.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_method" "partner_orders" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = "PUT"
  # lambdasec-ok: LS207 -- API key required
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_integration" "partner_orders" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.partner_orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_method" "internal_orders" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = "DELETE"
  # lambdasec-ok: LS207 -- IAM authorization
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "internal_orders" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.internal_orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_method" "patch_orders" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = "PATCH"
  # lambdasec-ok: LS207 -- depends on a variable: reported as not evaluated
  authorization = var.orders_authorization
}

resource "aws_api_gateway_integration" "patch_orders" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.patch_orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_method" "health" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = aws_api_gateway_resource.health.id
  http_method = "GET"
  # lambdasec: ignore[LS207] -- liveness probe, returns a constant
  # lambdasec-expect: LS207 suppressed=inline
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "health" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.health.id
  http_method             = aws_api_gateway_method.health.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.health.invoke_arn
}

resource "aws_apigatewayv2_api" "http" {
  name          = "shop-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "orders" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.orders.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.http.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "jwt"
  jwt_configuration {
    audience = ["shop"]
    issuer   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
  }
}

# lambdasec-expect: LS207 -- no authorization_type: NONE
resource "aws_apigatewayv2_route" "http_orders" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "GET /orders"
  target    = "integrations/${aws_apigatewayv2_integration.orders.id}"
}

resource "aws_apigatewayv2_route" "http_create_order" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "POST /orders"
  target    = "integrations/${aws_apigatewayv2_integration.orders.id}"
  # lambdasec-ok: LS207 -- JWT authorizer
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

data "aws_iam_policy_document" "vpce_only" {
  statement {
    effect    = "Allow"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-0a1b2c3d4e5f67890"]
    }
  }
}

resource "aws_api_gateway_rest_api" "private" {
  name   = "shop-private"
  policy = data.aws_iam_policy_document.vpce_only.json
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_method" "private_orders" {
  rest_api_id = aws_api_gateway_rest_api.private.id
  resource_id = aws_api_gateway_rest_api.private.root_resource_id
  http_method = "GET"
  # lambdasec-ok: LS207 -- the resource policy only lets the VPC endpoint in
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "private_orders" {
  rest_api_id             = aws_api_gateway_rest_api.private.id
  resource_id             = aws_api_gateway_rest_api.private.root_resource_id
  http_method             = aws_api_gateway_method.private_orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_rest_api" "partner" {
  name = "shop-partner"
}

resource "aws_api_gateway_rest_api_policy" "partner" {
  rest_api_id = aws_api_gateway_rest_api.partner.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "${aws_api_gateway_rest_api.partner.execution_arn}/*"
      Condition = { IpAddress = { "aws:SourceIp" = ["198.51.100.0/24"] } }
    }]
  })
}

resource "aws_api_gateway_method" "partner_orders" {
  rest_api_id = aws_api_gateway_rest_api.partner.id
  resource_id = aws_api_gateway_rest_api.partner.root_resource_id
  http_method = "GET"
  # lambdasec-ok: LS207 -- the resource policy only lets the partner's IP range in
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "partner_orders" {
  rest_api_id             = aws_api_gateway_rest_api.partner.id
  resource_id             = aws_api_gateway_rest_api.partner.root_resource_id
  http_method             = aws_api_gateway_method.partner_orders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
}
