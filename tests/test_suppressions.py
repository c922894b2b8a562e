"""Tests of suppressions: inline comments, CloudFormation metadata and configured ignores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from factories import TODAY, make_function, make_inventory, make_url
from lambdasec.config import IgnoreEntry
from lambdasec.findings import (
    Category,
    Confidence,
    Diagnostic,
    DiagnosticLevel,
    Finding,
    Location,
    ResourceRef,
    Severity,
    Suppression,
)
from lambdasec.model import DeclaredIgnore, Inventory
from lambdasec.suppressions import InlineIgnore, apply_suppressions, parse_inline_ignores

TEMPLATE = """\
Resources:
  # lambdasec: ignore[LS301] -- rotated test credentials, sandbox account only
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          # lambdasec: ignore[LS201,LS301] -- public demo value
          # an unrelated comment in the same block
          DEMO_TOKEN: abcdef123456
          OTHER: x  # lambdasec: ignore[LS301] -- trailing comment on the line
          NO_REASON: y  # lambdasec: ignore[LS301]
  WebUrl:  // lambdasec: ignore[LS201]: JS-style comment with a colon
    Type: AWS::Lambda::Url
"""


def finding(
    rule: str, line: int | None, *, resource: str = "Worker", file: str | None = "template.yaml"
) -> Finding:
    return Finding(
        rule=rule,
        name="x",
        category=Category.DATA,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(),
        message=f"{rule} at {line}",
        function="worker",
        resource=ResourceRef(type="function", id=resource),
        location=Location(source="cloudformation", file=file, line=line),
        fingerprint=f"{rule}{line}",
    )


def apply(
    tmp_path: Path,
    findings: list[Finding],
    *,
    inventory: Inventory | None = None,
    ignores: tuple[IgnoreEntry, ...] = (),
) -> tuple[list[Suppression | None], list[Diagnostic]]:
    (tmp_path / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    inventory = inventory or make_inventory(functions=[make_function("worker", key="Worker", line=3)])
    marked, diagnostics = apply_suppressions(
        findings, inventory=inventory, ignores=ignores, root=tmp_path, today=TODAY
    )
    assert [f.message for f in marked] == [f.message for f in findings]  # nothing dropped, order kept
    return [f.suppressed for f in marked], diagnostics


def test_parse_inline_ignores() -> None:
    parsed = parse_inline_ignores(TEMPLATE)
    assert parsed == {
        2: InlineIgnore(
            line=2, rules=frozenset({"LS301"}), reason="rotated test credentials, sandbox account only"
        ),
        8: InlineIgnore(line=8, rules=frozenset({"LS201", "LS301"}), reason="public demo value"),
        11: InlineIgnore(line=11, rules=frozenset({"LS301"}), reason="trailing comment on the line"),
        12: InlineIgnore(line=12, rules=frozenset({"LS301"}), reason=""),
        13: InlineIgnore(line=13, rules=frozenset({"LS201"}), reason="JS-style comment with a colon"),
    }


def test_inline_on_the_line_above_the_line_and_above_the_resource(tmp_path: Path) -> None:
    suppressed, diagnostics = apply(
        tmp_path,
        [
            finding("LS301", 10),  # comment block directly above
            finding("LS301", 11),  # trailing comment
            finding("LS201", 10),  # second id of the block above
            finding("LS202", 10),  # not named anywhere
            finding("LS301", 5),  # falls back to the comment above the resource's first line (3)
            finding("LS201", 13, resource="WebUrl"),
        ],
    )
    assert suppressed == [
        Suppression(kind="inline", reason="public demo value"),
        Suppression(kind="inline", reason="trailing comment on the line"),
        Suppression(kind="inline", reason="public demo value"),
        None,
        Suppression(kind="inline", reason="rotated test credentials, sandbox account only"),
        Suppression(kind="inline", reason="JS-style comment with a colon"),
    ]
    assert diagnostics == []


def test_inline_without_reason_is_not_applied_and_warns_once(tmp_path: Path) -> None:
    inventory = make_inventory(functions=[make_function("other", key="Other", line=40)])
    suppressed, diagnostics = apply(
        tmp_path,
        [finding("LS301", 12, resource="Other"), finding("LS301", 12, resource="Other")],
        inventory=inventory,
    )
    assert suppressed == [None, None]
    assert diagnostics == [
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="suppressions",
            message="inline suppression of LS301 has no reason and is ignored; "
            "write `lambdasec: ignore[LS301] -- <why this is acceptable>`",
            file="template.yaml",
            line=12,
        )
    ]


def test_metadata_ignores_match_file_and_resource(tmp_path: Path) -> None:
    inventory = make_inventory(
        functions=[make_function("worker", key="Worker", line=60)],
        declared_ignores=[
            DeclaredIgnore(
                rule="LS401", reason="pinned by vendor", file="template.yaml", resource="Worker", line=61
            ),
            DeclaredIgnore(rule="LS101", reason="", file="template.yaml", resource="Worker", line=62),
            DeclaredIgnore(rule="LS202", reason="other file", file="other.yaml", resource="Worker", line=1),
        ],
    )
    suppressed, diagnostics = apply(
        tmp_path, [finding("LS401", 60), finding("LS101", 60), finding("LS202", 60)], inventory=inventory
    )
    assert suppressed == [Suppression(kind="metadata", reason="pinned by vendor"), None, None]
    assert [(d.message, d.line) for d in diagnostics] == [
        ("Metadata suppression of LS101 on `Worker` has no reason and is ignored; add a `reason`", 62)
    ]


def test_config_ignores_by_resource_function_file_and_expiry(tmp_path: Path) -> None:
    ignores = (
        IgnoreEntry(rule="LS201", resource="WebUrl", reason="public by design", expires=date(2026, 12, 31)),
        IgnoreEntry(rule="LS401", resource="worker", reason="by function name"),
        IgnoreEntry(rule="LS301", file="legacy/*.yaml", reason="legacy"),
        IgnoreEntry(rule="LS202", reason="expired", expires=date(2026, 11, 21)),
        IgnoreEntry(rule="LS101", reason="today is still valid", expires=TODAY),
    )
    inventory = make_inventory(functions=[make_function("worker", key="Worker", line=70)])
    suppressed, diagnostics = apply(
        tmp_path,
        [
            finding("LS201", 71, resource="WebUrl"),
            finding("LS401", 70),
            finding("LS301", 3, file="legacy/stack.yaml"),
            finding("LS301", 70),
            finding("LS202", 70),
            finding("LS101", 70),
        ],
        inventory=inventory,
        ignores=ignores,
    )
    assert suppressed == [
        Suppression(kind="config", reason="public by design", expires="2026-12-31"),
        Suppression(kind="config", reason="by function name"),
        Suppression(kind="config", reason="legacy"),
        None,
        None,
        Suppression(kind="config", reason="today is still valid", expires="2026-11-22"),
    ]
    assert [d.message for d in diagnostics] == [
        "configured ignore of LS202 for every resource expired on 2026-11-21 and no longer applies"
    ]


def test_inline_wins_over_config(tmp_path: Path) -> None:
    ignores = (IgnoreEntry(rule="LS301", reason="config"),)
    suppressed, _ = apply(
        tmp_path, [finding("LS301", 10), finding("LS301", 70, resource="Other")], ignores=ignores
    )
    assert suppressed == [
        Suppression(kind="inline", reason="public demo value"),
        Suppression(kind="config", reason="config"),
    ]


def test_findings_without_file_or_missing_file(tmp_path: Path) -> None:
    suppressed, diagnostics = apply(
        tmp_path, [finding("LS301", None, file=None), finding("LS301", 3, file="gone.yaml")]
    )
    assert suppressed == [None, None]
    assert diagnostics == []


def test_url_factory_unused_guard() -> None:
    assert make_url().key == "orders-apiUrl"
