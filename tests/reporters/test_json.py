"""The JSON report follows design.md schema 1 exactly."""

from __future__ import annotations

import dataclasses
import json
import pickle

from lambdasec.findings import (
    Location,
    ResourceRef,
    RuleCoverage,
    ScanResult,
    SortedFindings,
    Standards,
    Suppression,
    ToolInfo,
    TraceStep,
)
from lambdasec.reporters.json import FindingLines, JsonReporter


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


def test_sorted_findings_are_in_sort_key_order_whoever_built_the_result(result: ScanResult) -> None:
    expected = sorted(result.findings, key=lambda f: f.sort_key())
    assert list(result.findings) != expected  # the fixture lists them out of order
    assert list(result.sorted_findings()) == expected
    ordered = SortedFindings(reversed(result.findings))
    assert list(ordered) == expected
    assert dataclasses.replace(result, findings=ordered).sorted_findings() is ordered
    copied = pickle.loads(pickle.dumps(ordered))
    assert type(copied) is SortedFindings and copied == ordered
    text = JsonReporter().render(result)
    assert JsonReporter().render(dataclasses.replace(result, findings=ordered)) == text


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


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(", ", ": "))


def test_finding_lines_equal_encoding_to_json(result: ScanResult) -> None:
    # Every optional part on and off: construct path, properties, standards, trace, a suppression with
    # and without expiry, no file or line, text that needs escaping.
    odd = dataclasses.replace(
        result.findings[0],
        message='Role “admin” grants "*"\n\ton\\ every\x00 resource',
        function=None,
        resource=ResourceRef(type="function", id="Fn/Ünïcode", construct_path="App/Stack/Fn"),
        location=Location(source="cdk", file=None, line=None),
        properties=(("b", "2"), ("a", "é")),
        standards=Standards(
            owasp_serverless=("SAS-5",), security_hub=("Lambda.1",), practice="least privilege"
        ),
        suppressed=Suppression(kind="config", reason="accepted", expires="2027-01-31"),
        trace=(TraceStep(file="a.py", line=3, note="x"),),
    )
    findings = [
        *result.findings,
        odd,
        dataclasses.replace(odd, standards=None, properties=(), trace=()),
        # Unsorted and repeated keys, a value that is not a string: still what encoding the dict gives.
        dataclasses.replace(odd, properties=(("z", "1"), ("a", "2"), ("z", "3"))),
        dataclasses.replace(odd, properties=(("n", 3),)),  # type: ignore[arg-type]
    ]
    assert {f.suppressed is None for f in findings} == {True, False}
    assert any(f.trace for f in findings) and any(f.standards for f in findings)
    lines = FindingLines()

    assert [lines.line(f) for f in findings] == [_dumps(f.to_json()) for f in findings]
    # Parts cached per rule are reused, not mixed up between rules or severities.
    assert [lines.line(f) for f in reversed(findings)] == [_dumps(f.to_json()) for f in reversed(findings)]
