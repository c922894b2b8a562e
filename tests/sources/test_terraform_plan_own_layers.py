"""Terraform plan JSON: a layer of the account a function is created in is not an untrusted layer (LS603)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from lambdasec.config import Settings
from lambdasec.scan import ScanRequest, scan

ACCOUNT = "111122223333"
PARTNER = "999988887777"


def _function(name: str, layers: list[str], *, provider: str) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {"function_name": name, "handler": "app.handler", "runtime": "python3.13", "layers": layers}
    planned = {"address": f"aws_lambda_function.{name}", "mode": "managed", "type": "aws_lambda_function"}
    config = {
        "address": f"aws_lambda_function.{name}",
        "mode": "managed",
        "type": "aws_lambda_function",
        "name": name,
        "provider_config_key": provider,
        "expressions": {key: {"constant_value": value} for key, value in values.items()},
    }
    return {**planned, "name": name, "values": values}, config


def _data(kind: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    address = f"data.{kind}.current"
    read = {"address": address, "mode": "data", "type": kind, "name": "current", "values": values}
    return read, {**{k: read[k] for k in ("address", "mode", "type", "name")}, "provider_config_key": "aws"}


def test_a_layer_of_the_functions_own_account_is_trusted(tmp_path: Path) -> None:
    own = f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:shared:3"
    partner = f"arn:aws:lambda:us-east-1:{PARTNER}:layer:fast-json:3"
    functions = [
        _function("orders", [own, partner], provider="aws"),
        _function("sync", [own], provider="aws.workloads"),
    ]
    data = [
        _data("aws_caller_identity", {"account_id": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/ci"}),
        _data("aws_region", {"name": "us-east-1"}),
    ]
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [planned for planned, _ in functions]}},
        "resource_changes": [
            {"address": planned["address"], "change": {"actions": ["create"], "after_unknown": {"arn": True}}}
            for planned, _ in functions
        ],
        "prior_state": {"values": {"root_module": {"resources": [read for read, _ in data]}}},
        "configuration": {"root_module": {"resources": [config for _, config in [*functions, *data]]}},
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=1), encoding="utf-8")
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(), today=date(2026, 11, 22)))
    assert {
        (f.rule, f.resource.id, dict(f.properties).get("account"))
        for f in result.findings
        if f.rule == "LS603"
    } == {
        ("LS603", "aws_lambda_function.orders", PARTNER),
        ("LS603", "aws_lambda_function.sync", ACCOUNT),
    }
