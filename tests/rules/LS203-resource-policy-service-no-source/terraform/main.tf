# LS203 fixture (Terraform) - service grants with and without source_arn/source_account, Alexa skill
# grants with and without an event source token, a read-only grant and a principal from a variable.

variable "invoker_principal" {
  type = string
}

resource "aws_lambda_function" "orders_worker" {
  function_name = "orders-worker"
  role          = "arn:aws:iam::111122223333:role/orders-worker"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_sns_topic" "orders" {
  name = "orders"
}

resource "aws_lambda_permission" "topic_invoke" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-expect: LS203
  principal = "sns.amazonaws.com"
}

resource "aws_lambda_permission" "topic_invoke_scoped" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS203
  principal  = "sns.amazonaws.com"
  source_arn = aws_sns_topic.orders.arn
}

resource "aws_lambda_permission" "rule_invoke_by_account" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS203
  principal      = "events.amazonaws.com"
  source_account = "111122223333"
}

resource "aws_lambda_permission" "bucket_invoke_arn_only" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-expect: LS203
  principal  = "s3.amazonaws.com"
  source_arn = "arn:aws:s3:::orders-uploads"
}

resource "aws_lambda_permission" "bucket_invoke_scoped" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS203
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::orders-uploads"
  source_account = "111122223333"
}

resource "aws_lambda_permission" "skill" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-expect: LS203 -- no event_source_token: any Alexa skill may invoke
  principal = "alexa-appkit.amazon.com"
}

resource "aws_lambda_permission" "scoped_skill" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS203
  principal          = "alexa-appkit.amazon.com"
  event_source_token = "amzn1.ask.skill.12345678-1234-1234-1234-123456789012"
}

resource "aws_lambda_permission" "uncatalogued_service" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-expect: LS203 confidence=medium
  principal = "example-service.amazonaws.com"
}

resource "aws_lambda_permission" "read_only_grant" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:GetFunction"
  # lambdasec-ok: LS203 -- not an invoke grant
  principal = "sns.amazonaws.com"
}

resource "aws_lambda_permission" "var_invoke" {
  function_name = aws_lambda_function.orders_worker.function_name
  action        = "lambda:InvokeFunction"
  # lambdasec-ok: LS203 -- depends on a variable: reported as not evaluated
  principal = var.invoker_principal
}
