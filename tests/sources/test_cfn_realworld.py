"""Constructs of published SAM and CloudFormation templates that the source must read as AWS does."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import TriggerKind, Unresolved
from sources.cfn.load import diagnostics, load

EVENT_SOURCE_ARNS = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Prefix: {Type: String}
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: pass
      Events:
        Cluster:
          Type: MSK
          Properties:
            StartingPosition: LATEST
            Stream: !Sub arn:${AWS::Partition}:kafka:${AWS::Region}:123456789012:cluster/orders/abc-1
            Topics: [orders]
        Queue:
          Type: SQS
          Properties:
            Queue: !Join [":", [arn, !Ref AWS::Partition, sqs, !Ref AWS::Region, !Ref AWS::AccountId, jobs]]
        Stream:
          Type: Kinesis
          Properties:
            StartingPosition: LATEST
            Stream: !Join ["", ["arn:aws:kinesis:", !Ref AWS::Region, ":123456789012:stream/clicks"]]
        Other:
          Type: Kinesis
          Properties:
            StartingPosition: LATEST
            Stream: !Sub ${Prefix}:stream/clicks
"""


def test_event_source_kind_comes_from_the_literal_service_of_a_built_arn(tmp_path: Path) -> None:
    """An ARN built with Sub or Join names its service even when the region and account are unknown."""
    output = load(tmp_path, EVENT_SOURCE_ARNS)
    kinds = {m.key.rsplit("#", 1)[1]: m.kind for m in output.inventory.event_source_mappings}
    assert kinds == {
        "WorkerCluster": TriggerKind.KAFKA,
        "WorkerQueue": TriggerKind.SQS,
        "WorkerStream": TriggerKind.KINESIS,
        "WorkerOther": Unresolved("service of !Sub ${Prefix}:stream/clicks"),
    }
    assert diagnostics(output) == set()


NO_TRANSFORM = """
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: pass
"""


def test_serverless_resources_without_the_transform_are_read_as_sam(tmp_path: Path) -> None:
    """A template that omits the SAM transform still has its functions scanned, with a warning."""
    output = load(tmp_path, NO_TRANSFORM)
    assert [fn.key for fn in output.inventory.functions] == ["template.yaml#Worker"]
    assert [role.key for role in output.inventory.roles] == ["template.yaml#WorkerRole"]
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            2,
            "`AWS::Serverless::*` resources without `Transform: AWS::Serverless-2016-10-31`, which "
            "CloudFormation needs to deploy them; read as SAM",
        )
    }
