"""A `data "archive_file"` zipping text written in the configuration (`source_content`, `source` blocks)
gives its functions a package that is not a file of the scanned tree: Unresolved, not "no package"."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
data "archive_file" "content" {
  type                    = "zip"
  source_content          = "exports.handler = async () => 1;"
  source_content_filename = "index.js"
  output_path             = "${path.module}/build/content.zip"
}

data "archive_file" "blocks" {
  type        = "zip"
  output_path = "${path.module}/build/blocks.zip"
  source {
    content  = "def handler(event, context):\\n    return 1\\n"
    filename = "app.py"
  }
}

resource "aws_lambda_function" "content" {
  function_name = "content"
  role          = "arn:aws:iam::111122223333:role/app"
  filename      = data.archive_file.content.output_path
}

resource "aws_lambda_function" "blocks" {
  function_name = "blocks"
  role          = "arn:aws:iam::111122223333:role/app"
  filename      = data.archive_file.blocks.output_path
}

resource "aws_lambda_function" "s3" {
  function_name = "s3"
  role          = "arn:aws:iam::111122223333:role/app"
  s3_bucket     = "artifacts"
  s3_key        = "s3.zip"
}
"""


def test_an_archive_of_configuration_text_is_not_a_local_package(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    assert [(f.name, f.code.local_path) for f in output.inventory.functions] == [
        ("content", Unresolved("data.archive_file.content zips text written in the configuration")),
        ("blocks", Unresolved("data.archive_file.blocks zips text written in the configuration")),
        ("s3", None),
    ]
