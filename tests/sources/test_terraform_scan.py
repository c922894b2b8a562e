"""Terraform through the whole scan: discovery of .tf files, inline suppressions, bad HCL diagnostics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import DiagnosticLevel
from lambdasec.model import SourceKind
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.discover import discover

TODAY = date(2026, 11, 22)
MAIN = """\
resource "aws_lambda_function" "api" {
  function_name = "api"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
  role          = "arn:aws:iam::111122223333:role/api"
}

resource "aws_lambda_function_url" "public" {
  function_name = aws_lambda_function.api.function_name
  # lambdasec: ignore[LS201] -- public status page, returns static text
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "other" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}
"""


def _write(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(MAIN, encoding="utf-8")
    (tmp_path / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / ".terraform" / "modules" / "cached.tf").write_text("garbage {", encoding="utf-8")


def test_discovery_finds_tf_files_and_skips_the_terraform_cache(tmp_path: Path) -> None:
    _write(tmp_path)
    found = discover([tmp_path])
    assert [(f.display, f.kind) for f in found.files] == [("infra/main.tf", SourceKind.TERRAFORM)]


def test_inline_suppression_in_hcl_and_unsuppressed_finding(tmp_path: Path) -> None:
    _write(tmp_path)
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(rules=("LS201",)), today=TODAY))
    assert {
        (f.rule, f.location.file, f.location.line, f.suppressed is not None) for f in result.findings
    } == {
        ("LS201", "infra/main.tf", 12, True),
        ("LS201", "infra/main.tf", 17, False),
    }


def test_bad_hcl_is_an_error_with_file_and_line_and_other_modules_still_load(tmp_path: Path) -> None:
    _write(tmp_path)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf").write_text('locals {\n  a = "x\n}\n', encoding="utf-8")
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(rules=("LS201",)), today=TODAY))
    errors = [(d.level, d.source, d.file, d.line) for d in result.diagnostics if d.source != "code"]
    assert errors == [(DiagnosticLevel.ERROR, "terraform", "broken/main.tf", 2)]
    assert result.functions == 1


def test_blocks_switched_off_by_a_known_count_are_not_mapped(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "public" {\n  default = false\n}\n'
        'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  role = "r"\n}\n'
        'resource "aws_lambda_function_url" "off" {\n  count = var.public ? 1 : 0\n'
        "  function_name = aws_lambda_function.api.function_name\n"
        '  authorization_type = "NONE"\n}\n'
        'resource "aws_lambda_function_url" "zero" {\n  count = 0\n'
        "  function_name = aws_lambda_function.api.function_name\n"
        '  authorization_type = "NONE"\n}\n'
        'resource "aws_lambda_function_url" "empty" {\n  for_each = {}\n'
        "  function_name = aws_lambda_function.api.function_name\n"
        '  authorization_type = "NONE"\n}\n'
        'resource "aws_lambda_function_url" "unknown" {\n  count = var.undeclared ? 1 : 0\n'
        "  function_name = aws_lambda_function.api.function_name\n"
        '  authorization_type = "NONE"\n}\n',
        encoding="utf-8",
    )
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(rules=("LS201",)), today=TODAY))
    # a count that cannot be known keeps the URL once, as written
    found = {(f.rule, f.resource.id) for f in result.findings}
    assert found == {("LS201", "aws_lambda_function_url.unknown")}
