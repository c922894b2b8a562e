"""Terraform plan JSON: values the plan read from the caller identity keep their reference."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, Unresolved
from lambdasec.sources.terraform_plan import map_plan, parse_plan

ACCOUNT = "111122223333"
PROVIDER = "registry.terraform.io/hashicorp/aws"
ACCOUNT_REF = "data.aws_caller_identity.current.account_id"


def _permission(name: str, principal: str, references: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    planned = {
        "address": f"aws_lambda_permission.{name}",
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": name,
        "provider_name": PROVIDER,
        "values": {"action": "lambda:InvokeFunction", "function_name": "orders", "principal": principal},
    }
    expression = {"references": references} if references else {"constant_value": principal}
    config = {
        "address": f"aws_lambda_permission.{name}",
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": name,
        "expressions": {
            "action": {"constant_value": "lambda:InvokeFunction"},
            "function_name": {"constant_value": "orders"},
            "principal": expression,
        },
    }
    return planned, config


def _data(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"data.{kind}.current",
        "mode": "data",
        "type": kind,
        "name": "current",
        "provider_name": PROVIDER,
        "values": values,
    }


def _inventory(*, with_prior_state: bool = True) -> Inventory:
    grants = [
        _permission("own", ACCOUNT, [ACCOUNT_REF, "data.aws_caller_identity.current"]),
        _permission(
            "own_root",
            f"arn:aws:iam::{ACCOUNT}:root",
            [
                "data.aws_partition.current.partition",
                "data.aws_partition.current",
                ACCOUNT_REF,
                "data.aws_caller_identity.current",
            ],
        ),
        _permission("literal", ACCOUNT, []),
        _permission("region", "events.eu-west-1.amazonaws.com", ["data.aws_region.current.name"]),
    ]
    prior = [
        _data("aws_caller_identity", {"account_id": ACCOUNT, "id": ACCOUNT}),
        _data("aws_partition", {"partition": "aws"}),
        _data("aws_region", {"name": "eu-west-1"}),
    ]
    plan: dict[str, Any] = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [planned for planned, _ in grants]}},
        "configuration": {"root_module": {"resources": [config for _, config in grants]}},
    }
    if with_prior_state:
        plan["prior_state"] = {"values": {"root_module": {"resources": prior}}}
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return map_plan(parsed)


def _principals(inv: Inventory) -> dict[str, object]:
    return {grant.origin.resource: grant.principal for grant in inv.permissions}


def test_the_caller_identity_account_is_its_reference_again() -> None:
    assert _principals(_inventory()) == {
        "aws_lambda_permission.own": Unresolved(ACCOUNT_REF),
        "aws_lambda_permission.own_root": Unresolved(f"arn:aws:iam::${{{ACCOUNT_REF}}}:root"),
        "aws_lambda_permission.literal": ACCOUNT,
        "aws_lambda_permission.region": "events.eu-west-1.amazonaws.com",
    }


def test_without_the_read_data_sources_the_values_stay_literal() -> None:
    assert _principals(_inventory(with_prior_state=False)) == {
        "aws_lambda_permission.own": ACCOUNT,
        "aws_lambda_permission.own_root": f"arn:aws:iam::{ACCOUNT}:root",
        "aws_lambda_permission.literal": ACCOUNT,
        "aws_lambda_permission.region": "events.eu-west-1.amazonaws.com",
    }
