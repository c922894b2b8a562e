"""Terraform triggers switched off: rule and schedule `state`, `is_enabled`, IoT and mapping `enabled`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform_plan import map_plan, parse_plan

MAIN = """\
variable "rule_state" {
  type = string
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::111122223333:role/app"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_cloudwatch_event_rule" "stopped" {
  schedule_expression = "rate(1 hour)"
  state               = "DISABLED"
}

resource "aws_cloudwatch_event_rule" "legacy" {
  event_pattern = jsonencode({ source = ["app"] })
  is_enabled    = false
}

resource "aws_cloudwatch_event_rule" "trail" {
  event_pattern = jsonencode({ source = ["aws.s3"] })
  state         = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
}

resource "aws_cloudwatch_event_rule" "variable" {
  schedule_expression = "rate(1 day)"
  state               = var.rule_state
}

resource "aws_cloudwatch_event_target" "stopped" {
  rule = aws_cloudwatch_event_rule.stopped.name
  arn  = aws_lambda_function.fn.arn
}

resource "aws_cloudwatch_event_target" "legacy" {
  rule = aws_cloudwatch_event_rule.legacy.name
  arn  = aws_lambda_function.fn.arn
}

resource "aws_cloudwatch_event_target" "trail" {
  rule = aws_cloudwatch_event_rule.trail.name
  arn  = aws_lambda_function.fn.arn
}

resource "aws_cloudwatch_event_target" "variable" {
  rule = aws_cloudwatch_event_rule.variable.name
  arn  = aws_lambda_function.fn.arn
}

resource "aws_scheduler_schedule" "paused" {
  schedule_expression = "rate(5 minutes)"
  state               = "DISABLED"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_lambda_function.fn.arn
    role_arn = "arn:aws:iam::111122223333:role/scheduler"
  }
}

resource "aws_iot_topic_rule" "devices" {
  name        = "devices"
  enabled     = false
  sql         = "SELECT * FROM 'devices'"
  sql_version = "2016-03-23"
  lambda {
    function_arn = aws_lambda_function.fn.arn
  }
}

resource "aws_lambda_event_source_mapping" "jobs" {
  function_name    = aws_lambda_function.fn.arn
  event_source_arn = aws_sqs_queue.jobs.arn
  enabled          = false
}
"""


def _load(tmp_path: Path) -> Inventory:
    path = tmp_path / "main.tf"
    path.write_text(MAIN, encoding="utf-8")
    output = TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )
    assert output.diagnostics == ()
    return output.inventory


def _line(marker: str) -> int:
    found = [n for n, text in enumerate(MAIN.splitlines(), start=1) if marker in text]
    assert len(found) == 1, found
    return found[0]


def test_hcl_states_switch_triggers_off(tmp_path: Path) -> None:
    inv = _load(tmp_path)
    enabled = {t.origin.resource: t.enabled for t in inv.push_triggers}
    assert enabled == {
        "aws_cloudwatch_event_target.stopped": False,
        "aws_cloudwatch_event_target.legacy": False,
        "aws_cloudwatch_event_target.trail": True,
        "aws_cloudwatch_event_target.variable": Unresolved("var.rule_state"),
        "aws_scheduler_schedule.paused": False,
        "aws_iot_topic_rule.devices/lambda/0": False,
    }
    assert [(m.origin.resource, m.enabled) for m in inv.event_source_mappings] == [
        ("aws_lambda_event_source_mapping.jobs", False)
    ]
    (paused,) = (t for t in inv.push_triggers if t.origin.resource == "aws_scheduler_schedule.paused")
    assert dict(paused.origin.fields)["enabled"] == _line('"rate(5 minutes)"') + 1


FUNCTION_ARN = "arn:aws:lambda:us-east-1:111122223333:function:fn"


def _resource(kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name, "values": values}


def _plan(resources: list[dict[str, Any]]) -> Inventory:
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}}}
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return map_plan(parsed)


def test_plan_states_switch_triggers_off() -> None:
    """A plan holds both `state` and the deprecated `is_enabled`: either one saying disabled is enough."""
    rules = [
        ("stopped", {"schedule_expression": "rate(1 hour)", "state": "DISABLED", "is_enabled": True}),
        ("legacy", {"schedule_expression": "rate(1 day)", "state": "ENABLED", "is_enabled": False}),
        ("live", {"schedule_expression": "rate(2 days)", "state": "ENABLED", "is_enabled": True}),
    ]
    resources = [_resource("aws_lambda_function", "fn", {"function_name": "fn", "arn": FUNCTION_ARN})]
    for name, values in rules:
        resources.append(_resource("aws_cloudwatch_event_rule", name, {"name": name, **values}))
        resources.append(_resource("aws_cloudwatch_event_target", name, {"rule": name, "arn": FUNCTION_ARN}))
    resources.append(
        _resource(
            "aws_scheduler_schedule",
            "paused",
            {
                "schedule_expression": "rate(5 minutes)",
                "state": "DISABLED",
                "target": [{"arn": FUNCTION_ARN}],
            },
        )
    )
    resources.append(
        _resource(
            "aws_lambda_event_source_mapping",
            "jobs",
            {
                "function_name": FUNCTION_ARN,
                "event_source_arn": "arn:aws:sqs:us-east-1:111122223333:jobs",
                "enabled": False,
            },
        )
    )
    inv = _plan(resources)
    enabled = {t.origin.resource: t.enabled for t in inv.push_triggers}
    assert enabled == {
        "aws_cloudwatch_event_target.stopped": False,
        "aws_cloudwatch_event_target.legacy": False,
        "aws_cloudwatch_event_target.live": True,
        "aws_scheduler_schedule.paused": False,
    }
    assert [(m.origin.resource, m.enabled) for m in inv.event_source_mappings] == [
        ("aws_lambda_event_source_mapping.jobs", False)
    ]
