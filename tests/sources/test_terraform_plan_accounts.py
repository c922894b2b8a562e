"""Terraform plan JSON: a role's ARN is its planned one, or follows from its provider's caller identity."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.sources.terraform_plan import map_plan, parse_plan
from lambdasec.sources.terraform_plan.accounts import role_arns
from lambdasec.sources.terraform_plan.document import Plan

PROVIDER = "registry.terraform.io/hashicorp/aws"
TRUST = json.dumps(
    {
        "Statement": [
            {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
        ]
    }
)


def _role(
    name: str, *, values: dict[str, Any] | None = None, provider: str | None = "aws"
) -> tuple[dict[str, Any], dict[str, Any]]:
    planned = {
        "address": f"aws_iam_role.{name}",
        "mode": "managed",
        "type": "aws_iam_role",
        "name": name,
        "provider_name": PROVIDER,
        "values": {"assume_role_policy": TRUST, "name": name, "path": "/", **(values or {})},
    }
    config: dict[str, Any] = {
        "address": f"aws_iam_role.{name}",
        "mode": "managed",
        "type": "aws_iam_role",
        "name": name,
        "expressions": {"name": {"constant_value": name}, "assume_role_policy": {}},
    }
    if provider is not None:
        config["provider_config_key"] = provider
    return planned, config


def _caller(
    name: str, account: str, *, provider: str | None = "aws", partition: str = "aws"
) -> tuple[dict[str, Any], dict[str, Any]]:
    read = {
        "address": f"data.aws_caller_identity.{name}",
        "mode": "data",
        "type": "aws_caller_identity",
        "name": name,
        "provider_name": PROVIDER,
        "values": {
            "account_id": account,
            "arn": f"arn:{partition}:iam::{account}:user/deploy",
            "id": account,
        },
    }
    config: dict[str, Any] = {
        "address": f"data.aws_caller_identity.{name}",
        "mode": "data",
        "type": "aws_caller_identity",
        "name": name,
    }
    if provider is not None:
        config["provider_config_key"] = provider
    return read, config


def _plan(
    roles: list[tuple[dict[str, Any], dict[str, Any]]],
    callers: list[tuple[dict[str, Any], dict[str, Any]]],
    *,
    module_roles: Sequence[tuple[dict[str, Any], dict[str, Any]]] = (),
) -> Plan:
    planned_module = [
        {**planned, "address": f"module.app.{planned['address']}"} for planned, _ in module_roles
    ]
    raw: dict[str, Any] = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [planned for planned, _ in roles],
                "child_modules": [{"address": "module.app", "resources": planned_module}],
            }
        },
        "prior_state": {"values": {"root_module": {"resources": [read for read, _ in callers]}}},
        "configuration": {
            "root_module": {
                "resources": [config for _, config in [*roles, *callers]],
                "module_calls": {
                    "app": {"source": "./app", "module": {"resources": [c for _, c in module_roles]}}
                },
            }
        },
    }
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return parsed


def test_a_created_role_is_in_the_account_of_its_providers_caller_identity() -> None:
    plan = _plan(
        [
            _role("api", values={"path": "/service/"}),
            _role("known", values={"arn": "arn:aws:iam::444455556666:role/known"}, provider="aws.partner"),
            _role("prefixed", values={"name": None}),
        ],
        [_caller("current", "111122223333", partition="aws-us-gov")],
        module_roles=[_role("worker")],
    )
    assert role_arns(plan) == {
        "aws_iam_role.api": "arn:aws-us-gov:iam::111122223333:role/service/api",
        "aws_iam_role.known": "arn:aws:iam::444455556666:role/known",
        "module.app.aws_iam_role.worker": "arn:aws-us-gov:iam::111122223333:role/worker",
    }


def test_the_caller_identity_of_another_provider_configuration_says_nothing() -> None:
    plan = _plan(
        [
            _role("default"),
            _role("east", provider="aws.east"),
            _role("workloads", provider="aws.workloads"),
            _role("unkeyed", provider=None),
        ],
        [
            _caller("current", "111122223333"),
            _caller("east", "222233334444", provider="aws.east"),
            _caller("unkeyed", "555566667777", provider=None),
        ],
    )
    assert role_arns(plan) == {
        "aws_iam_role.default": "arn:aws:iam::111122223333:role/default",
        "aws_iam_role.east": "arn:aws:iam::222233334444:role/east",
    }


def test_without_a_single_account_the_arn_stays_unknown() -> None:
    assert role_arns(_plan([_role("api")], [])) == {}
    two = [_caller("current", "111122223333"), _caller("other", "222233334444")]
    assert role_arns(_plan([_role("api")], two)) == {}
    same = [_caller("current", "111122223333"), _caller("again", "111122223333")]
    assert role_arns(_plan([_role("api")], same)) == {
        "aws_iam_role.api": "arn:aws:iam::111122223333:role/api"
    }


def test_the_mapped_roles_carry_their_arns() -> None:
    plan = _plan([_role("api"), _role("east", provider="aws.east")], [_caller("current", "111122223333")])
    assert {role.origin.resource: role.arn for role in map_plan(plan).roles} == {
        "aws_iam_role.api": "arn:aws:iam::111122223333:role/api",
        "aws_iam_role.east": None,
    }
