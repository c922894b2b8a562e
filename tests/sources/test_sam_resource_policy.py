"""SAM `Auth.ResourcePolicy` expanded into the REST API's resource policy as SAM's swagger editor does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lambdasec.model import Api, Condition, PolicyDocument, Principal, PrincipalKind, Statement, Unresolved
from sources.cfn.load import diagnostics, line, load

ANYONE = (Principal(kind=PrincipalKind.ANY, values=("*",)),)

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
Resources:
  ListsApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ResourcePolicy:
          AwsAccountWhitelist: ["111122223333"]
          IpRangeBlacklist: 203.0.113.0/24
          SourceVpcWhitelist: [vpc-11, vpce-22, other]
          IntrinsicVpceWhitelist: [!Ref Endpoint]
          CustomStatements:
            - Effect: Allow
              Principal: "*"
              Action: execute-api:Invoke
              Resource: execute-api:/prod/GET/health
  ParamStageApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Auth:
        ResourcePolicy:
          SourceVpcBlacklist: [vpce-33]
  WrongApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ResourcePolicy: [vpce-1]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(e, c): pass"
      Events:
        Lists:
          Type: Api
          Properties: {RestApiId: !Ref ListsApi, Path: "/orders/{id}", Method: get}
        ListsAny:
          Type: Api
          Properties: {RestApiId: !Ref ListsApi, Path: "/files/{proxy+}", Method: any}
        Param:
          Type: Api
          Properties: {RestApiId: !Ref ParamStageApi, Path: /, Method: get}
        Wrong:
          Type: Api
          Properties: {RestApiId: !Ref WrongApi, Path: /, Method: get}
        Implicit:
          Type: Api
          Properties:
            Path: /hook
            Method: post
            Auth:
              ResourcePolicy:
                IpRangeWhitelist: [198.51.100.7/32]
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      ServiceName: com.amazonaws.us-east-1.execute-api
"""


def at(needle: str) -> int:
    return line(TEMPLATE, needle)


def apis(tmp_path: Path) -> dict[str, Api]:
    return {api.origin.resource: api for api in load(tmp_path, TEMPLATE).inventory.apis}


def shape(statement: Statement) -> tuple[Any, ...]:
    return (
        statement.effect,
        statement.principals,
        statement.resources,
        statement.conditions,
        statement.origin.line,
    )


def policy_of(tmp_path: Path, api: str) -> PolicyDocument:
    policy = apis(tmp_path)[api].resource_policy
    assert isinstance(policy, PolicyDocument)
    return policy


def test_allow_and_deny_lists_per_path_and_method(tmp_path: Path) -> None:
    policy = policy_of(tmp_path, "ListsApi")
    get = ("execute-api:/prod/GET/orders/*",)
    anything = ("execute-api:/prod/*/files/*",)
    accounts = (Principal(kind=PrincipalKind.AWS, values=("111122223333",)),)
    ip = (Condition(operator="IpAddress", key="aws:SourceIp", values=("203.0.113.0/24",)),)
    vpc = (
        Condition(operator="StringNotEquals", key="aws:SourceVpc", values=("vpc-11",)),
        Condition(
            operator="StringNotEquals", key="aws:SourceVpce", values=("vpce-22", Unresolved("!Ref Endpoint"))
        ),
    )
    assert [shape(s) for s in policy.statements] == [
        ("Allow", accounts, get, (), at("AwsAccountWhitelist")),
        ("Allow", ANYONE, get, (), at("IpRangeBlacklist")),
        ("Deny", ANYONE, get, ip, at("IpRangeBlacklist")),
        ("Deny", ANYONE, get, vpc, at("IntrinsicVpceWhitelist")),
        ("Allow", accounts, anything, (), at("AwsAccountWhitelist")),
        ("Allow", ANYONE, anything, (), at("IpRangeBlacklist")),
        ("Deny", ANYONE, anything, ip, at("IpRangeBlacklist")),
        ("Deny", ANYONE, anything, vpc, at("IntrinsicVpceWhitelist")),
        ("Allow", ANYONE, ("execute-api:/prod/GET/health",), (), at("- Effect: Allow")),
    ]


def test_stage_from_a_parameter_stays_unknown(tmp_path: Path) -> None:
    policy = policy_of(tmp_path, "ParamStageApi")
    vpce = (Condition(operator="StringEquals", key="aws:SourceVpce", values=("vpce-33",)),)
    statements = [shape(s) for s in policy.statements]
    assert [s[0] for s in statements] == ["Allow", "Deny"]
    assert statements[1][3] == vpce
    (resource,) = policy.statements[0].resources or ()
    assert isinstance(resource, Unresolved)


def test_event_resource_policy_on_the_implicit_api(tmp_path: Path) -> None:
    policy = policy_of(tmp_path, "ServerlessRestApi")
    ip = (Condition(operator="NotIpAddress", key="aws:SourceIp", values=("198.51.100.7/32",)),)
    assert [shape(s) for s in policy.statements] == [
        ("Allow", ANYONE, ("execute-api:/Prod/POST/hook",), (), at("IpRangeWhitelist")),
        ("Deny", ANYONE, ("execute-api:/Prod/POST/hook",), ip, at("IpRangeWhitelist")),
    ]


def test_a_resource_policy_that_is_not_a_mapping(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    assert (
        "warning",
        "template.yaml",
        at("ResourcePolicy: [vpce-1]"),
        "`Auth.ResourcePolicy` must be a mapping (ResourcePolicyStatement); ignored",
    ) in diagnostics(output)
    assert {a.origin.resource: a.resource_policy for a in output.inventory.apis}["WrongApi"] is None
