# LS402 fixture (Terraform) - X-Ray tracing left out, PassThrough, Active and from a variable.

variable "tracing_mode" {
  type = string
}

# lambdasec-expect: LS402
resource "aws_lambda_function" "not_traced" {
  function_name = "not-traced"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "pass_through" {
  function_name = "pass-through"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  tracing_config {
    # lambdasec-expect: LS402
    mode = "PassThrough"
  }
}

# lambdasec-ok: LS402
resource "aws_lambda_function" "traced" {
  function_name = "traced"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  tracing_config {
    # lambdasec-ok: LS402
    mode = "Active"
  }
}

# lambdasec-ok: LS402 -- not evaluated: the mode is a variable without a value
resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  tracing_config {
    # lambdasec-ok: LS402
    mode = var.tracing_mode
  }
}
