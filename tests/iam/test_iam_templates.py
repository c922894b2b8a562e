"""The engine on inventories mapped from real templates: SAM-generated roles and CloudFormation roles."""

from __future__ import annotations

from pathlib import Path

from lambdasec.iam import Access, RiskTag, analyzer_for
from lambdasec.model import Inventory, PolicyKind, Role
from lambdasec.sources import source_for
from lambdasec.sources.discover import discover

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Policies:
        - DynamoDBReadPolicy:
            TableName: !Ref Orders
        - Statement:
            - Effect: Allow
              Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
              Resource: "*"
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/PowerUserAccess
      Policies:
        - PolicyName: no-secrets
          PolicyDocument:
            Statement:
              - Effect: Deny
                Action: secretsmanager:GetSecretValue
                Resource: "*"
"""


def load(tmp_path: Path) -> Inventory:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    found = discover((tmp_path,))
    return Inventory.merge(source_for(f.kind).load((f,), root=found.root).inventory for f in found.files)


def role(inv: Inventory, key_part: str) -> Role:
    return next(r for r in inv.roles if key_part in r.key)


def test_sam_generated_role(tmp_path: Path) -> None:
    inv = load(tmp_path)
    perms = analyzer_for(inv).permissions(role(inv, "ApiRole"))
    logs = perms.allows("logs:PutLogEvents")
    assert logs.access is Access.ALLOWED
    assert logs.allowed_by[0].policy.kind is PolicyKind.AWS_MANAGED
    assert logs.allowed_by[0].policy.name == "AWSLambdaBasicExecutionRole"
    assert perms.allows_somewhere("dynamodb:Query").access is Access.ALLOWED
    assert perms.allows_unscoped("dynamodb:Query").access is Access.DENIED
    paths = {p.method.id: p.access for p in perms.escalation_paths()}
    assert paths == {"passrole-lambda-invoke": Access.ALLOWED}
    passrole = perms.allows("iam:PassRole")
    assert (passrole.allowed_by[0].statement.origin.file, passrole.allowed_by[0].statement.origin.line) == (
        "template.yaml",
        18,
    )
    assert analyzer_for(inv) is analyzer_for(inv)
    assert analyzer_for(inv).permissions(role(inv, "ApiRole")) is perms


def test_cloudformation_role_with_managed_policy_and_deny(tmp_path: Path) -> None:
    inv = load(tmp_path)
    perms = analyzer_for(inv).permissions(role(inv, "Admin"))
    assert perms.is_admin().access is Access.DENIED
    assert perms.allows("lambda:UpdateFunctionCode").access is Access.ALLOWED
    assert perms.allows("iam:CreateUser").access is Access.DENIED
    secret = perms.allows("secretsmanager:GetSecretValue")
    assert secret.access is Access.DENIED
    assert secret.denied_by[0].statement.origin.line == 35
    exfil = {d.action for d in perms.actions_with_tag(RiskTag.DATA_EXFILTRATION)}
    assert "secretsmanager:GetSecretValue" not in exfil
    assert {"s3:GetObject", "kms:Decrypt", "dynamodb:Scan"} <= exfil
    power = perms.allows("s3:GetObject").allowed_by[0]
    assert (power.policy.name, power.policy.origin.line) == ("PowerUserAccess", 30)


def test_shared_analyzer_does_not_keep_the_inventory_alive(tmp_path: Path) -> None:
    import gc
    import weakref

    inv = load(tmp_path)
    analyzer = weakref.ref(analyzer_for(inv))
    held = weakref.ref(inv)
    del inv
    gc.collect()
    assert held() is None
    assert analyzer() is None
