"""serverless.yml events with `enabled: false`: their rules, schedules and mappings are switched off."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Inventory, SourceKind, TriggerKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: paused
provider:
  name: aws
  runtime: python3.12
functions:
  jobs:
    name: jobs
    handler: app.handler
    events:
      - schedule:
          rate: rate(1 day)
          enabled: false
      - schedule: rate(1 hour)
      - eventBridge:
          pattern: {source: [app.jobs]}
          enabled: false
      - eventBridge:
          schedule: rate(2 days)
          enabled: false
      - cloudwatchEvent:
          event: {source: [aws.ec2]}
          enabled: false
      - eventBridge:
          pattern: {source: [app.live]}
      - iot:
          sql: "SELECT * FROM 'devices'"
          enabled: false
      - iot:
          sql: "SELECT * FROM 'sensors'"
      - sqs:
          arn: arn:aws:sqs:us-east-1:111122223333:jobs
          enabled: false
      - stream:
          type: kinesis
          arn: arn:aws:kinesis:us-east-1:111122223333:stream/clicks
          enabled: false
      - stream:
          type: dynamodb
          arn: arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/2020-01-01T00:00:00.000
"""


def _load(tmp_path: Path) -> Inventory:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert diagnostics == ()
    assert inventory is not None
    return inventory


def test_events_switched_off(tmp_path: Path) -> None:
    inv = _load(tmp_path)
    pushed = sorted((str(t.kind), str(t.detail), t.enabled) for t in inv.push_triggers)
    assert pushed == [
        ("eventbridge", '{"source":["app.jobs"]}', False),
        ("eventbridge", '{"source":["app.live"]}', True),
        ("eventbridge", '{"source":["aws.ec2"]}', False),
        ("iot", "SELECT * FROM 'devices'", False),
        ("iot", "SELECT * FROM 'sensors'", True),
        ("schedule", "rate(1 day)", False),
        ("schedule", "rate(1 hour)", True),
        ("schedule", "rate(2 days)", False),
    ]
    polled = sorted((str(m.kind), m.enabled) for m in inv.event_source_mappings)
    assert polled == [(TriggerKind.DYNAMODB.value, True), ("kinesis", False), ("sqs", False)]


def test_a_disabled_event_points_at_its_enabled_line(tmp_path: Path) -> None:
    inv = _load(tmp_path)
    (devices,) = (t for t in inv.push_triggers if t.detail == "SELECT * FROM 'devices'")
    lines = SERVICE.splitlines()
    sql = next(n for n, text in enumerate(lines, start=1) if "FROM 'devices'" in text)
    assert dict(devices.origin.fields)["enabled"] == sql + 1
