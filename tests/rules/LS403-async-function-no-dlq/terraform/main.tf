# LS403 fixture (Terraform) - asynchronous triggers with and without a DLQ or on-failure destination.

resource "aws_s3_bucket" "uploads" {
  bucket = "uploads"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue" "failed" {
  name = "failed"
}

# lambdasec-expect: LS403
resource "aws_lambda_function" "process_upload" {
  function_name = "process-upload"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.process_upload.arn
    events              = ["s3:ObjectCreated:*"]
  }
}

# lambdasec-expect: LS403
resource "aws_lambda_function" "on_order_event" {
  function_name = "on-order-event"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_event_rule" "placed" {
  name          = "order-placed"
  event_pattern = jsonencode({ source = ["orders"] })
}

resource "aws_cloudwatch_event_target" "placed" {
  rule = aws_cloudwatch_event_rule.placed.name
  arn  = aws_lambda_function.on_order_event.arn
}

# lambdasec-ok: LS403
resource "aws_lambda_function" "nightly_report" {
  function_name = "nightly-report"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  dead_letter_config {
    target_arn = aws_sqs_queue.failed.arn
  }
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "cron(0 2 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.nightly_report.arn
}

# lambdasec-ok: LS403
resource "aws_lambda_function" "on_alert" {
  function_name = "on-alert"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_event_invoke_config" "on_alert" {
  function_name = aws_lambda_function.on_alert.function_name
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed.arn
    }
  }
}

resource "aws_sns_topic_subscription" "alert" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.on_alert.arn
}

# lambdasec-ok: LS403 -- invoked synchronously by a function URL
resource "aws_lambda_function" "get_order" {
  function_name = "get-order"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "get_order" {
  function_name      = aws_lambda_function.get_order.function_name
  authorization_type = "AWS_IAM"
}

# lambdasec-ok: LS403 -- polled by an event source mapping (see LS404)
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  function_name    = aws_lambda_function.worker.arn
  event_source_arn = aws_sqs_queue.jobs.arn
}

# lambdasec-ok: LS403 -- its only schedule is switched off
resource "aws_lambda_function" "paused_report" {
  function_name = "paused-report"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_event_rule" "paused" {
  name                = "paused"
  schedule_expression = "rate(1 day)"
  state               = "DISABLED"
}

resource "aws_cloudwatch_event_target" "paused" {
  rule = aws_cloudwatch_event_rule.paused.name
  arn  = aws_lambda_function.paused_report.arn
}
