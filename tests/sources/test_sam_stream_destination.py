"""SAM stream events: `DestinationConfig.OnFailure` reaches the mapping with or without SAM's `Type`."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import EventSourceMapping
from sources.cfn.load import load

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Untyped:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/orders
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure:
                Destination: arn:aws:sqs:us-east-1:123456789012:orders-dlq
        Typed:
          Type: DynamoDB
          Properties:
            Stream: arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure:
                Type: SNS
                Destination: arn:aws:sns:us-east-1:123456789012:failures
"""


def _mappings(tmp_path: Path) -> dict[str, EventSourceMapping]:
    output = load(tmp_path, TEMPLATE)
    assert output.diagnostics == ()
    return {m.origin.resource: m for m in output.inventory.event_source_mappings}


def test_on_failure_destination_is_kept_without_a_type(tmp_path: Path) -> None:
    mappings = _mappings(tmp_path)
    assert {name: m.on_failure_destination for name, m in mappings.items()} == {
        "FnUntyped": "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
        "FnTyped": "arn:aws:sns:us-east-1:123456789012:failures",
    }
    assert dict(mappings["FnUntyped"].origin.fields)["on_failure_destination"] == 17


def test_only_a_typed_destination_adds_a_role_statement(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    (role,) = output.inventory.roles
    granted = {
        (action, str(resource))
        for policy in role.policies
        for statement in policy.document.statements
        for action in statement.actions or ()
        for resource in statement.resources or ()
        if action in ("sqs:SendMessage", "sns:publish")
    }
    assert granted == {("sns:publish", "arn:aws:sns:us-east-1:123456789012:failures")}
