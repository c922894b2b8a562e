"""The fast HCL reader: the structure python-hcl2 gives, on the repository's Terraform and on edge cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hcl2.api import loads as hcl2_loads

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Unresolved
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.hcl import TfFile, parse_text
from lambdasec.sources.terraform.native import NativeSyntaxError, parse_native

TESTS = Path(__file__).resolve().parents[1]
SAMPLE = """\
# comment
variable "stage" {
  type    = string
  default = "dev" // trailing comment
}

locals {
  name  = "orders-${var.stage}"
  size  = 1.5
  count = -2
  big   = 1e3
  flags = [true, false, null]
  list  = [
    "a",   # first
    var.stage,
  ]
  map   = { "k" = 1, k2 = "v", }
  cond  = var.stage == "prod" ? 1 : 0
  text  = "say \\"hi\\"\\n $${literal} %{ if true }x%{ endif }"
  doc   = <<EOT
line ${var.stage}
  indented
EOT
  dedent = <<-EOT
    first
      second
    EOT
  multi = merge(
    { a = 1 }, # the defaults
    { b = 2 }
  )
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = aws_s3_bucket.b.arn }]
  })
}

resource "aws_s3_bucket" "b" { bucket = "x" }

resource "aws_lambda_function" "f" {
  function_name = local.name
  dynamic "vpc_config" {
    for_each = var.vpc
    content {
      subnet_ids = vpc_config.value
    }
  }
  environment {
    variables = {
      A = "1"
    }
  }
}
"""


def _meaning(value: Any) -> Any:
    """Values with every expression resolved in an empty scope, so texts that mean the same compare equal."""
    scope = Scope()
    if isinstance(value, dict):
        return {k: _meaning(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_meaning(v) for v in value]
    if isinstance(value, str) and "${" in value:
        resolved = scope.resolve(value)
        # the reason quotes the expression as each reader writes it (`{a = 1}` or `{"a": 1}`)
        return ("expression", "unknown" if isinstance(resolved, Unresolved) else resolved)
    return value


def test_sample_reads_like_python_hcl2() -> None:
    assert _meaning(parse_native(SAMPLE)) == _meaning(hcl2_loads(SAMPLE, with_meta=True))


def test_literals_lines_and_blocks_have_python_hcl2_shapes() -> None:
    body = parse_native(SAMPLE)
    (local_values,) = body["locals"]
    assert local_values["size"] == 1.5
    assert local_values["count"] == -2
    assert local_values["big"] == "${1e3}"
    assert local_values["flags"] == [True, False, None]
    assert local_values["list"] == ["a", "${var.stage}"]
    assert local_values["map"] == {"k": 1, "k2": "v"}
    assert local_values["text"] == 'say "hi"\n $${literal} %{ if true }x%{ endif }'
    assert local_values["doc"] == "line ${var.stage}\n  indented"
    assert local_values["dedent"] == "first\n  second"
    assert local_values["policy"] == (
        '${jsonencode({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], '
        '"Resource": "${aws_s3_bucket.b.arn}"}]})}'
    )
    assert (local_values["__start_line__"], local_values["__end_line__"]) == (7, 35)
    assert body["variable"] == [
        {"stage": {"type": "string", "default": "dev", "__start_line__": 2, "__end_line__": 5}}
    ]
    function = body["resource"][1]["aws_lambda_function"]["f"]
    assert function["dynamic"] == [
        {
            "vpc_config": {
                "for_each": "${var.vpc}",
                "content": [{"subnet_ids": "${vpc_config.value}", "__start_line__": 43, "__end_line__": 45}],
                "__start_line__": 41,
                "__end_line__": 46,
            }
        }
    ]


@pytest.mark.parametrize(
    "path", sorted(p for p in TESTS.rglob("*.tf") if "node_modules" not in p.parts), ids=lambda p: p.name
)
def test_repository_terraform_reads_like_python_hcl2(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        expected = hcl2_loads(text, with_meta=True)
    except Exception:  # noqa: BLE001 - a fixture python-hcl2 rejects must be rejected here too
        with pytest.raises(NativeSyntaxError):
            parse_native(text)
        return
    assert _meaning(parse_native(text)) == _meaning(expected)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('locals {\n  a = "x\n}\n', 2),
        ('resource "a" "b" {\n  x = 1\n', None),
        ("a = [1, 2\n", None),
    ],
)
def test_what_the_fast_reader_rejects_falls_back_to_python_hcl2_for_the_error(
    text: str, line: int | None
) -> None:
    with pytest.raises(NativeSyntaxError):
        parse_native(text)
    result = parse_text(text, display="bad.tf")
    assert isinstance(result, Diagnostic)
    assert (result.level, result.file) == (DiagnosticLevel.ERROR, "bad.tf")
    if line is not None:
        assert result.line == line


def test_text_only_python_hcl2_reads_is_read_by_it() -> None:
    with pytest.raises(NativeSyntaxError):
        parse_native("a = 1 b = 2\n")
    result = parse_text("a = 1 b = 2\n", display="odd.tf")
    assert isinstance(result, TfFile)
    assert result.body == {"a": 1, "b": 2}


def test_a_multi_line_conditional_python_hcl2_rejects_is_read() -> None:
    text = 'locals {\n  cond = (\n    var.enabled\n    ? "yes"\n    : "no"\n  )\n}\n'
    result = parse_text(text, display="cond.tf")
    assert isinstance(result, TfFile)
    (local_values,) = result.body["locals"]
    assert Scope(variables={"enabled": False}).resolve(local_values["cond"]) == "no"
