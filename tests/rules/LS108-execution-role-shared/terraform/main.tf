# LS108 fixture (Terraform) - a role shared by a public URL function and a queue worker, a role shared by two
# functions with the same trigger, a role of one function, a role shared by a stream consumer and an untriggered
# function.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_iam_role" "shared" {
  name                = "shared"
  assume_role_policy  = data.aws_iam_policy_document.lambda_trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]
}

resource "aws_lambda_function" "public_api" {
  function_name = "public-api"
  # lambdasec-expect: LS108 severity=medium
  role     = aws_iam_role.shared.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_lambda_function_url" "public_api" {
  function_name      = aws_lambda_function.public_api.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  # lambdasec-expect: LS108 severity=medium
  role     = aws_iam_role.shared.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_lambda_event_source_mapping" "worker" {
  function_name    = aws_lambda_function.worker.arn
  event_source_arn = aws_sqs_queue.jobs.arn
}

resource "aws_iam_role" "twin" {
  name                = "twin"
  assume_role_policy  = data.aws_iam_policy_document.lambda_trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]
}

resource "aws_lambda_function" "twin_a" {
  function_name = "twin-a"
  # lambdasec-ok: LS108
  role     = aws_iam_role.twin.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_lambda_event_source_mapping" "twin_a" {
  function_name    = aws_lambda_function.twin_a.arn
  event_source_arn = aws_sqs_queue.jobs.arn
}

resource "aws_lambda_function" "twin_b" {
  function_name = "twin-b"
  # lambdasec-ok: LS108
  role     = aws_iam_role.twin.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_lambda_event_source_mapping" "twin_b" {
  function_name    = aws_lambda_function.twin_b.arn
  event_source_arn = aws_sqs_queue.jobs.arn
}

resource "aws_iam_role" "own" {
  name               = "own"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_lambda_function" "own_role" {
  function_name = "own-role"
  # lambdasec-ok: LS108
  role     = aws_iam_role.own.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_lambda_event_source_mapping" "own_role" {
  function_name    = aws_lambda_function.own_role.arn
  event_source_arn = aws_sqs_queue.jobs.arn
}

resource "aws_iam_role" "nightly" {
  name               = "nightly"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "nightly" {
  role       = aws_iam_role.nightly.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "nightly" {
  function_name = "nightly"
  # lambdasec-expect: LS108
  role     = aws_iam_role.nightly.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}

resource "aws_lambda_event_source_mapping" "nightly" {
  function_name     = aws_lambda_function.nightly.arn
  event_source_arn  = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
  starting_position = "LATEST"
}

resource "aws_lambda_function" "adhoc" {
  function_name = "adhoc"
  # lambdasec-expect: LS108
  role     = aws_iam_role.nightly.arn
  runtime  = "python3.13"
  handler  = "app.handler"
  filename = "app.zip"
}
