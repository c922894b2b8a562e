"""REST API resource policies in CloudFormation: `Policy` and the body's `x-amazon-apigateway-policy`."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    Api,
    Condition,
    Effect,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Unresolved,
)
from sources.cfn.load import load

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  PolicyParam:
    Type: String
Resources:
  Private:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: private
      Policy:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: execute-api:Invoke
            Resource: execute-api:/*
            Condition:
              StringNotEquals:
                aws:SourceVpce: !Ref Endpoint
  AsText:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: text
      Policy: >-
        {"Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": "execute-api:Invoke", "Resource": "*"}]}
  InBody:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        info: {title: body}
        paths: {}
        x-amazon-apigateway-policy:
          Statement:
            Effect: Allow
            Principal: {AWS: ["111122223333"]}
            Action: execute-api:Invoke
            Resource: execute-api:/*
  Both:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Policy:
        Statement: []
      Body:
        swagger: "2.0"
        info: {title: both}
        paths: {}
        x-amazon-apigateway-policy:
          Statement:
            - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "*"}
  Unknown:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: unknown
      Policy: !Ref PolicyParam
  None:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: none
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      ServiceName: com.amazonaws.us-east-1.execute-api
"""


def apis(tmp_path: Path) -> dict[str, Api]:
    return {api.origin.resource: api for api in load(tmp_path, TEMPLATE).inventory.apis}


def test_policy_property(tmp_path: Path) -> None:
    policy = apis(tmp_path)["Private"].resource_policy
    assert isinstance(policy, PolicyDocument)
    assert policy.origin.line == 11
    assert policy.origin.resource == "Private/Policy"
    (statement,) = policy.statements
    assert statement.effect is Effect.DENY
    assert statement.principals == (Principal(kind=PrincipalKind.ANY, values=("*",)),)
    assert statement.actions == ("execute-api:Invoke",)
    assert statement.resources == ("execute-api:/*",)
    assert statement.conditions == (
        Condition(operator="StringNotEquals", key="aws:SourceVpce", values=(Unresolved("!Ref Endpoint"),)),
    )
    assert statement.origin.resource == "Private/Policy/Statement/0"
    assert dict(apis(tmp_path)["Private"].origin.fields)["resource_policy"] == 10


def test_policy_as_json_text(tmp_path: Path) -> None:
    policy = apis(tmp_path)["AsText"].resource_policy
    assert isinstance(policy, PolicyDocument)
    assert [(s.effect, s.resources) for s in policy.statements] == [(Effect.ALLOW, ("*",))]


def test_policy_in_the_body(tmp_path: Path) -> None:
    policy = apis(tmp_path)["InBody"].resource_policy
    assert isinstance(policy, PolicyDocument)
    assert policy.origin.resource == "InBody/Body/x-amazon-apigateway-policy"
    assert [s.principals for s in policy.statements] == [
        (Principal(kind=PrincipalKind.AWS, values=("111122223333",)),)
    ]


def test_policy_property_replaces_the_body_policy(tmp_path: Path) -> None:
    policy = apis(tmp_path)["Both"].resource_policy
    assert isinstance(policy, PolicyDocument)
    assert policy.statements == ()


def test_unknown_and_absent_policies(tmp_path: Path) -> None:
    found = apis(tmp_path)
    assert found["Unknown"].resource_policy == Unresolved("parameter PolicyParam has no default")
    assert found["None"].resource_policy is None
