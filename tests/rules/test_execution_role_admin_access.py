"""Model-level tests of LS101 execution-role-admin-access."""

from __future__ import annotations

from factories import make_function, make_inventory, make_policy, make_role, make_statement, run
from lambdasec.findings import Confidence
from lambdasec.model import Effect, ManagedPolicy, PolicyDocument, PolicyKind, Unresolved
from lambdasec.rules.identity.execution_role_admin_access import (
    execution_role_admin_access as rule,
)
from lambdasec.rules.identity.execution_role_admin_access import statement_is_admin


def test_star_on_star_is_reported_at_the_statement() -> None:
    role = make_role(
        policies=[make_policy(make_statement(actions=["*"], resources=["*"], sid="All", line=14))]
    )
    outcome = run(rule, make_inventory(functions=[make_function()], roles=[role]))
    assert outcome.lines == {("LS101", 14)}
    (finding,) = outcome.findings
    assert finding.message == (
        "Execution role `orders-role` of `orders-api` has administrator access through "
        "`*` on `*` (statement `All`) in policy `inline`"
    )
    assert finding.function == "orders-api"
    assert finding.resource.id == "orders-api"
    assert finding.confidence is Confidence.HIGH
    assert outcome.coverage.evaluated == 1


def test_administrator_access_managed_policy_in_any_partition() -> None:
    for arn in (
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        Unresolved("!Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"),
    ):
        role = make_role(managed_policy_arns=[arn], line=30, fields={"managed_policy_arns": 33})
        outcome = run(rule, make_inventory(functions=[make_function()], roles=[role]))
        assert outcome.lines == {("LS101", 33)}, arn
        assert outcome.findings[0].message.endswith("through the `AdministratorAccess` managed policy")


def test_not_action_with_star_resource_is_admin_like() -> None:
    statement = make_statement(actions=None, not_actions=["iam:*"], resources=["*"], line=9)
    assert statement_is_admin(statement) is True
    role = make_role(policies=[make_policy(statement)])
    outcome = run(rule, make_inventory(functions=[make_function()], roles=[role]))
    assert outcome.lines == {("LS101", 9)}
    assert "every action but its `NotAction` list on `*`" in outcome.findings[0].message


def test_not_resource_with_star_action_is_admin_like() -> None:
    assert statement_is_admin(make_statement(actions=["*"], resources=None, not_resources=["arn:aws:s3:::x"]))


def test_narrow_statements_are_not_reported() -> None:
    role = make_role(
        policies=[
            make_policy(
                make_statement(actions=["s3:*"], resources=["*"]),
                make_statement(actions=["*"], resources=["arn:aws:s3:::bucket/*"]),
                make_statement(actions=None, not_actions=["iam:*"], resources=["arn:aws:s3:::bucket"]),
                make_statement(effect=Effect.DENY, actions=["*"], resources=["*"]),
            )
        ],
        managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
    )
    outcome = run(rule, make_inventory(functions=[make_function()], roles=[role]))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == []
    assert outcome.coverage.evaluated == 1


def test_boundary_or_deny_lowers_confidence() -> None:
    admin = make_statement(actions=["*"], resources=["*"])
    deny = make_statement(effect=Effect.DENY, actions=["iam:*"], resources=["*"])
    for role in (
        make_role(policies=[make_policy(admin)], permissions_boundary="arn:aws:iam::1:policy/boundary"),
        make_role(policies=[make_policy(admin, deny)]),
    ):
        (finding,) = run(rule, make_inventory(functions=[make_function()], roles=[role])).findings
        assert finding.confidence is Confidence.MEDIUM


def test_unknown_role_and_policies_are_unevaluated() -> None:
    functions = [
        make_function("a", role=Unresolved("!Ref RoleArnParam")),
        make_function("b", role="arn:aws:iam::111122223333:role/elsewhere"),
        make_function("c", role="CRole"),
        make_function("d", role="DRole"),
        make_function("e", role=None),
    ]
    roles = [
        make_role("c-role", key="CRole", policies=[make_policy(document=Unresolved("!If [...]"))]),
        make_role("d-role", key="DRole", managed_policy_arns=["arn:aws:iam::111122223333:policy/custom"]),
    ]
    outcome = run(rule, make_inventory(functions=functions, roles=roles))
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("a", "execution role: !Ref RoleArnParam"),
        (
            "b",
            "execution role: role `arn:aws:iam::111122223333:role/elsewhere` "
            "is not defined in the scanned sources",
        ),
        ("c", "policy `inline`: !If [...]"),
        ("d", "managed policy `arn:aws:iam::111122223333:policy/custom` is not in the scanned sources"),
        ("e", "the function declares no execution role"),
    )
    assert outcome.coverage.evaluated == 0


def test_definite_grant_wins_over_unknown_statements() -> None:
    role = make_role(
        policies=[
            make_policy(
                make_statement(actions=Unresolved("!Ref Actions"), resources=["*"], line=5),
                make_statement(actions=["*:*"], resources=["*"], line=8),
            )
        ]
    )
    outcome = run(rule, make_inventory(functions=[make_function()], roles=[role]))
    assert outcome.lines == {("LS101", 8)}
    assert outcome.unevaluated_ids == []


def test_declared_customer_managed_policy_is_followed() -> None:
    document = PolicyDocument(
        statements=(make_statement(actions=["*"], resources=["*"], line=40),), origin=make_role().origin
    )
    managed = ManagedPolicy(
        key="AdminPolicy", name="admin", arn=None, document=document, origin=document.origin
    )
    role = make_role(managed_policy_arns=["AdminPolicy"])
    outcome = run(rule, make_inventory(functions=[make_function()], roles=[role], managed_policies=[managed]))
    assert outcome.lines == {("LS101", 40)}


def test_aws_managed_policy_without_document_is_not_a_gap() -> None:
    policy = make_policy(
        name="AWSLambdaBasicExecutionRole",
        kind=PolicyKind.AWS_MANAGED,
        arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        document=Unresolved("not in the offline catalog"),
    )
    outcome = run(rule, make_inventory(functions=[make_function()], roles=[make_role(policies=[policy])]))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == []


def test_one_finding_per_function_sharing_a_role() -> None:
    role = make_role(policies=[make_policy(make_statement(actions=["*"], resources=["*"], line=3))])
    outcome = run(rule, make_inventory(functions=[make_function("a"), make_function("b")], roles=[role]))
    assert sorted((f.function, f.location.line) for f in outcome.findings) == [("a", 3), ("b", 3)]
