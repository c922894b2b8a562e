"""IAM in templates: roles, trust policies, inline and managed policies, statements with their origins."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    Condition,
    Effect,
    ManagedPolicy,
    Origin,
    Policy,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    SourceKind,
    Statement,
    Unresolved,
)
from sources.cfn.load import diagnostics, fields, line, load

ROLES = """
Parameters:
  Boundary: {Type: String, Default: arn:aws:iam::123456789012:policy/boundary}
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          Effect: Allow
          Principal: {Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]}
          Action: sts:AssumeRole
      PermissionsBoundary: !Ref Boundary
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - !Ref Shared
        - !ImportValue team-policy
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: ReadTable
                Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query]
                Resource: !GetAtt Table.Arn
              - Effect: Deny
                NotAction: s3:*
                NotResource: ["arn:aws:s3:::public/*"]
                Condition:
                  StringEquals: {"aws:RequestedRegion": [eu-west-1, eu-west-2]}
                  Bool: {"aws:SecureTransport": "false"}
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref AppRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: "*"
  AttachedByName:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: by-name
      Roles: [app-role]
      PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}'
  Table: {Type: AWS::DynamoDB::Table}
"""


def origin(resource: str, at: int) -> Origin:
    return Origin(source=SourceKind.CLOUDFORMATION, file="template.yaml", line=at, resource=resource)


def test_role_with_trust_inline_managed_and_attached_policies(tmp_path: Path) -> None:
    out = load(tmp_path, ROLES)
    assert diagnostics(out) == set()
    (role,) = out.inventory.roles
    assert role.key == "template.yaml#AppRole"
    assert role.name == "app-role"
    assert role.origin == origin("AppRole", line(ROLES, "  AppRole:"))
    assert role.permissions_boundary == "arn:aws:iam::123456789012:policy/boundary"
    assert role.trust_policy == PolicyDocument(
        statements=(
            Statement(
                effect=Effect.ALLOW,
                actions=("sts:AssumeRole",),
                principals=(
                    Principal(
                        kind=PrincipalKind.SERVICE,
                        values=("lambda.amazonaws.com", "edgelambda.amazonaws.com"),
                    ),
                ),
                origin=origin("AppRole/AssumeRolePolicyDocument/Statement/0", line(ROLES, "Effect: Allow")),
            ),
        ),
        origin=origin("AppRole/AssumeRolePolicyDocument", line(ROLES, 'Version: "2012-10-17"')),
    )
    assert role.managed_policy_arns == (
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "template.yaml#Shared",
        Unresolved("!ImportValue team-policy"),
        "template.yaml#AttachedByName",
    )
    data, shared, by_name, extra = role.policies  # inline, ManagedPolicyArns, then policies naming the role
    assert (data.name, data.kind, data.arn) == ("data", PolicyKind.INLINE, None)
    assert data.origin == origin("AppRole", line(ROLES, "- PolicyName: data"))
    assert fields(data) == {
        "name": line(ROLES, "- PolicyName: data"),
        "document": line(ROLES, " PolicyDocument:"),
    }
    assert isinstance(data.document, PolicyDocument)
    read, deny = data.document.statements
    assert read == Statement(
        sid="ReadTable",
        effect=Effect.ALLOW,
        actions=("dynamodb:GetItem", "dynamodb:Query"),
        resources=(Unresolved("!GetAtt Table.Arn"),),
        origin=origin("AppRole/Policies/data/Statement/ReadTable", line(ROLES, "- Sid: ReadTable")),
    )
    assert fields(read) == {
        "sid": line(ROLES, "- Sid: ReadTable"),
        "effect": line(ROLES, "Effect: Allow", nth=2),
        "actions": line(ROLES, "Action: [dynamodb"),
        "actions.0": line(ROLES, "Action: [dynamodb"),
        "actions.1": line(ROLES, "Action: [dynamodb"),
        "resources": line(ROLES, "Resource: !GetAtt"),
        "resources.0": line(ROLES, "Resource: !GetAtt"),
    }
    assert deny == Statement(
        effect=Effect.DENY,
        not_actions=("s3:*",),
        not_resources=("arn:aws:s3:::public/*",),
        conditions=(
            Condition(operator="StringEquals", key="aws:RequestedRegion", values=("eu-west-1", "eu-west-2")),
            Condition(operator="Bool", key="aws:SecureTransport", values=("false",)),
        ),
        origin=origin("AppRole/Policies/data/Statement/1", line(ROLES, "- Effect: Deny")),
    )
    assert fields(deny)["conditions"] == line(ROLES, "Condition:")
    assert (shared.name, shared.kind, shared.arn) == (
        Unresolved("generated by CloudFormation"),
        PolicyKind.CUSTOMER_MANAGED,
        "template.yaml#Shared",
    )
    assert extra == Policy(
        name="extra",
        kind=PolicyKind.INLINE,
        document=PolicyDocument(
            statements=(
                Statement(
                    effect=Effect.ALLOW,
                    actions=("sqs:SendMessage",),
                    resources=("*",),
                    origin=origin("Extra/Statement/0", line(ROLES, "- Effect: Allow", nth=2)),
                ),
            ),
            origin=origin("Extra", line(ROLES, "Statement:", nth=4)),
        ),
        origin=origin("Extra", line(ROLES, "  Extra:")),
    )
    assert (by_name.name, by_name.arn) == ("by-name", "template.yaml#AttachedByName")
    assert isinstance(by_name.document, PolicyDocument)
    assert by_name.document.statements[0].actions == ("kms:Decrypt",)
    assert fields(role)["managed_policy_arns.1"] == line(ROLES, "- !Ref Shared")


def test_managed_policies_are_in_the_inventory(tmp_path: Path) -> None:
    inv = load(tmp_path, ROLES).inventory
    assert [p.key for p in inv.managed_policies] == ["template.yaml#Shared", "template.yaml#AttachedByName"]
    shared = inv.managed_policies[0]
    assert shared == ManagedPolicy(
        key="template.yaml#Shared",
        name=Unresolved("generated by CloudFormation"),
        arn=None,
        document=PolicyDocument(
            statements=(
                Statement(
                    effect=Effect.ALLOW,
                    actions=("*",),
                    resources=("*",),
                    origin=origin("Shared/Statement/0", line(ROLES, "- Effect: Allow")),
                ),
            ),
            origin=origin("Shared", line(ROLES, "Statement:", nth=3)),
        ),
        origin=origin("Shared", line(ROLES, "  Shared:")),
    )


def test_principals_in_all_shapes(tmp_path: Path) -> None:
    out = load(
        tmp_path,
        """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: "*", Action: sts:AssumeRole}
                  - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
                  - Effect: Allow
                    Principal:
                      AWS: [arn:aws:iam::111122223333:root, !Sub "arn:aws:iam::${AWS::AccountId}:root"]
                    Action: sts:AssumeRole
                  - {Effect: Allow, Principal: {Federated: cognito-identity.amazonaws.com}}
                  - {Effect: Allow, NotPrincipal: {AWS: arn:aws:iam::111122223333:root}}
                  - {Effect: Allow, Principal: {Weird: x}, Action: sts:AssumeRole}
        """,
    )
    statements = out.inventory.roles[0].trust_policy.statements  # type: ignore[union-attr]
    assert [(s.principals, s.not_principals) for s in statements] == [
        ((Principal(kind=PrincipalKind.ANY, values=("*",)),), None),
        ((Principal(kind=PrincipalKind.AWS, values=("*",)),), None),
        (
            (
                Principal(
                    kind=PrincipalKind.AWS,
                    values=(
                        "arn:aws:iam::111122223333:root",
                        Unresolved("!Sub arn:aws:iam::${AWS::AccountId}:root"),
                    ),
                ),
            ),
            None,
        ),
        ((Principal(kind=PrincipalKind.FEDERATED, values=("cognito-identity.amazonaws.com",)),), None),
        (None, (Principal(kind=PrincipalKind.AWS, values=("arn:aws:iam::111122223333:root",)),)),
        ((), None),
    ]
    assert statements[0].principals[0].is_public  # type: ignore[index]
    assert diagnostics(out) == {("warning", "template.yaml", 15, "`Role`: unknown principal type `Weird`")}


def test_wrong_types_are_errors_and_become_unresolved(tmp_path: Path) -> None:
    out = load(
        tmp_path,
        """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: not json
              Policies: 5
              ManagedPolicyArns: arn:aws:iam::aws:policy/ReadOnlyAccess
        """,
    )
    (role,) = out.inventory.roles
    assert role.trust_policy == Unresolved(
        "AssumeRolePolicyDocument: a string where a policy document belongs"
    )
    assert role.policies == ()
    assert role.managed_policy_arns == (Unresolved("ManagedPolicyArns: a string where a list belongs"),)
    assert diagnostics(out) == {
        (
            "error",
            "template.yaml",
            5,
            "`Role`: `AssumeRolePolicyDocument` should be a policy document, not a string; "
            "value not evaluated",
        ),
        (
            "error",
            "template.yaml",
            6,
            "`Role`: `Policies` should be a list, not a number; value not evaluated",
        ),
        (
            "error",
            "template.yaml",
            7,
            "`Role`: `ManagedPolicyArns` should be a list, not a string; value not evaluated",
        ),
    }
