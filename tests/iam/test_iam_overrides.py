"""The risk override table and the escalation methods: data checked against the catalog."""

from __future__ import annotations

import pytest

from lambdasec.iam import RiskTag, load_catalog, load_overrides

PE = RiskTag.PRIVILEGE_ESCALATION
CE = RiskTag.CREDENTIAL_EXPOSURE
RE = RiskTag.RESOURCE_EXPOSURE
DE = RiskTag.DATA_EXFILTRATION


@pytest.mark.parametrize(
    ("action", "tags"),
    [
        ("iam:PassRole", {PE}),
        ("iam:CreatePolicyVersion", {PE}),
        ("iam:SetDefaultPolicyVersion", {PE}),
        ("iam:AttachRolePolicy", {PE}),
        ("iam:AttachUserPolicy", {PE}),
        ("iam:PutRolePolicy", {PE}),
        ("iam:PutUserPolicy", {PE}),
        ("iam:CreateAccessKey", {PE, CE}),
        ("iam:UpdateAssumeRolePolicy", {PE, RE}),
        ("sts:AssumeRole", {PE, CE}),
        ("lambda:UpdateFunctionCode", {PE}),
        ("lambda:CreateFunction", {PE}),
        ("lambda:UpdateFunctionConfiguration", {PE}),
        ("lambda:AddPermission", {RE}),
        ("s3:PutBucketPolicy", {RE}),
        ("secretsmanager:GetSecretValue", {DE, CE}),
        ("ssm:GetParameter", {DE, CE}),
        ("ssm:GetParametersByPath", {DE, CE}),
        ("SSM:getparameterhistory", {DE, CE}),
        ("kms:Decrypt", {DE}),
        ("s3:GetObject", {DE}),
        ("dynamodb:Scan", {DE}),
        ("logs:DescribeLogGroups", set()),
        ("s3:ListAllMyBuckets", set()),
    ],
)
def test_tags_of(action: str, tags: set[RiskTag]) -> None:
    assert load_overrides().tags_of(action) == tags


def test_every_entry_matches_the_catalog_and_cites_a_source() -> None:
    catalog = load_catalog()
    overrides = load_overrides()
    for entry in overrides.entries:
        assert catalog.expand(entry.pattern), entry.pattern
        assert entry.tags, entry.pattern
        assert entry.reason.endswith("."), entry.pattern
        assert entry.source.url.startswith("https://"), entry.pattern
    assert set(overrides.tag_descriptions) == set(RiskTag)


def test_escalation_methods_are_data_over_known_actions() -> None:
    catalog = load_catalog()
    methods = {m.id: m for m in load_overrides().methods}
    for method in methods.values():
        assert method.requires
        for action in method.requires:
            assert catalog.info(action) is not None, (method.id, action)
    assert len(methods) == len(load_overrides().methods)
    assert methods["passrole-lambda-invoke"].requires == (
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
    )
    assert methods["passrole-lambda-update-configuration"].requires == (
        "iam:PassRole",
        "lambda:UpdateFunctionConfiguration",
    )
    assert methods["create-policy-version"].requires == ("iam:CreatePolicyVersion",)
    assert methods["attach-role-policy"].requires == ("iam:AttachRolePolicy",)
    assert methods["update-assume-role-policy"].requires == ("iam:UpdateAssumeRolePolicy", "sts:AssumeRole")
    assert methods["lambda-update-code"].source.key == "rhino"


def test_actions_tagged_are_catalog_keys() -> None:
    tagged = load_overrides().actions_tagged(RiskTag.DATA_EXFILTRATION)
    assert {"s3:getobject", "kms:decrypt", "ssm:getparameters", "secretsmanager:getsecretvalue"} <= tagged
    assert "iam:passrole" not in tagged
