module "fn" {
  source   = "example-corp/lambda/aws"
  version  = "2.1.0"
  for_each = toset(["orders", "users"])

  function_name = "${each.key}-api"
  create_url    = each.key == "orders"
  allowed_triggers = {
    Partner = { principal = "444455556666" }
    Api     = { service = "apigateway", source_arn = "arn:aws:execute-api:eu-west-1:111122223333:abc/*" }
  }
}

module "svc" {
  source = "./svc"
}

resource "aws_lambda_permission" "events" {
  function_name = module.fn["users"].name
  principal     = "events.amazonaws.com"
  source_arn    = "arn:aws:events:eu-west-1:111122223333:rule/nightly"
}
