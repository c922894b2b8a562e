"""Property test: the evaluator agrees with a brute-force reading of random Allow/Deny policies."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_origin
from lambdasec.iam import Access, load_catalog, parse_document, permissions_of
from lambdasec.model import Inventory, Policy, PolicyKind, Role

PATTERNS = [
    "s3:Get*",
    "s3:*Object",
    "s3:PutObject",
    "sqs:*",
    "sqs:?endMessage",
    "*",
    "S3:GETOBJECT",
    "sns:Pub*",
]
PROBES = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:GetBucketPolicy",
    "sqs:SendMessage",
    "sns:Publish",
]

statement = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Deny"]),
        "negated": st.booleans(),
        "patterns": st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3),
    }
)


def reference(statements: list[dict[str, Any]], action: str) -> bool:
    def hits(s: dict[str, Any]) -> bool:
        named = any(
            re.fullmatch(
                "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in p.lower()),
                action.lower(),
            )
            for p in s["patterns"]
        )
        return named != s["negated"]

    denied = any(s["Effect"] == "Deny" and hits(s) for s in statements)
    allowed = any(s["Effect"] == "Allow" and hits(s) for s in statements)
    return allowed and not denied


@settings(max_examples=150, deadline=None)
@given(statements=st.lists(statement, min_size=1, max_size=4))
def test_evaluation_agrees_with_brute_force(statements: list[dict[str, Any]]) -> None:
    raw = [
        {"Effect": s["Effect"], ("NotAction" if s["negated"] else "Action"): s["patterns"], "Resource": "*"}
        for s in statements
    ]
    document = parse_document({"Statement": raw}, origin=make_origin("R", 2))
    role = Role(
        key="R",
        name="r",
        trust_policy=None,
        policies=(Policy(name="p", kind=PolicyKind.INLINE, document=document, origin=make_origin("R", 1)),),
        origin=make_origin("R", 1),
    )
    perms = permissions_of(role, Inventory())
    allowed = perms.allowed_actions()
    for action in PROBES:
        expected = reference(statements, action)
        assert (perms.allows(action).access is Access.ALLOWED) == expected, action
        assert (perms.allows(action, "arn:aws:s3:::b/k").access is Access.ALLOWED) == expected, action
        assert (load_catalog().info(action).key in allowed) == expected, action  # type: ignore[union-attr]
