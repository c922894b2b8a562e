# LS205 fixture (Terraform) - layer version permissions for everyone, an organization, an organization
# from a variable, an account, and a principal from a variable.

variable "layer_principal" {
  type = string
}

variable "org_id" {
  type = string
}

resource "aws_lambda_layer_version" "shared_libs" {
  layer_name          = "shared-libs"
  filename            = "layer.zip"
  compatible_runtimes = ["python3.13"]
}

resource "aws_lambda_layer_version_permission" "public" {
  layer_name     = aws_lambda_layer_version.shared_libs.layer_arn
  version_number = aws_lambda_layer_version.shared_libs.version
  statement_id   = "public"
  action         = "lambda:GetLayerVersion"
  # lambdasec-expect: LS205
  principal = "*"
}

resource "aws_lambda_layer_version_permission" "org" {
  layer_name     = aws_lambda_layer_version.shared_libs.layer_arn
  version_number = aws_lambda_layer_version.shared_libs.version
  statement_id   = "org"
  action         = "lambda:GetLayerVersion"
  # lambdasec-ok: LS205
  principal       = "*"
  organization_id = "o-a1b2c3d4e5"
}

resource "aws_lambda_layer_version_permission" "org_var" {
  layer_name     = aws_lambda_layer_version.shared_libs.layer_arn
  version_number = aws_lambda_layer_version.shared_libs.version
  statement_id   = "org-var"
  action         = "lambda:GetLayerVersion"
  # lambdasec-ok: LS205 -- an organization id from a variable still restricts
  principal       = "*"
  organization_id = var.org_id
}

resource "aws_lambda_layer_version_permission" "partner" {
  layer_name     = aws_lambda_layer_version.shared_libs.layer_arn
  version_number = aws_lambda_layer_version.shared_libs.version
  statement_id   = "partner"
  action         = "lambda:GetLayerVersion"
  # lambdasec-ok: LS205
  principal = "444455556666"
}

resource "aws_lambda_layer_version_permission" "var" {
  layer_name     = aws_lambda_layer_version.shared_libs.layer_arn
  version_number = aws_lambda_layer_version.shared_libs.version
  statement_id   = "var"
  action         = "lambda:GetLayerVersion"
  # lambdasec-ok: LS205 -- depends on a variable: reported as not evaluated
  principal = var.layer_principal
}
