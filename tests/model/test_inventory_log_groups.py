"""Tests for Inventory.log_group_of: which declared log group a function writes to."""

from __future__ import annotations

import dataclasses

from factories import make_function, make_origin
from lambdasec.model import Inventory, LogGroup, Unresolved


def group(key: str, *, name: str | Unresolved, function: str | None = None) -> LogGroup:
    return LogGroup(key=key, name=name, function=function, origin=make_origin(key))


ORDERS = make_function("orders", key="t#Orders")
WORKER = make_function("worker", key="t#Worker")
LONELY = make_function("lonely", key="t#Lonely")
FIRST = group("t#First", name=Unresolved("!Sub /aws/lambda/${Orders}"), function="t#Orders")
SECOND = group("t#Second", name=Unresolved("!Sub /aws/lambda/${Orders}-2"), function="orders")
NAMED = group("t#Named", name="/aws/lambda/worker")
UNBOUND = group("t#Unbound", name=Unresolved("!Sub /aws/lambda/${Prefix}-x"))
INVENTORY = Inventory(functions=(ORDERS, WORKER, LONELY), log_groups=(FIRST, SECOND, NAMED, UNBOUND))


def test_a_group_built_from_a_reference_wins_and_the_first_one_counts() -> None:
    assert INVENTORY.log_group_of(ORDERS) is FIRST


def test_a_group_named_after_the_function() -> None:
    assert INVENTORY.log_group_of(WORKER) is NAMED


def test_an_unknown_lambda_group_name_makes_the_answer_unknown() -> None:
    assert INVENTORY.log_group_of(LONELY) == Unresolved(
        "log group `t#Unbound` is named `!Sub /aws/lambda/${Prefix}-x`"
    )
    assert Inventory(functions=(LONELY,), log_groups=(NAMED,)).log_group_of(LONELY) is None


def test_a_function_outside_the_inventory_is_matched_by_name_only() -> None:
    copy = dataclasses.replace(ORDERS)
    assert copy == ORDERS
    assert INVENTORY.log_group_of(copy) == Unresolved(
        "log group `t#Unbound` is named `!Sub /aws/lambda/${Prefix}-x`"
    )
