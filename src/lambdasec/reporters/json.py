"""The JSON report, schema 1 of design.md: findings, diagnostics, coverage and a summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any, Final

from lambdasec.findings import Finding, Location, ResourceRef, RuleCoverage, ScanResult
from lambdasec.records import record

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
        # The report is one list of pieces joined once: a report of many findings is tens of megabytes,
        # and building each line or each list as a string first would copy all of it again.
        pieces = ["{\n"]
        for key in sorted(document):
            value = document[key]
            if len(pieces) > 1:
                pieces.append(",\n")
            if key == "findings" and result.findings:
                pieces.append('  "findings": [\n    ')
                pieces += _finding_pieces(result)
                pieces.append("\n  ]")
            elif isinstance(value, list) and value:
                entries = ",\n    ".join(_compact(item) for item in value)
                pieces.append(f"  {json.dumps(key)}: [\n    {entries}\n  ]")
            else:
                pieces.append(f"  {json.dumps(key)}: {_compact(value)}")
        pieces.append("\n}\n")
        return "".join(pieces)


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
        "findings": [f.to_json() for f in result.sorted_findings()] if findings else [],
        "diagnostics": [d.to_json() for d in diagnostics],
        "coverage": {"rules": {rule: _coverage(cov) for rule, cov in sorted(result.coverage.items())}},
        "summary": summary,
    }


class FindingLines:
    """Each finding as the text `_compact(finding.to_json())` gives, written without the dict in between.

    A large scan reports tens of thousands of findings that share their rule's metadata, standards and
    remediation: those parts are encoded once per rule and kept as pieces of the line, the rest is written
    field by field (a third of the time of building and encoding each dict). Keys come in sorted order.
    tests/reporters/test_json.py holds the text equal to encoding `to_json()` for findings with and
    without every optional part.
    """

    def __init__(self) -> None:
        self._rules: dict[tuple[object, ...], _RuleParts] = {}
        # The cwe and standards whose ids key `_rules`, kept so that no other object takes their ids.
        self._keyed: list[object] = []
        self._properties: dict[tuple[tuple[str, str], ...], str] = {(): ""}
        self._quoted = _Quoted()

    def line(self, finding: Finding) -> str:
        """One finding as compact JSON with sorted keys."""
        return "".join(self.pieces(finding))

    def pieces(self, finding: Finding) -> tuple[str, ...]:
        """The pieces of `line(finding)`, in order; those a rule decides are shared between its findings."""
        # A rule's findings share its cwe and standards objects: keyed by their ids, which hash without
        # running Python code as a Standards record's hash does.
        cwe, standards = finding.cwe, finding.standards
        key = (
            finding.rule,
            finding.name,
            finding.category,
            finding.confidence,
            finding.severity,
            finding.remediation,
            id(cwe),
            id(standards),
        )
        rule = self._rules.get(key)
        if rule is None:
            rule = self._rules[key] = _RuleParts.of(finding)
            self._keyed += (cwe, standards)
        properties = self._properties.get(finding.properties)
        if properties is None:
            properties = f', "properties": {_compact(dict(finding.properties))}'
            self._properties[finding.properties] = properties
        location, resource, quoted = finding.location, finding.resource, self._quoted
        file, line = location.file, location.line
        if file is not None and line is not None:
            where = f'{{"file": {quoted[file]}, "line": {line:d}, "source": {quoted[location.source]}}}'
        else:
            where = _location(location)
        if resource.construct_path is None:
            what = f', "resource": {{"id": {_quote(resource.id)}, "type": {quoted[resource.type]}}}'
        else:
            what = f', "resource": {_resource(resource)}'
        function = "null" if finding.function is None else _quote(finding.function)
        end = _UNSUPPRESSED
        if finding.suppressed is not None or finding.trace:
            end = _end(finding)
        return (
            rule.head,
            f'{_quote(finding.fingerprint)}, "function": {function}, "location": {where}, '
            f'"message": {_quote(finding.message)}',
            rule.name,
            properties,
            rule.remediation,
            what,
            rule.tail,
            end,
        )


_UNSUPPRESSED: Final = ', "suppressed": null}'


class _Quoted(dict[str, str]):
    """Strings as the encoder writes them, each encoded once: for the few files, sources and resource types
    that thousands of findings repeat."""

    def __missing__(self, text: str) -> str:
        quoted = self[text] = _quote(text)
        return quoted


def _end(finding: Finding) -> str:
    """`, "suppressed": ...` and the trace when there is one, closing the finding."""
    suppressed = "null" if finding.suppressed is None else _compact(finding.suppressed.to_json())
    trace = ""
    if finding.trace:
        steps = [{"file": s.file, "line": s.line, "note": s.note} for s in finding.trace]
        trace = f', "trace": {_compact(steps)}'
    return f', "suppressed": {suppressed}{trace}}}'


def _finding_pieces(result: ScanResult) -> list[str]:
    """The sorted findings' lines as pieces, with the separators between them."""
    lines = FindingLines()
    pieces: list[str] = []
    for finding in result.sorted_findings():
        pieces += lines.pieces(finding)
        pieces.append(",\n    ")
    pieces.pop()
    return pieces


@record
class _RuleParts:
    """The encoded parts of a finding that its rule decides, each with the key before it."""

    head: str  # `{"category": ..., "confidence": ..., "cwe": [...], "fingerprint": ` (the value follows)
    name: str  # `, "name": ...`
    remediation: str  # `, "remediation": ...`
    tail: str  # `, "rule": ..., "severity": ...` and the standards when the rule has some

    @classmethod
    def of(cls, finding: Finding) -> _RuleParts:
        """The parts as `finding` has them."""
        tail = f', "rule": {_quote(finding.rule)}, "severity": {_quote(str(finding.severity))}'
        if finding.standards is not None:
            tail += f', "standards": {_compact(finding.standards.to_json(cwe=finding.cwe))}'
        return cls(
            head=(
                f'{{"category": {_quote(str(finding.category))}, '
                f'"confidence": {_quote(str(finding.confidence))}, '
                f'"cwe": {_compact(list(finding.cwe))}, "fingerprint": '
            ),
            name=f', "name": {_quote(finding.name)}',
            remediation=f', "remediation": {_quote(finding.remediation)}',
            tail=tail,
        )


def _location(location: Location) -> str:
    parts = []
    if location.file is not None:
        parts.append(f'"file": {_quote(location.file)}')
    if location.line is not None:
        parts.append(f'"line": {location.line:d}')
    parts.append(f'"source": {_quote(location.source)}')
    return "{" + ", ".join(parts) + "}"


def _resource(resource: ResourceRef) -> str:
    path = "" if resource.construct_path is None else f'"construct_path": {_quote(resource.construct_path)}, '
    return f'{{{path}"id": {_quote(resource.id)}, "type": {_quote(resource.type)}}}'


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)


def _coverage(coverage: RuleCoverage) -> dict[str, Any]:
    reasons = sorted(set(coverage.unevaluated))
    return {
        "evaluated": coverage.evaluated,
        "unevaluated": len({resource for resource, _ in reasons}),
        "reasons": [{"resource": resource, "reason": reason} for resource, reason in reasons],
    }
