"""A for_each log group named after one instance of a for_each function
(`/aws/lambda/${aws_lambda_function.f[each.key].function_name}`) is that instance's log group."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import SourceKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
locals {
  fns = { a = "alpha", b = "beta" }
}

resource "aws_lambda_function" "f" {
  for_each      = local.fns
  function_name = "svc-${each.value}"
  role          = "arn:aws:iam::111122223333:role/r"
  filename      = "app.zip"
}

resource "aws_cloudwatch_log_group" "f" {
  for_each          = local.fns
  name              = "/aws/lambda/${aws_lambda_function.f[each.key].function_name}"
  retention_in_days = 14
}

resource "aws_cloudwatch_log_group" "unknown_instance" {
  name = "/aws/lambda/${aws_lambda_function.f["c"].function_name}"
}
"""


def test_a_log_group_named_after_a_function_instance_is_its_group(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    inventory = output.inventory
    assert [(g.key, g.function) for g in inventory.log_groups] == [
        ('main.tf#aws_cloudwatch_log_group.f["a"]', 'main.tf#aws_lambda_function.f["a"]'),
        ('main.tf#aws_cloudwatch_log_group.f["b"]', 'main.tf#aws_lambda_function.f["b"]'),
        ("main.tf#aws_cloudwatch_log_group.unknown_instance", None),
    ]
    alpha, beta = inventory.functions
    assert [inventory.log_group_of(fn) for fn in (alpha, beta)] == list(inventory.log_groups[:2])
