# LS207 fixture (Terraform) - methods of private APIs: no resource policy, and one that lets any VPC
# endpoint in.
resource "aws_lambda_function" "orders" {
  function_name = "private-orders"
  role          = "arn:aws:iam::111122223333:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "orders.zip"
}

resource "aws_api_gateway_rest_api" "no_policy" {
  name = "no-policy"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = ["vpce-0a1b2c3d4e5f67890"]
  }
}

resource "aws_api_gateway_rest_api" "any_endpoint" {
  name = "any-endpoint"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
    }]
  })
}

resource "aws_api_gateway_method" "no_policy" {
  rest_api_id   = aws_api_gateway_rest_api.no_policy.id
  resource_id   = aws_api_gateway_rest_api.no_policy.root_resource_id
  http_method   = "GET"
  # lambdasec-ok: LS207 -- a private API without a resource policy: no one can call it
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "no_policy" {
  rest_api_id             = aws_api_gateway_rest_api.no_policy.id
  resource_id             = aws_api_gateway_method.no_policy.resource_id
  http_method             = aws_api_gateway_method.no_policy.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_method" "any_endpoint" {
  rest_api_id   = aws_api_gateway_rest_api.any_endpoint.id
  resource_id   = aws_api_gateway_rest_api.any_endpoint.root_resource_id
  http_method   = "GET"
  # lambdasec-expect: LS207 -- the policy lets in any VPC endpoint, in any account
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "any_endpoint" {
  rest_api_id             = aws_api_gateway_rest_api.any_endpoint.id
  resource_id             = aws_api_gateway_method.any_endpoint.resource_id
  http_method             = aws_api_gateway_method.any_endpoint.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.orders.invoke_arn
}
