"""Terraform plan JSON: sensitive values are not taken for literals; unknown nested values left out join."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import EnvVar, Inventory, Unresolved
from lambdasec.sources.terraform_plan import map_plan, parse_plan

FUNCTION = "plan.json#aws_lambda_function.f"


def _resource(kind: str, name: str, values: dict[str, Any], sensitive: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "values": values,
        "sensitive_values": sensitive,
    }


def _config(kind: str, name: str, expressions: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "expressions": expressions,
    }


def _inventory(
    resources: list[dict[str, Any]], changes: dict[str, Any], config: list[dict[str, Any]]
) -> Inventory:
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {"address": address, "change": {"after_unknown": unknown}} for address, unknown in changes.items()
        ],
        "configuration": {"root_module": {"resources": config}},
    }
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return map_plan(parsed)


def _function(values: dict[str, Any], sensitive: dict[str, Any]) -> dict[str, Any]:
    base = {"function_name": "f", "runtime": "python3.13", "handler": "app.handler"}
    return _resource("aws_lambda_function", "f", {**base, **values}, sensitive)


def _function_config(expressions: dict[str, Any]) -> dict[str, Any]:
    return _config("aws_lambda_function", "f", {"function_name": {"constant_value": "f"}, **expressions})


def test_values_terraform_marks_sensitive_are_unresolved() -> None:
    variables = {"SIGNING_SECRET": "whsec_5d9b8e7f61a2c4d3b0e9f8a7", "TABLE_NAME": "orders"}
    expressions = {"environment": [{"variables": {"references": ["var.signing_secret"]}}]}
    inv = _inventory(
        [
            _function(
                {"environment": [{"variables": variables}]},
                {"environment": [{"variables": {"SIGNING_SECRET": True}}]},
            )
        ],
        {},
        [_function_config(expressions)],
    )

    (fn,) = inv.functions
    assert fn.environment == (
        EnvVar(
            name="SIGNING_SECRET",
            value=Unresolved("sensitive value aws_lambda_function.f.environment[0].variables.SIGNING_SECRET"),
        ),
        EnvVar(name="TABLE_NAME", value="orders"),
    )


def test_a_whole_sensitive_attribute_is_unresolved() -> None:
    expressions = {"runtime": {"references": ["var.runtime"]}}
    inv = _inventory([_function({}, {"runtime": True})], {}, [_function_config(expressions)])

    (fn,) = inv.functions
    assert fn.runtime == Unresolved("sensitive value aws_lambda_function.f.runtime")


def test_without_sensitive_marks_the_planned_values_are_kept() -> None:
    variables = {"SIGNING_SECRET": "whsec_5d9b8e7f61a2c4d3b0e9f8a7"}
    expressions = {"environment": [{"variables": {"references": ["var.signing_secret"]}}]}
    inv = _inventory(
        [_function({"environment": [{"variables": variables}]}, {"environment": [{}]})],
        {},
        [_function_config(expressions)],
    )

    (fn,) = inv.functions
    assert fn.environment == (EnvVar(name="SIGNING_SECRET", value="whsec_5d9b8e7f61a2c4d3b0e9f8a7"),)


def _notification(references: list[str]) -> Inventory:
    """An S3 notification whose function ARN is unknown until apply, so Terraform leaves it out of values."""
    function_expressions: dict[str, Any] = {}
    notification_expressions = {
        "bucket": {"constant_value": "uploads"},
        "lambda_function": [
            {
                "lambda_function_arn": {"references": references},
                "events": {"constant_value": ["s3:ObjectCreated:*"]},
            }
        ],
    }
    resources = [
        _function({}, {}),
        _resource("aws_lambda_function", "g", {"function_name": "g", "runtime": "python3.13"}, {}),
        _resource(
            "aws_s3_bucket_notification",
            "uploads",
            {"bucket": "uploads", "lambda_function": [{"events": ["s3:ObjectCreated:*"]}]},
            {"lambda_function": [{"events": []}]},
        ),
    ]
    return _inventory(
        resources,
        {
            "aws_lambda_function.f": {"arn": True},
            "aws_lambda_function.g": {"arn": True},
            "aws_s3_bucket_notification.uploads": {"lambda_function": [{"lambda_function_arn": True}]},
        },
        [
            _function_config(function_expressions),
            _config("aws_lambda_function", "g", {"function_name": {"constant_value": "g"}}),
            _config("aws_s3_bucket_notification", "uploads", notification_expressions),
        ],
    )


def test_an_unknown_nested_value_left_out_of_values_is_the_one_resource_it_refers_to() -> None:
    inv = _notification(["aws_lambda_function.f.arn", "aws_lambda_function.f"])

    assert [(trigger.function, trigger.detail) for trigger in inv.push_triggers] == [
        (FUNCTION, "s3:ObjectCreated:*")
    ]


def test_an_unknown_nested_value_of_two_resources_stays_unresolved() -> None:
    inv = _notification(
        [
            "aws_lambda_function.f.arn",
            "aws_lambda_function.f",
            "aws_lambda_function.g.arn",
            "aws_lambda_function.g",
        ]
    )

    assert [trigger.function for trigger in inv.push_triggers] == [
        Unresolved("aws_s3_bucket_notification.uploads.lambda_function[0].lambda_function_arn")
    ]
