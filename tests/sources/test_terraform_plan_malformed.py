"""Terraform plan JSON edited by hand: parts of unexpected JSON types are passed over, never a crash."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Unresolved
from lambdasec.sources.terraform_plan import map_plan, parse_plan

PRINCIPAL_REFERENCES: list[object] = ["module.app.account_id", "var.account_id"]


def _plan(**broken: Any) -> dict[str, Any]:
    """A root permission whose principal comes from module "app", with the parts in `broken` replaced."""
    permission = {
        "address": "aws_lambda_permission.p",
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": "p",
        "values": {"action": "lambda:InvokeFunction", "function_name": "orders", "principal": "111122223333"},
    }
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {"resources": [permission], "child_modules": broken.get("children", [])}
        },
        "prior_state": {
            "values": {
                "root_module": {
                    "resources": broken.get(
                        "data",
                        [
                            {
                                "address": "data.aws_region.current",
                                "mode": "data",
                                "type": "aws_region",
                                "name": "current",
                                "values": {"name": {"nested": "us-east-1"}, "region": ["us-east-1"]},
                            }
                        ],
                    )
                }
            }
        },
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_lambda_permission.p",
                        "mode": "managed",
                        "type": "aws_lambda_permission",
                        "name": "p",
                        "provider_config_key": "aws",
                        "expressions": {
                            "principal": {"references": broken.get("references", PRINCIPAL_REFERENCES)}
                        },
                    },
                    {
                        "address": "data.aws_region.current",
                        "mode": "data",
                        "type": "aws_region",
                        "name": "current",
                        "provider_config_key": "aws",
                    },
                ],
                "module_calls": broken.get("calls", {"app": {"module": {"outputs": []}, "expressions": []}}),
            }
        },
    }


def _principal(raw: dict[str, Any]) -> object:
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    (grant,) = map_plan(parsed).permissions
    return grant.principal


def test_parts_of_unexpected_types_are_passed_over() -> None:
    assert _principal(_plan()) == "111122223333"
    assert _principal(_plan(references=1.5)) == "111122223333"
    assert _principal(_plan(references=[{"x": 1}, None])) == "111122223333"
    assert _principal(_plan(calls={"app": []})) == "111122223333"
    assert _principal(_plan(calls=["app"])) == "111122223333"
    assert _principal(_plan(data=True, children=True)) == "111122223333"
    assert _principal(_plan(children=[{"address": "module.app", "resources": {"a": 1}}])) == "111122223333"


def test_a_principal_with_no_value_is_still_unknown() -> None:
    raw = _plan(references=7)
    del raw["planned_values"]["root_module"]["resources"][0]["values"]["principal"]
    raw["resource_changes"] = [
        {"address": "aws_lambda_permission.p", "change": {"after_unknown": {"principal": True}}}
    ]
    assert _principal(raw) == Unresolved("aws_lambda_permission.p.principal")
