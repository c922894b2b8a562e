# LS401 fixture (Terraform) - runtimes in every lifecycle phase on 2026-11-22, a variable and an image.

variable "runtime" {
  type = string
}

resource "aws_lambda_function" "current" {
  function_name = "current"
  role          = "arn:aws:iam::111122223333:role/app"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS401
  runtime = "nodejs24.x"
}

resource "aws_lambda_function" "soon_deprecated" {
  function_name = "soon-deprecated"
  role          = "arn:aws:iam::111122223333:role/app"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-expect: LS401 severity=low
  runtime = "nodejs22.x"
}

resource "aws_lambda_function" "deprecated" {
  function_name = "deprecated"
  role          = "arn:aws:iam::111122223333:role/app"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-expect: LS401 severity=medium
  runtime = "python3.9"
}

resource "aws_lambda_function" "update_blocked" {
  function_name = "update-blocked"
  role          = "arn:aws:iam::111122223333:role/app"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-expect: LS401 severity=high
  runtime = "python2.7"
}

resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = "arn:aws:iam::111122223333:role/app"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS401 -- depends on a variable without a value: reported as not evaluated
  runtime = var.runtime
}

# lambdasec-ok: LS401
resource "aws_lambda_function" "container" {
  function_name = "container"
  role          = "arn:aws:iam::111122223333:role/app"
  package_type  = "Image"
  image_uri     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1"
}
