"""`data "aws_partition"` results read as the CloudFormation source reads `AWS::Partition`: the commercial
partition, so `arn:${data.aws_partition.current.partition}:iam::aws:policy/...` names the managed policy."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
data "aws_partition" "current" {}
data "aws_region" "current" {}

resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSLambdaExecute"
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  filename      = "app.zip"
  environment {
    variables = {
      SUFFIX = data.aws_partition.current.dns_suffix
      REGION = data.aws_region.current.name
      OTHER  = data.aws_partition.current.reverse_dns_prefix
    }
  }
}
"""


def test_the_partition_data_source_is_the_commercial_partition(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    (role,) = output.inventory.roles
    assert role.managed_policy_arns == ("arn:aws:iam::aws:policy/AWSLambdaExecute",)
    (fn,) = output.inventory.functions
    assert [(v.name, v.value) for v in fn.environment] == [
        ("SUFFIX", "amazonaws.com"),
        ("REGION", Unresolved("data.aws_region.current.name")),
        ("OTHER", Unresolved("data.aws_partition.current.reverse_dns_prefix")),
    ]
