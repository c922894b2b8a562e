"""Terraform plan JSON: a function named through a module output joins the function the module creates."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Unresolved
from lambdasec.sources.terraform_plan import map_plan, parse_plan

MODULE = 'module.fn["orders"]'


def _function() -> dict[str, Any]:
    return {
        "address": f"{MODULE}.aws_lambda_function.this[0]",
        "mode": "managed",
        "type": "aws_lambda_function",
        "name": "this",
        "index": 0,
        "values": {"function_name": "orders", "handler": "app.handler", "runtime": "python3.13"},
    }


def _grant(name: str, attribute: str, kind: str = "aws_lambda_permission") -> tuple[dict[str, Any], ...]:
    """A root resource whose `function_name`, unknown until apply, is the module output `attribute`."""
    values = (
        {"action": "lambda:InvokeFunction", "principal": "events.amazonaws.com"}
        if kind == "aws_lambda_permission"
        else {"event_source_arn": "arn:aws:sqs:us-east-1:111122223333:jobs"}
    )
    planned = {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name, "values": values}
    change = {
        "address": f"{kind}.{name}",
        "change": {"actions": ["create"], "after_unknown": {"function_name": True, "id": True}},
    }
    reference = f'module.fn["orders"].{attribute}'
    config = {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "expressions": {
            "function_name": {"references": [reference, 'module.fn["orders"]']},
            **{key: {"constant_value": value} for key, value in values.items()},
        },
    }
    return planned, change, config


def _plan() -> dict[str, Any]:
    grants = [
        _grant("by_arn", "arn"),
        _grant("by_name", "name"),
        _grant("by_role", "role_arn"),
        _grant("by_missing", "missing"),
        _grant("queue", "arn", kind="aws_lambda_event_source_mapping"),
    ]
    this = ["aws_lambda_function.this[0]", "aws_lambda_function.this"]
    outputs = {
        "arn": {"expression": {"references": ["aws_lambda_function.this[0].arn", *this]}},
        "name": {"expression": {"references": ["aws_lambda_function.this[0].function_name", *this]}},
        "role_arn": {"expression": {"references": ["aws_lambda_function.this[0].role", *this]}},
    }
    function_config = {
        "address": "aws_lambda_function.this",
        "mode": "managed",
        "type": "aws_lambda_function",
        "name": "this",
        "expressions": {"function_name": {"references": ["var.name"]}},
        "count_expression": {"constant_value": 1},
    }
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [planned for planned, _, _ in grants],
                "child_modules": [{"address": MODULE, "resources": [_function()]}],
            }
        },
        "resource_changes": [
            *(change for _, change, _ in grants),
            {"address": f"{MODULE}.aws_lambda_function.this[0]", "change": {"after_unknown": {"arn": True}}},
        ],
        "configuration": {
            "root_module": {
                "resources": [config for _, _, config in grants],
                "module_calls": {
                    "fn": {
                        "source": "./fn",
                        "for_each_expression": {"constant_value": ["orders"]},
                        "module": {"resources": [function_config], "outputs": outputs},
                    }
                },
            }
        },
    }


def test_an_unknown_function_name_from_a_module_output_joins_the_modules_function() -> None:
    parsed = parse_plan(json.dumps(_plan()), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    inventory = map_plan(parsed)
    key = f"plan.json#{MODULE}.aws_lambda_function.this[0]"
    assert [fn.key for fn in inventory.functions] == [key]
    assert {grant.origin.resource: grant.function for grant in inventory.permissions} == {
        "aws_lambda_permission.by_arn": key,
        "aws_lambda_permission.by_name": key,
        "aws_lambda_permission.by_role": Unresolved("aws_lambda_permission.by_role.function_name"),
        "aws_lambda_permission.by_missing": Unresolved("aws_lambda_permission.by_missing.function_name"),
    }
    assert [(m.origin.resource, m.function) for m in inventory.event_source_mappings] == [
        ("aws_lambda_event_source_mapping.queue", key)
    ]
