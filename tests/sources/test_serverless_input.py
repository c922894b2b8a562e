"""serverless.yml discovery and bad input: found by name or content, problems as diagnostics with lines."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import DiagnosticLevel
from lambdasec.model import SourceKind, Unresolved
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = "service: app\nprovider:\n  name: aws\nfunctions:\n  fn:\n    handler: h.handler\n"
CFN_IN_SERVERLESS = SERVICE + "resources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def test_discovery_by_name_or_by_service_and_provider_keys(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "serverless.yml": CFN_IN_SERVERLESS,
            "api/serverless.yaml": SERVICE,
            "jobs/sls-jobs.yml": SERVICE,
            "web/serverless.ts": "export default {service: 'web'}",
            "template.yaml": "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n",
            "notes.yml": "service: not-a-service-without-provider\n",
        },
    )
    found = discover([tmp_path])

    assert [(f.display, f.kind) for f in found.files] == [
        ("api/serverless.yaml", SourceKind.SERVERLESS),
        ("jobs/sls-jobs.yml", SourceKind.SERVERLESS),
        ("serverless.yml", SourceKind.SERVERLESS),
        ("template.yaml", SourceKind.CLOUDFORMATION),
        ("web/serverless.ts", SourceKind.SERVERLESS),
    ]
    assert found.diagnostics == ()


def _load(tmp_path: Path, text: str) -> tuple[object, set[tuple[str, int | None, str]]]:
    path = tmp_path / "serverless.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    return inventory, {(str(d.level), d.line, d.message) for d in diagnostics}


def test_invalid_yaml_is_an_error_with_its_line(tmp_path: Path) -> None:
    inventory, diagnostics = _load(tmp_path, "service: x\nprovider:\n  name: aws\n  runtime: [unclosed\n")

    assert inventory is None
    assert len(diagnostics) == 1
    ((level, line, message),) = diagnostics
    assert (level, line, message.startswith("invalid YAML: ")) == ("error", 5, True)


def test_wrong_types_are_errors_unknown_events_warnings_and_the_rest_is_read(tmp_path: Path) -> None:
    inventory, diagnostics = _load(
        tmp_path,
        """\
        service: bad
        provider:
          name: aws
          environment: [not, a, mapping]
        functions:
          broken: just-a-string
          good:
            handler: h.handler
            events:
              - iotFleetProvisioning: {templateBody: {}}
              - carrierPigeon: daily
              - http: {method: get}
              - sqs: {batchSize: 1}
              - s3: ${ssm:/bucket}
            url: ${ssm:/url-auth}
        """,
    )

    assert diagnostics == {
        ("error", 4, "`environment` must be a mapping"),
        ("error", 6, "function `broken` must be a mapping"),
        ("warning", 10, "`iotFleetProvisioning` events are not modelled yet; function `good`"),
        ("warning", 11, "unknown event type `carrierPigeon` on function `good`"),
        ("warning", 12, "`http` event needs `method` and `path`"),
        ("warning", 13, "`sqs` event needs a queue `arn`"),
        ("warning", 14, "`s3` event of function `good` depends on an unknown value"),
    }
    assert inventory is not None
    assert [f.name for f in inventory.functions] == ["bad-dev-good"]  # type: ignore[attr-defined]
    (url,) = inventory.function_urls  # type: ignore[attr-defined]
    assert url.auth_type == Unresolved("${ssm:/url-auth}")


def test_a_broken_service_does_not_stop_the_scan(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/serverless.yml": "service: a\nprovider: {name: aws\n",
            "b/serverless.yml": SERVICE + "    url: true\n",
        },
    )
    result = scan(
        ScanRequest(
            paths=(tmp_path,), settings=Settings(rules=frozenset({"LS201"})), today=date(2026, 11, 22)
        )
    )

    assert [(f.rule, f.location.file, f.location.line) for f in result.findings] == [
        ("LS201", "b/serverless.yml", 7)
    ]
    # The services carry no handler code; the code source's warning about that is not under test here.
    infrastructure = [(d.level, d.file) for d in result.diagnostics if d.source != "code"]
    assert infrastructure == [(DiagnosticLevel.ERROR, "a/serverless.yml")]
