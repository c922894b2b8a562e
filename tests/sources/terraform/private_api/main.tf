variable "kind" {
  type = string
}

resource "aws_api_gateway_rest_api" "private" {
  name = "private"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = ["vpce-0a1b2c3d4e5f67890"]
  }
}

resource "aws_api_gateway_rest_api" "regional" {
  name = "regional"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_rest_api" "chosen" {
  name = "chosen"
  endpoint_configuration {
    types = [var.kind]
  }
}

resource "aws_api_gateway_rest_api" "plain" {
  name = "plain"
}
