"""Queries that reach a role's grants alike share one verdict, each keeping its own action and resource."""

from __future__ import annotations

from typing import Any

from factories import make_origin
from lambdasec.iam import Access, parse_document, permissions_of
from lambdasec.model import Inventory, Policy, PolicyKind, Role


def role(*statements: dict[str, Any]) -> Role:
    document = parse_document(
        {"Version": "2012-10-17", "Statement": list(statements)}, origin=make_origin("R", 10)
    )
    policy = Policy(name="p", kind=PolicyKind.INLINE, document=document, origin=make_origin("R", 5))
    return Role(key="R", name="orders-role", trust_policy=None, policies=(policy,), origin=make_origin("R"))


def group(name: str) -> str:
    return f"arn:*:logs:*:*:log-group:/aws/lambda/{name}:*"


LOGS = {
    "Effect": "Allow",
    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/orders-*",
}
DENY_AUDIT = {
    "Effect": "Deny",
    "Action": "logs:*",
    "Resource": "arn:*:logs:*:*:log-group:/aws/lambda/orders-audit:*",
}
MAYBE = {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": {"Fn::GetAtt": ["Other", "Arn"]}}


def test_alike_queries_share_the_verdict_and_keep_their_resource() -> None:
    perms = permissions_of(role(LOGS, DENY_AUDIT), Inventory())
    first = perms.allows_within("logs:CreateLogStream", group("orders-api"))
    second = perms.allows_within("logs:CreateLogStream", group("orders-worker"))
    assert (first.access, second.access) == (Access.ALLOWED, Access.ALLOWED)
    assert first.allowed_by == second.allowed_by == (perms.grants[0],)
    assert first.resource == f"some resource matching {group('orders-api')}"
    assert second.resource == f"some resource matching {group('orders-worker')}"
    put = perms.allows_within("logs:PutLogEvents", group("orders-worker"))
    assert put.action == "logs:PutLogEvents"
    assert put.access is Access.ALLOWED


def test_a_query_reaching_the_grants_differently_gets_its_own_verdict() -> None:
    perms = permissions_of(role(LOGS, DENY_AUDIT), Inventory())
    allowed = perms.allows_within("logs:CreateLogStream", group("orders-api"))
    denied = perms.allows_within("logs:CreateLogStream", group("orders-audit"))
    outside = perms.allows_within("logs:CreateLogStream", group("billing"))
    assert allowed.access is Access.ALLOWED
    assert denied.access is Access.DENIED
    assert denied.denied_by == (perms.grants[1],)
    assert outside.access is Access.DENIED
    assert outside.denied_by == ()
    assert perms.allows_within("logs:CreateLogStream", group("orders-api")).limited_by == ()


def test_unknown_reasons_follow_the_verdict() -> None:
    perms = permissions_of(role(MAYBE), Inventory())
    decision = perms.allows_within("logs:PutLogEvents", group("orders-api"))
    assert decision.access is Access.UNKNOWN
    assert decision.resolved_access is Access.DENIED
    assert decision.unknown == perms.allows_within("logs:PutLogEvents", group("billing")).unknown
    assert len(decision.unknown) == 1 and "Resource" in decision.unknown[0]
    assert perms.allows_within("logs:CreateLogStream", group("orders-api")).unknown == ()
