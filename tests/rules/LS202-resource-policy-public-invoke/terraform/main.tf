# LS202 fixture (Terraform) - public grants with and without conditions, account and service grants, a
# principal from a variable, and a public function URL (LS201's finding).

variable "invoker_principal" {
  type = string
}

resource "aws_lambda_function" "orders_api" {
  function_name = "orders-api"
  role          = "arn:aws:iam::111122223333:role/orders-api"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_permission" "public_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-expect: LS202
  principal = "*"
}

resource "aws_lambda_permission" "account_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS202
  principal = "111122223333"
}

resource "aws_lambda_permission" "bucket_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS202
  principal      = "s3.amazonaws.com"
  source_account = "111122223333"
  source_arn     = "arn:aws:s3:::orders-uploads"
}

resource "aws_lambda_permission" "org_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS202
  principal        = "*"
  principal_org_id = "o-a1b2c3d4e5"
}

resource "aws_lambda_permission" "var_invoke" {
  function_name = aws_lambda_function.orders_api.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS202 -- depends on a variable: reported as not evaluated
  principal = var.invoker_principal
}

# lambdasec-ok: LS202
resource "aws_lambda_function" "url_api" {
  function_name = "url-api"
  role          = "arn:aws:iam::111122223333:role/url-api"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "url_api" {
  function_name = aws_lambda_function.url_api.function_name
  # lambdasec-ok: LS202 -- a public URL is LS201's finding
  authorization_type = "NONE"
}
