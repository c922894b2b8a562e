"""The SARIF 2.1.0 report for code scanning: rule help, severities, fingerprints, code flows, suppressions."""

from __future__ import annotations

import json
from typing import Any, assert_never

from lambdasec.findings import (
    Diagnostic,
    DiagnosticLevel,
    Finding,
    RuleInfo,
    ScanResult,
    Severity,
    Suppression,
    TraceStep,
)
from lambdasec.rules._api import doc_sections

SARIF_SCHEMA = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
REPOSITORY_URL = "https://github.com/lambdasec/lambdasec"
FINGERPRINT_KEY = "lambdasecFingerprint/v1"
SRCROOT = "%SRCROOT%"


class SarifReporter:
    """One SARIF run; results without a file (live AWS) carry only logical locations."""

    def render(self, result: ScanResult) -> str:
        """The SARIF log, indented, keys sorted, with a trailing newline."""
        return json.dumps(to_sarif(result), indent=2, sort_keys=True) + "\n"


def to_sarif(result: ScanResult) -> dict[str, Any]:
    """The SARIF log as plain data."""
    rules = _rule_table(result)
    index = {rule.id: i for i, rule in enumerate(rules)}
    findings = result.sorted_findings()
    diagnostics = sorted(result.diagnostics, key=lambda d: d.sort_key())
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": result.tool.name,
                "version": result.tool.version,
                "semanticVersion": result.tool.version,
                "informationUri": REPOSITORY_URL,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root directory that was scanned."}}},
        "invocations": [
            {
                "executionSuccessful": result.complete,
                "toolExecutionNotifications": [_notification(d) for d in diagnostics],
            }
        ],
        "results": [_result(f, rule_index=index[f.rule]) for f in findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def help_uri(rule_id: str, name: str) -> str:
    """The rule's documentation page in the repository."""
    return f"{REPOSITORY_URL}/blob/main/docs/rules/{rule_id}-{name}.md"


def security_severity(severity: Severity) -> str:
    """GitHub code scanning's numeric severity for each of ours."""
    match severity:
        case Severity.CRITICAL:
            return "9.5"
        case Severity.HIGH:
            return "8.0"
        case Severity.MEDIUM:
            return "5.5"
        case Severity.LOW:
            return "3.0"
        case _:
            assert_never(severity)


def level(severity: Severity) -> str:
    """The SARIF level: error for critical and high, warning for medium, note for low."""
    match severity:
        case Severity.CRITICAL | Severity.HIGH:
            return "error"
        case Severity.MEDIUM:
            return "warning"
        case Severity.LOW:
            return "note"
        case _:
            assert_never(severity)


def suppression_kind(suppression: Suppression) -> str:
    """`inSource` for inline comments and template metadata, `external` for config and baselines."""
    return "inSource" if suppression.kind in {"inline", "metadata"} else "external"


def _rule_table(result: ScanResult) -> list[RuleInfo]:
    """The scan's rules, plus any rule a finding names that the scan did not list (internal errors)."""
    rules = {rule.id: rule for rule in result.rules}
    for finding in result.findings:
        if finding.rule not in rules:
            rules[finding.rule] = RuleInfo(
                id=finding.rule,
                name=finding.name,
                category=finding.category,
                severity=finding.severity,
                confidence=finding.confidence,
                cwe=finding.cwe,
                summary=finding.name,
                doc="",
            )
    return [rules[rule_id] for rule_id in sorted(rules)]


def _rule(rule: RuleInfo) -> dict[str, Any]:
    description = doc_sections(rule.doc).get("What it does") or rule.summary
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": description, "markdown": description},
        "helpUri": help_uri(rule.id, rule.name),
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "security-severity": security_severity(rule.severity),
            "precision": str(rule.confidence),
            "tags": ["security", str(rule.category), *_cwe_tags(rule.cwe), *_standard_tags(rule)],
        },
    }
    if rule.standards is not None:
        out["properties"]["standards"] = rule.standards.to_json(cwe=rule.cwe)
    if rule.doc:
        out["help"] = {"text": rule.doc, "markdown": rule.doc}
    return out


def _cwe_tags(cwes: tuple[str, ...]) -> list[str]:
    """Each CWE as written (`CWE-306`) and in the form code scanning links (`external/cwe/cwe-306`)."""
    tags: list[str] = []
    for cwe in cwes:
        tags += [cwe, f"external/cwe/{cwe.lower()}"]
    return tags


def _standard_tags(rule: RuleInfo) -> list[str]:
    """`owasp-serverless/SAS-5` and `security-hub/Lambda.1` for each mapping of the rule."""
    if rule.standards is None:
        return []
    return [
        *(f"owasp-serverless/{item}" for item in rule.standards.owasp_serverless),
        *(f"security-hub/{item}" for item in rule.standards.security_hub),
    ]


def _result(finding: Finding, *, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {}
    if finding.location.file is not None:
        location["physicalLocation"] = _physical(finding.location.file, finding.location.line)
    logical: list[dict[str, Any]] = []
    if finding.function is not None:
        logical.append({"name": finding.function, "kind": "function"})
    resource: dict[str, Any] = {
        "name": finding.resource.id,
        "kind": "resource",
        "properties": {"type": finding.resource.type},
    }
    if finding.resource.construct_path is not None:
        resource["fullyQualifiedName"] = finding.resource.construct_path
    logical.append(resource)
    location["logicalLocations"] = logical
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "severity": str(finding.severity),
            "confidence": str(finding.confidence),
            "source": finding.location.source,
            "remediation": finding.remediation,
            **dict(finding.properties),
        },
    }
    if finding.trace:
        out["codeFlows"] = [{"threadFlows": [{"locations": [_flow_step(step) for step in finding.trace]}]}]
    if finding.suppressed is not None:
        out["suppressions"] = [_suppression(finding.suppressed)]
    return out


def _physical(file: str, line: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {"artifactLocation": {"uri": file, "uriBaseId": SRCROOT}}
    if line is not None:
        out["region"] = {"startLine": line}
    return out


def _flow_step(step: TraceStep) -> dict[str, Any]:
    return {"location": {"physicalLocation": _physical(step.file, step.line), "message": {"text": step.note}}}


def _suppression(suppression: Suppression) -> dict[str, Any]:
    properties: dict[str, Any] = {"lambdasecKind": suppression.kind}
    if suppression.expires is not None:
        properties["expires"] = suppression.expires
    return {
        "kind": suppression_kind(suppression),
        "status": "accepted",
        "justification": suppression.reason,
        "properties": properties,
    }


def _notification(diagnostic: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level": _notification_level(diagnostic.level),
        "message": {"text": diagnostic.message},
        "properties": {"source": diagnostic.source},
    }
    if diagnostic.file is not None:
        out["locations"] = [{"physicalLocation": _physical(diagnostic.file, diagnostic.line)}]
    return out


def _notification_level(diagnostic_level: DiagnosticLevel) -> str:
    match diagnostic_level:
        case DiagnosticLevel.ERROR:
            return "error"
        case DiagnosticLevel.WARNING:
            return "warning"
        case _:
            assert_never(diagnostic_level)
