"""Lambda@Edge in a CDK assembly: a distribution's `edgeLambdas` on a function's current version."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.model import SourceKind, TriggerKind
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
