"""Findings, diagnostics, coverage and the ScanResult every reporter renders."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

from lambdasec.levels import Category, Confidence, Severity
from lambdasec.records import record

if TYPE_CHECKING:
    from lambdasec.model import Inventory

__all__ = [
    "Category",
    "Confidence",
    "ControlSummary",
    "Diagnostic",
    "DiagnosticLevel",
    "Finding",
    "Location",
    "ResourceRef",
    "RuleCoverage",
    "RuleInfo",
    "ScanResult",
    "Severity",
    "SortedFindings",
    "Standards",
    "Suppression",
    "ToolInfo",
    "TraceStep",
    "fingerprint",
]


@record
class Location:
    """Where to change something: source kind, file relative to the scan root, line."""

    source: str
    file: str | None
    line: int | None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of schema 1."""
        out: dict[str, Any] = {"source": self.source}
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        return out


@record
class TraceStep:
    """One step of a source-to-sink trace in code."""

    file: str
    line: int
    note: str


@record
class Suppression:
    """Why a finding is suppressed: `kind` is inline, metadata, config or baseline."""

    kind: str
    reason: str
    expires: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of schema 1."""
        out: dict[str, Any] = {"kind": self.kind, "reason": self.reason}
        if self.expires is not None:
            out["expires"] = self.expires
        return out


@record
class Standards:
    """The standards a rule serves: OWASP Serverless Top 10 (2017), Security Hub controls, a practice.

    CWE ids stay on the rule itself (`cwe`); `to_json` includes them so a finding carries every mapping.
    """

    owasp_serverless: tuple[str, ...] = ()
    security_hub: tuple[str, ...] = ()
    practice: str = ""

    def to_json(self, *, cwe: tuple[str, ...] = ()) -> dict[str, Any]:
        """`{"cwe": [...], "owasp_serverless": [...], "security_hub": [...], "practice": "..."}`."""
        return {
            "cwe": list(cwe),
            "owasp_serverless": list(self.owasp_serverless),
            "security_hub": list(self.security_hub),
            "practice": self.practice,
        }


@record
class ResourceRef:
    """The resource a finding is about: model type (`function_url`) and user-facing id.

    `construct_path` is the CDK construct path of a resource synthesized from a CDK app.
    """

    type: str
    id: str
    construct_path: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of schema 1; `construct_path` only when known."""
        out: dict[str, Any] = {"type": self.type, "id": self.id}
        if self.construct_path is not None:
            out["construct_path"] = self.construct_path
        return out


@record
class Finding:
    """One problem, anchored at the line to change, with why it matters and the fix."""

    rule: str
    name: str
    category: Category
    severity: Severity
    confidence: Confidence
    cwe: tuple[str, ...]
    message: str
    function: str | None
    resource: ResourceRef
    location: Location
    field: str | None = None
    trace: tuple[TraceStep, ...] = ()
    remediation: str = ""
    fingerprint: str
    suppressed: Suppression | None = None
    properties: tuple[tuple[str, str], ...] = ()
    standards: Standards | None = None

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Stable order: file, line, rule, resource, message."""
        location = self.location
        return (location.file or "", location.line or 0, self.rule, self.resource.id, self.message)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of schema 1 (design.md)."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "category": str(self.category),
            "severity": str(self.severity),
            "confidence": str(self.confidence),
            "cwe": list(self.cwe),
            "message": self.message,
            "function": self.function,
            "resource": self.resource.to_json(),
            "location": self.location.to_json(),
            "remediation": self.remediation,
            "fingerprint": self.fingerprint,
            "suppressed": self.suppressed.to_json() if self.suppressed else None,
        }
        if self.trace:
            out["trace"] = [{"file": s.file, "line": s.line, "note": s.note} for s in self.trace]
        if self.properties:
            out["properties"] = dict(self.properties)
        if self.standards is not None:
            out["standards"] = self.standards.to_json(cwe=self.cwe)
        return out


def fingerprint(*, rule: str, source: str, resource: str, field: str | None, extra: str = "") -> str:
    """A hash of what the finding is about, never of where it sits, so baselines survive edits."""
    text = "\x1f".join((rule, source, resource, field or "", extra))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class DiagnosticLevel(StrEnum):
    """Errors make a scan incomplete; warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@record
