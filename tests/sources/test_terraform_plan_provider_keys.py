"""Terraform plan JSON written before Terraform 1.2: a module's resources are keyed `<call>:aws`, which is
no key of `provider_config`; they use their module's own configuration, or the only one there is."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.sources.terraform_plan import parse_plan
from lambdasec.sources.terraform_plan.accounts import function_arns
from lambdasec.sources.terraform_plan.document import Plan
from lambdasec.sources.terraform_plan.providers import Providers

PROVIDER = "registry.terraform.io/hashicorp/aws"
CREATED = {"arn": True, "id": True, "invoke_arn": True, "qualified_arn": True}


def _region(region: str) -> dict[str, Any]:
    return {"name": "aws", "expressions": {"region": {"constant_value": region}}}


def _function(name: str, key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {"function_name": name, "handler": "app.handler", "runtime": "python3.13", "role": "r"}
    planned = {"mode": "managed", "type": "aws_lambda_function", "name": name, "values": values}
    configured = {
        "address": f"aws_lambda_function.{name}",
        "mode": "managed",
        "type": "aws_lambda_function",
        "name": name,
        "provider_config_key": key,
        "expressions": {"function_name": {"constant_value": name}},
    }
    return {**planned, "provider_name": PROVIDER}, configured


def _caller(name: str, account: str, key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    read = {
        "mode": "data",
        "type": "aws_caller_identity",
        "name": name,
        "provider_name": PROVIDER,
        "values": {"account_id": account, "arn": f"arn:aws:iam::{account}:user/deploy"},
    }
    configured = {
        "address": f"data.aws_caller_identity.{name}",
        "mode": "data",
        "type": "aws_caller_identity",
        "name": name,
        "provider_config_key": key,
    }
    return read, configured


Items = dict[tuple[str, ...], list[tuple[dict[str, Any], dict[str, Any]]]]


def _plan(items: Items, *, providers: dict[str, Any]) -> Plan:
    """A plan with `items` (planned or read object, configuration) in the modules named by call path."""

    def address(names: tuple[str, ...]) -> str:
        return ".".join(f"module.{name}" for name in names)

    def placed(names: tuple[str, ...], item: dict[str, Any]) -> dict[str, Any]:
        local = ("data." if item["mode"] == "data" else "") + f"{item['type']}.{item['name']}"
        return {**item, "address": f"{address(names)}.{local}" if names else local}

    def tree(names: tuple[str, ...], mode: str) -> dict[str, Any]:
        children = sorted(
            {n[: len(names) + 1] for n in items if len(n) > len(names) and n[: len(names)] == names}
        )
        return {
            "resources": [placed(names, p) for p, _ in items.get(names, []) if p["mode"] == mode],
            "child_modules": [{"address": address(child), **tree(child, mode)} for child in children],
        }

    def config(names: tuple[str, ...]) -> dict[str, Any]:
        children = sorted({n[len(names)] for n in items if len(n) > len(names) and n[: len(names)] == names})
        return {
            "resources": [c for _, c in items.get(names, [])],
            "module_calls": {c: {"source": f"./{c}", "module": config((*names, c))} for c in children},
        }

    raw: dict[str, Any] = {
        "format_version": "0.1",
        "planned_values": {"root_module": tree((), "managed")},
        "resource_changes": [
            {
                "address": placed(names, p)["address"],
                "change": {"actions": ["create"], "after_unknown": CREATED},
            }
            for names, pairs in items.items()
            for p, _ in pairs
            if p["mode"] == "managed"
        ],
        "prior_state": {"values": {"root_module": tree((), "data")}},
        "configuration": {"provider_config": providers, "root_module": config(())},
    }
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return parsed


def test_a_module_inherits_the_only_configuration_of_its_provider() -> None:
    """The root's `provider "aws"` is the only AWS configuration, so a module's `api:aws` is it."""
    plan = _plan(
        {
            (): [_caller("current", "111122223333", "aws")],
            ("api",): [_function("orders", "api:aws")],
            ("api", "workers"): [_function("jobs", "workers:aws.jobs")],
        },
        providers={"aws": _region("us-east-1")},
    )
    assert function_arns(plan) == {
        "module.api.aws_lambda_function.orders": "arn:aws:lambda:us-east-1:111122223333:function:orders",
        "module.api.module.workers.aws_lambda_function.jobs": (
            "arn:aws:lambda:us-east-1:111122223333:function:jobs"
        ),
    }


def test_a_module_with_its_own_configuration_uses_it_by_the_modules_full_path() -> None:
    """Two modules both called `regional` (keys `regional:aws` alike) each use their own configuration;
    the root's caller identity says nothing of their accounts, their own does."""
    plan = _plan(
        {
            (): [_caller("current", "111122223333", "aws"), _function("root", "aws")],
            ("eu", "regional"): [
                _function("eu", "regional:aws"),
                _caller("eu", "222233334444", "regional:aws"),
            ],
            ("us", "regional"): [_function("us", "regional:aws")],
        },
        providers={
            "aws": _region("us-east-1"),
            "module.eu.module.regional:aws": {
                **_region("eu-west-1"),
                "module_address": "module.eu.module.regional",
            },
            "module.us.module.regional:aws": {
                **_region("us-west-2"),
                "module_address": "module.us.module.regional",
            },
        },
    )
    providers = Providers.of(plan)
    assert sorted(providers.keys.values()) == [
        "aws",
        "aws",
        "module.eu.module.regional:aws",
        "module.eu.module.regional:aws",
        "module.us.module.regional:aws",
    ]
    assert function_arns(plan, providers=providers) == {
        "aws_lambda_function.root": "arn:aws:lambda:us-east-1:111122223333:function:root",
        "module.eu.module.regional.aws_lambda_function.eu": (
            "arn:aws:lambda:eu-west-1:222233334444:function:eu"
        ),
    }


def test_with_several_configurations_a_module_without_its_own_is_not_guessed() -> None:
    """`aws` and `aws.west` at the root: the module call may pass either (its `providers` are not in the
    plan), so the module's resources tell only each other their configuration."""
    plan = _plan(
        {
            (): [_caller("current", "111122223333", "aws"), _function("root", "aws")],
            ("api",): [_function("orders", "api:aws")],
        },
        providers={"aws": _region("us-east-1"), "aws.west": _region("us-west-2")},
    )
    providers = Providers.of(plan)
    assert sorted(providers.keys.values()) == ["aws", "aws", "module.api:aws"]
    assert function_arns(plan, providers=providers) == {
        "aws_lambda_function.root": "arn:aws:lambda:us-east-1:111122223333:function:root",
    }


def test_terraform_0_12_keys_and_current_keys_name_the_same_configurations() -> None:
    old = _plan(
        {(): [_caller("current", "111122223333", "provider.aws"), _function("orders", "provider.aws.east")]},
        providers={"aws": _region("us-west-2"), "aws.east": _region("us-east-1")},
    )
    assert sorted(Providers.of(old).keys.values()) == ["aws", "aws.east"]
    assert function_arns(old) == {}  # the caller identity read with `aws` says nothing of `aws.east`
    current = _plan(
        {
            (): [_caller("current", "111122223333", "aws")],
            ("api",): [_function("orders", "aws"), _function("own", "module.api:aws")],
        },
        providers={"aws": _region("us-west-2"), "module.api:aws": _region("eu-west-1")},
    )
    assert sorted(Providers.of(current).keys.values()) == ["aws", "aws", "module.api:aws"]
    assert function_arns(current) == {
        "module.api.aws_lambda_function.orders": "arn:aws:lambda:us-west-2:111122223333:function:orders",
    }
