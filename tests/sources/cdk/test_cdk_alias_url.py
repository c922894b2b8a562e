"""A public function URL on an alias: the grants `alias.addFunctionUrl()` generates are implicit."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.sources.cdk import CdkSource
from lambdasec.sources.discover import discover

_FN = {"Ref": "Alias325C5727"}
_RESOURCES = {
    "MyLambdaCCE802FB": {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Code": {"ZipFile": "foo"},
            "Handler": "index.handler",
            "Role": "arn:aws:iam::1:role/r",
        },
    },
    "MyLambdaCurrentVersionE7A382CC": {
        "Type": "AWS::Lambda::Version",
        "Properties": {"FunctionName": {"Ref": "MyLambdaCCE802FB"}},
    },
    "Alias325C5727": {
        "Type": "AWS::Lambda::Alias",
        "Properties": {
            "FunctionName": {"Ref": "MyLambdaCCE802FB"},
            "FunctionVersion": {"Fn::GetAtt": ["MyLambdaCurrentVersionE7A382CC", "Version"]},
            "Name": "prod",
        },
    },
    "AliasFunctionUrlDC6EC566": {
        "Type": "AWS::Lambda::Url",
        "Properties": {
            "AuthType": "NONE",
            "Qualifier": "prod",
            "TargetFunctionArn": {"Fn::GetAtt": ["MyLambdaCCE802FB", "Arn"]},
        },
    },
    "Aliasinvokefunctionurl4CA9917B": {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunctionUrl",
            "FunctionName": _FN,
            "FunctionUrlAuthType": "NONE",
            "Principal": "*",
        },
    },
    "Aliasinvokefunction83AEC4F1": {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": _FN,
            "InvokedViaFunctionUrl": True,
            "Principal": "*",
        },
    },
    "AliasPublicE1F2A3B4": {  # written by the user: a public grant, not the URL's
        "Type": "AWS::Lambda::Permission",
        "Properties": {"Action": "lambda:InvokeFunction", "FunctionName": _FN, "Principal": "*"},
    },
}
_PATHS = {
    "MyLambda/Resource": "MyLambdaCCE802FB",
    "MyLambda/CurrentVersion/Resource": "MyLambdaCurrentVersionE7A382CC",
    "Alias/Resource": "Alias325C5727",
    "Alias/FunctionUrl/Resource": "AliasFunctionUrlDC6EC566",
    "Alias/invoke-function-url": "Aliasinvokefunctionurl4CA9917B",
    "Alias/invokefunction": "Aliasinvokefunction83AEC4F1",
    "Alias/Public": "AliasPublicE1F2A3B4",
}


def test_alias_url_grants_are_implicit_and_a_written_grant_is_not(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "Stack.template.json").write_text(
        json.dumps({"Resources": _RESOURCES}, indent=1), encoding="utf-8"
    )
    metadata = {
        f"/Stack/{path}": [{"type": "aws:cdk:logicalId", "data": lid}] for path, lid in _PATHS.items()
    }
    artifact = {
        "type": "aws:cloudformation:stack",
        "environment": "aws://unknown-account/unknown-region",
        "properties": {"templateFile": "Stack.template.json"},
        "metadata": metadata,
    }
    (out / "manifest.json").write_text(json.dumps({"artifacts": {"Stack": artifact}}), encoding="utf-8")
    found = discover([tmp_path])
    output = CdkSource().load(found.files, root=found.root)

    assert output.diagnostics == ()
    assert sorted(
        (grant.origin.construct_path, grant.implicit) for grant in output.inventory.permissions
    ) == [
        ("Stack/Alias/Public", False),
        ("Stack/Alias/invoke-function-url", True),
        ("Stack/Alias/invokefunction", True),
    ]
