"""Step Functions in Terraform: the Lambda tasks of an `aws_sfn_state_machine` definition as triggers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import SourceKind, TriggerKind, Unresolved
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform_plan import map_plan, parse_plan

MAIN = """\
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/worker"
}

resource "aws_sfn_state_machine" "encoded" {
  name     = "encoded"
  role_arn = "arn:aws:iam::111122223333:role/sfn"
  definition = jsonencode({
    StartAt = "Fan"
    States = {
      Fan = {
        Type = "Parallel"
        End  = true
        Branches = [{
          StartAt = "Each"
          States = {
            Each = {
              Type = "Map"
              End  = true
              ItemProcessor = {
                StartAt = "Work"
                States = {
                  Work = {
                    Type     = "Task"
                    Resource = "arn:aws:states:::lambda:invoke.waitForTaskToken"
                    Parameters = {
                      FunctionName = aws_lambda_function.worker.arn
                      "Payload.$"  = "$"
                    }
                    End = true
                  }
                }
              }
            }
          }
        }]
      }
    }
  })
}

resource "aws_sfn_state_machine" "heredoc" {
  name     = "heredoc"
  role_arn = "arn:aws:iam::111122223333:role/sfn"
  definition = <<EOF
{
  "StartAt": "Legacy",
  "States": {
    "Legacy": {"Type": "Task", "Resource": "${aws_lambda_function.worker.arn}", "Next": "Chosen"},
    "Chosen": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Parameters": {"FunctionName.$": "$.target"}, "End": true}
  }
}
EOF
}

resource "aws_sfn_state_machine" "from_file" {
  name     = "from-file"
  role_arn = "arn:aws:iam::111122223333:role/sfn"
  definition = templatefile("${path.module}/flow.asl.json", {
    worker_arn = aws_lambda_function.worker.arn
  })
}

resource "aws_sfn_state_machine" "unknown" {
  name       = "unknown"
  role_arn   = "arn:aws:iam::111122223333:role/sfn"
  definition = var.definition
}

variable "definition" {
  type = string
}
"""
FLOW = {
    "StartAt": "Direct",
    "States": {
        "Direct": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "${worker_arn}:live", "Payload.$": "$"},
            "End": True,
        }
    },
}
KEY = "main.tf#"
WORKER = KEY + "aws_lambda_function.worker"


def _load(tmp_path: Path) -> SourceOutput:
    path = tmp_path / "main.tf"
    path.write_text(MAIN, encoding="utf-8")
    (tmp_path / "flow.asl.json").write_text(json.dumps(FLOW), encoding="utf-8")
    return TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )


def _line(marker: str, *, nth: int = 1) -> int:
    found = [n for n, text in enumerate(MAIN.splitlines(), start=1) if marker in text]
    return found[nth - 1]


def test_each_lambda_task_is_a_step_functions_trigger(tmp_path: Path) -> None:
    output = _load(tmp_path)

    assert {
        t.key: (t.kind, t.function, t.source, t.detail, t.origin.line) for t in output.inventory.push_triggers
    } == {
        KEY + "aws_sfn_state_machine.encoded/States/Work": (
            TriggerKind.STEP_FUNCTIONS,
            WORKER,
            KEY + "aws_sfn_state_machine.encoded",
            "Work",
            _line("Work = {"),
        ),
        KEY + "aws_sfn_state_machine.heredoc/States/Legacy": (
            TriggerKind.STEP_FUNCTIONS,
            WORKER,
            KEY + "aws_sfn_state_machine.heredoc",
            "Legacy",
            _line('"Legacy": {'),
        ),
        KEY + "aws_sfn_state_machine.heredoc/States/Chosen": (
            TriggerKind.STEP_FUNCTIONS,
            Unresolved("Chosen: FunctionName $.target"),
            KEY + "aws_sfn_state_machine.heredoc",
            "Chosen",
            _line('"Chosen": {'),
        ),
        KEY + "aws_sfn_state_machine.from_file/States/Direct": (
            TriggerKind.STEP_FUNCTIONS,
            WORKER,
            KEY + "aws_sfn_state_machine.from_file",
            "Direct",
            _line("definition = templatefile("),
        ),
    }
    assert [(d.level, d.file, d.line, d.message) for d in output.diagnostics] == [
        (
            "warning",
            "main.tf",
            _line("definition = var.definition"),
            "`aws_sfn_state_machine.unknown`: the state machine's definition cannot be read; the functions"
            " it invokes are not known",
        )
    ]


def _planned(kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": values,
    }


def test_plan_definition_known_and_unknown() -> None:
    """A definition naming deployed functions is known in the plan; one naming a function the plan
    creates is known only after apply (a warning, no trigger)."""
    known = {
        "StartAt": "Deployed",
        "States": {
            "Deployed": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:111122223333:function:deployed"},
                "End": True,
            }
        },
    }
    raw = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    _planned(
                        "aws_lambda_function",
                        "worker",
                        {"function_name": "worker", "role": "arn:aws:iam::111122223333:role/w"},
                    ),
                    _planned(
                        "aws_sfn_state_machine", "known", {"name": "known", "definition": json.dumps(known)}
                    ),
                    _planned("aws_sfn_state_machine", "later", {"name": "later"}),
                ]
            }
        },
        "resource_changes": [
            {
                "address": "aws_sfn_state_machine.later",
                "change": {"actions": ["create"], "after_unknown": {"definition": True}},
            }
        ],
    }
    plan = parse_plan(json.dumps(raw, indent=1), display="plan.json")
    assert not isinstance(plan, Diagnostic)
    problems: list[Diagnostic] = []
    inv = map_plan(plan, problems=problems)

    assert {t.key: (t.kind, t.function, t.source, t.detail, t.origin.line) for t in inv.push_triggers} == {
        "plan.json#aws_sfn_state_machine.known/States/Deployed": (
            TriggerKind.STEP_FUNCTIONS,
            "arn:aws:lambda:us-east-1:111122223333:function:deployed",
            "plan.json#aws_sfn_state_machine.known",
            "Deployed",
            plan.resources[1].line,
        )
    }
    assert [(d.level, d.line, d.message) for d in problems] == [
        (
            "warning",
            plan.resources[2].line,
            "`aws_sfn_state_machine.later`: the state machine's definition cannot be read; the functions"
            " it invokes are not known",
        )
    ]
