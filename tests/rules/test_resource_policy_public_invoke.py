"""Model-level tests of LS202 resource-policy-public-invoke."""

from __future__ import annotations

from factories import make_function, make_inventory, make_permission, run
from lambdasec.model import AuthType, Condition, Unresolved
from lambdasec.rules.exposure.resource_policy_public_invoke import (
    is_public_principal,
)
from lambdasec.rules.exposure.resource_policy_public_invoke import (
    resource_policy_public_invoke as rule,
)


def test_public_unconditioned_grant_is_reported() -> None:
    inv = make_inventory(functions=[make_function()], permissions=[make_permission(line=7)])
    outcome = run(rule, inv)
    assert outcome.lines == {("LS202", 7)}
    assert outcome.findings[0].message == (
        "Permission `PublicInvoke` lets anyone (`*`) call `lambda:InvokeFunction` on `orders-api` "
        "with no condition restricting the caller"
    )


def test_restricted_or_non_public_grants_are_not_reported() -> None:
    grants = [
        make_permission(key="Account", principal="111122223333"),
        make_permission(key="Service", principal="s3.amazonaws.com"),
        make_permission(key="WithSourceArn", source_arn="arn:aws:s3:::bucket"),
        make_permission(key="WithOrg", principal_org_id="o-abc123"),
        make_permission(key="WithAccount", source_account="111122223333"),
        make_permission(
            key="Live",
            conditions=(Condition(operator="StringEquals", key="aws:SourceAccount", values=("1",)),),
        ),
        make_permission(
            key="UrlIam", action="lambda:InvokeFunctionUrl", function_url_auth_type=AuthType.AWS_IAM
        ),
        make_permission(key="ReadOnly", action="lambda:GetFunction"),
    ]
    outcome = run(rule, make_inventory(functions=[make_function()], permissions=grants))
    assert outcome.findings == []
    assert outcome.coverage.evaluated == len(grants)


def test_url_grants_explicit_reported_implicit_skipped() -> None:
    grants = [
        make_permission(
            key="Explicit", action="lambda:InvokeFunctionUrl", function_url_auth_type=AuthType.NONE, line=3
        ),
        make_permission(
            key="Implicit",
            action="lambda:InvokeFunctionUrl",
            function_url_auth_type=AuthType.NONE,
            implicit=True,
        ),
    ]
    outcome = run(rule, make_inventory(functions=[make_function()], permissions=grants))
    assert outcome.lines == {("LS202", 3)}
    assert "through its function URL" in outcome.findings[0].message


def test_wildcard_actions_and_principal_spellings() -> None:
    assert is_public_principal('{"AWS": "*"}')
    assert is_public_principal(" * ")
    assert not is_public_principal("111122223333")
    grants = [
        make_permission(key=f"G{i}", action=action, line=i) for i, action in enumerate(["lambda:*", "*"], 1)
    ]
    assert run(rule, make_inventory(permissions=grants)).lines == {("LS202", 1), ("LS202", 2)}


def test_unresolved_values_are_not_evaluated() -> None:
    grants = [
        make_permission(key="P", principal=Unresolved("!Ref Principal")),
        make_permission(key="A", action=Unresolved("!Ref Action")),
    ]
    outcome = run(rule, make_inventory(permissions=grants))
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("P", "principal unknown: !Ref Principal"),
        ("A", "action unknown: !Ref Action"),
    )


def test_a_declared_condition_restricts_even_when_its_value_is_unknown() -> None:
    grants = [
        make_permission(key="C", source_arn=Unresolved("!GetAtt Bucket.Arn")),
        make_permission(key="W", source_arn="*", line=7),
    ]
    outcome = run(rule, make_inventory(permissions=grants))
    assert outcome.lines == {("LS202", 7)}
    assert outcome.coverage.unevaluated == ()
