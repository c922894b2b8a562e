"""serverless.yml `cloudFront` events: the distribution the framework creates, as Lambda@Edge triggers."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind, TriggerKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: cdn
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
functions:
  viewer:
    handler: index.viewer
    events:
      - cloudFront:
          eventType: viewer-request
          origin: s3://site.s3.amazonaws.com/files
  api:
    handler: index.api
    events:
      - cloudFront:
          eventType: origin-request
          pathPattern: /api*
          includeBody: true
          origin:
            DomainName: api.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
      - cloudFront:
          eventType: origin-response
          pathPattern: /api*
          origin: https://api.example.com
"""
KEY = "serverless.yml#"
DISTRIBUTION = KEY + "CloudFrontDistribution"


def _load(tmp_path: Path, text: str = SERVICE) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    path = tmp_path / "serverless.yml"
    path.write_text(text, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert inventory is not None
    return inventory, diagnostics


def _line(marker: str, *, nth: int = 1) -> int:
    found = [n for n, text in enumerate(SERVICE.splitlines(), start=1) if marker in text]
    return found[nth - 1]


def test_cloudfront_events_are_triggers_of_the_distribution_the_framework_creates(tmp_path: Path) -> None:
    inv, diagnostics = _load(tmp_path)

    assert diagnostics == ()  # no "`cloudFront` events are not modelled yet"
    assert {
        t.key: (t.kind, t.function, t.source, t.detail, t.enabled, t.origin.line) for t in inv.push_triggers
    } == {
        DISTRIBUTION + "/DefaultCacheBehavior/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "ViewerLambdaFunction",
            DISTRIBUTION,
            "viewer-request",
            True,
            _line("- cloudFront:"),
        ),
        DISTRIBUTION + "/CacheBehaviors/0/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "ApiLambdaFunction",
            DISTRIBUTION,
            "origin-request",
            True,
            _line("- cloudFront:", nth=2),
        ),
        DISTRIBUTION + "/CacheBehaviors/0/LambdaFunctionAssociations/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "ApiLambdaFunction",
            DISTRIBUTION,
            "origin-response",
            True,
            _line("- cloudFront:", nth=3),
        ),
    }
    request = inv.push_triggers[1]
    assert dict(request.origin.fields)["detail"] == _line("eventType: origin-request")


def test_edge_functions_get_a_version_that_cloudfront_may_invoke(tmp_path: Path) -> None:
    inv, _ = _load(tmp_path)

    assert {(v.key, v.function) for v in inv.versions} == {
        (KEY + "ViewerLambdaVersion", KEY + "ViewerLambdaFunction"),
        (KEY + "ApiLambdaVersion", KEY + "ApiLambdaFunction"),
    }
    assert {(p.key, p.function, p.principal, p.origin.line) for p in inv.permissions} == {
        (
            KEY + "ViewerLambdaAtEdgeInvokePermission",
            KEY + "ViewerLambdaFunction",
            "edgelambda.amazonaws.com",
            _line("- cloudFront:"),
        ),
        (
            KEY + "ApiLambdaAtEdgeInvokePermission",
            KEY + "ApiLambdaFunction",
            "edgelambda.amazonaws.com",
            _line("- cloudFront:", nth=2),
        ),
    }


def test_a_cloudfront_event_that_is_not_a_mapping_is_reported(tmp_path: Path) -> None:
    text = SERVICE.replace(
        "      - cloudFront:\n          eventType: viewer-request\n          origin: s3://site.s3.amazonaws.com/files\n",
        "      - cloudFront: viewer-request\n",
    )
    inv, diagnostics = _load(tmp_path, text)
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "cloudFront: viewer-request" in t)

    assert [(d.message, d.line) for d in diagnostics] == [
        ("`cloudFront` event must be a mapping with an `eventType`", line)
    ]
    assert [t.detail for t in inv.push_triggers] == ["origin-request", "origin-response"]


