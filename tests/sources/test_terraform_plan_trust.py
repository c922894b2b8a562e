"""Terraform plan JSON: the own account's principals in the trust policy of a role whose ARN is unknown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic
from lambdasec.model import Principal, PrincipalKind, Unresolved
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.terraform_plan import map_plan, parse_plan
from lambdasec.sources.terraform_plan.trust import own_account_trust

ACCOUNT = "111122223333"
PARTNER = "444455556666"
REFERENCE = "${data.aws_caller_identity.current.account_id}"


def _trust(*aws: object, condition: dict[str, Any] | None = None) -> str:
    statements: list[dict[str, Any]] = [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}},
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": aws[0] if len(aws) == 1 else list(aws)},
        },
    ]
    if condition:
        statements[1]["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def test_principals_of_the_account_are_written_with_the_reference() -> None:
    document = _trust(
        f"arn:aws:iam::{ACCOUNT}:root",
        ACCOUNT,
        f"arn:aws:sts::{ACCOUNT}:assumed-role/ci/${{x}}",
        f"arn:aws:iam::{PARTNER}:root",
        condition={"StringEquals": {"sts:ExternalId": f"{ACCOUNT}-${{y}}"}},
    )
    written = own_account_trust(document, account=ACCOUNT, reference=REFERENCE)
    assert written is not None
    assert json.loads(written.replace(REFERENCE, "OWN").replace("$${", "${"))["Statement"][1] == {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {
            "AWS": [
                "arn:aws:iam::OWN:root",
                "OWN",
                "arn:aws:sts::OWN:assumed-role/ci/${x}",
                f"arn:aws:iam::{PARTNER}:root",
            ]
        },
        "Condition": {"StringEquals": {"sts:ExternalId": f"{ACCOUNT}-${{y}}"}},
    }
    assert written.count(REFERENCE) == 3 and written.count("$${") == 2


def test_documents_without_such_principals_are_left_alone() -> None:
    assert (
        own_account_trust(_trust(f"arn:aws:iam::{PARTNER}:root"), account=ACCOUNT, reference=REFERENCE)
        is None
    )
    assert own_account_trust(_trust({"nested": ACCOUNT}), account=ACCOUNT, reference=REFERENCE) is None
    assert own_account_trust("not json", account=ACCOUNT, reference=REFERENCE) is None
    assert own_account_trust("[1, 2]", account=ACCOUNT, reference=REFERENCE) is None


def _plan(roles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Roles by name (planned values; a role with `name_prefix` has no name until apply), each used by a
    function, and the caller identity read with the default provider configuration."""
    resources: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    config: list[dict[str, Any]] = []
    for label, values in roles.items():
        role, function = f"aws_iam_role.{label}", f"aws_lambda_function.{label}"
        named = "name" in values
        resources += [
            {"address": role, "mode": "managed", "type": "aws_iam_role", "name": label, "values": values},
            {
                "address": function,
                "mode": "managed",
                "type": "aws_lambda_function",
                "name": label,
                "values": {"function_name": label, "handler": "app.handler", "runtime": "python3.13"},
            },
        ]
        changes += [
            {
                "address": role,
                "change": {"after_unknown": {"arn": True} if named else {"arn": True, "name": True}},
            },
            {"address": function, "change": {"after_unknown": {"arn": True, "role": True}}},
        ]
        config += [
            {
                "address": role,
                "mode": "managed",
                "type": "aws_iam_role",
                "name": label,
                "provider_config_key": values.pop("provider", "aws"),
                "expressions": {"assume_role_policy": {"constant_value": values["assume_role_policy"]}},
            },
            {
                "address": function,
                "mode": "managed",
                "type": "aws_lambda_function",
                "name": label,
                "provider_config_key": "aws",
                "expressions": {"role": {"references": [f"{role}.arn", role]}},
            },
        ]
    caller = {"address": "data.aws_caller_identity.current", "mode": "data", "type": "aws_caller_identity"}
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "prior_state": {
            "values": {
                "root_module": {
                    "resources": [
                        {
                            **caller,
                            "name": "current",
                            "values": {"account_id": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/ci"},
                        }
                    ]
                }
            }
        },
        "configuration": {
            "root_module": {
                "resources": [*config, {**caller, "name": "current", "provider_config_key": "aws"}]
            }
        },
    }


ROLES = {
    "prefixed": {
        "name_prefix": "orders-",
        "path": "/",
        "assume_role_policy": _trust(f"arn:aws:iam::{ACCOUNT}:root"),
    },
    "named": {"name": "named", "path": "/", "assume_role_policy": _trust(f"arn:aws:iam::{ACCOUNT}:root")},
    "partner": {
        "name_prefix": "p-",
        "path": "/",
        "assume_role_policy": _trust(f"arn:aws:iam::{PARTNER}:root"),
    },
    "elsewhere": {
        "name_prefix": "e-",
        "path": "/",
        "assume_role_policy": _trust(f"arn:aws:iam::{ACCOUNT}:root"),
        "provider": "aws.workloads",
    },
}


def test_a_role_named_at_apply_trusts_its_own_account_by_the_caller_identity() -> None:
    parsed = parse_plan(json.dumps(_plan(json.loads(json.dumps(ROLES)))), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    trusted = {}
    for role in map_plan(parsed).roles:
        assert role.trust_policy is not None and not isinstance(role.trust_policy, Unresolved)
        trusted[role.origin.resource] = role.trust_policy.statements[1].principals
    assert trusted == {
        "aws_iam_role.prefixed": Unresolved(f"arn:aws:iam::{REFERENCE}:root"),
        "aws_iam_role.named": (Principal(kind=PrincipalKind.AWS, values=(f"arn:aws:iam::{ACCOUNT}:root",)),),
        "aws_iam_role.partner": (
            Principal(kind=PrincipalKind.AWS, values=(f"arn:aws:iam::{PARTNER}:root",)),
        ),
        "aws_iam_role.elsewhere": (
            Principal(kind=PrincipalKind.AWS, values=(f"arn:aws:iam::{ACCOUNT}:root",)),
        ),
    }


def test_ls110_tells_the_own_account_from_another(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text(json.dumps(_plan(json.loads(json.dumps(ROLES)))), encoding="utf-8")
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(), today=date(2026, 11, 22)))
    assert {(f.rule, f.resource.id, f.severity.value) for f in result.findings if f.rule == "LS110"} == {
        ("LS110", "aws_iam_role.prefixed", "medium"),
        ("LS110", "aws_iam_role.named", "medium"),
        ("LS110", "aws_iam_role.partner", "high"),
        ("LS110", "aws_iam_role.elsewhere", "high"),
    }
