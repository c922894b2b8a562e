# LS421 fixture (Terraform) - all traffic, all TCP ports over IPv6 (a separate rule), a group without egress
# blocks (Terraform removes the AWS default rule), restricted egress, egress from a dynamic block, a group by id.

variable "egress_rules" {
  type = list(object({ port = number, cidr = string }))
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_security_group" "database" {
  name   = "database"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["127.0.0.1/32"]
  }
}

# lambdasec-ok: LS421 -- Terraform removes the default egress rule: no egress at all
resource "aws_security_group" "no_egress" {
  name   = "no-egress"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "all_traffic" {
  name   = "all-traffic"
  vpc_id = aws_vpc.main.id
  # lambdasec-expect: LS421 severity=medium
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "all_tcp" {
  name   = "all-tcp"
  vpc_id = aws_vpc.main.id
  egress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.database.id]
  }
}

# lambdasec-expect: LS421 severity=low -- a separate rule resource adds to the group
resource "aws_vpc_security_group_egress_rule" "all_tcp_ipv6" {
  security_group_id = aws_security_group.all_tcp.id
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_ipv6         = "::/0"
}

resource "aws_security_group" "restricted" {
  name   = "restricted"
  vpc_id = aws_vpc.main.id
  # lambdasec-ok: LS421
  egress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.database.id]
  }
  # lambdasec-ok: LS421 -- a single port to anywhere is not reported (see Known problems)
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "separate_rule" {
  name   = "separate-rule"
  vpc_id = aws_vpc.main.id
}

# lambdasec-expect: LS421 severity=medium
resource "aws_security_group_rule" "separate_all" {
  type              = "egress"
  security_group_id = aws_security_group.separate_rule.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group" "dynamic" {
  name   = "dynamic"
  vpc_id = aws_vpc.main.id
  # lambdasec-ok: LS421 -- rules from a dynamic block: reported as not evaluated
  dynamic "egress" {
    for_each = var.egress_rules
    content {
      from_port   = egress.value.port
      to_port     = egress.value.port
      protocol    = "tcp"
      cidr_blocks = [egress.value.cidr]
    }
  }
}

# lambdasec-ok: LS421 -- no function uses it
resource "aws_security_group" "unused" {
  name   = "unused"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# lambdasec-ok: LS421
resource "aws_lambda_function" "no_egress" {
  function_name = "no-egress"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.no_egress.id]
  }
}

# lambdasec-ok: LS421
resource "aws_lambda_function" "all_traffic" {
  function_name = "all-traffic"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.all_traffic.id]
  }
}

resource "aws_lambda_function" "all_tcp" {
  function_name = "all-tcp"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.all_tcp.id]
  }
}

resource "aws_lambda_function" "restricted" {
  function_name = "restricted"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.restricted.id]
  }
}

resource "aws_lambda_function" "separate_rule" {
  function_name = "separate-rule"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.separate_rule.id]
  }
}

resource "aws_lambda_function" "dynamic" {
  function_name = "dynamic"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.dynamic.id]
  }
}

resource "aws_lambda_function" "group_by_id" {
  function_name = "group-by-id"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    # lambdasec-ok: LS421 -- not in the module: reported as not evaluated
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

# lambdasec-ok: LS421 -- not in a VPC
resource "aws_lambda_function" "no_vpc" {
  function_name = "no-vpc"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
