# LS601 fixture (Terraform) - no signing config, Warn (explicit and default), Enforce, a variable, an image.

variable "signing_config_arn" {
  type = string
}

resource "aws_signer_signing_profile" "main" {
  platform_id = "AWSLambda-SHA384-ECDSA"
}

resource "aws_lambda_code_signing_config" "warn_only" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.main.version_arn]
  }
  policies {
    # lambdasec-expect: LS601 severity=medium
    untrusted_artifact_on_deployment = "Warn"
  }
}

# lambdasec-expect: LS601 severity=medium -- no policies block: Lambda defaults to Warn
resource "aws_lambda_code_signing_config" "default_policy" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.main.version_arn]
  }
}

resource "aws_lambda_code_signing_config" "enforcing" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.main.version_arn]
  }
  policies {
    # lambdasec-ok: LS601
    untrusted_artifact_on_deployment = "Enforce"
  }
}

# lambdasec-expect: LS601 severity=low
resource "aws_lambda_function" "unsigned" {
  function_name = "unsigned"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}

# lambdasec-ok: LS601 -- reported on the configuration's policy line
resource "aws_lambda_function" "warned" {
  function_name           = "warned"
  role                    = "arn:aws:iam::111122223333:role/app"
  runtime                 = "python3.13"
  handler                 = "app.handler"
  filename                = "app.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.warn_only.arn
}

# lambdasec-ok: LS601 -- reported on the configuration's line
resource "aws_lambda_function" "warned_by_default" {
  function_name           = "warned-by-default"
  role                    = "arn:aws:iam::111122223333:role/app"
  runtime                 = "python3.13"
  handler                 = "app.handler"
  filename                = "app.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.default_policy.arn
}

# lambdasec-ok: LS601
resource "aws_lambda_function" "enforced" {
  function_name           = "enforced"
  role                    = "arn:aws:iam::111122223333:role/app"
  runtime                 = "python3.13"
  handler                 = "app.handler"
  filename                = "app.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.enforcing.arn
}

# lambdasec-ok: LS601 -- depends on a variable without a value: reported as not evaluated
resource "aws_lambda_function" "from_variable" {
  function_name           = "from-variable"
  role                    = "arn:aws:iam::111122223333:role/app"
  runtime                 = "python3.13"
  handler                 = "app.handler"
  filename                = "app.zip"
  code_signing_config_arn = var.signing_config_arn
}

# lambdasec-ok: LS601 -- Lambda code signing does not apply to container images
resource "aws_lambda_function" "container" {
  function_name = "container"
  role          = "arn:aws:iam::111122223333:role/app"
  package_type  = "Image"
  image_uri     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1"
}
