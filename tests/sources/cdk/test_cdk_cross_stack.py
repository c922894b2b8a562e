"""A function used by another stack of the assembly, through the export and import the CDK generates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdasec.model import Inventory, Unresolved
from lambdasec.sources.cdk import CdkSource
from lambdasec.sources.discover import discover

_EXPORT = "LambdaStack:ExportsOutputFnGetAttHandler886CB40BArn5FB1C2B1"
_TABLE_EXPORT = "LambdaStack:ExportsOutputRefTableCD117FA1"
_FUNCTION = {
    "Type": "AWS::Lambda::Function",
    "Properties": {"Code": {"ZipFile": "x"}, "Handler": "index.handler", "Role": "arn:aws:iam::1:role/r"},
}
_LAMBDA_STACK = {
    "Resources": {"Handler886CB40B": _FUNCTION, "TableCD117FA1": {"Type": "AWS::DynamoDB::Table"}},
    "Outputs": {
        "ExportsOutputFnGetAttHandler886CB40BArn5FB1C2B1": {
            "Value": {"Fn::GetAtt": ["Handler886CB40B", "Arn"]},
            "Export": {"Name": _EXPORT},
        },
        "ExportsOutputRefTableCD117FA1": {
            "Value": {"Ref": "TableCD117FA1"},
            "Export": {"Name": _TABLE_EXPORT},
        },
    },
}


def _uri(function: Any) -> dict[str, Any]:
    return {
        "Fn::Join": [
            "",
            ["arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/", function, "/invocations"],
        ]
    }


def _api_stack() -> dict[str, Any]:
    api = {"Ref": "Api49610EDF"}
    method = {
        "Type": "AWS::ApiGateway::Method",
        "Properties": {
            "AuthorizationType": "NONE",
            "HttpMethod": "ANY",
            "ResourceId": {"Fn::GetAtt": ["Api49610EDF", "RootResourceId"]},
            "RestApiId": api,
            "Integration": {"Type": "AWS_PROXY", "Uri": _uri({"Fn::ImportValue": _EXPORT})},
        },
    }
    grant = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::ImportValue": _EXPORT},
            "Principal": "apigateway.amazonaws.com",
        },
    }
    two_imports = {  # imports the function and another value: not joined
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::ImportValue": _EXPORT},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::ImportValue": _TABLE_EXPORT},
        },
    }
    not_a_function = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::ImportValue": _TABLE_EXPORT},
            "Principal": "apigateway.amazonaws.com",
        },
    }
    return {
        "Resources": {
            "Api49610EDF": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "Api"}},
            "ApiANY": method,
            "ApiANYPermission": grant,
            "TwoImports": two_imports,
            "NotAFunction": not_a_function,
        }
    }


def _load(tmp_path: Path) -> Inventory:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "LambdaStack.template.json").write_text(json.dumps(_LAMBDA_STACK, indent=1), encoding="utf-8")
    (out / "ApiStack.template.json").write_text(json.dumps(_api_stack(), indent=1), encoding="utf-8")
    stack = {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/eu-west-1"}
    artifacts = {
        name: {**stack, "properties": {"templateFile": f"{name}.template.json"}}
        for name in ("LambdaStack", "ApiStack")
    }
    (out / "manifest.json").write_text(json.dumps({"artifacts": artifacts}), encoding="utf-8")
    found = discover([tmp_path])
    output = CdkSource().load(found.files, root=found.root)
    assert output.diagnostics == ()
    return output.inventory


def test_an_imported_function_export_is_the_exporting_stack_function(tmp_path: Path) -> None:
    inventory = _load(tmp_path)
    handler = "cdk.out/LambdaStack.template.json#Handler886CB40B"

    (route,) = inventory.api_routes
    assert (route.function, route.qualifier) == (handler, None)
    grants = {grant.origin.resource: grant.function for grant in inventory.permissions}
    assert grants == {
        "ApiANYPermission": handler,
        "TwoImports": Unresolved(f"!ImportValue {_EXPORT}"),
        "NotAFunction": Unresolved(f"!ImportValue {_TABLE_EXPORT}"),
    }
    (fn,) = inventory.functions
    assert [r.origin.resource for r in inventory.routes_to(fn)] == ["ApiANY"]
