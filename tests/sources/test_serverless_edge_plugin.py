"""serverless-plugin-cloudfront-lambda-edge: `lambdaAtEdge` functions trigger from the named distribution."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind, TriggerKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: static-site
plugins:
  - serverless-plugin-cloudfront-lambda-edge
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  environment:
    SLS_SVC_NAME: site
functions:
  rewriter:
    handler: src/rewrite.handler
    lambdaAtEdge:
      distribution: WebsiteDistribution
      eventType: origin-request
  headers:
    handler: src/headers.handler
    lambdaAtEdge:
      - distribution: WebsiteDistribution
        eventType: viewer-response
  plain:
    handler: src/plain.handler
resources:
  Resources:
    WebsiteDistribution:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          DefaultCacheBehavior:
            TargetOriginId: site
            ViewerProtocolPolicy: redirect-to-https
          CacheBehaviors:
            - PathPattern: /api/*
              TargetOriginId: site
              LambdaFunctionAssociations:
                - EventType: origin-request
                  LambdaFunctionARN: arn:aws:lambda:us-east-1:111122223333:function:old:1
          Enabled: true
"""
KEY = "serverless.yml#"
DISTRIBUTION = KEY + "WebsiteDistribution"


def _load(tmp_path: Path, text: str = SERVICE) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    path = tmp_path / "serverless.yml"
    path.write_text(text, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert inventory is not None
    return inventory, diagnostics


def _line(marker: str) -> int:
    return next(n for n, text in enumerate(SERVICE.splitlines(), start=1) if marker in text)


def test_each_function_is_associated_with_every_behavior_of_the_distribution(tmp_path: Path) -> None:
    """The plugin adds the function to the default and every other behavior, replacing an association
    of the same event type."""
    inv, diagnostics = _load(tmp_path)

    assert diagnostics == ()
    assert {
        t.key.removeprefix(DISTRIBUTION): (t.kind, t.function, t.source, t.detail, t.origin.line)
        for t in inv.push_triggers
    } == {
        "/DefaultCacheBehavior/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "RewriterLambdaFunction",
            DISTRIBUTION,
            "origin-request",
            _line("distribution: WebsiteDistribution"),
        ),
        "/DefaultCacheBehavior/LambdaFunctionAssociations/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "HeadersLambdaFunction",
            DISTRIBUTION,
            "viewer-response",
            _line("- distribution: WebsiteDistribution"),
        ),
        "/CacheBehaviors/0/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "RewriterLambdaFunction",
            DISTRIBUTION,
            "origin-request",
            _line("distribution: WebsiteDistribution"),
        ),
        "/CacheBehaviors/0/LambdaFunctionAssociations/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "HeadersLambdaFunction",
            DISTRIBUTION,
            "viewer-response",
            _line("- distribution: WebsiteDistribution"),
        ),
    }


def test_edge_functions_lose_their_environment_variables(tmp_path: Path) -> None:
    inv, _ = _load(tmp_path)

    assert {fn.key.removeprefix(KEY): [v.name for v in fn.environment] for fn in inv.functions} == {
        "RewriterLambdaFunction": [],
        "HeadersLambdaFunction": [],
        "PlainLambdaFunction": ["SLS_SVC_NAME"],
    }


def test_without_the_plugin_lambda_at_edge_is_not_read(tmp_path: Path) -> None:
    inv, _ = _load(tmp_path, SERVICE.replace("  - serverless-plugin-cloudfront-lambda-edge\n", "  - other\n"))

    assert [(t.detail, t.function) for t in inv.push_triggers] == [
        ("origin-request", "arn:aws:lambda:us-east-1:111122223333:function:old:1")
    ]


def test_a_distribution_not_in_resources_is_reported(tmp_path: Path) -> None:
    text = SERVICE.replace(
        "distribution: WebsiteDistribution\n      eventType", "distribution: Missing\n      eventType"
    )
    inv, diagnostics = _load(tmp_path, text)

    assert [(d.message, d.line) for d in diagnostics] == [
        (
            "`lambdaAtEdge` names `Missing`, not a CloudFront distribution of `resources`",
            _line("distribution: WebsiteDistribution"),
        )
    ]
    assert {t.function for t in inv.push_triggers} == {
        KEY + "HeadersLambdaFunction",
        "arn:aws:lambda:us-east-1:111122223333:function:old:1",
    }
