"""Terraform arguments of the wrong type: errors with file and line, Unresolved in the model."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import EnvVar, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform_plan import TerraformPlanSource

CONFIGURATION = """\
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "f.zip"
  memory_size   = "lots"
  timeout       = "30"
  layers        = "arn:aws:lambda:us-east-1:123456789012:layer:x:1"
  environment {
    variables = {
      MODE  = "fast"
      HOSTS = ["a", "b"]
    }
  }
}

resource "aws_lambda_function" "g" {
  function_name = ["g"]
  role          = "arn:aws:iam::123456789012:role/r"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "g.zip"
  environment {
    variables = "MODE=fast"
  }
}

resource "aws_lambda_event_source_mapping" "m" {
  function_name    = aws_lambda_function.g.arn
  event_source_arn = "arn:aws:sqs:us-east-1:123456789012:q"
  enabled          = "maybe"
}
"""


def _error(line: int, message: str, *, file: str = "main.tf", source: str = "terraform") -> Diagnostic:
    return Diagnostic(
        level=DiagnosticLevel.ERROR,
        source=source,
        message=f"{message}; value not evaluated",
        file=file,
        line=line,
    )


def test_wrong_types_are_errors_and_the_rest_of_the_block_is_read(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(CONFIGURATION, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)

    output = TerraformSource().load((item,), root=tmp_path)

    assert sorted(output.diagnostics, key=lambda d: d.sort_key()) == [
        _error(7, "`aws_lambda_function.f`: `memory_size` should be a whole number, not a string"),
        _error(9, "`aws_lambda_function.f`: `layers` should be a list, not a string"),
        _error(13, "`aws_lambda_function.f`: `HOSTS` should be a string, not a list"),
        _error(19, "`aws_lambda_function.g`: `function_name` should be a string, not a list"),
        _error(25, "`aws_lambda_function.g`: `variables` should be a map, not a string"),
        _error(32, "`aws_lambda_event_source_mapping.m`: `enabled` should be a bool, not a string"),
    ]
    f, g = output.inventory.functions
    assert (f.memory_mb, f.timeout_s, f.layers) == (
        Unresolved("memory_size: a string where a whole number belongs"),
        30,  # Terraform converts a string of digits
        Unresolved("layers: a string where a list belongs"),
    )
    assert f.environment == (
        EnvVar(name="MODE", value="fast"),
        EnvVar(name="HOSTS", value=Unresolved("HOSTS: a list where a string belongs")),
    )
    assert (g.name, g.environment) == (
        Unresolved("function_name: a list where a string belongs"),
        Unresolved("variables: a string where a map belongs"),
    )
    (mapping,) = output.inventory.event_source_mappings
    assert mapping.enabled == Unresolved("enabled: a string where a bool belongs")


def test_a_hand_edited_plan_with_a_wrong_type_is_an_error(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_lambda_function.f",
                        "mode": "managed",
                        "type": "aws_lambda_function",
                        "name": "f",
                        "values": {
                            "function_name": "f",
                            "role": "arn:aws:iam::123456789012:role/r",
                            "memory_size": {"size": 128},
                        },
                    }
                ]
            }
        },
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    item = InputFile(path=tmp_path / "plan.json", display="plan.json", kind=SourceKind.TERRAFORM_PLAN)

    output = TerraformPlanSource().load((item,), root=tmp_path)

    assert list(output.diagnostics) == [
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="terraform-plan",
            message=(
                "`aws_lambda_function.f`: `memory_size` should be a whole number, not an object; "
                "value not evaluated"
            ),
            file="plan.json",
            line=None,
        )
    ]
    (function,) = output.inventory.functions
    assert function.memory_mb == Unresolved("memory_size: an object where a whole number belongs")
