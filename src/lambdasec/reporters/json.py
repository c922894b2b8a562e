"""The JSON report, schema 1 of design.md: findings, diagnostics, coverage and a summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any

from lambdasec.findings import Finding, Location, ResourceRef, RuleCoverage, ScanResult

SCHEMA_VERSION = 1

# A string as the encoder writes it (ASCII, escaped).
_quote: Callable[[str], str] = encode_basestring_ascii
# One encoder for every entry: `json.dumps` with options builds a new one per call. Reports hold no cycles.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(", ", ": "), check_circular=False)


class JsonReporter:
    """Stable, sorted JSON for pipelines; suppressed findings are kept and marked."""

    def render(self, result: ScanResult) -> str:
        """The schema-1 document, keys sorted, one finding or diagnostic per line, with a trailing newline.

        Each list entry is compact JSON on its own line: readable and diff-friendly like an indented document,
        but written by the C encoder (indenting makes `json` fall back to pure Python, 3x slower on
        tens of thousands of findings).
        """
        document = to_document(result, findings=False)
        lines = FindingLines()
        document["findings"] = [lines.line(f) for f in _sorted_findings(result)]
        members = []
        for key in sorted(document):
            value = document[key]
            if isinstance(value, list) and value:
                encode = str if key == "findings" else _compact
                items = ",\n".join("    " + encode(item) for item in value)
                members.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
            else:
                members.append(f"  {json.dumps(key)}: {_compact(value)}")
        return "{\n" + ",\n".join(members) + "\n}\n"


def to_document(result: ScanResult, *, findings: bool = True) -> dict[str, Any]:
    """The schema-1 document as plain data (`findings=False` leaves the findings list empty)."""
    diagnostics = sorted(result.diagnostics, key=lambda d: d.sort_key())
    summary: dict[str, Any] = {
        "functions": result.functions,
        "findings": result.counts(),
        "suppressed": len(result.findings) - len(result.active_findings),
        "complete": result.complete,
        "profile": result.profile,
    }
    if result.controls:
        summary["controls"] = [control.to_json() for control in result.controls]
    return {
        "schema": SCHEMA_VERSION,
        "tool": {"name": result.tool.name, "version": result.tool.version},
        "findings": [f.to_json() for f in _sorted_findings(result)] if findings else [],
        "diagnostics": [d.to_json() for d in diagnostics],
        "coverage": {"rules": {rule: _coverage(cov) for rule, cov in sorted(result.coverage.items())}},
        "summary": summary,
    }


class FindingLines:
    """Each finding as the text `_compact(finding.to_json())` gives, written without the dict in between.

    A large scan reports tens of thousands of findings that share their rule's metadata and standards:
    those parts are encoded once per rule, the rest field by field (half the time of building and encoding
    each dict). Keys come in sorted order. tests/reporters/test_json.py holds the text equal to encoding
    `to_json()` for findings with and without every optional part.
    """

    def __init__(self) -> None:
        self._heads: dict[tuple[str, str, tuple[str, ...]], str] = {}
        self._tails: dict[tuple[str, str, Any, tuple[str, ...]], str] = {}
        self._fixes: dict[str, str] = {}

    def line(self, finding: Finding) -> str:
        """One finding as compact JSON with sorted keys."""
        parts = [
            self._head(finding),
            _quote(finding.fingerprint),
            ', "function": ',
            "null" if finding.function is None else _quote(finding.function),
            ', "location": ',
            _location(finding.location),
            ', "message": ',
            _quote(finding.message),
            ', "name": ',
            _quote(finding.name),
        ]
        if finding.properties:
            parts += [', "properties": ', _properties(finding.properties)]
        parts += [
            ', "remediation": ',
            self._fix(finding.remediation),
            ', "resource": ',
            _resource(finding.resource),
            self._tail(finding),
            ', "suppressed": ',
            "null" if finding.suppressed is None else _compact(finding.suppressed.to_json()),
        ]
        if finding.trace:
            trace = [{"file": s.file, "line": s.line, "note": s.note} for s in finding.trace]
            parts += [', "trace": ', _compact(trace)]
        parts.append("}")
        return "".join(parts)

    def _head(self, finding: Finding) -> str:
        """`{"category": ..., "confidence": ..., "cwe": [...], "fingerprint": ` (the value follows)."""
        key = (str(finding.category), str(finding.confidence), finding.cwe)
        head = self._heads.get(key)
        if head is None:
            category, confidence, cwe = key
            head = (
                f'{{"category": {_quote(category)}, "confidence": {_quote(confidence)}, '
                f'"cwe": {_compact(list(cwe))}, "fingerprint": '
            )
            self._heads[key] = head
        return head

    def _fix(self, remediation: str) -> str:
        """The remediation, quoted once per text (every finding of a rule and source shares it)."""
        quoted = self._fixes.get(remediation)
        if quoted is None:
            quoted = self._fixes[remediation] = _quote(remediation)
        return quoted

    def _tail(self, finding: Finding) -> str:
        """`, "rule": ..., "severity": ...` and the standards when the rule has some."""
        key = (finding.rule, str(finding.severity), finding.standards, finding.cwe)
        tail = self._tails.get(key)
        if tail is None:
            tail = f', "rule": {_quote(finding.rule)}, "severity": {_quote(str(finding.severity))}'
            if finding.standards is not None:
                tail += f', "standards": {_compact(finding.standards.to_json(cwe=finding.cwe))}'
            self._tails[key] = tail
        return tail


def _location(location: Location) -> str:
    parts = []
    if location.file is not None:
        parts.append(f'"file": {_quote(location.file)}')
    if location.line is not None:
        parts.append(f'"line": {location.line:d}')
    parts.append(f'"source": {_quote(location.source)}')
    return "{" + ", ".join(parts) + "}"


def _properties(properties: tuple[tuple[str, str], ...]) -> str:
    """`dict(properties)` as the encoder writes it: keys sorted, the last value of a repeated key."""
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in properties):
        return _compact(dict(properties))
    items = sorted(dict(properties).items())
    return "{" + ", ".join(f"{_quote(key)}: {_quote(value)}" for key, value in items) + "}"


def _resource(resource: ResourceRef) -> str:
    path = "" if resource.construct_path is None else f'"construct_path": {_quote(resource.construct_path)}, '
    return f'{{{path}"id": {_quote(resource.id)}, "type": {_quote(resource.type)}}}'


def _sorted_findings(result: ScanResult) -> list[Finding]:
    return sorted(result.findings, key=lambda f: f.sort_key())


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)


def _coverage(coverage: RuleCoverage) -> dict[str, Any]:
    reasons = sorted(set(coverage.unevaluated))
    return {
        "evaluated": coverage.evaluated,
        "unevaluated": len({resource for resource, _ in reasons}),
        "reasons": [{"resource": resource, "reason": reason} for resource, reason in reasons],
    }
