"""Terraform plan JSON: plans of every format version Terraform has written since 0.12 are read."""

from __future__ import annotations

import codecs
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic
from lambdasec.model import Unresolved
from lambdasec.scan import ScanRequest, scan
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


@pytest.mark.parametrize(
    "encoding",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_plans_written_with_a_byte_order_mark_are_found_and_read(
    tmp_path: Path, encoding: tuple[str, bytes]
) -> None:
    """Windows PowerShell writes `terraform show -json > plan.json` as UTF-16, or UTF-8 with a BOM."""
    codec, bom = encoding
    (tmp_path / "plan.json").write_bytes(bom + json.dumps(_plan("1.2"), indent=2).encode(codec))
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(), today=date(2026, 11, 22)))
    assert result.diagnostics == ()
    assert {
        (f.rule, f.resource.id, f.location.file, f.location.line)
        for f in result.findings
        if f.rule == "LS401"
    } == {("LS401", "aws_lambda_function.orders", "plan.json", 8)}


def test_a_deposed_object_does_not_hide_what_the_current_one_knows_only_after_apply() -> None:
    """A failed create-before-destroy replacement leaves a deposed object of the same address, which the
    plan deletes: its change is not the planned object's."""
    plan = _plan("1.2")
    plan["planned_values"]["root_module"]["resources"][0]["values"] = {**FUNCTION, "role": None}
    plan["resource_changes"] = [
        {
            "address": "aws_lambda_function.orders",
            "change": {"actions": ["create"], "after_unknown": {"arn": True, "role": True}},
        },
        {
            "address": "aws_lambda_function.orders",
            "deposed": "a1b2c3d4",
            "change": {"actions": ["delete"], "after": None, "after_unknown": {}},
        },
    ]
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    (function,) = map_plan(parsed).functions
    assert function.role == Unresolved("aws_lambda_function.orders.role")