SETTINGS = """\
service: cdn
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  memorySize: 1024
  environment:
    STAGE: prod
  vpc:
    subnetIds: [subnet-1]
    securityGroupIds: [sg-1]
functions:
  edge:
    handler: index.edge
    environment:
      API_TOKEN: not-deployed
    events:
      - cloudFront:
          eventType: origin-request
  sized:
    handler: index.sized
    memorySize: 256
    timeout: 20
    events:
      - cloudFront:
          eventType: origin-response
  regional:
    handler: index.regional
"""


def test_edge_functions_run_without_vpc_and_environment_and_with_edge_sizes(tmp_path: Path) -> None:
    """The framework drops VPC and environment from Lambda@Edge functions and sizes them for the edge."""
    inv, diagnostics = _load(tmp_path, SETTINGS)
    functions = {fn.key: fn for fn in inv.functions}

    assert diagnostics == ()
    assert {
        key.removeprefix(KEY): (fn.environment, fn.vpc is None, fn.memory_mb, fn.timeout_s)
        for key, fn in functions.items()
    } == {
        "EdgeLambdaFunction": ((), True, 128, 5),
        "SizedLambdaFunction": ((), True, 256, 20),
        "RegionalLambdaFunction": (functions[KEY + "RegionalLambdaFunction"].environment, False, 1024, 6),
    }
    assert [v.name for v in functions[KEY + "RegionalLambdaFunction"].environment] == ["STAGE"]


OVERRIDDEN = (
    SERVICE
    + """\
resources:
  Resources:
    CloudFrontDistribution:
      Properties:
        DistributionConfig:
          Aliases: [cdn.example.com]
          DefaultCacheBehavior:
            ViewerProtocolPolicy: redirect-to-https
          CacheBehaviors:
            - ViewerProtocolPolicy: https-only
"""
)


def test_resources_merge_into_the_generated_distribution_deeply(tmp_path: Path) -> None:
    """`resources.Resources` go through lodash's deep merge: settings added to the distribution's
    behaviors keep the function associations the framework generated."""
    inv, diagnostics = _load(tmp_path, OVERRIDDEN)

    assert diagnostics == ()
    assert [(t.key.removeprefix(DISTRIBUTION), t.function, t.detail) for t in inv.push_triggers] == [
        (
            "/DefaultCacheBehavior/LambdaFunctionAssociations/0",
            KEY + "ViewerLambdaFunction",
            "viewer-request",
        ),
        ("/CacheBehaviors/0/LambdaFunctionAssociations/0", KEY + "ApiLambdaFunction", "origin-request"),
        ("/CacheBehaviors/0/LambdaFunctionAssociations/1", KEY + "ApiLambdaFunction", "origin-response"),
    ]


def test_an_intrinsic_in_resources_replaces_the_generated_one_whole(tmp_path: Path) -> None:
    text = SERVICE + (
        "resources:\n  Resources:\n    ViewerLambdaAtEdgeInvokePermission:\n      Properties:\n"
        "        FunctionName: !GetAtt ApiLambdaFunction.Arn\n"
    )
    inv, diagnostics = _load(tmp_path, text)

    assert diagnostics == ()
    assert {p.key.removeprefix(KEY): p.function for p in inv.permissions} == {
        "ViewerLambdaAtEdgeInvokePermission": KEY + "ApiLambdaFunction",
        "ApiLambdaAtEdgeInvokePermission": KEY + "ApiLambdaFunction",
    }


def test_the_execution_role_may_log_from_every_region_the_replicas_run_in(tmp_path: Path) -> None:
    inv, _ = _load(tmp_path)
    (role,) = inv.roles

    assert [
        (s.actions, s.resources, s.origin.line)
        for p in role.policies
        for s in p.document.statements
        if s.resources == ("arn:aws:logs:*:*:*",)
    ] == [
        (
            ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
            ("arn:aws:logs:*:*:*",),
            _line("- cloudFront:"),
        )
    ]
