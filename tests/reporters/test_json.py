"""The JSON report follows design.md schema 1 exactly."""

from __future__ import annotations

import json

from lambdasec.findings import RuleCoverage, ScanResult, ToolInfo
from lambdasec.reporters.json import JsonReporter


def test_top_level_and_summary(result: ScanResult) -> None:
    doc = json.loads(JsonReporter().render(result))
    assert sorted(doc) == ["coverage", "diagnostics", "findings", "schema", "summary", "tool"]
    assert doc["schema"] == 1
    assert doc["tool"] == {"name": "lambdasec", "version": "0.1.0"}
    assert doc["summary"] == {
        "functions": 2,
        "findings": {"critical": 1, "high": 1, "medium": 0, "low": 1},
        "suppressed": 2,
        "complete": False,
        "profile": "default",
    }


def test_findings_are_sorted_and_keep_suppressed(result: ScanResult) -> None:
    doc = json.loads(JsonReporter().render(result))
    assert [(f["rule"], f["location"].get("file"), f["location"].get("line")) for f in doc["findings"]] == [
        ("LS000", None, None),
        ("LS501", "src/app.py", 14),
        ("LS301", "template.yaml", None),
        ("LS201", "template.yaml", 12),
        ("LS102", "template.yaml", 30),
    ]
    by_rule = {f["rule"]: f for f in doc["findings"]}
    assert by_rule["LS102"]["suppressed"] == {
        "kind": "inline",
        "reason": "legacy role, removal tracked in OPS-12",
    }
    assert by_rule["LS201"]["suppressed"] is None
    assert by_rule["LS501"]["trace"] == [
        {"file": "src/app.py", "line": 8, "note": "event['body']"},
        {"file": "src/app.py", "line": 14, "note": "cursor.execute(query)"},
    ]
    assert "trace" not in by_rule["LS201"]
    assert by_rule["LS201"] == result.findings[0].to_json()


def test_diagnostics_sorted(result: ScanResult) -> None:
    doc = json.loads(JsonReporter().render(result))
    assert doc["diagnostics"] == [
        {
            "level": "warning",
            "source": "aws",
            "message": "GetPolicy AccessDenied for `billing`",
            "location": {},
        },
        {
            "level": "error",
            "source": "cloudformation",
            "message": "could not parse YAML: mapping values are not allowed here",
            "location": {"file": "broken.yaml", "line": 3},
        },
    ]


def test_coverage_counts_distinct_resources_and_lists_reasons() -> None:
    result = ScanResult(
        tool=ToolInfo(version="0.1.0"),
        findings=(),
        coverage={
            "LS201": RuleCoverage(
                evaluated=4,
                unevaluated=(
                    ("UrlB", "auth type depends on `!Ref B`"),
                    ("UrlA", "auth type depends on `!Ref A`"),
                    ("UrlA", "auth type depends on `!Ref A`"),
                ),
            )
        },
    )
    doc = json.loads(JsonReporter().render(result))
    assert doc["coverage"] == {
        "rules": {
            "LS201": {
                "evaluated": 4,
                "unevaluated": 2,
                "reasons": [
                    {"resource": "UrlA", "reason": "auth type depends on `!Ref A`"},
                    {"resource": "UrlB", "reason": "auth type depends on `!Ref B`"},
                ],
            }
        }
    }
    assert doc["summary"]["complete"] is True


def test_output_is_sorted_with_one_finding_per_line(result: ScanResult) -> None:
    text = JsonReporter().render(result)
    assert text.endswith("}\n")
    doc = json.loads(text)
    lines = text.splitlines()
    top_keys = [line.split('"')[1] for line in lines if line.startswith('  "')]
    assert top_keys == sorted(doc) == ["coverage", "diagnostics", "findings", "schema", "summary", "tool"]
    finding_lines = [line.strip().rstrip(",") for line in lines if line.startswith('    {"category"')]
    assert [json.loads(line) for line in finding_lines] == doc["findings"]
    assert all(list(f) == sorted(f) for f in doc["findings"])
