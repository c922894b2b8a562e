"""Terraform plan JSON: the own account in a principal, however written: through module outputs, local
values, variables or literally."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic
from lambdasec.model import Unresolved
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.terraform_plan import map_plan, parse_plan

ACCOUNT = "111122223333"
PARTNER = "444455556666"
PROVIDER = "registry.terraform.io/hashicorp/aws"
ACCOUNT_REF = "data.aws_caller_identity.current.account_id"
Triple = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


def _permission(
    module: str, name: str, principal: str | None, expression: dict[str, Any], **more: Any
) -> Triple:
    """Planned values, resource change and configuration of one `aws_lambda_permission` in `module`."""
    address = f"{module}.aws_lambda_permission.{name}" if module else f"aws_lambda_permission.{name}"
    values = {"action": "lambda:InvokeFunction", "function_name": "orders", "principal": principal}
    planned = {
        "address": address,
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": name,
        "provider_name": PROVIDER,
        "values": {k: v for k, v in values.items() if v is not None},
    }
    unknown = {"id": True, "principal": True} if principal is None else {"id": True}
    change = {"address": address, "change": {"actions": ["create"], "after_unknown": unknown}}
    config = {
        "address": f"aws_lambda_permission.{name}",
        "mode": "managed",
        "type": "aws_lambda_permission",
        "name": name,
        "provider_config_key": more.get("provider", "aws"),
        "expressions": {
            "action": {"constant_value": "lambda:InvokeFunction"},
            "function_name": {"constant_value": "orders"},
            "principal": expression,
        },
    }
    return planned, change, config


def _caller(
    module: str, name: str, account: str, *, provider: str = "aws"
) -> tuple[dict[str, Any], dict[str, Any]]:
    address = f"data.aws_caller_identity.{name}"
    read = {
        "address": f"{module}.{address}" if module else address,
        "mode": "data",
        "type": "aws_caller_identity",
        "name": name,
        "provider_name": PROVIDER,
        "values": {"account_id": account, "arn": f"arn:aws:iam::{account}:user/deploy", "id": account},
    }
    config = {
        "address": address,
        "mode": "data",
        "type": "aws_caller_identity",
        "name": name,
        "provider_config_key": provider,
    }
    return read, config


def _refs(*references: str) -> dict[str, Any]:
    return {"references": list(references)}


def _plan(
    root: list[Triple],
    app: list[Triple],
    *,
    outputs: dict[str, Any],
    callers: list[tuple[dict[str, Any], dict[str, Any]]],
    app_callers: list[tuple[dict[str, Any], dict[str, Any]]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Root resources, and module "app" (whose outputs are `outputs`), as a plan with no region known."""
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [planned for planned, _, _ in root],
                "child_modules": [{"address": "module.app", "resources": [p for p, _, _ in app]}],
            }
        },
        "resource_changes": [change for _, change, _ in [*root, *app]],
        "prior_state": {
            "values": {
                "root_module": {
                    "resources": [read for read, _ in callers],
                    "child_modules": [{"address": "module.app", "resources": [r for r, _ in app_callers]}],
                }
            }
        },
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": _refs("var.region")}}},
            "root_module": {
                "resources": [*(config for _, _, config in root), *(config for _, config in callers)],
                "module_calls": {
                    "app": {
                        "source": "./app",
                        "expressions": {"account_id": _refs("local.account_id")},
                        "module": {
                            "resources": [*(c for _, _, c in app), *(c for _, c in app_callers)],
                            "outputs": outputs,
                            "variables": {"account_id": {}},
                        },
                    }
                },
            },
        },
    }


def _principals(raw: dict[str, Any]) -> dict[str, object]:
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return {grant.origin.resource: grant.principal for grant in map_plan(parsed).permissions}


def _scenario() -> dict[str, Any]:
    root = [
        _permission("", "local_account", ACCOUNT, _refs("local.account_id")),
        _permission("", "local_root", f"arn:aws:iam::{ACCOUNT}:root", _refs("local.account_root")),
        _permission("", "local_role", f"arn:aws:iam::{ACCOUNT}:role/deploy", _refs("local.deployer")),
        _permission("", "local_partner", PARTNER, _refs("local.partner")),
        _permission("", "local_unknown", None, _refs("local.later")),
        _permission("", "literal", ACCOUNT, {"constant_value": ACCOUNT}),
        _permission("", "variable", ACCOUNT, _refs("var.account_id")),
        _permission("", "output_account", ACCOUNT, _refs("module.app.account_id", "module.app")),
        _permission(
            "", "output_root", f"arn:aws:iam::{ACCOUNT}:root", _refs("module.app.root", "module.app")
        ),
        _permission("", "output_local", ACCOUNT, _refs("module.app.from_local", "module.app")),
        _permission("", "output_passed", ACCOUNT, _refs("module.app.passed", "module.app")),
        _permission("", "output_partner", PARTNER, _refs("module.app.partner", "module.app")),
        _permission("", "output_missing", ACCOUNT, _refs("module.app.missing", "module.app")),
        _permission("", "elsewhere", ACCOUNT, {"constant_value": ACCOUNT}, provider="aws.partner"),
    ]
    app = [_permission("module.app", "passed_local", ACCOUNT, _refs("var.account_id"))]
    outputs = {
        "account_id": {
            "expression": _refs("data.aws_caller_identity.this.account_id", "data.aws_caller_identity.this")
        },
        "root": {
            "expression": _refs("data.aws_caller_identity.this.account_id", "data.aws_caller_identity.this")
        },
        "from_local": {"expression": _refs("local.account_id")},
        "passed": {"expression": _refs("var.account_id")},
        "partner": {"expression": {"constant_value": PARTNER}},
    }
    return _plan(
        root,
        app,
        outputs=outputs,
        callers=[_caller("", "current", ACCOUNT)],
        app_callers=[_caller("module.app", "this", ACCOUNT)],
    )


