"""The JSON report, schema 1 of design.md: findings, diagnostics, coverage and a summary."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import RuleCoverage, ScanResult

SCHEMA_VERSION = 1


class JsonReporter:
    """Stable, sorted JSON for pipelines; suppressed findings are kept and marked."""

    def render(self, result: ScanResult) -> str:
        """The schema-1 document, keys sorted, one finding or diagnostic per line, with a trailing newline.

        Each list entry is compact JSON on its own line: readable and diff-friendly like an indented document,
        but written by the C encoder (indenting makes `json` fall back to pure Python, 3x slower on
        tens of thousands of findings).
        """
        document = to_document(result)
        members = []
        for key in sorted(document):
            value = document[key]
            if isinstance(value, list) and value:
                items = ",\n".join("    " + _compact(item) for item in value)
                members.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
            else:
                members.append(f"  {json.dumps(key)}: {_compact(value)}")
        return "{\n" + ",\n".join(members) + "\n}\n"


def to_document(result: ScanResult) -> dict[str, Any]:
    """The schema-1 document as plain data."""
    findings = sorted(result.findings, key=lambda f: f.sort_key())
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
        "findings": [f.to_json() for f in findings],
        "diagnostics": [d.to_json() for d in diagnostics],
        "coverage": {"rules": {rule: _coverage(cov) for rule, cov in sorted(result.coverage.items())}},
        "summary": summary,
    }


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(", ", ": "))


def _coverage(coverage: RuleCoverage) -> dict[str, Any]:
    reasons = sorted(set(coverage.unevaluated))
    return {
        "evaluated": coverage.evaluated,
        "unevaluated": len({resource for resource, _ in reasons}),
        "reasons": [{"resource": resource, "reason": reason} for resource, reason in reasons],
    }
