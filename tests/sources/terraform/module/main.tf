variable "url_auth" {
  type = string
}

variable "runtime" {
  default = "python3.12"
}

locals {
  prefix = "shop-${var.stage}"
}

resource "aws_lambda_function" "api" {
  function_name                  = "${local.prefix}-api"
  package_type                   = "Image"
  image_uri                      = "111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1"
  runtime                        = var.runtime
  role                           = aws_iam_role.api.arn
  kms_key_arn                    = "arn:aws:kms:us-east-1:111122223333:key/abc"
  reserved_concurrent_executions = 5
  code_signing_config_arn        = var.signing
  architectures                  = ["arm64"]
  layers                         = ["arn:aws:lambda:us-east-1:111122223333:layer:common:3", var.extra_layer]
  memory_size                    = 512
  timeout                        = 20

  environment {
    variables = {
      STAGE = var.stage
      PORT  = 8080
    }
  }
  vpc_config {
    subnet_ids         = ["subnet-1", "subnet-2"]
    security_group_ids = [var.sg]
  }
  dead_letter_config {
    target_arn = "arn:aws:sqs:us-east-1:111122223333:dlq"
  }
  tracing_config {
    mode = "PassThrough"
  }
}

resource "aws_lambda_function" "zip" {
  function_name = "zip"
  s3_bucket     = "artifacts"
  s3_key        = "zip.zip"
  handler       = "app.handler"
  runtime       = "nodejs22.x"
  role          = "arn:aws:iam::111122223333:role/existing"
}

resource "aws_iam_role" "api" {
  name               = "${local.prefix}-api"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  permissions_boundary = "arn:aws:iam::111122223333:policy/boundary"
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Lambda"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
  }
}

resource "aws_lambda_function_url" "from_var" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = var.url_auth
  cors {
    allow_origins     = ["*"]
    allow_credentials = true
    allow_methods     = ["GET"]
  }
}

resource "aws_lambda_permission" "s3" {
  statement_id   = "s3"
  action         = "lambda:InvokeFunction"
  function_name  = "zip"
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::uploads"
  source_account = "111122223333"
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.api.arn
  function_version = "3"
}

resource "aws_lambda_event_source_mapping" "stream" {
  event_source_arn  = "arn:aws:kinesis:us-east-1:111122223333:stream/s"
  function_name     = aws_lambda_alias.live.arn
  starting_position = "LATEST"
  enabled           = false
  destination_config {
    on_failure {
      destination_arn = "arn:aws:sqs:us-east-1:111122223333:failed"
    }
  }
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${aws_lambda_function.api.function_name}"
  retention_in_days = 0
  kms_key_id        = var.log_key
}
