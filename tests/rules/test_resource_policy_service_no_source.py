"""Model-level tests of LS203 resource-policy-service-no-source and the service-principal catalog."""

from __future__ import annotations

import pytest

from factories import make_function, make_inventory, make_permission, run
from lambdasec.data import DataFiles
from lambdasec.data.service_principals import Guard, is_service_principal
from lambdasec.findings import Confidence
from lambdasec.model import Condition, Unresolved
from lambdasec.rules.exposure.resource_policy_service_no_source import (
    resource_policy_service_no_source as rule,
)


def _run(*grants: object) -> tuple[set[str], list[str]]:
    outcome = run(rule, make_inventory(functions=[make_function()], permissions=grants))
    return {f.resource.id for f in outcome.findings}, outcome.unevaluated_ids


def test_unguarded_service_grant_message() -> None:
    inv = make_inventory(
        functions=[make_function()], permissions=[make_permission(principal="sns.amazonaws.com", line=9)]
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS203", 9)}
    assert outcome.findings[0].confidence is Confidence.HIGH
    assert outcome.findings[0].message == (
        "Permission `PublicInvoke` lets `sns.amazonaws.com` invoke `orders-api` without `SourceArn` "
        "(topic ARN) or `SourceAccount`, so resources of that service in any AWS account can invoke it"
    )


def test_guards_per_service() -> None:
    flagged, unevaluated = _run(
        make_permission(key="SnsBare", principal="sns.amazonaws.com"),
        make_permission(key="SnsArn", principal="sns.amazonaws.com", source_arn="arn:aws:sns:eu-west-1:1:t"),
        make_permission(key="SnsAccount", principal="SNS.amazonaws.com", source_account="111122223333"),
        make_permission(key="SnsStarArn", principal="sns.amazonaws.com", source_arn="*"),
        make_permission(key="S3ArnOnly", principal="s3.amazonaws.com", source_arn="arn:aws:s3:::b"),
        make_permission(key="S3Account", principal="s3.amazonaws.com", source_account="111122223333"),
        make_permission(
            key="S3UnknownAccount", principal="s3.amazonaws.com", source_account=Unresolved("!Ref A")
        ),
        make_permission(key="AlexaBare", principal="alexa-appkit.amazon.com"),
        make_permission(
            key="AlexaToken", principal="alexa-appkit.amazon.com", event_source_token="amzn1.ask"
        ),
        make_permission(key="AlexaArnIsNoToken", principal="alexa-appkit.amazon.com", source_arn="arn:x"),
        make_permission(key="Org", principal="events.amazonaws.com", principal_org_id="o-abc"),
        make_permission(key="Account", principal="111122223333"),
        make_permission(key="Public", principal="*"),
        make_permission(key="NotInvoke", principal="sns.amazonaws.com", action="lambda:GetPolicy"),
        make_permission(key="WildcardAction", principal="sns.amazonaws.com", action="lambda:*"),
    )
    assert flagged == {
        "SnsBare",
        "SnsStarArn",
        "S3ArnOnly",
        "AlexaBare",
        "AlexaArnIsNoToken",
        "WildcardAction",
    }
    assert unevaluated == []


def test_live_policy_conditions_count_as_guards() -> None:
    def cond(key: str) -> tuple[Condition, ...]:
        return (Condition(operator="ArnLike", key=key, values=("arn:aws:sns:*:1:t",)),)

    flagged, _ = _run(
        make_permission(key="ArnCond", principal="sns.amazonaws.com", conditions=cond("AWS:SourceArn")),
        make_permission(key="S3ArnCond", principal="s3.amazonaws.com", conditions=cond("aws:SourceArn")),
        make_permission(
            key="S3AccountCond", principal="s3.amazonaws.com", conditions=cond("aws:SourceAccount")
        ),
        make_permission(key="Other", principal="sns.amazonaws.com", conditions=cond("aws:CurrentTime")),
    )
    assert flagged == {"S3ArnCond", "Other"}


def test_s3_messages_distinguish_arn_only() -> None:
    inv = make_inventory(
        functions=[make_function()],
        permissions=[
            make_permission(key="A", principal="s3.amazonaws.com"),
            make_permission(key="B", principal="s3.amazonaws.com", source_arn="arn:aws:s3:::b"),
        ],
    )
    messages = {f.resource.id: f.message for f in run(rule, inv).findings}
    assert messages == {
        "A": "Permission `A` lets `s3.amazonaws.com` invoke `orders-api` without `SourceAccount`, "
        "so buckets in any AWS account can invoke it",
        "B": "Permission `B` lets `s3.amazonaws.com` invoke `orders-api` with a `SourceArn` but no "
        "`SourceAccount`, so a bucket of that name re-created in another AWS account can invoke it",
    }


def test_uncatalogued_service_is_medium_confidence() -> None:
    inv = make_inventory(
        functions=[make_function()], permissions=[make_permission(principal="newsvc.amazonaws.com.cn")]
    )
    (finding,) = run(rule, inv).findings
    assert finding.confidence is Confidence.MEDIUM
    assert finding.message == (
        "Permission `PublicInvoke` lets `newsvc.amazonaws.com.cn` invoke `orders-api` without `SourceArn` or "
        "`SourceAccount`, so resources of that service in any AWS account can invoke it"
    )


def test_unresolved_principal_or_action_is_not_evaluated() -> None:
    flagged, unevaluated = _run(
        make_permission(key="P", principal=Unresolved("!Ref Who")),
        make_permission(key="A", principal="sns.amazonaws.com", action=Unresolved("!Ref What")),
        make_permission(key="NotService", principal="111122223333", action=Unresolved("!Ref What")),
    )
    assert flagged == set()
    assert unevaluated == ["P", "A"]


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("s3.amazonaws.com", True),
        ("lambda.alarms.cloudwatch.amazonaws.com", True),
        ("alexa-appkit.amazon.com", True),
        ("states.amazonaws.com.cn", True),
        ("*", False),
        ("111122223333", False),
        ("arn:aws:iam::111122223333:root", False),
        ("evil.com", False),
    ],
)
def test_is_service_principal(principal: str, expected: bool) -> None:
    assert is_service_principal(principal) is expected


def test_catalog_entries() -> None:
    catalog = DataFiles().service_principals
    assert catalog.retrieved == "2026-11-22"
    assert "AddPermission" in catalog.source
    s3 = catalog.get("S3.amazonaws.com")
    assert s3 is not None and s3.guard is Guard.SOURCE_ACCOUNT and s3.known
    alexa = catalog.get("alexa-appkit.amazon.com")
    assert alexa is not None and alexa.guard is Guard.EVENT_SOURCE_TOKEN
    other = catalog.get("newsvc.amazonaws.com")
    assert other is not None and other.guard is Guard.SOURCE and not other.known
    assert catalog.get("111122223333") is None
    assert all(entry.guard in set(Guard) for entry in catalog.principals.values())
