# LS206 fixture (Terraform) - a URL open to any origin, any origin with credentials, listed origins,
# origins from a variable, a suppressed public feed, no CORS at all.

variable "front_end_origin" {
  type = string
}

resource "aws_lambda_function" "any_origin" {
  function_name = "any-origin"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "any_origin" {
  function_name      = aws_lambda_function.any_origin.function_name
  authorization_type = "AWS_IAM"
  cors {
    # lambdasec-expect: LS206 severity=medium allow_credentials=false
    allow_origins = ["*"]
    allow_methods = ["GET"]
  }
}

resource "aws_lambda_function" "any_origin_with_credentials" {
  function_name = "any-origin-with-credentials"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "any_origin_with_credentials" {
  function_name      = aws_lambda_function.any_origin_with_credentials.function_name
  authorization_type = "AWS_IAM"
  cors {
    # lambdasec-ok: LS206 -- reported once, on allow_credentials
    allow_origins = ["https://shop.example.com", "*"]
    # lambdasec-expect: LS206 severity=high
    allow_credentials = true
  }
}

resource "aws_lambda_function" "listed_origins" {
  function_name = "listed-origins"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "listed_origins" {
  function_name      = aws_lambda_function.listed_origins.function_name
  authorization_type = "AWS_IAM"
  cors {
    # lambdasec-ok: LS206
    allow_origins     = ["https://shop.example.com", "https://admin.example.com"]
    allow_credentials = true
  }
}

resource "aws_lambda_function" "origin_from_variable" {
  function_name = "origin-from-variable"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "origin_from_variable" {
  function_name      = aws_lambda_function.origin_from_variable.function_name
  authorization_type = "AWS_IAM"
  cors {
    # lambdasec-ok: LS206 -- depends on a variable: reported as not evaluated
    allow_origins = [var.front_end_origin]
  }
}

resource "aws_lambda_function" "public_feed" {
  function_name = "public-feed"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "public_feed" {
  function_name      = aws_lambda_function.public_feed.function_name
  authorization_type = "AWS_IAM"
  cors {
    # lambdasec: ignore[LS206] -- read-only public price feed, meant for any site
    # lambdasec-expect: LS206 suppressed=inline
    allow_origins = ["*"]
  }
}

resource "aws_lambda_function" "no_cors" {
  function_name = "no-cors"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "no_cors" {
  function_name = aws_lambda_function.no_cors.function_name
  # lambdasec-ok: LS206
  authorization_type = "AWS_IAM"
}
