"""Code findings in the reports: the trace in JSON, SARIF code flows (schema-valid) and the terminal."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

from factories import make_function, make_inventory, run
from lambdasec.config import Settings
from lambdasec.findings import ScanResult, ToolInfo
from lambdasec.model import (
    CodeUnit,
    Flow,
    FlowStep,
    HandlerMatch,
    Language,
    Origin,
    SinkKind,
    SourceKind,
    Taint,
)
from lambdasec.reporters import JsonReporter, SarifReporter, TerminalReporter
from lambdasec.rules.code.shell_command_injection import shell_command_injection
from lambdasec.scan import ScanRequest, scan

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "reporters" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
UNIT = "src/index.mjs:handler"
KEY = f"{UNIT}#shell:child_process.execSync:1"
STEPS = (
    FlowStep(file="src/index.mjs", line=4, note="event.queryStringParameters.name"),
    FlowStep(file="src/index.mjs", line=5, note="passed to convert(name) in lib/images.mjs"),
    FlowStep(file="src/lib/images.mjs", line=7, note="child_process.execSync(`convert ${name} out.png`)"),
)


def code_result() -> ScanResult:
    unit = CodeUnit(
        key=UNIT,
        file="src/index.mjs",
        symbol="handler",
        language=Language.JAVASCRIPT,
        function="OrdersApi",
        match=HandlerMatch.INFRASTRUCTURE,
        origin=Origin(source=SourceKind.CODE, file="src/index.mjs", line=3, resource=UNIT),
    )
    flow = Flow(
        key=KEY,
        unit=UNIT,
        function="OrdersApi",
        sink=SinkKind.SHELL,
        callee="child_process.execSync",
        taints=frozenset({Taint.EVENT}),
        steps=STEPS,
        origin=Origin(source=SourceKind.CODE, file="src/lib/images.mjs", line=7, resource=KEY),
    )
    inv = make_inventory(
        functions=[make_function(key="OrdersApi", name="orders-api")], code_units=[unit], flows=[flow]
    )
    findings = run(shell_command_injection, inv).findings
    return ScanResult(
        tool=ToolInfo(version="0.1.0"),
        findings=tuple(findings),
        functions=1,
        rules=(shell_command_injection.info(),),
    )


def test_json_finding_carries_the_trace_and_the_function() -> None:
    (finding,) = json.loads(JsonReporter().render(code_result()))["findings"]
    assert finding["trace"] == [
        {"file": "src/index.mjs", "line": 4, "note": "event.queryStringParameters.name"},
        {"file": "src/index.mjs", "line": 5, "note": "passed to convert(name) in lib/images.mjs"},
        {
            "file": "src/lib/images.mjs",
            "line": 7,
            "note": "child_process.execSync(`convert ${name} out.png`)",
        },
    ]
    assert finding["function"] == "orders-api"
    assert finding["location"] == {"source": "code", "file": "src/lib/images.mjs", "line": 7}
    assert finding["resource"] == {"type": "code_flow", "id": KEY}
    assert finding["message"] == (
        "`orders-api` passes `event.queryStringParameters.name` to `child_process.execSync` (shell command)"
    )


def test_remediation_shows_the_fix_for_the_handler_language() -> None:
    (finding,) = code_result().findings
    assert "execFileSync" in finding.remediation
    assert "```python" not in finding.remediation
    assert finding.remediation.startswith("Use instead:")


def test_sarif_code_flow_has_a_located_message_per_step_and_validates() -> None:
    log: dict[str, Any] = json.loads(SarifReporter().render(code_result()))
    jsonschema.validate(log, SCHEMA)
    (result,) = log["runs"][0]["results"]
    assert result["codeFlows"] == [
        {
            "threadFlows": [
                {
                    "locations": [
                        {
                            "location": {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": step.file, "uriBaseId": "%SRCROOT%"},
                                    "region": {"startLine": step.line},
                                },
                                "message": {"text": step.note},
                            }
                        }
                        for step in STEPS
                    ]
                }
            ]
        }
    ]
    assert result["locations"][0]["logicalLocations"][0] == {"name": "orders-api", "kind": "function"}


def test_terminal_lists_the_trace_steps() -> None:
    text = TerminalReporter(color=False, width=200).render(code_result())
    assert "Trace:\n" in text
    assert "  1. src/index.mjs:4  event.queryStringParameters.name\n" in text
    assert "  2. src/index.mjs:5  passed to convert(name) in lib/images.mjs\n" in text
    assert "  3. src/lib/images.mjs:7  child_process.execSync(`convert ${name} out.png`)\n" in text


TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-api
      CodeUri: .
      Handler: app.handler
      Runtime: python3.12
      Events:
        Get:
          Type: Api
          Properties:
            Path: /orders
            Method: get
"""
APP = """\
from util import run


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    cmd = f"ls {name}"
    run(cmd)
    return {"statusCode": 200}
"""
UTIL = """\
import subprocess


def run(command):
    return subprocess.run(command, shell=True)
"""


def test_scanned_handler_gives_a_schema_valid_report_with_the_cross_module_trace(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "util.py").write_text(UTIL, encoding="utf-8")
    result = scan(
        ScanRequest(
            paths=(tmp_path,), settings=Settings(rules=frozenset({"LS501"})), today=date(2026, 11, 22)
        )
    )
    (finding,) = [f for f in result.findings if f.rule == "LS501"]
    assert (finding.location.file, finding.location.line, finding.function) == ("util.py", 5, "orders-api")
    assert [(step.file, step.line) for step in finding.trace] == [
        ("app.py", 5),
        ("app.py", 6),
        ("app.py", 7),
        ("util.py", 5),
    ]
    jsonschema.validate(json.loads(SarifReporter().render(result)), SCHEMA)


def test_inline_suppressions_in_code_mark_code_findings(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "app.py").write_text(
        APP + '\nAPI_KEY = "q8Zr2LmV7xWp4NsTk3Jd"  # lambdasec: ignore[LS305] -- rotated test key\n',
        encoding="utf-8",
    )
    (tmp_path / "util.py").write_text(
        UTIL.replace(
            "    return subprocess",
            "    # lambdasec: ignore[LS501] -- commands come from an allow-list\n    return subprocess",
        ),
        encoding="utf-8",
    )
    result = scan(
        ScanRequest(
            paths=(tmp_path,),
            settings=Settings(rules=frozenset({"LS501", "LS305"})),
            today=date(2026, 11, 22),
        )
    )
    assert sorted(
        (f.rule, f.location.file, f.location.line, f.suppressed.reason if f.suppressed else None)
        for f in result.findings
    ) == [
        ("LS305", "app.py", 10, "rotated test key"),
        ("LS501", "util.py", 6, "commands come from an allow-list"),
    ]
