variable "stage" {
  default = "dev"
}

module "api" {
  source   = "../../modules/fn"
  for_each = toset(["orders", "users"])
  name     = "${each.key}-${var.stage}"
  public   = each.key == "orders"
  role_arn = ""
}

module "worker" {
  source   = "./../../modules/./fn"
  name     = "worker-${var.stage}"
  role_arn = "arn:aws:iam::111122223333:role/worker"
}

module "vendor" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"
}

resource "aws_lambda_permission" "partner" {
  function_name = module.api["users"].arn
  action        = "lambda:InvokeFunction"
  principal     = "123456789012"
  statement_id  = "partner"
}
