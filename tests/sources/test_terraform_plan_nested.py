"""Terraform plan JSON: values inside nested blocks join the resources their configuration refers to."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, LambdaFunction, Unresolved, ValueReference, VpcConfig
from lambdasec.sources.terraform_plan import map_plan, parse_plan

SUBNET_A = "plan.json#aws_subnet.a"
SUBNET_B = "plan.json#aws_subnet.b"
DB = "plan.json#aws_db_instance.orders"
_REFS = {
    "aws_subnet.a.id": ["aws_subnet.a.id", "aws_subnet.a"],
    "aws_subnet.b.id": ["aws_subnet.b.id", "aws_subnet.b"],
}


def _resource(kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name, "values": values}


def _plan(
    function: dict[str, Any],
    unknown: dict[str, Any],
    expressions: dict[str, Any],
    *,
    existing: frozenset[str] = frozenset({"a", "b"}),
) -> Inventory:
    """A plan of function `f`, subnets `a` and `b` (ids known for the `existing` ones) and a database."""
    subnets = [
        _resource("aws_subnet", name, {"availability_zone": f"us-east-1{name}"} | ids)
        for name in ("a", "b")
        for ids in [{"id": f"subnet-0{name * 3}"} if name in existing else {}]
    ] + [
        _resource("aws_db_instance", "orders", {"identifier": "orders", "engine": "postgres"}),
    ]
    fn = _resource("aws_lambda_function", "f", {"function_name": "f", "runtime": "python3.13", **function})
    config = {
        "address": "aws_lambda_function.f",
        "mode": "managed",
        "type": "aws_lambda_function",
        "name": "f",
        "expressions": {"function_name": {"constant_value": "f"}, **expressions},
    }
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [*subnets, fn]}},
        "resource_changes": [{"address": "aws_lambda_function.f", "change": {"after_unknown": unknown}}],
        "configuration": {"root_module": {"resources": [config]}},
    }
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return map_plan(parsed)


def _function(inv: Inventory) -> LambdaFunction:
    (fn,) = inv.functions
    return fn


def _vpc(
    subnet_refs: list[str],
    values: list[str | None],
    unknown: list[bool],
    *,
    existing: frozenset[str] = frozenset(),
) -> Inventory:
    references = [r for ref in subnet_refs for r in _REFS[ref]]
    return _plan(
        {"vpc_config": [{"subnet_ids": values, "security_group_ids": []}]},
        {"vpc_config": [{"subnet_ids": unknown}]} if any(unknown) else {},
        {
            "vpc_config": [
                {"subnet_ids": {"references": references}, "security_group_ids": {"constant_value": []}}
            ]
        },
        existing=existing,
    )


def test_unknown_subnet_ids_are_the_references_at_their_positions() -> None:
    fn = _function(_vpc(["aws_subnet.a.id", "aws_subnet.b.id"], [None, None], [True, True]))

    assert isinstance(fn.vpc, VpcConfig)
    assert fn.vpc.subnet_ids == (SUBNET_A, SUBNET_B)


def test_known_subnet_ids_join_by_value() -> None:
    fn = _function(
        _vpc(
            ["aws_subnet.b.id", "aws_subnet.a.id"],
            ["subnet-0bbb", "subnet-0aaa"],
            [False, False],
            existing=frozenset({"a", "b"}),
        )
    )

    assert isinstance(fn.vpc, VpcConfig)
    assert fn.vpc.subnet_ids == (SUBNET_B, SUBNET_A)


def test_unknown_elements_without_one_reference_each_stay_unresolved() -> None:
    fn = _function(_vpc(["aws_subnet.a.id"], [None, None, "subnet-0ccc"], [True, True, False]))

    path = "aws_lambda_function.f.vpc_config[0].subnet_ids"
    assert isinstance(fn.vpc, VpcConfig)
    assert fn.vpc.subnet_ids == (Unresolved(f"{path}[0]"), Unresolved(f"{path}[1]"), "subnet-0ccc")


def _environment(
    variables: dict[str, str], unknown: dict[str, bool], references: list[str]
) -> LambdaFunction:
    return _function(
        _plan(
            {"environment": [{"variables": variables}]},
            {"environment": [{"variables": unknown}]},
            {"environment": [{"variables": {"references": references}}]},
        )
    )


def test_the_one_unknown_map_entry_is_the_one_reference() -> None:
    fn = _environment(
        {"STAGE": "prod"},
        {"DB_HOST": True},
        ["aws_db_instance.orders.address", "aws_db_instance.orders"],
    )

    assert not isinstance(fn.environment, Unresolved)
    values = {var.name: (var.value, var.references) for var in fn.environment}
    assert values["STAGE"] == ("prod", ())
    assert values["DB_HOST"][1] == (ValueReference(key=DB, attribute="address"),)


def test_several_unknown_map_entries_stay_unresolved() -> None:
    fn = _environment(
        {},
        {"DB_HOST": True, "DB_PORT": True},
        ["aws_db_instance.orders.address", "aws_db_instance.orders", "aws_db_instance.orders.port"],
    )

    assert not isinstance(fn.environment, Unresolved)
    values = {var.name: var.value for var in fn.environment}
    assert values == {
        "DB_HOST": Unresolved("aws_lambda_function.f.environment[0].variables.DB_HOST"),
        "DB_PORT": Unresolved("aws_lambda_function.f.environment[0].variables.DB_PORT"),
    }


def test_unknown_elements_between_literals_take_the_references_in_order() -> None:
    fn = _function(
        _vpc(["aws_subnet.b.id", "aws_subnet.a.id"], [None, "subnet-0ccc", None], [True, False, True])
    )

    assert isinstance(fn.vpc, VpcConfig)
    assert fn.vpc.subnet_ids == (SUBNET_B, "subnet-0ccc", SUBNET_A)


def test_a_reference_whose_value_is_known_is_not_an_unknown_element() -> None:
    fn = _function(
        _vpc(
            ["aws_subnet.b.id", "aws_subnet.a.id"],
            ["subnet-0bbb", None],
            [False, True],
            existing=frozenset({"b"}),
        )
    )

    assert isinstance(fn.vpc, VpcConfig)
    assert fn.vpc.subnet_ids == (SUBNET_B, SUBNET_A)
