# LS404 fixture (Terraform) - SQS queues with and without redrive (inline, separate, from a variable),
# streams with and without an on-failure destination.

variable "redrive_policy" {
  type = string
}

resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_sqs_queue" "payments" {
  name = "payments"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.payments_dead_letters.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "refunds" {
  name = "refunds"
}

resource "aws_sqs_queue_redrive_policy" "refunds" {
  queue_url = aws_sqs_queue.refunds.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.payments_dead_letters.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "invoices" {
  name           = "invoices"
  redrive_policy = var.redrive_policy
}

resource "aws_sqs_queue" "payments_dead_letters" {
  name = "payments-dead-letters"
}

resource "aws_kinesis_stream" "clicks" {
  name        = "clicks"
  shard_count = 1
}

resource "aws_dynamodb_table" "table" {
  name             = "table"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_sqs_queue" "failed" {
  name = "failed"
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_event_source_mapping" "orders" {
  function_name = aws_lambda_function.consumer.arn
  # lambdasec-expect: LS404
  event_source_arn = aws_sqs_queue.orders.arn
}

resource "aws_lambda_event_source_mapping" "payments" {
  function_name = aws_lambda_function.consumer.arn
  # lambdasec-ok: LS404
  event_source_arn = aws_sqs_queue.payments.arn
}

resource "aws_lambda_event_source_mapping" "refunds" {
  function_name = aws_lambda_function.consumer.arn
  # lambdasec-ok: LS404
  event_source_arn = aws_sqs_queue.refunds.arn
}

resource "aws_lambda_event_source_mapping" "invoices" {
  function_name = aws_lambda_function.consumer.arn
  # lambdasec-ok: LS404 -- a redrive policy is set; only its value comes from a variable
  event_source_arn = aws_sqs_queue.invoices.arn
}

resource "aws_lambda_event_source_mapping" "partner" {
  function_name = aws_lambda_function.consumer.arn
  # lambdasec-ok: LS404 -- not evaluated: the queue is not in the module
  event_source_arn = "arn:aws:sqs:us-east-1:111122223333:partner-orders"
}

resource "aws_lambda_event_source_mapping" "clicks" {
  function_name     = aws_lambda_function.consumer.arn
  starting_position = "LATEST"
  # lambdasec-expect: LS404
  event_source_arn = aws_kinesis_stream.clicks.arn
}

resource "aws_lambda_event_source_mapping" "changes" {
  function_name     = aws_lambda_function.consumer.arn
  starting_position = "TRIM_HORIZON"
  # lambdasec-ok: LS404
  event_source_arn = aws_dynamodb_table.table.stream_arn
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failed.arn
    }
  }
}

resource "aws_lambda_event_source_mapping" "paused_orders" {
  function_name = aws_lambda_function.consumer.arn
  # lambdasec-ok: LS404 -- the mapping is switched off
  event_source_arn = aws_sqs_queue.orders.arn
  enabled          = false
}