def test_the_providers_account_in_a_principal_is_the_caller_identity_again() -> None:
    assert _principals(_scenario()) == {
        "aws_lambda_permission.local_account": Unresolved(ACCOUNT_REF),
        "aws_lambda_permission.local_root": Unresolved(f"arn:aws:iam::${{{ACCOUNT_REF}}}:root"),
        "aws_lambda_permission.local_role": Unresolved(f"arn:aws:iam::${{{ACCOUNT_REF}}}:role/deploy"),
        "aws_lambda_permission.local_partner": PARTNER,
        "aws_lambda_permission.local_unknown": Unresolved("aws_lambda_permission.local_unknown.principal"),
        "aws_lambda_permission.literal": Unresolved(ACCOUNT_REF),
        "aws_lambda_permission.variable": Unresolved(ACCOUNT_REF),
        "aws_lambda_permission.output_account": Unresolved("data.aws_caller_identity.this.account_id"),
        "aws_lambda_permission.output_root": Unresolved(
            "arn:aws:iam::${data.aws_caller_identity.this.account_id}:root"
        ),
        "aws_lambda_permission.output_local": Unresolved(ACCOUNT_REF),
        "aws_lambda_permission.output_passed": Unresolved(ACCOUNT_REF),
        "aws_lambda_permission.output_partner": PARTNER,
        "aws_lambda_permission.output_missing": Unresolved(ACCOUNT_REF),
        "aws_lambda_permission.elsewhere": ACCOUNT,
        "module.app.aws_lambda_permission.passed_local": Unresolved(
            "data.aws_caller_identity.this.account_id"
        ),
    }


def test_ls204_reports_only_the_accounts_the_plan_does_not_show_as_its_own(tmp_path: Path) -> None:
    """The function `orders` is not in the plan and the region is unknown, so it has no ARN: the account
    of the caller identity read with the permission's provider configuration is the own account; a
    permission created through a provider configuration the plan tells nothing of is reported."""
    (tmp_path / "plan.json").write_text(json.dumps(_scenario()), encoding="utf-8")
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(), today=date(2026, 11, 22)))
    assert {(f.rule, f.resource.id) for f in result.findings if f.rule == "LS204"} == {
        ("LS204", "aws_lambda_permission.local_partner"),
        ("LS204", "aws_lambda_permission.output_partner"),
        ("LS204", "aws_lambda_permission.elsewhere"),
    }


def test_only_principals_become_the_caller_identity() -> None:
    """A permissions boundary or source account read from locals: the boundary ARN is a policy of the
    account, kept as planned; the source account is a principal and becomes the caller identity."""
    boundary = f"arn:aws:iam::{ACCOUNT}:policy/boundary"
    role = (
        {
            "address": "aws_iam_role.r",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "r",
            "values": {
                "name": "r",
                "path": "/",
                "assume_role_policy": "{}",
                "permissions_boundary": boundary,
            },
        },
        {"address": "aws_iam_role.r", "change": {"actions": ["create"], "after_unknown": {"arn": True}}},
        {
            "address": "aws_iam_role.r",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "r",
            "provider_config_key": "aws",
            "expressions": {"name": {"constant_value": "r"}, "permissions_boundary": _refs("local.boundary")},
        },
    )
    service = _permission("", "service", "sns.amazonaws.com", {"constant_value": "sns.amazonaws.com"})
    service[0]["values"]["source_account"] = ACCOUNT
    service[2]["expressions"]["source_account"] = _refs("local.account_id")
    raw = _plan([role, service], [], outputs={}, callers=[_caller("", "current", ACCOUNT)])
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    inventory = map_plan(parsed)
    assert [(r.origin.resource, r.permissions_boundary) for r in inventory.roles] == [
        ("aws_iam_role.r", boundary)
    ]
    assert [(g.origin.resource, g.principal, g.source_account) for g in inventory.permissions] == [
        ("aws_lambda_permission.service", "sns.amazonaws.com", Unresolved(ACCOUNT_REF))
    ]


def test_a_principal_naming_a_role_joins_the_role() -> None:
    """`principal = aws_iam_role.deployer.arn` names that role, whether the plan keeps it (its ARN is in
    the own account) or creates it: the principal joins the role rather than becoming an account."""
    deployer_arn = f"arn:aws:iam::{ACCOUNT}:role/deployer"

    def role(name: str, arn: str | None) -> Triple:
        values = {"name": name, "path": "/", "assume_role_policy": "{}", **({"arn": arn} if arn else {})}
        return (
            {
                "address": f"aws_iam_role.{name}",
                "mode": "managed",
                "type": "aws_iam_role",
                "name": name,
                "values": values,
            },
            {"address": f"aws_iam_role.{name}", "change": {"after_unknown": {} if arn else {"arn": True}}},
            {
                "address": f"aws_iam_role.{name}",
                "mode": "managed",
                "type": "aws_iam_role",
                "name": name,
                "provider_config_key": "aws",
                "expressions": {"name": {"constant_value": name}},
            },
        )

    kept = _permission("", "kept", deployer_arn, _refs("aws_iam_role.deployer.arn", "aws_iam_role.deployer"))
    created = _permission("", "created", None, _refs("aws_iam_role.ci.arn", "aws_iam_role.ci"))
    raw = _plan(
        [role("deployer", deployer_arn), role("ci", None), kept, created],
        [],
        outputs={},
        callers=[_caller("", "current", ACCOUNT)],
    )
    assert _principals(raw) == {
        "aws_lambda_permission.kept": "plan.json#aws_iam_role.deployer",
        "aws_lambda_permission.created": "plan.json#aws_iam_role.ci",
    }