class Diagnostic:
    """Something the scan could not do fully: a file that did not parse, a call that failed."""

    level: DiagnosticLevel
    source: str
    message: str
    file: str | None = None
    line: int | None = None

    def sort_key(self) -> tuple[str, int, str, str]:
        """Stable order: file, line, source, message."""
        return (self.file or "", self.line or 0, self.source, self.message)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of schema 1."""
        location: dict[str, Any] = {}
        if self.file is not None:
            location["file"] = self.file
        if self.line is not None:
            location["line"] = self.line
        return {
            "level": str(self.level),
            "source": self.source,
            "message": self.message,
            "location": location,
        }


@record
class RuleCoverage:
    """How many subjects a rule evaluated, and which it could not, with reasons."""

    evaluated: int
    unevaluated: tuple[tuple[str, str], ...] = ()  # (resource id, reason)


@record
class ToolInfo:
    """The producing tool."""

    name: str = "lambdasec"
    version: str


class SortedFindings(tuple[Finding, ...]):
    """Findings in `Finding.sort_key` order, which a reporter listing them so need not sort again."""

    __slots__ = ()

    def __new__(cls, findings: Iterable[Finding] = ()) -> Self:
        return super().__new__(cls, sorted(findings, key=Finding.sort_key))


@dataclass(frozen=True, kw_only=True)
class ScanResult:
    """Everything a reporter needs; reporters are pure functions of it."""

    tool: ToolInfo
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    coverage: Mapping[str, RuleCoverage] = field(default_factory=dict)
    functions: int = 0
    rules: tuple[RuleInfo, ...] = ()
    profile: str = "default"
    controls: tuple[ControlSummary, ...] = ()
    # The model the rules judged (None for a result built by hand): not compared, not rendered.
    inventory: Inventory | None = field(default=None, compare=False, repr=False)

    @property
    def complete(self) -> bool:
        """False when any source or call failed (an error diagnostic)."""
        return not any(d.level is DiagnosticLevel.ERROR for d in self.diagnostics)

    def sorted_findings(self) -> tuple[Finding, ...]:
        """The findings in `Finding.sort_key` order (sorted here unless they are `SortedFindings`)."""
        findings = self.findings
        return findings if isinstance(findings, SortedFindings) else SortedFindings(findings)

    @property
    def active_findings(self) -> tuple[Finding, ...]:
        """Findings that are not suppressed."""
        return tuple(f for f in self.findings if f.suppressed is None)

    def counts(self) -> dict[str, int]:
        """Unsuppressed findings per severity, every severity present."""
        found = Counter(f.severity for f in self.findings if f.suppressed is None)
        return {str(s): found[s] for s in Severity}


@record
class RuleInfo:
    """The metadata and documentation of a rule that reporters need (SARIF rules, help)."""

    id: str
    name: str
    category: Category
    severity: Severity
    confidence: Confidence
    cwe: tuple[str, ...]
    summary: str
    doc: str
    standards: Standards | None = None


@record
class ControlSummary:
    """How the scanned functions fare against one Security Hub control (compliance profiles only).

    `unattributed` counts failing findings that belong to no function (an API stage, a trail).
    """

    control: str
    title: str
    rules: tuple[str, ...]
    passed: int
    failed: int
    unevaluated: int
    unattributed: int = 0

    def to_json(self) -> dict[str, Any]:
        """The shape of `summary.controls[]` in the JSON report."""
        return {
            "control": self.control,
            "title": self.title,
            "rules": list(self.rules),
            "functions": {"passed": self.passed, "failed": self.failed, "unevaluated": self.unevaluated},
            "unattributed_findings": self.unattributed,
        }
