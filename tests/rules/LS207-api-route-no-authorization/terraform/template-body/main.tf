# LS207 fixture (Terraform) - REST APIs whose OpenAPI body is a template file read with templatefile().
locals {
  orders_uri = "arn:aws:apigateway:eu-west-1:lambda:path/functions/${aws_lambda_function.orders.arn}/invocations"
}

resource "aws_lambda_function" "orders" {
  function_name = "template-orders"
  role          = "arn:aws:iam::111122223333:role/orders"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "orders.zip"
}

resource "aws_api_gateway_rest_api" "open" {
  name = "open"
  # lambdasec-expect: LS207 -- GET /orders has no security in the template
  body = templatefile("${path.module}/open.json", { uri = local.orders_uri })
}

resource "aws_api_gateway_rest_api" "keyed" {
  name = "keyed"
  # lambdasec-ok: LS207 -- every operation of the template requires an API key
  body = templatefile("${path.module}/keyed.json", { uri = aws_lambda_function.orders.invoke_arn })
}
