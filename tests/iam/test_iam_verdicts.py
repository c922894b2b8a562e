"""Queries that reach a role's grants alike share one verdict, each keeping its own action and resource."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from factories import make_origin
from lambdasec.iam import Access, parse_document, permissions_of
from lambdasec.model import Inventory, ManagedPolicy, Policy, PolicyKind, Role


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


def test_access_alone_is_the_access_of_the_decision() -> None:
    perms = permissions_of(role(LOGS, DENY_AUDIT, MAYBE), Inventory())
    answers = {
        name: perms.access_within("logs:PutLogEvents", group(name))
        for name in ("orders-api", "orders-audit", "billing")
    }
    assert answers == {"orders-api": Access.ALLOWED, "orders-audit": Access.DENIED, "billing": Access.UNKNOWN}
    for name in answers:
        decision = perms.allows_within("logs:PutLogEvents", group(name))
        assert decision.access is answers[name]
    assert perms.access("logs:CreateLogStream", "arn:aws:logs:*:*:log-group:/aws/lambda/orders-api") is (
        Access.ALLOWED
    )
    assert perms.access("logs:CreateLogStream") is Access.DENIED
    assert perms.allows("logs:CreateLogStream").access is Access.DENIED


def test_access_alone_applies_the_permissions_boundary() -> None:
    fence = ManagedPolicy(
        key="Fence",
        name="fence",
        arn=None,
        document=parse_document(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]},
            origin=make_origin("Fence", 40),
        ),
        origin=make_origin("Fence", 40),
    )
    bounded = replace(role(LOGS), permissions_boundary="Fence")
    perms = permissions_of(bounded, Inventory(managed_policies=(fence,)))
    assert perms.access_within("logs:PutLogEvents", group("orders-api")) is Access.DENIED
    assert perms.allows_within("logs:PutLogEvents", group("orders-api")).outside_boundary is True
