# LS303 fixture (Terraform) - for_each functions whose log groups are named after one instance each
# (`/aws/lambda/${aws_lambda_function.f[each.key].function_name}`).
locals {
  workers = { resize = "resize", thumbnail = "thumbnail" }
}

# lambdasec-ok: LS303
resource "aws_lambda_function" "worker" {
  for_each      = local.workers
  function_name = "worker-${each.value}"
  role          = "arn:aws:iam::123456789012:role/workers"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "worker" {
  for_each = local.workers
  # lambdasec-ok: LS303
  name              = "/aws/lambda/${aws_lambda_function.worker[each.key].function_name}"
  retention_in_days = 30
}

# lambdasec-ok: LS303
resource "aws_lambda_function" "bare" {
  for_each      = local.workers
  function_name = "bare-${each.value}"
  role          = "arn:aws:iam::123456789012:role/workers"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "bare" {
  for_each = local.workers
  # lambdasec-expect: LS303
  name = "/aws/lambda/${aws_lambda_function.bare[each.key].function_name}"
}
