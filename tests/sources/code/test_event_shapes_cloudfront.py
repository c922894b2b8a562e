"""Lambda@Edge events: the viewer's request is untrusted, what CloudFront adds is not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.model import CodeUnit, Language, Origin, SourceKind, Taint, TriggerKind
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.code.event_shapes import EventPolicy

E, W, C = Taint.EVENT, Taint.EVENT_WHOLE, Taint.CREDENTIAL


def _policy(*triggers: TriggerKind) -> EventPolicy:
    origin = Origin(source=SourceKind.CODE, file="app.py", line=1, resource="app.py:handler")
    unit = CodeUnit(
        key="app.py:handler",
        file="app.py",
        symbol="handler",
        language=Language.PYTHON,
        triggers=triggers,
        http=False,
        origin=origin,
    )
    return EventPolicy.for_unit(unit)


def test_the_request_uri_query_headers_and_body_are_untrusted() -> None:
    policy = _policy(TriggerKind.CLOUDFRONT)

    assert policy.taints(("Records", "0", "cf", "request", "uri")) == {E}
    assert policy.taints(("Records", "*", "cf", "request", "querystring")) == {E}
    assert policy.taints(("Records", "0", "cf", "request", "headers", "host", "0", "value")) == {E}
    assert policy.taints(("Records", "0", "cf", "request", "headers", "authorization")) == {E, C}
    assert policy.taints(("Records", "0", "cf", "request", "body", "data")) == {E}
    assert policy.taints(("Records", "0", "cf", "request")) == {E}
    assert policy.taints(()) == {W, E}


def test_what_cloudfront_sets_is_trusted() -> None:
    policy = _policy(TriggerKind.CLOUDFRONT)

    assert policy.taints(("Records", "0", "cf", "config", "distributionId")) == frozenset()
    assert policy.taints(("Records", "0", "cf", "request", "clientIp")) == frozenset()
    assert policy.taints(("Records", "0", "cf", "request", "origin", "s3", "domainName")) == frozenset()
    assert policy.taints(("Records", "0", "cf", "response", "status")) == frozenset()


EDGE_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Edge:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src
      AutoPublishAlias: live
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: site
          LambdaFunctionAssociations:
            - EventType: viewer-request
              LambdaFunctionARN: !Ref Edge.Version
"""
EDGE_HANDLER = """\
import subprocess


def handler(event, context):
    request = event["Records"][0]["cf"]["request"]
    subprocess.run("echo " + request["uri"], shell=True)
    subprocess.run("echo " + event["Records"][0]["cf"]["config"]["distributionId"], shell=True)
    return request
"""


def test_an_edge_handler_flags_the_viewer_uri_but_not_the_distribution_id(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(EDGE_TEMPLATE, encoding="utf-8")
    (tmp_path / "src" / "app.py").write_text(EDGE_HANDLER, encoding="utf-8")

    result = scan(
        ScanRequest(
            paths=(tmp_path,), settings=Settings(rules=frozenset({"LS501"})), today=date(2026, 11, 22)
        )
    )

    assert result.diagnostics == ()
    assert [(f.rule, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", "src/app.py", 6)
    ]
