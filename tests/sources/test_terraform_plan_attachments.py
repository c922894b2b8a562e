"""Terraform plan JSON: managed policies attached by a list of ARNs unknown until apply."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, Unresolved
from lambdasec.sources.terraform_plan import map_plan, parse_plan

ADMIN_DOC = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)
BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def _resource(address: str, values: dict[str, Any]) -> dict[str, Any]:
    kind, name = address.split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name, "values": values}


def _config(address: str, expressions: dict[str, Any]) -> dict[str, Any]:
    kind, name = address.split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name, "expressions": expressions}


def _plan(arns: list[str | None], unknown: list[bool], references: list[str]) -> Inventory:
    """A role created with `managed_policy_arns` as given, beside a policy and a function created with it."""
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    _resource("aws_iam_policy.admin", {"name": "admin", "policy": ADMIN_DOC}),
                    _resource("aws_iam_role.r", {"name": "r", "managed_policy_arns": arns}),
                    _resource("aws_lambda_function.f", {"function_name": "f", "runtime": "python3.13"}),
                ]
            }
        },
        "resource_changes": [
            {"address": "aws_iam_policy.admin", "change": {"after_unknown": {"arn": True, "id": True}}},
            {
                "address": "aws_iam_role.r",
                "change": {"after_unknown": {"arn": True, "managed_policy_arns": unknown}},
            },
            {"address": "aws_lambda_function.f", "change": {"after_unknown": {"role": True, "arn": True}}},
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    _config("aws_iam_policy.admin", {"name": {"constant_value": "admin"}, "policy": {}}),
                    _config(
                        "aws_iam_role.r",
                        {"name": {"constant_value": "r"}, "managed_policy_arns": {"references": references}},
                    ),
                    _config(
                        "aws_lambda_function.f",
                        {
                            "function_name": {"constant_value": "f"},
                            "runtime": {"constant_value": "python3.13"},
                            "role": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]},
                        },
                    ),
                ]
            }
        },
    }
    parsed = parse_plan(json.dumps(plan), display="p.json")
    assert not isinstance(parsed, Diagnostic)
    return map_plan(parsed)


def _attached(inv: Inventory) -> list[str]:
    (role,) = inv.roles
    return [policy.name for policy in role.policies if isinstance(policy.name, str)]


def test_an_unknown_arn_of_a_policy_created_with_the_role_is_that_policy() -> None:
    inv = _plan([None], [True], ["aws_iam_policy.admin.arn", "aws_iam_policy.admin"])

    assert _attached(inv) == ["admin"]


def test_unknown_arns_beside_literal_ones_join_their_references() -> None:
    inv = _plan([BASIC, None], [False, True], ["aws_iam_policy.admin.arn", "aws_iam_policy.admin"])

    (role,) = inv.roles
    assert role.managed_policy_arns[0] == BASIC
    assert _attached(inv) == ["admin"]


def test_an_unknown_arn_the_configuration_cannot_tell_is_unresolved() -> None:
    inv = _plan([None, None], [True, True], ["aws_iam_policy.admin.arn", "aws_iam_policy.admin"])

    (role,) = inv.roles
    assert role.managed_policy_arns == (
        Unresolved("aws_iam_role.r.managed_policy_arns[0]"),
        Unresolved("aws_iam_role.r.managed_policy_arns[1]"),
    )
