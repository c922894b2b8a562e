# LS405 fixture (Terraform) - trails in scope that record Lambda data events for some functions only.

# lambdasec-ok: LS405 -- invocations recorded by the audit trail
resource "aws_lambda_function" "orders_api" {
  function_name = "orders-api"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "nightly_report" {
  function_name = "reports-nightly"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_s3_bucket" "audit" {
  bucket = "audit"
}

resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = aws_s3_bucket.audit.id
  enable_logging = true

  # lambdasec-expect: LS405
  advanced_event_selector {
    name = "orders functions"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["arn:aws:lambda:us-east-1:111122223333:function:orders-"]
    }
  }
}

resource "aws_cloudtrail" "objects" {
  name           = "objects"
  s3_bucket_name = aws_s3_bucket.audit.id

  # lambdasec-expect: LS405
  event_selector {
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}
