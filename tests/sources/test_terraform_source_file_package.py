"""A `data "archive_file"` zipping one `source_file`: that file is the function's package, so its handler
code is analysed (the zip holds the file at its root under its own name)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.scan import ScanRequest, scan

TODAY = date(2026, 11, 22)
MAIN = """\
data "archive_file" "app" {
  type        = "zip"
  source_file = "${path.module}/src/app.py"
  output_path = "${path.module}/build/app.zip"
}

data "archive_file" "other" {
  type        = "zip"
  source_file = "${path.module}/src/other.py"
  output_path = "${path.module}/build/other.zip"
}

resource "aws_lambda_function" "app" {
  function_name    = "app"
  role             = "arn:aws:iam::111122223333:role/app"
  runtime          = "python3.13"
  handler          = "app.handler"
  filename         = data.archive_file.app.output_path
  source_code_hash = data.archive_file.app.output_base64sha256
}

resource "aws_lambda_function" "wrong_name" {
  function_name = "wrong-name"
  role          = "arn:aws:iam::111122223333:role/app"
  runtime       = "python3.13"
  handler       = "main.handler"
  filename      = data.archive_file.other.output_path
}

resource "aws_lambda_function_url" "app" {
  function_name      = aws_lambda_function.app.function_name
  authorization_type = "NONE"
}
"""
APP = """\
import os


def handler(event, context):
    return os.system("echo " + event["body"])
"""


def test_a_single_source_file_is_the_package_its_handler_is_read_from(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "src" / "other.py").write_text(
        "def handler(event, context):\n    return 1\n", encoding="utf-8"
    )
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(rules=("LS501",)), today=TODAY))
    assert [(f.rule, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", "src/app.py", 5)
    ]
    # `main.handler` names a module the one-file package does not hold
    assert [(d.source, d.file, d.line, d.message) for d in result.diagnostics] == [
        (
            "code",
            "main.tf",
            26,
            "handler code of 1 function is not in the scanned tree, so it is not analysed: "
            "`wrong-name` (main.handler in src/other.py)",
        )
    ]
