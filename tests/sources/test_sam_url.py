"""SAM transform: FunctionUrlConfig -> AWS::Lambda::Url and the implicit permissions of AuthType NONE."""

from __future__ import annotations

import json

from lambdasec.sources.cloudformation.sam import SamExpansion, expand_sam
from lambdasec.sources.yaml_loader import load_yaml


def expand(text: str) -> SamExpansion:
    return expand_sam(load_yaml(text), file="template.yaml")


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


PUBLIC = """\
Resources:
  Hook:
    Type: AWS::Serverless::Function
    Metadata:
      lambdasec:
        ignore: [{id: LS201, reason: signed webhook}]
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      FunctionUrlConfig:
        AuthType: NONE
        InvokeMode: RESPONSE_STREAM
        Cors:
          AllowOrigins: ["*"]
          AllowCredentials: true
"""


def test_public_url_and_its_implicit_permissions() -> None:
    resources = expand(PUBLIC).template["Resources"]
    carried = {"lambdasec": {"ignore": [{"id": "LS201", "reason": "signed webhook"}]}}
    assert plain(resources["HookUrl"]) == {
        "Type": "AWS::Lambda::Url",
        "Metadata": carried,
        "Properties": {
            "TargetFunctionArn": {"Ref": "Hook"},
            "AuthType": "NONE",
            "Cors": {"AllowOrigins": ["*"], "AllowCredentials": True},
            "InvokeMode": "RESPONSE_STREAM",
        },
    }
    implicit = {**carried, "lambdasec:implicit": True}
    assert plain(resources["HookUrlPublicPermissions"]) == {
        "Type": "AWS::Lambda::Permission",
        "Metadata": implicit,
        "Properties": {
            "Action": "lambda:InvokeFunctionUrl",
            "FunctionName": {"Ref": "Hook"},
            "Principal": "*",
            "FunctionUrlAuthType": "NONE",
        },
    }
    assert plain(resources["HookURLInvokeAllowPublicAccess"]) == {
        "Type": "AWS::Lambda::Permission",
        "Metadata": implicit,
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": "Hook"},
            "Principal": "*",
            "InvokedViaFunctionUrl": True,
        },
    }


def test_url_lines() -> None:
    resources = expand(PUBLIC).template["Resources"]
    url = resources["HookUrl"]["Properties"]
    assert resources.key_lines["HookUrl"] == 10
    assert url.key_lines == {"TargetFunctionArn": 10, "AuthType": 11, "Cors": 13, "InvokeMode": 12}
    assert url["Cors"].key_lines == {"AllowOrigins": 14, "AllowCredentials": 15}
    assert resources.key_lines["HookUrlPublicPermissions"] == 11
    assert resources["HookUrlPublicPermissions"]["Properties"].key_lines["FunctionUrlAuthType"] == 11
    assert resources.key_lines["HookURLInvokeAllowPublicAccess"] == 11


def test_iam_url_with_alias_has_no_public_permission() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      AutoPublishAlias: live
      FunctionUrlConfig:
        AuthType: AWS_IAM
"""
    resources = expand(text).template["Resources"]
    assert sorted(k for k in resources if not k.startswith("FnVersion")) == [
        "Fn",
        "FnAliaslive",
        "FnRole",
        "FnUrl",
    ]
    assert plain(resources["FnUrl"]["Properties"]) == {
        "TargetFunctionArn": {"Ref": "FnAliaslive"},
        "AuthType": "AWS_IAM",
    }


def test_url_auth_type_from_a_parameter_is_kept_for_the_resolver() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      FunctionUrlConfig:
        AuthType: !Ref UrlAuth
"""
    resources = expand(text).template["Resources"]
    assert sorted(resources) == ["Fn", "FnRole", "FnUrl"]
    assert plain(resources["FnUrl"]["Properties"]["AuthType"]) == {"Ref": "UrlAuth"}
