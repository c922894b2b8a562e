"""Terraform plan JSON: a function's ARN is planned, or follows from its provider's account and region."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.sources.terraform_plan import map_plan, parse_plan
from lambdasec.sources.terraform_plan.accounts import function_arns
from lambdasec.sources.terraform_plan.document import Plan

PROVIDER = "registry.terraform.io/hashicorp/aws"
Pair = tuple[dict[str, Any], dict[str, Any]]


def _managed(kind: str, name: str, values: dict[str, Any], *, provider: str, **config: Any) -> Pair:
    planned = {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": PROVIDER,
        "values": values,
    }
    configured = {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name, **config}
    return planned, {**configured, "provider_config_key": provider}


def _function(
    name: str, *, provider: str = "aws", values: dict[str, Any] | None = None, **config: Any
) -> Pair:
    body = {
        "function_name": name,
        "handler": "app.handler",
        "runtime": "python3.13",
        "role": "r",
        **(values or {}),
    }
    expressions = {"function_name": {"constant_value": name}, **config.pop("expressions", {})}
    return _managed("aws_lambda_function", name, body, provider=provider, expressions=expressions, **config)


def _data(kind: str, name: str, values: dict[str, Any], *, provider: str = "aws", **config: Any) -> Pair:
    read = {
        "address": f"data.{kind}.{name}",
        "mode": "data",
        "type": kind,
        "name": name,
        "provider_name": PROVIDER,
        "values": values,
    }
    configured = {"address": f"data.{kind}.{name}", "mode": "data", "type": kind, "name": name, **config}
    return read, {**configured, "provider_config_key": provider}


def _caller(name: str, account: str, *, provider: str = "aws", partition: str = "aws") -> Pair:
    arn = f"arn:{partition}:iam::{account}:user/deploy"
    return _data("aws_caller_identity", name, {"account_id": account, "arn": arn}, provider=provider)


def _region(name: str, region: str, *, provider: str = "aws", **config: Any) -> Pair:
    return _data("aws_region", name, {"id": region, "name": region}, provider=provider, **config)


def _plan(resources: list[Pair], data: list[Pair], *, providers: dict[str, Any] | None = None) -> Plan:
    created = {"arn": True, "id": True, "invoke_arn": True, "qualified_arn": True}
    unknown = {
        planned["address"]: created if planned["type"] == "aws_lambda_function" else {"id": True}
        for planned, _ in resources
    }
    unknown.update(
        {
            planned["address"]: {"id": True, "function_name": True}
            for planned, _ in resources
            if planned["type"] == "aws_lambda_permission" and "function_name" not in planned["values"]
        }
    )
    raw: dict[str, Any] = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [planned for planned, _ in resources]}},
        "resource_changes": [
            {"address": address, "change": {"actions": ["create"], "after_unknown": after}}
            for address, after in unknown.items()
        ],
        "prior_state": {"values": {"root_module": {"resources": [read for read, _ in data]}}},
        "configuration": {
            "provider_config": {"aws": {"name": "aws"}, **(providers or {})},
            "root_module": {"resources": [config for _, config in [*resources, *data]]},
        },
    }
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return parsed


def _constant_region(region: str, **more: Any) -> dict[str, Any]:
    return {"name": "aws", "expressions": {"region": {"constant_value": region}, **more}}


def test_the_region_is_the_aws_region_read_with_the_functions_provider() -> None:
    plan = _plan(
        [
            _function("orders"),
            _function(
                "known",
                provider="aws.partner",
                values={"arn": "arn:aws:lambda:eu-west-1:444455556666:function:known"},
            ),
        ],
        [_caller("current", "111122223333", partition="aws-us-gov"), _region("current", "us-gov-west-1")],
    )
    assert function_arns(plan) == {
        "aws_lambda_function.orders": "arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:orders",
        "aws_lambda_function.known": "arn:aws:lambda:eu-west-1:444455556666:function:known",
    }


def test_the_region_is_the_providers_constant_region() -> None:
    plan = _plan(
        [_function("reports", provider="aws.west"), _function("orders")],
        [_caller("west", "111122223333", provider="aws.west"), _caller("current", "111122223333")],
        providers={
            "aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}},
            "aws.west": _constant_region("us-west-2"),
        },
    )
    assert function_arns(plan) == {
        "aws_lambda_function.reports": "arn:aws:lambda:us-west-2:111122223333:function:reports",
    }


def test_the_functions_own_planned_region_wins() -> None:
    plan = _plan(
        [
            _function(
                "eu",
                values={"region": "eu-central-1"},
                expressions={"region": {"constant_value": "eu-central-1"}},
            ),
            _function("later", values={"region": None}, expressions={"region": {"references": ["var.r"]}}),
        ],
        [_caller("current", "111122223333"), _region("current", "us-east-1")],
    )
    assert function_arns(plan) == {
        "aws_lambda_function.eu": "arn:aws:lambda:eu-central-1:111122223333:function:eu",
    }


def test_an_aliased_provider_without_a_caller_identity_gives_no_arn() -> None:
    plan = _plan(
        [_function("sync", provider="aws.workloads"), _function("orders")],
        [_caller("current", "111122223333"), _region("current", "us-east-1")],
        providers={
            "aws.workloads": _constant_region(
                "eu-west-1", assume_role=[{"role_arn": {"constant_value": "x"}}]
            )
        },
    )
    assert function_arns(plan) == {
        "aws_lambda_function.orders": "arn:aws:lambda:us-east-1:111122223333:function:orders",
    }


def test_two_accounts_give_no_arn() -> None:
    plan = _plan(
        [_function("orders")],
        [
            _caller("current", "111122223333"),
            _caller("other", "222233334444"),
            _region("current", "us-east-1"),
        ],
    )
    assert function_arns(plan) == {}


def test_an_unknown_region_gives_no_arn() -> None:
    caller = _caller("current", "111122223333")
    assert function_arns(_plan([_function("orders")], [caller])) == {}
    chosen = _region("west", "us-west-2", expressions={"name": {"constant_value": "us-west-2"}})
    assert function_arns(_plan([_function("orders")], [caller, chosen])) == {}
    two = [caller, _region("current", "us-east-1"), _region("again", "us-west-2")]
    assert function_arns(_plan([_function("orders")], two)) == {}
    disagree = _plan(
        [_function("orders")],
        [caller, _region("current", "us-east-1")],
        providers={"aws": _constant_region("eu-west-1")},
    )
    assert function_arns(disagree) == {}
    other = _plan([_function("orders")], [caller, _region("east", "us-east-1", provider="aws.east")])
    assert function_arns(other) == {}


def test_a_function_without_a_planned_name_gives_no_arn() -> None:
    plan = _plan(
        [_function("orders", values={"function_name": None})],
        [_caller("current", "111122223333"), _region("current", "us-east-1")],
    )
    assert function_arns(plan) == {}


def _permission(name: str, function_name: Any, expression: dict[str, Any], *, unknown: bool = False) -> Pair:
    values = {"action": "lambda:InvokeFunction", "principal": "111122223333"}
    if not unknown:
        values["function_name"] = function_name
    return _managed(
        "aws_lambda_permission",
        name,
        values,
        provider="aws",
        expressions={"function_name": expression, "principal": {"constant_value": "111122223333"}},
    )


def test_the_mapped_functions_carry_their_arns_and_permissions_still_join() -> None:
    by_name = {"references": ["aws_lambda_function.orders.function_name", "aws_lambda_function.orders"]}
    by_arn = {"references": ["aws_lambda_function.orders.arn", "aws_lambda_function.orders"]}
    arn = "arn:aws:lambda:us-east-1:111122223333:function:orders"
    plan = _plan(
        [
            _function("orders"),
            _function("sync", provider="aws.workloads"),
            _permission("by_reference", "orders", by_name),
            _permission("by_arn_reference", None, by_arn, unknown=True),
            _permission("by_literal_name", "orders", {"constant_value": "orders"}),
            _permission("by_literal_arn", arn, {"constant_value": arn}),
            _permission("other", "sync", {"constant_value": "sync"}),
        ],
        [_caller("current", "111122223333"), _region("current", "us-east-1")],
    )
    inventory = map_plan(plan)
    assert {fn.origin.resource: fn.arn for fn in inventory.functions} == {
        "aws_lambda_function.orders": arn,
        "aws_lambda_function.sync": None,
    }
    joined = {}
    for grant in inventory.permissions:
        fn = inventory.function(grant.function)
        joined[grant.origin.resource] = fn.origin.resource if fn is not None else None
    assert joined == {
        "aws_lambda_permission.by_reference": "aws_lambda_function.orders",
        "aws_lambda_permission.by_arn_reference": "aws_lambda_function.orders",
        "aws_lambda_permission.by_literal_name": "aws_lambda_function.orders",
        "aws_lambda_permission.by_literal_arn": "aws_lambda_function.orders",
        "aws_lambda_permission.other": "aws_lambda_function.sync",
    }
    assert {grant.origin.resource: grant.function for grant in inventory.permissions}[
        "aws_lambda_permission.by_arn_reference"
    ] == "plan.json#aws_lambda_function.orders"
