"""Model-level tests of LS110 execution-role-trust-too-broad."""

from __future__ import annotations

import dataclasses

import pytest

from factories import make_function, make_inventory, make_origin, make_role, run
from lambdasec.findings import Confidence, Severity
from lambdasec.model import (
    Condition,
    Effect,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    Unresolved,
)
from lambdasec.rules.identity.execution_role_trust_too_broad import (
    execution_role_trust_too_broad as rule,
)
from lambdasec.rules.identity.execution_role_trust_too_broad import trusted_principals

LAMBDA = Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com",))
ANYONE = Principal(kind=PrincipalKind.ANY, values=("*",))


def _statement(
    *principals: Principal,
    actions: tuple[str | Unresolved, ...] | Unresolved | None = ("sts:AssumeRole",),
    effect: Effect | Unresolved = Effect.ALLOW,
    conditions: tuple[Condition, ...] | Unresolved = (),
    **kwargs: object,
) -> Statement:
    return Statement(
        effect=effect,
        actions=actions,
        principals=principals or None,
        conditions=conditions,
        origin=make_origin("OrdersRole/AssumeRolePolicyDocument/Statement/0", 7, fields={"principals": 9}),
        **kwargs,  # type: ignore[arg-type]
    )


def _role(*statements: Statement, arn: str | None = None) -> Role:
    trust = PolicyDocument(statements=statements, origin=make_origin("OrdersRole", 5))
    return dataclasses.replace(make_role(), trust_policy=trust, arn=arn)


def _who(statement: Statement, own_account: str | None = None) -> list[tuple[str, Severity]]:
    found = trusted_principals(statement, own_account=own_account)
    assert not isinstance(found, Unresolved)
    return [(t.who, t.severity) for t in found]


def _cond(operator: str, key: str, *values: str | Unresolved) -> Condition:
    return Condition(operator=operator, key=key, values=values)


def test_public_trust_is_critical_and_names_every_function() -> None:
    role = _role(_statement(ANYONE))
    inv = make_inventory(
        roles=[role], functions=[make_function("orders-api"), make_function("orders-worker")]
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS110", 9)}
    (finding,) = outcome.findings
    assert finding.severity is Severity.CRITICAL
    assert finding.function is None
    assert finding.resource.type == "role"
    assert finding.message == (
        "Trust policy of execution role `orders-role` (used by `orders-api`, `orders-worker`) lets any AWS "
        "principal (`*`) assume it and act with the role's permissions"
    )


def test_single_function_is_the_findings_function() -> None:
    inv = make_inventory(roles=[_role(_statement(ANYONE))], functions=[make_function()])
    (finding,) = run(rule, inv).findings
    assert finding.function == "orders-api"


def test_lambda_only_trust_and_unused_roles_are_not_reported() -> None:
    lambda_only = _role(
        _statement(
            Principal(kind=PrincipalKind.SERVICE, values=("Lambda.amazonaws.com", "edgelambda.amazonaws.com"))
        )
    )
    unused = dataclasses.replace(_role(_statement(ANYONE)), key="Unused", name="unused")
    outcome = run(rule, make_inventory(roles=[lambda_only, unused], functions=[make_function()]))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == []


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (Principal(kind=PrincipalKind.AWS, values=("*",)), [("any AWS principal (`*`)", Severity.CRITICAL)]),
        (
            Principal(kind=PrincipalKind.AWS, values=("444455556666",)),
            [("AWS account `444455556666`", Severity.HIGH)],
        ),
        (
            Principal(kind=PrincipalKind.AWS, values=("arn:aws:iam::444455556666:role/ci",)),
            [("`arn:aws:iam::444455556666:role/ci`", Severity.HIGH)],
        ),
        (
            Principal(kind=PrincipalKind.AWS, values=("arn:aws:iam::111122223333:root",)),
            [("`arn:aws:iam::111122223333:root` of its own account", Severity.MEDIUM)],
        ),
        (
            Principal(kind=PrincipalKind.AWS, values=(Unresolved("!Ref AWS::AccountId"),)),
            [("IAM principals of its own account", Severity.MEDIUM)],
        ),
        (
            Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com", "states.amazonaws.com")),
            [("the service `states.amazonaws.com`", Severity.MEDIUM)],
        ),
        (
            Principal(
                kind=PrincipalKind.SERVICE, values=("edgelambda.amazonaws.com", "edge.lambda.amazonaws.com")
            ),
            [("the service `edge.lambda.amazonaws.com`", Severity.MEDIUM)],
        ),
        (
            Principal(kind=PrincipalKind.FEDERATED, values=("cognito-identity.amazonaws.com",)),
            [("users of identity provider `cognito-identity.amazonaws.com`", Severity.HIGH)],
        ),
        (Principal(kind=PrincipalKind.CANONICAL_USER, values=("79a59df9",)), [("`79a59df9`", Severity.HIGH)]),
    ],
)
def test_principal_kinds(principal: Principal, expected: list[tuple[str, Severity]]) -> None:
    assert _who(_statement(principal), own_account="111122223333") == expected


