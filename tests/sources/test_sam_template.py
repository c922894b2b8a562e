"""SAM transform as a whole: other SAM types, marks everywhere, robustness, parity with aws-sam-translator."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from lambdasec.sources.cloudformation.sam import SamExpansion, expand_sam
from lambdasec.sources.cloudformation.sam_marks import new_dict, new_list
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, load_yaml

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "orders-app" / "template.yaml"


def expand(text: str) -> SamExpansion:
    return expand_sam(load_yaml(text), file="template.yaml")


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


def unmarked(value: Any, path: str = "") -> list[str]:
    """Pointers to containers that are not marked or have no line."""
    if isinstance(value, dict):
        bad = [] if isinstance(value, MarkedDict) and value.line > 0 else [path or "/"]
        if isinstance(value, MarkedDict):
            bad += [f"{path}/{k}@key" for k in value if value.key_lines.get(k, 0) <= 0]
        return bad + [p for k, v in value.items() for p in unmarked(v, f"{path}/{k}")]
    if isinstance(value, list):
        ok = isinstance(value, MarkedList) and value.line > 0 and len(value.item_lines) == len(value)
        bad = [] if ok else [path]
        return bad + [p for i, v in enumerate(value) for p in unmarked(v, f"{path}/{i}")]
    return []


def test_every_emitted_container_is_marked() -> None:
    result = expand_sam(load_yaml(EXAMPLE.read_text()), file="template.yaml")
    assert result.diagnostics == ()
    assert unmarked(result.template["Resources"]) == []


def test_layer_table_and_kept_types() -> None:
    result = expand("""\
Resources:
  Layer:
    Type: AWS::Serverless::LayerVersion
    DeletionPolicy: Retain
    Properties:
      LayerName: deps
      ContentUri: layers/deps/
      CompatibleRuntimes: [python3.12]
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: pk, Type: Number}
      SSESpecification: {SSEEnabled: true}
      Tags: {team: data}
  App:
    Type: AWS::Serverless::Application
    Properties:
      Location: {ApplicationId: arn:aws:serverlessrepo:x, SemanticVersion: 1.0.0}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: flow.asl.json
""")
    assert result.diagnostics == ()
    resources = result.template["Resources"]
    assert plain(resources["Layer"]) == {
        "Type": "AWS::Lambda::LayerVersion",
        "DeletionPolicy": "Retain",
        "Properties": {
            "Content": {"lambdasec:LocalPath": "layers/deps/"},
            "LayerName": "deps",
            "CompatibleRuntimes": ["python3.12"],
        },
    }
    assert resources["Layer"]["Properties"].key_lines["Content"] == 7
    assert plain(resources["Table"]) == {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "SSESpecification": {"SSEEnabled": True},
            "Tags": [{"Key": "team", "Value": "data"}],
        },
    }
    assert resources["App"]["Type"] == "AWS::Serverless::Application"
    # A state machine's local definition file becomes an include, read after the expansion.
    assert plain(resources["Flow"]) == {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {
            "Definition": {
                "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "flow.asl.json"}}
            }
        },
    }
    assert result.includes


def test_unknown_sam_type_and_collisions_are_warnings() -> None:
    result = expand("""\
Resources:
  Odd:
    Type: AWS::Serverless::Functoin
  FnRole:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
""")
    assert sorted((d.line, d.message) for d in result.diagnostics) == [
        (2, "`Odd` has an unknown SAM type `AWS::Serverless::Functoin`; kept as is"),
        (7, "SAM would generate `FnRole`, which the template already defines; kept the template's"),
    ]
    assert plain(result.template["Resources"]["FnRole"]) == {
        "Type": "AWS::IAM::Role",
        "Properties": {"AssumeRolePolicyDocument": {}},
    }


@pytest.mark.parametrize(
    "text",
    [
        "Resources: [1, 2]\n",
        "Resources:\n  Fn: 3\n  G:\n    Type: AWS::Serverless::Function\n    Properties: 7\n",
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events: {E: 1}\n",
        "Globals: 3\nResources: {}\n",
        "Resources:\n  A:\n    Type: AWS::Serverless::Api\n    Properties:\n      Auth: 3\n",
        "Resources:\n  A:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionBody: 3\n",
    ],
)
def test_malformed_templates_never_raise(text: str) -> None:
    result = expand(text)
    assert result.diagnostics
    assert all(d.level == "warning" and d.file == "template.yaml" and d.line for d in result.diagnostics)


def test_marked_container_shortcut_sets_the_same_slots() -> None:
    assert MarkedDict.__slots__ == ("key_lines", "line")
    assert MarkedList.__slots__ == ("item_lines", "line")
    made, built = new_dict(4), MarkedDict(4)
    assert (made.line, made.key_lines, type(made)) == (built.line, built.key_lines, type(built))
    items, listed = new_list(4), MarkedList(4)
    assert (items.line, items.item_lines, type(items)) == (listed.line, listed.item_lines, type(listed))


def _normalized(resources: dict[str, Any]) -> dict[str, Any]:
    resources = {k: {a: v for a, v in r.items() if a != "Metadata"} for k, r in resources.items()}
    text = json.dumps(resources, sort_keys=True)
    text = re.sub(r"(Version|Deployment)[0-9a-f]{10}\b", r"\1X", text)
    text = re.sub(r"RestApi deployment id: [0-9a-f]+", "D", text)
    text = text.replace("arn:aws:apigateway", "arn:${AWS::Partition}:apigateway")
    text = text.replace("arn:aws:execute-api", "arn:${AWS::Partition}:execute-api")
    out: dict[str, Any] = json.loads(text)
    return out


def test_same_cloudformation_as_aws_sam_translator_on_the_example_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """aws-sam-translator is the reference when installed (it needs S3 code locations: swapped in)."""
    transform = pytest.importorskip("samtranslator.translator.transform").transform
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    text = re.sub(r"CodeUri: src/([a-z]+)/", r"CodeUri: s3://bucket/\1.zip", EXAMPLE.read_text())

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    from samtranslator.yaml_helper import yaml_parse

    reference = transform(yaml_parse(text), {}, NoManagedPolicies())["Resources"]
    ours = expand(text).template["Resources"]
    assert _normalized(ours) == _normalized(reference)
