"""Functions sharing a package and handler settings: each gets its own unit, flows and notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from factories import make_function
from lambdasec.config import Settings
from lambdasec.findings import DiagnosticLevel
from lambdasec.model import LambdaFunction, Language, Origin, SourceKind, TriggerKind
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.code.function_units import HandlerSetting, function_package
from lambdasec.sources.code.package_job import HandlerRequest, make_unit

SERVERLESS = """\
service: shop
provider:
  name: aws
  runtime: python3.13
functions:
  one:
    handler: app.handler
    events: [{httpApi: {path: /one, method: get}}]
  two:
    handler: app.handler
    events: [{httpApi: {path: /two, method: get}}]
  nightly:
    handler: app.handler
    events: [{schedule: rate(1 day)}]
  queue:
    handler: app.handler
    events: [{sqs: arn:aws:sqs:us-east-1:123456789012:jobs}]
  lost:
    handler: app.nothere
  alsolost:
    handler: app.nothere
  gone:
    handler: missing.handler
  alsogone:
    handler: missing.handler
"""
APP = """\
import os

def handler(event, context):
    os.system(event['queryStringParameters']['q'])
    os.system(event['Records'][0]['body'])
"""


def _function(
    name: str, handler: str, *, triggers: tuple[TriggerKind, ...] = ()
) -> tuple[LambdaFunction, HandlerSetting]:
    function = make_function(name)
    return function, HandlerSetting(handler, (Language.PYTHON,), triggers, False)


def test_one_request_is_sent_per_distinct_handler_setting_and_kinds_of_trigger() -> None:
    functions = [
        _function("a", "app.handler"),
        _function("b", "app.handler", triggers=(TriggerKind.SQS,)),
        _function("c", "app.handler"),
        _function("d", "other.handler"),
        _function("e", "app.handler", triggers=(TriggerKind.SQS,)),
    ]
    package = function_package("src", path=Path("src"), functions=functions)
    assert [(r.function, r.handler, r.triggers) for r in package.job.requests] == [
        ("a", "app.handler", ()),
        ("b", "app.handler", (TriggerKind.SQS,)),
        ("d", "other.handler", ()),
    ]
    assert package.sent == (0, 1, 0, 2, 1)
    assert package.functions == tuple(fn for fn, _ in functions)


def test_functions_sharing_handlers_get_their_own_flows_warnings_and_notes(tmp_path: Path) -> None:
    (tmp_path / "serverless.yml").write_text(SERVERLESS, encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = scan(
        ScanRequest(
            paths=(tmp_path,), settings=Settings(rules=frozenset({"LS501"})), today=date(2026, 11, 22)
        )
    )
    assert sorted((f.function, f.resource.id, f.location.line) for f in result.findings) == [
        ("shop-dev-one", "app.py:handler@shop-dev-one#shell:os.system:1", 4),
        ("shop-dev-one", "app.py:handler@shop-dev-one#shell:os.system:2", 5),
        ("shop-dev-queue", "app.py:handler@shop-dev-queue#shell:os.system:1", 5),
        ("shop-dev-two", "app.py:handler@shop-dev-two#shell:os.system:1", 4),
        ("shop-dev-two", "app.py:handler@shop-dev-two#shell:os.system:2", 5),
    ]
    assert [(d.level, d.file, d.message) for d in result.diagnostics] == [
        (
            DiagnosticLevel.WARNING,
            "app.py",
            "handler `app.nothere` of `shop-dev-alsolost`: no `nothere` in app.py",
        ),
        (
            DiagnosticLevel.WARNING,
            "app.py",
            "handler `app.nothere` of `shop-dev-lost`: no `nothere` in app.py",
        ),
        (
            DiagnosticLevel.WARNING,
            "serverless.yml",
            "handler code of 2 functions is not in the scanned tree, so it is not analysed: "
            "`shop-dev-gone` (missing.handler in .), `shop-dev-alsogone` (missing.handler in .)",
        ),
    ]


def test_a_unit_is_keyed_by_the_function_identity_not_by_how_it_is_shown() -> None:
    # A CDK function without a name is shown by construct path; its fingerprints keep the logical id.
    request = HandlerRequest(
        function="cdk.out/Shop.template.json#CreateFn4C7D8E17",
        name="Shop/CreateFn",
        identity="CreateFn4C7D8E17",
        handler="index.handler",
        languages=(Language.JAVASCRIPT,),
        triggers=(),
        http=True,
        declared=Origin(
            source=SourceKind.CDK, file="cdk.out/Shop.template.json", line=3, resource="CreateFn4C7D8E17"
        ),
    )

    unit = make_unit(request, file="asset.1/index.js", language=Language.JAVASCRIPT, symbol="handler", line=1)

    assert unit.key == "asset.1/index.js:handler@CreateFn4C7D8E17"
