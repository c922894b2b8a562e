# LS420 fixture (Terraform) - subnets in one zone (by position, by name, a single subnet), in two zones,
# unknown zones.

variable "subnet_ids" {
  type = list(string)
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "first" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = data.aws_availability_zones.available.names[0]
}

resource "aws_subnet" "first_too" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = data.aws_availability_zones.available.names[0]
}

resource "aws_subnet" "second" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = element(data.aws_availability_zones.available.names, 1)
}

resource "aws_subnet" "named_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.3.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "named_a_too" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.4.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "named_b" {
  vpc_id               = aws_vpc.main.id
  cidr_block           = "10.0.5.0/24"
  availability_zone_id = "use1-az2"
}

resource "aws_subnet" "any_zone" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.6.0/24"
}

resource "aws_security_group" "functions" {
  name   = "functions"
  vpc_id = aws_vpc.main.id
}

resource "aws_lambda_function" "same_zone_by_position" {
  function_name = "same-zone-by-position"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    # lambdasec-expect: LS420
    subnet_ids         = [aws_subnet.first.id, aws_subnet.first_too.id]
    security_group_ids = [aws_security_group.functions.id]
  }
}

resource "aws_lambda_function" "same_zone_by_name" {
  function_name = "same-zone-by-name"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    # lambdasec-expect: LS420
    subnet_ids         = [aws_subnet.named_a.id, aws_subnet.named_a_too.id]
    security_group_ids = [aws_security_group.functions.id]
  }
}

resource "aws_lambda_function" "single_subnet" {
  function_name = "single-subnet"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    # lambdasec-expect: LS420
    subnet_ids         = [aws_subnet.second.id]
    security_group_ids = [aws_security_group.functions.id]
  }
}

resource "aws_lambda_function" "two_zones" {
  function_name = "two-zones"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    # lambdasec-ok: LS420
    subnet_ids         = [aws_subnet.first.id, aws_subnet.second.id]
    security_group_ids = [aws_security_group.functions.id]
  }
}

resource "aws_lambda_function" "two_named_zones" {
  function_name = "two-named-zones"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    # lambdasec-ok: LS420
    subnet_ids         = [aws_subnet.named_a.id, aws_subnet.named_b.id, aws_subnet.any_zone.id]
    security_group_ids = [aws_security_group.functions.id]
  }
}

resource "aws_lambda_function" "zone_left_to_ec2" {
  function_name = "zone-left-to-ec2"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    # lambdasec-ok: LS420 -- EC2 picks the zone: reported as not evaluated
    subnet_ids         = [aws_subnet.first.id, aws_subnet.any_zone.id]
    security_group_ids = [aws_security_group.functions.id]
  }
}

resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    # lambdasec-ok: LS420 -- depends on a variable without a value: reported as not evaluated
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }
}

# lambdasec-ok: LS420 -- not in a VPC
resource "aws_lambda_function" "no_vpc" {
  function_name = "no-vpc"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
