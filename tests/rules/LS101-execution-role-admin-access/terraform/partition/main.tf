# LS101 fixture (Terraform) - AdministratorAccess attached by an ARN built from `data "aws_partition"`.
data "aws_partition" "current" {}

resource "aws_iam_role" "partition_admin" {
  name = "partition-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "partition_admin" {
  role = aws_iam_role.partition_admin.name
  # lambdasec-expect: LS101
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "partition_basic" {
  name = "partition-basic"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "partition_basic" {
  role = aws_iam_role.partition_basic.name
  # lambdasec-ok: LS101
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "partition_admin" {
  function_name = "partition-admin"
  role          = aws_iam_role.partition_admin.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "partition_basic" {
  function_name = "partition-basic"
  role          = aws_iam_role.partition_basic.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
