"""Lambda@Edge in a CDK assembly: a distribution's `edgeLambdas` on a function's current version."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.model import SourceKind, TriggerKind, Unresolved
from lambdasec.sources.cdk import CdkSource
from lambdasec.sources.discover import discover

MANIFEST = {
    "version": "38.0.1",
    "artifacts": {
        "Site": {
            "type": "aws:cloudformation:stack",
            "environment": "aws://111122223333/us-east-1",
            "properties": {"templateFile": "Site.template.json", "validateOnSynth": False},
            "displayName": "Site",
        }
    },
}
RESOURCES = {
    "EdgeFnServiceRole1A2B3C4D": {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        },
        "Metadata": {"aws:cdk:path": "Site/EdgeFn/ServiceRole/Resource"},
    },
    "EdgeFn4C7D8E17": {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Code": {"ZipFile": "exports.handler = async (e) => e.Records[0].cf.request;"},
            "Handler": "index.handler",
            "Role": {"Fn::GetAtt": ["EdgeFnServiceRole1A2B3C4D", "Arn"]},
            "Runtime": "nodejs20.x",
        },
        "Metadata": {"aws:cdk:path": "Site/EdgeFn/Resource"},
    },
    "EdgeFnCurrentVersion5F6A7B8C": {
        "Type": "AWS::Lambda::Version",
        "Properties": {"FunctionName": {"Ref": "EdgeFn4C7D8E17"}},
        "Metadata": {"aws:cdk:path": "Site/EdgeFn/CurrentVersion/Resource"},
    },
    "CdnE1F2A3B4": {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "Enabled": True,
                "DefaultCacheBehavior": {
                    "TargetOriginId": "SiteCdnOrigin1",
                    "ViewerProtocolPolicy": "allow-all",
                    "LambdaFunctionAssociations": [
                        {
                            "EventType": "origin-request",
                            "IncludeBody": True,
                            "LambdaFunctionARN": {"Ref": "EdgeFnCurrentVersion5F6A7B8C"},
                        }
                    ],
                },
            }
        },
        "Metadata": {"aws:cdk:path": "Site/Cdn/Resource"},
    },
}


def test_an_edge_lambda_is_a_cloudfront_trigger_of_the_function(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    (out / "cdk.out").write_text('{"version":"38.0.1"}', encoding="utf-8")
    text = json.dumps({"Resources": RESOURCES}, indent=1)
    (out / "Site.template.json").write_text(text, encoding="utf-8")
    found = discover([tmp_path])
    output = CdkSource().load(found.files, root=found.root)
    association = next(n for n, t in enumerate(text.splitlines(), start=1) if '"EventType": "origin' in t)

    assert output.diagnostics == ()
    key = "cdk.out/Site.template.json#"
    assert [
        (t.key, t.kind, t.function, t.source, t.detail, t.origin.source, t.origin.construct_path)
        for t in output.inventory.push_triggers
    ] == [
        (
            key + "CdnE1F2A3B4/DefaultCacheBehavior/LambdaFunctionAssociations/0",
            TriggerKind.CLOUDFRONT,
            key + "EdgeFn4C7D8E17",
            key + "CdnE1F2A3B4",
            "origin-request",
            SourceKind.CDK,
            "Site/Cdn/Resource",
        )
    ]
    assert output.inventory.push_triggers[0].origin.line == association - 1  # the entry's `{`


EDGE_STACK = "edge-lambda-stack-c8e2bdd5f2"
PARAMETER = "/cdk/EdgeFunctionArn/eu-west-1/Site/Auth"


def _cross_region_assembly(root: Path) -> None:
    """An `experimental.EdgeFunction` of a eu-west-1 stack: the function, its version and an SSM
    parameter with the version ARN in a us-east-1 stack; the distribution reads it across regions."""
    out = root / "cdk.out"
    out.mkdir()
    stacks = {
        "Site": ("aws://111122223333/eu-west-1", "Site.template.json"),
        EDGE_STACK: ("aws://111122223333/us-east-1", f"{EDGE_STACK}.template.json"),
    }
    manifest = {
        "version": "38.0.1",
        "artifacts": {
            name: {
                "type": "aws:cloudformation:stack",
                "environment": environment,
                "properties": {"templateFile": template, "validateOnSynth": False},
            }
            for name, (environment, template) in stacks.items()
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "cdk.out").write_text('{"version":"38.0.1"}', encoding="utf-8")
    edge = {
        "AuthServiceRole": RESOURCES["EdgeFnServiceRole1A2B3C4D"],
        "AuthFn1A2B3C4D": {
            **RESOURCES["EdgeFn4C7D8E17"],
            "Properties": {
                **RESOURCES["EdgeFn4C7D8E17"]["Properties"],
                "Role": {"Fn::GetAtt": ["AuthServiceRole", "Arn"]},
            },
        },
        "AuthFnCurrentVersion9A8B7C6D": {
            "Type": "AWS::Lambda::Version",
            "Properties": {"FunctionName": {"Ref": "AuthFn1A2B3C4D"}},
        },
        "AuthParameter5E6F7A8B": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {
                "Type": "String",
                "Name": PARAMETER,
                "Value": {"Ref": "AuthFnCurrentVersion9A8B7C6D"},
            },
        },
    }
    site = {
        "AuthArnReaderAB4FC772": {
            "Type": "Custom::CrossRegionStringParameterReader",
            "Properties": {
                "ServiceToken": "arn:aws:lambda:eu-west-1:111122223333:function:reader",
                "Region": "us-east-1",
                "ParameterName": PARAMETER,
                "RefreshToken": "AuthFnCurrentVersion9A8B7C6D",
            },
        },
        "CdnE1F2A3B4": {
            "Type": "AWS::CloudFront::Distribution",
            "Properties": {
                "DistributionConfig": {
                    "Enabled": True,
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "origin",
                        "LambdaFunctionAssociations": [
                            {
                                "EventType": "viewer-request",
                                "LambdaFunctionARN": {"Fn::GetAtt": ["AuthArnReaderAB4FC772", "FunctionArn"]},
                            }
                        ],
                    },
                }
            },
        },
    }
    for name, resources in (("Site", site), (EDGE_STACK, edge)):
        (out / f"{name}.template.json").write_text(json.dumps({"Resources": resources}), encoding="utf-8")


def test_a_cross_region_edge_function_is_found_through_its_ssm_parameter(tmp_path: Path) -> None:
    _cross_region_assembly(tmp_path)
    found = discover([tmp_path])
    output = CdkSource().load(found.files, root=found.root)

    assert output.diagnostics == ()
    assert [(t.key, t.function, t.detail) for t in output.inventory.push_triggers] == [
        (
            "cdk.out/Site.template.json#CdnE1F2A3B4/DefaultCacheBehavior/LambdaFunctionAssociations/0",
            f"cdk.out/{EDGE_STACK}.template.json#AuthFn1A2B3C4D",
            "viewer-request",
        )
    ]


def test_without_the_parameters_stack_the_function_stays_unknown(tmp_path: Path) -> None:
    _cross_region_assembly(tmp_path)
    (tmp_path / "cdk.out" / f"{EDGE_STACK}.template.json").write_text('{"Resources": {}}', encoding="utf-8")
    found = discover([tmp_path])
    output = CdkSource().load(found.files, root=found.root)

    assert [t.function for t in output.inventory.push_triggers] == [Unresolved(f"SSM parameter {PARAMETER}")]
