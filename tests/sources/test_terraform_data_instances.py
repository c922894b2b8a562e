"""One instance of a data source or resource with `for_each`/`count` read by its key: a function per
handler zips its own `source_file` (`data.archive_file.zip[each.key].output_path`), the "lambda factory"
shape, or reads its own queue's settings."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
locals {
  handlers = {
    create = "create"
    list   = "list"
  }
}

data "archive_file" "zip" {
  for_each    = local.handlers
  type        = "zip"
  source_file = "${path.module}/handlers/${each.value}.mjs"
  output_path = "${path.module}/build/${each.value}.zip"
}

data "archive_file" "counted" {
  count       = 2
  type        = "zip"
  source_file = "${path.module}/jobs/job${count.index}.py"
  output_path = "${path.module}/build/job${count.index}.zip"
}

resource "aws_lambda_function" "handler" {
  for_each      = local.handlers
  function_name = "api-${each.key}"
  role          = "arn:aws:iam::111122223333:role/api"
  runtime       = "nodejs22.x"
  handler       = "${each.value}.handler"
  filename      = data.archive_file.zip[each.key].output_path
  environment {
    variables = {
      OUTPUT  = data.archive_file.zip[each.key].output_path
      MISSING = data.archive_file.zip["other"].output_path
      HASH    = data.archive_file.zip[each.key].output_base64sha256
    }
  }
}

resource "aws_lambda_function" "job" {
  count         = 2
  function_name = "job-${count.index}"
  role          = "arn:aws:iam::111122223333:role/api"
  runtime       = "python3.13"
  handler       = "job${count.index}.handler"
  filename      = data.archive_file.counted[count.index].output_path
}
"""


def test_an_indexed_data_source_instance_reads_its_own_arguments(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(MAIN, encoding="utf-8")
    item = InputFile(path=tmp_path / "infra" / "main.tf", display="infra/main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    functions = output.inventory.functions
    assert [(f.name, f.code.local_path) for f in functions] == [
        ("api-create", "infra/handlers/create.mjs"),
        ("api-list", "infra/handlers/list.mjs"),
        ("job-0", "infra/jobs/job0.py"),
        ("job-1", "infra/jobs/job1.py"),
    ]
    assert [(v.name, v.value) for v in functions[1].environment] == [
        ("OUTPUT", "./build/list.zip"),
        ("MISSING", Unresolved('data.archive_file.zip["other"].output_path')),
        ("HASH", Unresolved("data.archive_file.zip[each.key].output_base64sha256")),
    ]


RESOURCES = """\
locals {
  fns = { a = "alpha", b = "beta" }
}

resource "aws_sqs_queue" "q" {
  for_each                   = local.fns
  name                       = "q-${each.value}"
  visibility_timeout_seconds = each.key == "a" ? 30 : 60
}

resource "aws_sqs_queue" "counted" {
  count                      = 2
  visibility_timeout_seconds = 10 * (count.index + 1)
}

resource "aws_lambda_function" "f" {
  for_each      = local.fns
  function_name = "svc-${each.value}"
  role          = "arn:aws:iam::111122223333:role/r"
  filename      = "app.zip"
  timeout       = aws_sqs_queue.q[each.key].visibility_timeout_seconds
  environment {
    variables = {
      QUEUE   = aws_sqs_queue.q[each.key].name
      FIRST   = aws_sqs_queue.q["a"].visibility_timeout_seconds
      SECOND  = aws_sqs_queue.counted[1].visibility_timeout_seconds
      MISSING = aws_sqs_queue.q["c"].visibility_timeout_seconds
    }
  }
}
"""


def test_an_indexed_resource_instance_reads_its_own_arguments(tmp_path: Path) -> None:
    """`aws_sqs_queue.q[each.key].visibility_timeout_seconds` is that queue instance's argument, read with
    its own `each`; an instance that does not exist stays Unresolved."""
    (tmp_path / "main.tf").write_text(RESOURCES, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    alpha, beta = output.inventory.functions
    assert (alpha.timeout_s, beta.timeout_s) == (30, 60)
    assert [(v.name, v.value) for v in beta.environment] == [
        ("QUEUE", 'main.tf#aws_sqs_queue.q["b"]'),
        ("FIRST", "30"),
        ("SECOND", "20"),
        ("MISSING", Unresolved('aws_sqs_queue.q["c"].visibility_timeout_seconds')),
    ]
