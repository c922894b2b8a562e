variable "function_name" {
  type = string
}

resource "aws_lambda_function" "this" {
  function_name = var.function_name
  role          = "arn:aws:iam::111122223333:role/worker"
  handler       = "worker.handler"
  runtime       = "nodejs22.x"
}
