module "worker" {
  source = "git::https://example.com/lambda.git?ref=v2"

  function_name = "worker"
}
