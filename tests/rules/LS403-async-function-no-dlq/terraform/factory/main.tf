# LS403 fixture (Terraform) - functions made with for_each, targeted per instance by EventBridge rules,
# Scheduler schedules and log subscription filters (`aws_lambda_function.f[each.key].arn`).
locals {
  jobs = {
    nightly = "cron(0 3 * * ? *)"
    hourly  = "rate(1 hour)"
  }
}

# lambdasec-expect: LS403
resource "aws_lambda_function" "job" {
  for_each      = local.jobs
  function_name = "job-${each.key}"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_event_rule" "job" {
  for_each            = local.jobs
  name                = "job-${each.key}"
  schedule_expression = each.value
}

resource "aws_cloudwatch_event_target" "job" {
  for_each = local.jobs
  rule     = aws_cloudwatch_event_rule.job[each.key].name
  arn      = aws_lambda_function.job[each.key].arn
}

# lambdasec-ok: LS403 -- every instance has an on-failure destination
resource "aws_lambda_function" "guarded" {
  for_each      = local.jobs
  function_name = "guarded-${each.key}"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_scheduler_schedule" "guarded" {
  for_each            = local.jobs
  name                = "guarded-${each.key}"
  schedule_expression = each.value
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_lambda_function.guarded[each.key].arn
    role_arn = "arn:aws:iam::111122223333:role/scheduler"
  }
}

resource "aws_lambda_function_event_invoke_config" "guarded" {
  for_each      = local.jobs
  function_name = aws_lambda_function.guarded[each.key].function_name
  destination_config {
    on_failure {
      destination = "arn:aws:sqs:eu-west-1:111122223333:failed"
    }
  }
}
