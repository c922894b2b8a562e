"""CloudFormation and SAM triggers switched off: rule and schedule `State`, `RuleDisabled`, `Enabled`."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import TriggerKind, Unresolved
from sources.cfn.load import diagnostics, fields, line, load

TEMPLATE = """
Parameters:
  RuleState: {Type: String}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: fn, Role: r}
  Queue: {Type: AWS::SQS::Queue}
  Stopped:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      State: DISABLED
      Targets: [{Id: stop, Arn: !GetAtt Fn.Arn}]
  Started:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [app]}
      State: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
      Targets: [{Id: start, Arn: !GetAtt Fn.Arn}]
  Unset:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets: [{Id: unset, Arn: !GetAtt Fn.Arn}]
  FromParameter:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(2 days)
      State: !Ref RuleState
      Targets: [{Id: param, Arn: !GetAtt Fn.Arn}]
  Paused:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(5 minutes)
      FlexibleTimeWindow: {Mode: "OFF"}
      State: DISABLED
      Target: {Arn: !GetAtt Fn.Arn, RoleArn: r}
  Devices:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload:
        Sql: SELECT * FROM 'devices'
        RuleDisabled: true
        Actions: [{Lambda: {FunctionArn: !GetAtt Fn.Arn}}]
  Polling:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: !GetAtt Queue.Arn
      Enabled: "false"
"""


def test_cloudformation_states_switch_triggers_off(tmp_path: Path) -> None:
    out = load(tmp_path, TEMPLATE)
    assert diagnostics(out) == set()
    enabled = {t.origin.resource: t.enabled for t in out.inventory.push_triggers}
    assert enabled == {
        "Stopped/Targets/stop": False,
        "Started/Targets/start": True,
        "Unset/Targets/unset": True,
        "FromParameter/Targets/param": Unresolved("parameter RuleState has no default"),
        "Paused": False,
        "Devices/Actions/0": False,
    }
    assert [(m.origin.resource, m.enabled) for m in out.inventory.event_source_mappings] == [
        ("Polling", False)
    ]
    triggers = {t.origin.resource: t for t in out.inventory.push_triggers}
    assert fields(triggers["Stopped/Targets/stop"])["enabled"] == line(TEMPLATE, "State: DISABLED")
    assert fields(triggers["Paused"])["enabled"] == line(TEMPLATE, "State: DISABLED", nth=2)
    assert fields(triggers["Devices/Actions/0"])["enabled"] == line(TEMPLATE, "RuleDisabled: true")
    assert "enabled" not in fields(triggers["Unset/Targets/unset"])


SAM = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Stream: {Type: AWS::Kinesis::Stream, Properties: {ShardCount: 1}}
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {StreamSpecification: {StreamViewType: NEW_IMAGE}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: fn
      Runtime: python3.12
      Handler: app.handler
      InlineCode: pass
      Events:
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day), Enabled: false}
        Hourly:
          Type: Schedule
          Properties: {Schedule: rate(1 hour), State: DISABLED}
        Live:
          Type: Schedule
          Properties: {Schedule: rate(1 minute), Enabled: true}
        Legacy:
          Type: CloudWatchEvent
          Properties: {Pattern: {source: [legacy]}, Enabled: false}
        Bridge:
          Type: EventBridgeRule
          Properties: {Pattern: {source: [app]}, State: DISABLED}
        Later:
          Type: ScheduleV2
          Properties: {ScheduleExpression: rate(2 hours), State: DISABLED}
        Messages:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn, Enabled: false}
        Clicks:
          Type: Kinesis
          Properties: {Stream: !GetAtt Stream.Arn, StartingPosition: LATEST, Enabled: false}
        Changes:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST, Enabled: true}
"""


def test_sam_events_switched_off(tmp_path: Path) -> None:
    out = load(tmp_path, SAM)
    assert diagnostics(out) == set()
    pushed = {(t.origin.resource, t.kind, t.enabled) for t in out.inventory.push_triggers}
    assert pushed == {
        ("FnNightly/Targets/FnNightlyLambdaTarget", TriggerKind.SCHEDULE, False),
        ("FnHourly/Targets/FnHourlyLambdaTarget", TriggerKind.SCHEDULE, False),
        ("FnLive/Targets/FnLiveLambdaTarget", TriggerKind.SCHEDULE, True),
        ("FnLegacy/Targets/FnLegacyLambdaTarget", TriggerKind.EVENTBRIDGE, False),
        ("FnBridge/Targets/FnBridgeLambdaTarget", TriggerKind.EVENTBRIDGE, False),
        ("FnLater", TriggerKind.SCHEDULE, False),
    }
    polled = {(m.origin.resource, m.kind, m.enabled) for m in out.inventory.event_source_mappings}
    assert polled == {
        ("FnMessages", TriggerKind.SQS, False),
        ("FnClicks", TriggerKind.KINESIS, False),
        ("FnChanges", TriggerKind.DYNAMODB, True),
    }
    nightly = next(t for t in out.inventory.push_triggers if t.origin.resource.startswith("FnNightly"))
    assert fields(nightly)["enabled"] == line(SAM, "rate(1 day), Enabled: false")
