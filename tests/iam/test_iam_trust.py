"""Trust policies read: who may assume the role, and whether a SourceArn/SourceAccount guard applies."""

from __future__ import annotations

from typing import Any

from factories import make_origin
from lambdasec.iam import ConditionKind, TrusteeKind, parse_document, trust_of
from lambdasec.model import Role, Unresolved


def role(*statements: dict[str, Any]) -> Role:
    trust = parse_document(
        {"Statement": list(statements)}, origin=make_origin("R/AssumeRolePolicyDocument", 3)
    )
    return Role(key="R", name="r", trust_policy=trust, origin=make_origin("R", 1))


def test_lambda_and_other_trustees() -> None:
    trust = trust_of(
        role(
            {
                "Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/ci"]},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
            },
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
            },
            {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "s3:GetObject"},
        )
    )
    assert not isinstance(trust, Unresolved) and trust is not None
    found = [(t.kind, t.value, t.actions, t.guarded) for t in trust.trustees]
    assert found == [
        (TrusteeKind.LAMBDA, "lambda.amazonaws.com", ("sts:AssumeRole",), False),
        (TrusteeKind.SERVICE, "ec2.amazonaws.com", ("sts:AssumeRole",), False),
        (TrusteeKind.ACCOUNT, "arn:aws:iam::111122223333:root", ("sts:AssumeRole",), True),
        (TrusteeKind.PRINCIPAL, "arn:aws:iam::444455556666:role/ci", ("sts:AssumeRole",), True),
        (TrusteeKind.ANY, "*", ("sts:AssumeRole",), False),
        (TrusteeKind.FEDERATED, "cognito-identity.amazonaws.com", ("sts:AssumeRoleWithWebIdentity",), False),
    ]
    assert [t.value for t in trust.others_than_lambda()][:1] == ["ec2.amazonaws.com"]
    assert trust.trustees[0].statement.origin.resource == "R/AssumeRolePolicyDocument/Statement/0"
    assert trust.trustees[2].conditions[0].kind is ConditionKind.ORGANIZATION


def test_lambda_service_guarded_by_source_account() -> None:
    trust = trust_of(
        role(
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}},
            }
        )
    )
    assert not isinstance(trust, Unresolved) and trust is not None
    assert [(t.kind, t.guarded, t.conditional) for t in trust.trustees] == [(TrusteeKind.LAMBDA, True, True)]


def test_unresolved_and_absent_trust() -> None:
    assert trust_of(Role(key="R", name="r", trust_policy=None, origin=make_origin("R", 1))) is None
    unresolved = Role(key="R", name="r", trust_policy=Unresolved("!If [A, B, C]"), origin=make_origin("R", 1))
    assert trust_of(unresolved) == Unresolved("!If [A, B, C]")
    trust = trust_of(role({"Effect": "Allow", "Principal": {"AWS": "*"}, "NotAction": "sts:TagSession"}))
    assert not isinstance(trust, Unresolved) and trust is not None
    assert [(t.kind, t.actions) for t in trust.trustees] == [
        (TrusteeKind.ANY, ("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"))
    ]
    denied = trust_of(role({"Effect": "Deny", "Principal": "*", "Action": "sts:*"}))
    assert not isinstance(denied, Unresolved) and denied is not None
    assert (denied.trustees, len(denied.denies)) == ((), 1)
