"""Effective permissions answer the same whether or not grants can be looked up by the action they name."""

from __future__ import annotations

from typing import Any

from factories import make_origin
from lambdasec.iam import Access, parse_document, permissions_of
from lambdasec.model import Inventory, Policy, PolicyKind, Role

GROUP = "arn:*:logs:*:*:log-group:/aws/lambda/orders:*"


def role(*statements: dict[str, Any]) -> Role:
    document = parse_document(
        {"Version": "2012-10-17", "Statement": list(statements)}, origin=make_origin("R", 10)
    )
    policy = Policy(name="p", kind=PolicyKind.INLINE, document=document, origin=make_origin("R", 5))
    return Role(key="R", name="orders-role", trust_policy=None, policies=(policy,), origin=make_origin("R"))


LOGS = {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": GROUP}
PUT = {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}
QUEUE = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1:out"}
NOT_QUEUE = {"Effect": "Allow", "NotAction": "sqs:*", "Resource": "arn:aws:s3:::b/*"}


def test_grants_naming_the_action_answer_in_order_and_again_on_a_second_query() -> None:
    perms = permissions_of(role(LOGS, QUEUE, PUT), Inventory())
    for _ in range(2):
        put = perms.allows_within("logs:PutLogEvents", GROUP)
        assert put.access is Access.ALLOWED
        assert put.allowed_by == (perms.grants[0], perms.grants[2])
        create = perms.allows_within("logs:CreateLogStream", GROUP)
        assert create.allowed_by == (perms.grants[0],)
        assert perms.allows_within("logs:DeleteLogGroup", GROUP).access is Access.DENIED


def test_a_not_action_grant_is_still_walked_for_every_action() -> None:
    perms = permissions_of(role(LOGS, QUEUE, NOT_QUEUE), Inventory())
    put = perms.allows_within("logs:PutLogEvents", GROUP)
    assert put.allowed_by == (perms.grants[0],)
    assert perms.allows("s3:GetObject", "arn:aws:s3:::b/key").allowed_by == (perms.grants[2],)
    assert perms.allows("sqs:SendMessage", "arn:aws:sqs:us-east-1:1:out").allowed_by == (perms.grants[1],)
