"""Model-level tests of LS204 resource-policy-cross-account-invoke and the account helpers."""

from __future__ import annotations

import dataclasses

import pytest

from factories import make_function, make_inventory, make_permission, run
from lambdasec.errors import ConfigError
from lambdasec.model import LambdaFunction, Unresolved
from lambdasec.rules._accounts import account_of, arn_account, is_own_account_reference
from lambdasec.rules.exposure.resource_policy_cross_account_invoke import (
    resource_policy_cross_account_invoke as rule,
)

FN_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:orders-api"


def _grants() -> list[object]:
    return [
        make_permission(key="Partner", principal="444455556666", line=4),
        make_permission(key="PartnerRole", principal="arn:aws:iam::444455556666:role/sync", line=9),
        make_permission(key="Other", principal="arn:aws-cn:iam::777788889999:root", action="lambda:Invoke*"),
        make_permission(key="Own", principal="111122223333"),
        make_permission(key="OwnRef", principal=Unresolved("!Ref AWS::AccountId")),
        make_permission(key="Public", principal="*"),
        make_permission(key="Service", principal="s3.amazonaws.com"),
        make_permission(key="NotInvoke", principal="444455556666", action="lambda:GetPolicy"),
        make_permission(key="Param", principal=Unresolved("!Sub arn:aws:iam::${Partner}:root")),
        make_permission(key="ParamAction", principal="444455556666", action=Unresolved("!Ref Action")),
    ]


def _function() -> LambdaFunction:
    return dataclasses.replace(make_function(), arn=FN_ARN)


def test_untrusted_accounts_are_reported_with_exact_messages() -> None:
    outcome = run(rule, make_inventory(functions=[_function()], permissions=_grants()))
    messages = {f.resource.id: f.message for f in outcome.findings}
    assert messages == {
        "Partner": "Permission `Partner` lets untrusted AWS account `444455556666` invoke `orders-api` "
        "directly, bypassing its triggers",
        "PartnerRole": "Permission `PartnerRole` lets `arn:aws:iam::444455556666:role/sync` of untrusted AWS "
        "account `444455556666` invoke `orders-api` directly, bypassing its triggers",
        "Other": "Permission `Other` lets `arn:aws-cn:iam::777788889999:root` of untrusted AWS account "
        "`777788889999` invoke `orders-api` directly, bypassing its triggers",
    }
    assert outcome.unevaluated_ids == ["Param", "ParamAction"]


def test_trusted_accounts_option() -> None:
    inv = make_inventory(functions=[_function()], permissions=_grants())
    outcome = run(rule, inv, trusted_accounts=["444455556666"])
    assert {f.resource.id for f in outcome.findings} == {"Other"}


def test_own_account_unknown_makes_a_literal_account_a_finding() -> None:
    inv = make_inventory(functions=[make_function()], permissions=[make_permission(principal="111122223333")])
    assert {f.resource.id for f in run(rule, inv).findings} == {"PublicInvoke"}


def test_own_account_from_a_function_arn_reference() -> None:
    grant = make_permission(FN_ARN, principal="111122223333")
    assert run(rule, make_inventory(permissions=[grant])).findings == []


def test_bad_option_type_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="trusted-accounts"):
        run(rule, make_inventory(), **{"trusted-accounts": "444455556666"})


@pytest.mark.parametrize(
    ("principal", "account"),
    [
        ("444455556666", "444455556666"),
        (" arn:aws:iam::444455556666:root ", "444455556666"),
        ("arn:aws-us-gov:iam::444455556666:user/ci", "444455556666"),
        ("arn:aws:sts::444455556666:assumed-role/r/s", "444455556666"),
        ("44445555666", None),
        ("*", None),
        ("s3.amazonaws.com", None),
        ("arn:aws:s3:::bucket", None),
    ],
)
def test_account_of(principal: str, account: str | None) -> None:
    assert account_of(principal) == account


def test_arn_account() -> None:
    assert arn_account(FN_ARN) == "111122223333"
    assert arn_account("arn:aws:s3:::bucket") is None
    assert arn_account(Unresolved("!GetAtt F.Arn")) is None
    assert arn_account(None) is None


@pytest.mark.parametrize(
    ("reason", "own"),
    [
        ("!Ref AWS::AccountId", True),
        ("!Sub ${AWS::AccountId}", True),
        ("!Sub arn:aws:iam::${AWS::AccountId}:root", True),
        ("!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}", True),
        ("!Sub arn:aws:iam::${PartnerAccount}:root", False),
        ("!Sub arn:aws:iam::${AWS::AccountId}${Suffix}", False),
        ("!Ref PartnerAccount", False),
        ("!Join [, [arn:aws:iam::, !Ref AWS::AccountId, :root]]", True),
        ("!Join [, [arn:, !Ref AWS::Partition, :iam::, !Ref AWS::AccountId, :root]]", True),
        ("!Join [, [arn:, !Ref AWS::Partition, :iam::, !Ref AWS::AccountId, :role/deployer]]", True),
        ("!Join [, [arn:aws:iam::, !Ref AWS::AccountId, !Ref Suffix]]", False),
        ("!Join [, [arn:aws:iam::, !Ref PartnerAccount, :root]]", False),
        ("!Join [:, [arn:aws:iam:, !Ref AWS::AccountId, root]]", False),
        ("data.aws_caller_identity.current.account_id", True),
        ("arn:aws:iam::${data.aws_caller_identity.current.account_id}:root", True),
        (
            "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.me.account_id}:role/x",
            True,
        ),
        ("arn:aws:iam::${var.partner_account}:root", False),
        ("var.partner_account", False),
        ("${aws:accountId}", True),
        ("${ssm:/partner/account}", False),
    ],
)
def test_is_own_account_reference(reason: str, own: bool) -> None:
    assert is_own_account_reference(Unresolved(reason)) is own
