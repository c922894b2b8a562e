resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
  EOT
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]

  inline_policy {
    name   = "heredoc"
    policy = <<-EOT
      {
        "Version": "2012-10-17",
        "Statement": {"Sid": "Bucket", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "${aws_s3_bucket.b.arn}/*"}
      }
    EOT
  }
}

resource "aws_iam_role_policy" "extra" {
  name   = "extra"
  role   = aws_iam_role.app.name
  policy = data.aws_iam_policy_document.extra.json
}

data "aws_iam_policy_document" "extra" {
  statement {
    effect        = "Deny"
    not_actions   = ["iam:*"]
    not_resources = ["arn:aws:iam::111122223333:role/app"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  source_policy_documents = [data.aws_iam_policy_document.other.json]
}

resource "aws_iam_policy" "shared" {
  name   = "shared"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "shared" {
  role       = aws_iam_role.app.id
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_role_policy_attachment" "managed" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

module "network" {
  source = "./network"
}