@pytest.mark.parametrize(
    ("condition", "severity"),
    [
        (_cond("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"), Severity.MEDIUM),
        (_cond("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a/r-b/*"), Severity.MEDIUM),
        (_cond("StringEquals", "AWS:PrincipalAccount", Unresolved("!Ref AWS::AccountId")), Severity.MEDIUM),
        (_cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/ci-*"), Severity.MEDIUM),
        (_cond("StringLike", "aws:PrincipalOrgID", "*"), Severity.CRITICAL),
        (_cond("StringEqualsIfExists", "aws:PrincipalOrgID", "o-a1b2c3d4e5"), Severity.CRITICAL),
        (_cond("StringNotEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"), Severity.CRITICAL),
        (_cond("ForAllValues:StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"), Severity.CRITICAL),
        (_cond("StringEquals", "sts:ExternalId", "s3cr3t"), Severity.CRITICAL),
    ],
)
def test_conditions_on_a_public_principal(condition: Condition, severity: Severity) -> None:
    (found,) = _who(_statement(ANYONE, conditions=(condition,)))
    assert found[1] is severity
    if severity is Severity.MEDIUM:
        assert found[0] == f"any AWS principal (`*`) meeting its `{condition.key}` condition"


def test_actions_and_effects() -> None:
    anyone = ("any AWS principal (`*`)", Severity.CRITICAL)
    assert _who(_statement(ANYONE, actions=("sts:*",))) == [anyone]
    assert _who(_statement(ANYONE, actions=("STS:AssumeRoleWithWebIdentity",))) == [anyone]
    assert _who(_statement(ANYONE, actions=("*",))) == [anyone]
    assert _who(_statement(ANYONE, actions=("sts:TagSession",))) == []
    assert _who(_statement(ANYONE, effect=Effect.DENY)) == []
    assert _who(_statement(ANYONE, actions=None, not_actions=("sts:TagSession",))) == [anyone]
    assert _who(_statement(ANYONE, actions=None, not_actions=("sts:Assume*",))) == []
    assert _who(_statement(not_principals=(LAMBDA,))) == [
        ("every principal outside its `NotPrincipal` list", Severity.CRITICAL)
    ]


def test_unknown_values_are_not_evaluated() -> None:
    unknowns = [
        _statement(ANYONE, effect=Unresolved("!If [C, Allow, Deny]")),
        _statement(ANYONE, actions=Unresolved("!Ref Actions")),
        _statement(ANYONE, actions=("sts:TagSession", Unresolved("!Ref Action"))),
        _statement(ANYONE, conditions=Unresolved("!If [C, {...}, {...}]")),
        _statement(Principal(kind=PrincipalKind.AWS, values=(Unresolved("!Ref Partner"),))),
        Statement(
            effect=Effect.ALLOW,
            actions=("sts:AssumeRole",),
            principals=Unresolved("!Ref P"),
            origin=make_origin("S"),
        ),
    ]
    for statement in unknowns:
        assert isinstance(trusted_principals(statement, own_account=None), Unresolved), statement
    outcome = run(rule, make_inventory(roles=[_role(*unknowns)], functions=[make_function()]))
    assert outcome.findings == []
    assert set(outcome.unevaluated_ids) == {"OrdersRole"}


def test_missing_or_unresolved_trust_policy_is_not_evaluated() -> None:
    missing = make_role()
    unknown = dataclasses.replace(make_role("other", key="Other"), trust_policy=Unresolved("!Ref Doc"))
    functions = [make_function(), make_function("other-fn", role="Other")]
    outcome = run(rule, make_inventory(roles=[missing, unknown], functions=functions))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == ["OrdersRole", "Other"]


def test_deny_statement_lowers_confidence_and_severity_is_the_worst() -> None:
    partner = Principal(kind=PrincipalKind.AWS, values=("444455556666",))
    states = Principal(kind=PrincipalKind.SERVICE, values=("states.amazonaws.com",))
    role = _role(_statement(states, partner), _statement(ANYONE, effect=Effect.DENY))
    (finding,) = run(rule, make_inventory(roles=[role], functions=[make_function()])).findings
    assert finding.severity is Severity.HIGH
    assert finding.confidence is Confidence.MEDIUM
    assert "lets the service `states.amazonaws.com`, AWS account `444455556666` assume it" in finding.message


def test_own_account_comes_from_the_role_arn() -> None:
    own = Principal(kind=PrincipalKind.AWS, values=("111122223333",))
    role = _role(_statement(LAMBDA, own), arn="arn:aws:iam::111122223333:role/orders-role")
    (finding,) = run(rule, make_inventory(roles=[role], functions=[make_function()])).findings
    assert finding.severity is Severity.MEDIUM
    assert "`111122223333` of its own account" in finding.message
