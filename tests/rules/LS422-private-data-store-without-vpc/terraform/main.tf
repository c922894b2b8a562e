# LS422 fixture (Terraform) - functions outside a VPC reaching an RDS database, a cache and an RDS host
# name, or with rds-db:connect; functions that do not.

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

resource "aws_security_group" "functions" {
  name   = "functions"
  vpc_id = aws_vpc.main.id
}

resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "app"
  manage_master_user_password = true
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  num_cache_clusters   = 2
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "iam_auth_user" {
  name = "iam-auth-user"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  inline_policy {
    name = "connect"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "rds-db:connect", Resource = "*" }]
    })
  }
}

resource "aws_iam_role" "data_api_user" {
  name = "data-api-user"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  inline_policy {
    name = "data-api"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "rds-data:ExecuteStatement", Resource = "*" }]
    })
  }
}

# lambdasec-expect: LS422
resource "aws_lambda_function" "orders_api" {
  function_name = "orders-api"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      DB_HOST = aws_db_instance.orders.address
      DB_PORT = aws_db_instance.orders.port
    }
  }
}

# lambdasec-expect: LS422
resource "aws_lambda_function" "session_reader" {
  function_name = "session-reader"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      CACHE_URL = "rediss://${aws_elasticache_replication_group.sessions.primary_endpoint_address}:6379"
    }
  }
}

# lambdasec-expect: LS422 -- a literal RDS host name
resource "aws_lambda_function" "legacy_report" {
  function_name = "legacy-report"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      DB_HOST = "reports.c9akciq32xyz.us-east-1.rds.amazonaws.com"
    }
  }
}

# lambdasec-expect: LS422 -- rds-db:connect only serves to connect to a database
resource "aws_lambda_function" "iam_auth_user" {
  function_name = "iam-auth-user"
  role          = aws_iam_role.iam_auth_user.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS422
resource "aws_lambda_function" "in_vpc" {
  function_name = "in-vpc"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      DB_HOST = aws_db_instance.orders.address
    }
  }
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = [aws_security_group.functions.id]
  }
}

# lambdasec-ok: LS422 -- the identifier is not where to connect
resource "aws_lambda_function" "name_only" {
  function_name = "name-only"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      DB_INSTANCE = aws_db_instance.orders.identifier
    }
  }
}

# lambdasec-ok: LS422 -- the RDS Data API works without a VPC
resource "aws_lambda_function" "data_api_user" {
  function_name = "data-api-user"
  role          = aws_iam_role.data_api_user.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS422 -- not in a VPC, and reaches no private data store
resource "aws_lambda_function" "not_in_vpc" {
  function_name = "not-in-vpc"
  role          = aws_iam_role.app.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  environment {
    variables = {
      STAGE = "prod"
    }
  }
}
