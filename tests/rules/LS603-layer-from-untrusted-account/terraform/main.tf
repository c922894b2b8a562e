# LS603 fixture (Terraform) - layers from this module, the own account, a known publisher, unknown accounts,
# a variable.

variable "extra_layer_arn" {
  type = string
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_lambda_layer_version" "shared_libs" {
  layer_name          = "shared-libs"
  filename            = "shared-libs.zip"
  compatible_runtimes = ["python3.13"]
}

resource "aws_lambda_function" "orders_api" {
  function_name = "orders-api"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  layers = [
    # lambdasec-ok: LS603 -- declared in this module
    aws_lambda_layer_version.shared_libs.arn,
    # lambdasec-ok: LS603 -- Powertools for AWS Lambda, a known publisher
    "arn:aws:lambda:${data.aws_region.current.name}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:7",
    # lambdasec-ok: LS603 -- the caller's own account
    "arn:aws:lambda:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:layer:internal-tools:3",
    # lambdasec-expect: LS603
    "arn:aws:lambda:us-east-1:999988887777:layer:fast-json:3",
  ]
}

resource "aws_lambda_function" "report_worker" {
  function_name = "report-worker"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  layers = [
    # lambdasec-expect: LS603
    "arn:aws:lambda:${data.aws_region.current.name}:444455556666:layer:pdf-tools:12",
    # lambdasec-ok: LS603 -- depends on a variable without a value: reported as not evaluated
    var.extra_layer_arn,
  ]
}
