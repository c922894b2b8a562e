"""Condition clauses classified by family and by whether they narrow a grant."""

from __future__ import annotations

import pytest

from lambdasec.iam import ConditionKind, classify
from lambdasec.model import Condition, Unresolved


@pytest.mark.parametrize(
    ("operator", "key", "values", "kind", "restricts", "if_exists"),
    [
        ("ArnLike", "aws:SourceArn", ("arn:aws:s3:::bucket",), ConditionKind.SOURCE_ARN, True, False),
        ("ArnLike", "AWS:SourceArn", ("*",), ConditionKind.SOURCE_ARN, False, False),
        ("StringEquals", "aws:SourceAccount", ("123456789012",), ConditionKind.SOURCE_ACCOUNT, True, False),
        ("StringEquals", "aws:PrincipalOrgID", ("o-abc",), ConditionKind.ORGANIZATION, True, False),
        ("StringEquals", "aws:ResourceTag/team", ("orders",), ConditionKind.RESOURCE_TAG, True, False),
        ("StringEquals", "s3:ExistingObjectTag/team", ("orders",), ConditionKind.RESOURCE_TAG, True, False),
        ("StringEquals", "aws:RequestTag/team", ("orders",), ConditionKind.REQUEST_TAG, True, False),
        (
            "StringEquals",
            "lambda:FunctionUrlAuthType",
            ("NONE",),
            ConditionKind.FUNCTION_URL_AUTH_TYPE,
            True,
            False,
        ),
        (
            "StringEquals",
            "iam:PassedToService",
            ("lambda.amazonaws.com",),
            ConditionKind.PASSED_TO_SERVICE,
            True,
            False,
        ),
        ("Bool", "aws:SecureTransport", ("true",), ConditionKind.TRANSPORT, False, False),
        ("IpAddress", "aws:SourceIp", ("10.0.0.0/8",), ConditionKind.NETWORK, True, False),
        ("Null", "aws:SourceArn", ("false",), ConditionKind.SOURCE_ARN, False, False),
        ("Null", "aws:ResourceTag/team", ("true",), ConditionKind.RESOURCE_TAG, True, False),
        ("StringEqualsIfExists", "aws:SourceVpc", ("vpc-1",), ConditionKind.NETWORK, True, True),
        ("ForAnyValue:StringLike", "aws:CalledVia", ("*",), ConditionKind.CALLED_VIA, False, False),
        ("StringLike", "s3:prefix", ("home/*",), ConditionKind.SERVICE, True, False),
        ("StringEquals", "aws:RequestedRegion", ("eu-west-1",), ConditionKind.REGION, True, False),
        ("StringLike", "aws:SourceArn", (Unresolved("!Ref Arn"),), ConditionKind.SOURCE_ARN, True, False),
    ],
)
def test_classify(
    operator: str,
    key: str,
    values: tuple[str | Unresolved, ...],
    kind: ConditionKind,
    restricts: bool,
    if_exists: bool,
) -> None:
    info = classify(Condition(operator=operator, key=key, values=values))
    assert (info.kind, info.restricts, info.if_exists) == (kind, restricts, if_exists)


@pytest.mark.parametrize(
    ("operator", "key", "value", "presence_only", "narrows"),
    [
        ("ArnLike", "aws:SourceArn", "*", True, True),  # direct calls by the role carry no SourceArn
        ("StringLike", "aws:PrincipalArn", "*", True, False),  # every request has a principal
        ("Null", "aws:ResourceTag/keep", "false", True, True),
        ("Null", "aws:RequestedRegion", "false", True, False),
        ("StringEquals", "aws:SourceAccount", "1", False, True),
        ("Bool", "aws:SecureTransport", "true", False, False),
    ],
)
def test_presence_only_clauses(
    operator: str, key: str, value: str, presence_only: bool, narrows: bool
) -> None:
    info = classify(Condition(operator=operator, key=key, values=(value,)))
    assert (info.presence_only, info.narrows_requests) == (presence_only, narrows)
