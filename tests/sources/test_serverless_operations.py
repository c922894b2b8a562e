"""serverless.yml settings behind the operations and supply-chain rules: stream failure destinations, vpc
from a variable, and function properties overridden under `resources:`."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Inventory, LambdaFunction, SourceKind, TriggerKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: ops
provider:
  name: aws
  runtime: python3.13
functions:
  streams:
    handler: app.handler
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:111122223333:stream/clicks
          destinations:
            onFailure: arn:aws:sqs:us-east-1:111122223333:failed
      - stream:
          type: dynamodb
          arn: !GetAtt Table.StreamArn
          destinations:
            onFailure:
              arn: !GetAtt Failed.Arn
              type: sns
      - stream:
          arn: arn:aws:kinesis:us-east-1:111122223333:stream/views
  fromSsm:
    handler: app.handler
    vpc: ${ssm:/network/vpc}
  signed:
    handler: app.handler
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
    Failed:
      Type: AWS::SNS::Topic
    SignedLambdaFunction:
      Properties:
        CodeSigningConfigArn: arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-1
"""
K = "serverless.yml#"


def _load(tmp_path: Path) -> Inventory:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert diagnostics == ()
    assert inventory is not None
    return inventory


def _function(inventory: Inventory, name: str) -> LambdaFunction:
    return next(f for f in inventory.functions if f.name == name)


def test_stream_failure_destinations_are_kept(tmp_path: Path) -> None:
    mappings = sorted(_load(tmp_path).event_source_mappings, key=lambda m: m.origin.line or 0)
    assert [(m.kind, m.on_failure_destination) for m in mappings] == [
        (TriggerKind.KINESIS, "arn:aws:sqs:us-east-1:111122223333:failed"),
        (TriggerKind.DYNAMODB, Unresolved("!GetAtt Failed.Arn")),
        (TriggerKind.KINESIS, None),
    ]


def test_vpc_from_an_unresolved_variable_stays_unknown(tmp_path: Path) -> None:
    fn = _function(_load(tmp_path), "ops-dev-fromSsm")
    assert fn.vpc == Unresolved("${ssm:/network/vpc}")


def test_resources_entry_overrides_the_function_properties(tmp_path: Path) -> None:
    inventory = _load(tmp_path)
    signed = _function(inventory, "ops-dev-signed")
    assert signed.code_signing_config == "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-1"
    assert (
        signed.origin.line_of("code_signing_config")
        == SERVICE.splitlines().index(
            "        CodeSigningConfigArn: arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-1"
        )
        + 1
    )
    assert _function(inventory, "ops-dev-streams").code_signing_config is None
