# LS406 fixture (Terraform) - no tags, tags, a tag value from a variable and a tag map from a variable.

variable "team" {
  type = string
}

variable "tags" {
  type = map(string)
}

# lambdasec-expect: LS406
resource "aws_lambda_function" "untagged" {
  function_name = "untagged"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS406
resource "aws_lambda_function" "tagged" {
  function_name = "tagged"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS406
  tags = {
    owner = "orders-team"
  }
}

# lambdasec-ok: LS406 -- the key is known; only its value comes from a variable
resource "aws_lambda_function" "tag_value_from_variable" {
  function_name = "tag-value-from-variable"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS406
  tags = {
    team = var.team
  }
}

# lambdasec-ok: LS406 -- not evaluated: the whole map is a variable without a value
resource "aws_lambda_function" "tags_from_variable" {
  function_name = "tags-from-variable"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  # lambdasec-ok: LS406
  tags = var.tags
}
