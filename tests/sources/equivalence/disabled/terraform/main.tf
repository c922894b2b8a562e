resource "aws_lambda_function" "paused_jobs" {
  function_name = "paused-jobs"
  role          = "arn:aws:iam::111122223333:role/paused-jobs"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_event_rule" "daily" {
  schedule_expression = "rate(1 day)"
  state               = "DISABLED"
}

resource "aws_cloudwatch_event_rule" "hourly" {
  schedule_expression = "rate(1 hour)"
}

resource "aws_cloudwatch_event_rule" "jobs" {
  event_pattern = jsonencode({ source = ["app.jobs"] })
  is_enabled    = false
}

resource "aws_cloudwatch_event_target" "daily" {
  rule = aws_cloudwatch_event_rule.daily.name
  arn  = aws_lambda_function.paused_jobs.arn
}

resource "aws_cloudwatch_event_target" "hourly" {
  rule = aws_cloudwatch_event_rule.hourly.name
  arn  = aws_lambda_function.paused_jobs.arn
}

resource "aws_cloudwatch_event_target" "jobs" {
  rule = aws_cloudwatch_event_rule.jobs.name
  arn  = aws_lambda_function.paused_jobs.arn
}

resource "aws_lambda_event_source_mapping" "queue" {
  function_name    = aws_lambda_function.paused_jobs.arn
  event_source_arn = "arn:aws:sqs:us-east-1:111122223333:jobs"
  enabled          = false
}
