data "aws_iam_policy_document" "vpce_only" {
  statement {
    effect    = "Allow"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["execute-api:/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = [aws_vpc_endpoint.api.id]
    }
  }
}

resource "aws_api_gateway_rest_api" "private" {
  name   = "private"
  policy = data.aws_iam_policy_document.vpce_only.json
}

resource "aws_api_gateway_rest_api" "ips" {
  name = "ips"
}

resource "aws_api_gateway_rest_api_policy" "ips" {
  rest_api_id = aws_api_gateway_rest_api.ips.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "${aws_api_gateway_rest_api.ips.execution_arn}/*"
      Condition = { IpAddress = { "aws:SourceIp" = ["203.0.113.0/24"] } }
    }]
  })
}

resource "aws_api_gateway_rest_api" "open" {
  name   = "open"
  policy = <<EOF2
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "execute-api:Invoke",
      "Resource": "arn:aws:execute-api:*:*:*"
    }
  ]
}
EOF2
}

resource "aws_api_gateway_rest_api" "unknown" {
  name   = "unknown"
  policy = var.policy
}
