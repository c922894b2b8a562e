"""Terraform plan JSON: the caller identity's account id passed to a module keeps its reference there."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Unresolved
from lambdasec.sources.terraform_plan import map_plan, parse_plan

ACCOUNT = "111122223333"
PARTNER = "444455556666"
PROVIDER = "registry.terraform.io/hashicorp/aws"
ACCOUNT_REF = "data.aws_caller_identity.current.account_id"
CALLER = {"references": [ACCOUNT_REF, "data.aws_caller_identity.current"]}


def _permission(
    module: str, name: str, values: dict[str, Any], expressions: dict[str, Any], *, unknown: bool = False
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Planned values, resource change and configuration of one `aws_lambda_permission` in `module`."""
    address = f"{module}.aws_lambda_permission.{name}" if module else f"aws_lambda_permission.{name}"
    planned = {
        "address": address,
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": name,
        "provider_name": PROVIDER,
        "values": {"action": "lambda:InvokeFunction", "function_name": "orders", **values},
    }
    change = {
        "address": address,
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": name,
        "provider_name": PROVIDER,
        "change": {
            "actions": ["create"],
            "after": planned["values"],
            "after_unknown": {"id": True, "principal": True} if unknown else {"id": True},
        },
    }
    config = {
        "address": f"aws_lambda_permission.{name}",
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": name,
        "provider_config_key": "aws",
        "expressions": {
            "action": {"constant_value": "lambda:InvokeFunction"},
            "function_name": {"constant_value": "orders"},
            **expressions,
        },
    }
    return planned, change, config


def _plan() -> dict[str, Any]:
    """Root passes the caller identity's account to module "app", which passes it on to module "inner"."""
    root = [
        _permission(
            "",
            "unknown_suffix",
            {},
            {"principal": {"references": [ACCOUNT_REF, "data.aws_caller_identity.current", "local.suffix"]}},
            unknown=True,
        )
    ]
    app = [
        _permission(
            "module.app", "own", {"principal": ACCOUNT}, {"principal": {"references": ["var.account_id"]}}
        ),
        _permission(
            "module.app",
            "own_root",
            {"principal": f"arn:aws:iam::{ACCOUNT}:root"},
            {"principal": {"references": ["var.account_id"]}},
        ),
        _permission(
            "module.app",
            "partner",
            {"principal": PARTNER},
            {"principal": {"references": ["var.partner_account"]}},
        ),
        _permission(
            "module.app",
            "unpassed",
            {"principal": ACCOUNT},
            {"principal": {"references": ["var.default_account"]}},
        ),
        _permission(
            "module.app",
            "service",
            {"principal": "sns.amazonaws.com", "source_account": ACCOUNT},
            {
                "principal": {"constant_value": "sns.amazonaws.com"},
                "source_account": {"references": ["var.account_id"]},
            },
        ),
    ]
    inner = [
        _permission(
            "module.app.module.inner",
            "own",
            {"principal": ACCOUNT},
            {"principal": {"references": ["var.account_id"]}},
        )
    ]
    caller = {
        "address": "data.aws_caller_identity.current",
        "mode": "data",
        "type": "aws_caller_identity",
        "name": "current",
        "provider_name": PROVIDER,
        "values": {"account_id": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/deploy", "id": ACCOUNT},
    }
    inner_call = {
        "source": "./inner",
        "expressions": {"account_id": {"references": ["var.account_id"]}},
        "module": {"resources": [config for _, _, config in inner], "variables": {"account_id": {}}},
    }
    app_call = {
        "source": "./app",
        "expressions": {"account_id": CALLER, "partner_account": {"constant_value": PARTNER}},
        "module": {
            "resources": [config for _, _, config in app],
            "module_calls": {"inner": inner_call},
            "variables": {"account_id": {}, "partner_account": {}, "default_account": {"default": ACCOUNT}},
        },
    }
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [planned for planned, _, _ in root],
                "child_modules": [
                    {
                        "address": "module.app",
                        "resources": [planned for planned, _, _ in app],
                        "child_modules": [
                            {
                                "address": "module.app.module.inner",
                                "resources": [planned for planned, _, _ in inner],
                            }
                        ],
                    }
                ],
            }
        },
        "resource_changes": [change for _, change, _ in [*root, *app, *inner]],
        "prior_state": {"values": {"root_module": {"resources": [caller]}}},
        "configuration": {
            "root_module": {
                "resources": [
                    *(config for _, _, config in root),
                    {
                        "address": "data.aws_caller_identity.current",
                        "mode": "data",
                        "type": "aws_caller_identity",
                        "name": "current",
                        "provider_config_key": "aws",
                    },
                ],
                "module_calls": {"app": app_call},
            }
        },
    }


def _grants(raw: dict[str, Any]) -> dict[str, tuple[object, object]]:
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return {
        grant.origin.resource: (grant.principal, grant.source_account)
        for grant in map_plan(parsed).permissions
    }


def test_the_account_id_passed_to_a_module_is_the_caller_identity_again() -> None:
    assert _grants(_plan()) == {
        "aws_lambda_permission.unknown_suffix": (
            Unresolved("aws_lambda_permission.unknown_suffix.principal"),
            None,
        ),
        "module.app.aws_lambda_permission.own": (Unresolved(ACCOUNT_REF), None),
        "module.app.aws_lambda_permission.own_root": (
            Unresolved(f"arn:aws:iam::${{{ACCOUNT_REF}}}:root"),
            None,
        ),
        "module.app.aws_lambda_permission.partner": (PARTNER, None),
        "module.app.aws_lambda_permission.unpassed": (Unresolved(ACCOUNT_REF), None),
        "module.app.aws_lambda_permission.service": ("sns.amazonaws.com", Unresolved(ACCOUNT_REF)),
        "module.app.module.inner.aws_lambda_permission.own": (Unresolved(ACCOUNT_REF), None),
    }


def test_a_resource_of_the_parent_module_is_not_written_into_the_child() -> None:
    raw = _plan()
    arguments = raw["configuration"]["root_module"]["module_calls"]["app"]["expressions"]
    arguments["partner_account"] = {"references": ["aws_lambda_permission.unknown_suffix.principal"]}
    raw["planned_values"]["root_module"]["resources"][0]["values"]["principal"] = PARTNER
    raw["resource_changes"][0]["change"]["after_unknown"] = {"id": True}
    grants = _grants(raw)
    assert grants["module.app.aws_lambda_permission.partner"] == (PARTNER, None)
    assert grants["aws_lambda_permission.unknown_suffix"] == (PARTNER, None)
