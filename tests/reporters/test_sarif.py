"""The SARIF report validates against the 2.1.0 schema and carries rules, levels, fingerprints and flows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lambdasec.findings import ScanResult, Severity, Suppression, ToolInfo
from lambdasec.reporters.sarif import SarifReporter, level, security_severity, suppression_kind

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def render(result: ScanResult) -> dict[str, Any]:
    return json.loads(SarifReporter().render(result))


def by_rule(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


def test_validates_against_the_schema(result: ScanResult) -> None:
    jsonschema.validate(render(result), SCHEMA)


def test_empty_result_validates() -> None:
    log = render(ScanResult(tool=ToolInfo(version="0.1.0"), findings=()))
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_driver_rules_sorted_with_help_and_severity(result: ScanResult) -> None:
    driver = render(result)["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("lambdasec", "0.1.0")
    assert driver["informationUri"] == "https://github.com/lambdasec/lambdasec"
    assert [r["id"] for r in driver["rules"]] == ["LS000", "LS102", "LS201", "LS301", "LS501"]
    ls201 = driver["rules"][2]
    assert ls201["name"] == "function-url-auth-none"
    assert ls201["shortDescription"] == {
        "text": "Flags Lambda function URLs that accept unauthenticated requests (`AuthType: NONE`)."
    }
    assert ls201["fullDescription"]["text"] == (
        "Flags Lambda function URLs that accept unauthenticated requests (`AuthType: NONE`)."
    )
    assert ls201["help"]["markdown"] == result.rules[0].doc
    assert ls201["help"]["text"] == result.rules[0].doc
    assert ls201["helpUri"] == (
        "https://github.com/lambdasec/lambdasec/blob/main/docs/rules/LS201-function-url-auth-none.md"
    )
    assert ls201["defaultConfiguration"] == {"level": "error"}
    assert ls201["properties"] == {
        "security-severity": "8.0",
        "precision": "high",
        "tags": [
            "security",
            "exposure",
            "CWE-306",
            "external/cwe/cwe-306",
            "owasp-serverless/SAS-2",
            "owasp-serverless/SAS-5",
            "security-hub/Lambda.1",
        ],
        "standards": {
            "cwe": ["CWE-306"],
            "owasp_serverless": ["SAS-2", "SAS-5"],
            "security_hub": ["Lambda.1"],
            "practice": "authentication",
        },
    }


def test_rule_a_finding_names_but_the_scan_did_not_list_is_synthesized(result: ScanResult) -> None:
    ls000 = render(result)["runs"][0]["tool"]["driver"]["rules"][0]
    assert ls000["id"] == "LS000"
    assert ls000["shortDescription"] == {"text": "internal-error"}
    assert "help" not in ls000


def test_results_levels_indexes_and_fingerprints(result: ScanResult) -> None:
    log = render(result)
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("LS000", "error"),
        ("LS501", "error"),
        ("LS301", "note"),
        ("LS201", "error"),
        ("LS102", "warning"),
    ]
    for r in results:
        assert rules[r["ruleIndex"]] == r["ruleId"]
    assert by_rule(log)["LS201"]["partialFingerprints"] == {"lambdasecFingerprint/v1": "sha256:201"}


def test_locations(result: ScanResult) -> None:
    results = by_rule(render(result))
    assert results["LS201"]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "template.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 12},
            },
            "logicalLocations": [
                {"name": "orders-api", "kind": "function"},
                {"name": "OrdersApiUrl", "kind": "resource", "properties": {"type": "function_url"}},
            ],
        }
    ]
    # A file without a line: no region.
    assert results["LS301"]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "template.yaml", "uriBaseId": "%SRCROOT%"}
    }
    # Live AWS: no file, only the logical location.
    assert results["LS000"]["locations"] == [
        {
            "logicalLocations": [
                {
                    "name": "arn:aws:lambda:us-east-1:111122223333:function:billing",
                    "kind": "resource",
                    "properties": {"type": "function"},
                }
            ]
        }
    ]


def test_code_flow_from_trace(result: ScanResult) -> None:
    results = by_rule(render(result))
    assert results["LS501"]["codeFlows"] == [
        {
            "threadFlows": [
                {
                    "locations": [
                        {
                            "location": {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"},
                                    "region": {"startLine": 8},
                                },
                                "message": {"text": "event['body']"},
                            }
                        },
                        {
                            "location": {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"},
                                    "region": {"startLine": 14},
                                },
                                "message": {"text": "cursor.execute(query)"},
                            }
                        },
                    ]
                }
            ]
        }
    ]
    assert "codeFlows" not in results["LS201"]


def test_suppressions(result: ScanResult) -> None:
    results = by_rule(render(result))
    assert results["LS102"]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "legacy role, removal tracked in OPS-12",
            "properties": {"lambdasecKind": "inline"},
        }
    ]
    assert results["LS000"]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "known crash",
            "properties": {"lambdasecKind": "config", "expires": "2027-01-31"},
        }
    ]
    assert "suppressions" not in results["LS201"]


def test_invocation_reports_diagnostics(result: ScanResult) -> None:
    invocation = render(result)["runs"][0]["invocations"][0]
    assert invocation == {
        "executionSuccessful": False,
        "toolExecutionNotifications": [
            {
                "level": "warning",
                "message": {"text": "GetPolicy AccessDenied for `billing`"},
                "properties": {"source": "aws"},
            },
            {
                "level": "error",
                "message": {"text": "could not parse YAML: mapping values are not allowed here"},
                "properties": {"source": "cloudformation"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": "broken.yaml", "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": 3},
                        }
                    }
                ],
            },
        ],
    }


@pytest.mark.parametrize(
    ("severity", "expected_level", "expected_score"),
    [
        (Severity.CRITICAL, "error", "9.5"),
        (Severity.HIGH, "error", "8.0"),
        (Severity.MEDIUM, "warning", "5.5"),
        (Severity.LOW, "note", "3.0"),
    ],
)
def test_severity_mapping(severity: Severity, expected_level: str, expected_score: str) -> None:
    assert (level(severity), security_severity(severity)) == (expected_level, expected_score)


def test_severity_mapping_covers_every_member() -> None:
    assert {s: level(s) for s in Severity} == {
        Severity.CRITICAL: "error",
        Severity.HIGH: "error",
        Severity.MEDIUM: "warning",
        Severity.LOW: "note",
    }


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("inline", "inSource"), ("metadata", "inSource"), ("config", "external"), ("baseline", "external")],
)
def test_suppression_kind(kind: str, expected: str) -> None:
    assert suppression_kind(Suppression(kind=kind, reason="r")) == expected
