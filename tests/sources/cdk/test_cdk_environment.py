"""CDK stacks with an environment: the manifest's account, region and stack name resolve pseudo parameters."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.model import Inventory, Unresolved
from lambdasec.sources.cdk import CdkSource
from lambdasec.sources.cdk.assembly import environment_pseudo
from lambdasec.sources.discover import discover

# The shape CDK's own provider functions synthesize: `Runtime.determineLatestNodeRuntime` reads a
# region-keyed mapping, and asset buckets carry the account and region.
_PROVIDER = {
    "Type": "AWS::Lambda::Function",
    "Properties": {
        "Code": {
            "S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
            "S3Key": "c9e0.zip",
        },
        "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/provider",
        "Runtime": {"Fn::FindInMap": ["LatestNodeRuntimeMap", {"Ref": "AWS::Region"}, "value"]},
        "Environment": {"Variables": {"STACK": {"Ref": "AWS::StackName"}}},
    },
}
_MAPPINGS = {"LatestNodeRuntimeMap": {"eu-west-1": {"value": "nodejs20.x"}, "us-iso-east-1": {"value": "x"}}}


def _assembly(tmp_path: Path, *, environment: str, properties: dict[str, str] | None = None) -> Inventory:
    out = tmp_path / "cdk.out"
    out.mkdir()
    template = {"Mappings": _MAPPINGS, "Resources": {"ProviderHandler5A6B7C8D": _PROVIDER}}
    (out / "Provider.template.json").write_text(json.dumps(template, indent=1), encoding="utf-8")
    artifact = {
        "type": "aws:cloudformation:stack",
        "environment": environment,
        "properties": {"templateFile": "Provider.template.json", **(properties or {})},
    }
    manifest = {"version": "36.0.0", "artifacts": {"ProviderStack": artifact}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    found = discover([tmp_path])
    output = CdkSource().load(found.files, root=found.root)
    assert output.diagnostics == ()
    return output.inventory


def test_a_stack_environment_resolves_region_account_and_stack_name(tmp_path: Path) -> None:
    (fn,) = _assembly(tmp_path, environment="aws://123456789012/eu-west-1").functions

    assert fn.runtime == "nodejs20.x"
    assert fn.code.s3_bucket == "cdk-hnb659fds-assets-123456789012-eu-west-1"
    assert [(var.name, var.value) for var in fn.environment] == [("STACK", "ProviderStack")]


def test_the_stack_name_property_wins_over_the_artifact_id(tmp_path: Path) -> None:
    inventory = _assembly(
        tmp_path, environment="aws://123456789012/eu-west-1", properties={"stackName": "prod-provider"}
    )

    assert [(var.name, var.value) for var in inventory.functions[0].environment] == [
        ("STACK", "prod-provider")
    ]


def test_an_environment_agnostic_stack_leaves_region_and_account_unresolved(tmp_path: Path) -> None:
    (fn,) = _assembly(tmp_path, environment="aws://unknown-account/unknown-region").functions

    assert fn.runtime == Unresolved("!FindInMap [LatestNodeRuntimeMap, !Ref AWS::Region, value]")
    assert fn.code.s3_bucket == Unresolved("!Sub cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}")


def test_environment_pseudo_parameters() -> None:
    assert environment_pseudo("aws://123456789012/eu-west-1") == (
        ("AWS::AccountId", "123456789012"),
        ("AWS::Region", "eu-west-1"),
    )
    assert environment_pseudo("aws://unknown-account/cn-north-1") == (
        ("AWS::Region", "cn-north-1"),
        ("AWS::Partition", "aws-cn"),
        ("AWS::URLSuffix", "amazonaws.com.cn"),
    )
    assert environment_pseudo("aws://123456789012/unknown-region") == (("AWS::AccountId", "123456789012"),)
    assert environment_pseudo("aws://unknown-account/unknown-region") == ()
    assert environment_pseudo(None) == ()


def test_a_nested_stack_keeps_the_region_but_not_the_stack_name(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    nested = {"Resources": {"Jobs1A2B3C4D": _PROVIDER}, "Mappings": _MAPPINGS}
    (out / "AppJobs.nested.template.json").write_text(json.dumps(nested, indent=1), encoding="utf-8")
    parent = {
        "Resources": {
            "JobsNestedStack": {
                "Type": "AWS::CloudFormation::Stack",
                "Properties": {"TemplateURL": "https://example.com/x.json"},
                "Metadata": {"aws:asset:path": "AppJobs.nested.template.json"},
            }
        }
    }
    (out / "App.template.json").write_text(json.dumps(parent, indent=1), encoding="utf-8")
    artifact = {
        "type": "aws:cloudformation:stack",
        "environment": "aws://123456789012/eu-west-1",
        "properties": {"templateFile": "App.template.json"},
    }
    (out / "manifest.json").write_text(json.dumps({"artifacts": {"App": artifact}}), encoding="utf-8")
    found = discover([tmp_path])

    (fn,) = CdkSource().load(found.files, root=found.root).inventory.functions

    assert fn.runtime == "nodejs20.x"
    assert [(var.name, var.value) for var in fn.environment] == [("STACK", Unresolved("!Ref AWS::StackName"))]
