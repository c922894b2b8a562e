"""Terraform plan JSON: plans of every format version Terraform has written since 0.12 are read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lambdasec.findings import Diagnostic
from lambdasec.sources.terraform_plan import map_plan, parse_plan

FUNCTION = {
    "function_name": "orders",
    "handler": "index.handler",
    "runtime": "nodejs12.x",
    "memory_size": 128,
    "timeout": 3,
    "reserved_concurrent_executions": -1,
    "layers": None,
    "environment": [],
    "vpc_config": [],
    "role": "arn:aws:iam::111122223333:role/orders",
}


def _plan(version: str) -> dict[str, Any]:
    """One function created by a plan of format `version`, shaped as Terraform 0.12 wrote it (a short
    `provider_name`, no `sensitive_values`)."""
    return {
        "format_version": version,
        "terraform_version": "0.12.25",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_lambda_function.orders",
                        "mode": "managed",
                        "type": "aws_lambda_function",
                        "name": "orders",
                        "provider_name": "aws",
                        "schema_version": 0,
                        "values": FUNCTION,
                    }
                ]
            }
        },
        "resource_changes": [
            {
                "address": "aws_lambda_function.orders",
                "change": {
                    "actions": ["create"],
                    "after_unknown": {"arn": True, "id": True, "vpc_config": []},
                },
            }
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_lambda_function.orders",
                        "mode": "managed",
                        "type": "aws_lambda_function",
                        "name": "orders",
                        "provider_config_key": "aws",
                        "expressions": {
                            name: {"constant_value": FUNCTION[name]}
                            for name in ("function_name", "handler", "runtime", "role")
                        },
                    }
                ]
            }
        },
    }


@pytest.mark.parametrize("version", ["0.1", "0.2", "1.0", "1.2"])
def test_format_versions_before_and_after_1_0_are_read_alike(version: str) -> None:
    parsed = parse_plan(json.dumps(_plan(version)), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    (function,) = map_plan(parsed).functions
    assert (
        function.name,
        function.runtime,
        function.handler,
        function.memory_mb,
        function.timeout_s,
        function.reserved_concurrency,
        function.role,
        function.layers,
        function.environment,
        function.vpc,
    ) == (
        "orders",
        "nodejs12.x",
        "index.handler",
        128,
        3,
        None,
        "arn:aws:iam::111122223333:role/orders",
        (),
        (),
        None,
    )
