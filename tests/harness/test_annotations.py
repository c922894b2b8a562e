"""Tests of the fixture harness: annotation parsing and exact comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.annotations import (
    Annotation,
    SidecarEntry,
    compare_annotations,
    compare_sidecar,
    load_sidecar,
    parse_annotations,
)
from lambdasec.findings import Category, Confidence, Finding, Location, ResourceRef, Severity, Suppression

TEXT = """\
a: 1
# lambdasec-expect: LS201
# lambdasec-ok: LS301, LS202 -- both quiet here
b: 2
  // lambdasec-todo-expect: LS401 -- secrets split across variables
c: 3
# lambdasec-expect: LS201 confidence=low suppressed=inline
d: 4
# lambdasec-todo-ok: LS301
e: 5
"""


def finding(rule: str, line: int, **changes: object) -> Finding:
    base = Finding(
        rule=rule,
        name="x",
        category=Category.EXPOSURE,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(),
        message=f"message of {rule}",
        function=None,
        resource=ResourceRef(type="function", id="Fn"),
        location=Location(source="sam", file="t.yaml", line=line),
        fingerprint="x",
    )
    return Finding(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, **changes})  # type: ignore[arg-type]


def test_parse_applies_each_annotation_to_the_next_non_annotation_line() -> None:
    assert parse_annotations(TEXT) == [
        Annotation(kind="expect", rule="LS201", line=4, comment_line=2),
        Annotation(kind="ok", rule="LS301", line=4, comment_line=3, note="both quiet here"),
        Annotation(kind="ok", rule="LS202", line=4, comment_line=3, note="both quiet here"),
        Annotation(
            kind="todo-expect", rule="LS401", line=6, comment_line=5, note="secrets split across variables"
        ),
        Annotation(
            kind="expect",
            rule="LS201",
            line=8,
            comment_line=7,
            attrs=(("confidence", "low"), ("suppressed", "inline")),
        ),
        Annotation(kind="todo-ok", rule="LS301", line=10, comment_line=9),
    ]


@pytest.mark.parametrize(
    "text",
    ["# lambdasec-expect LS201\nx: 1\n", "# lambdasec-expect: LS21\nx\n", "x\n# lambdasec-ok: LS201\n"],
)
def test_malformed_annotations_raise(text: str) -> None:
    with pytest.raises(ValueError, match="line"):
        parse_annotations(text)


def test_exact_comparison_passes_when_everything_matches() -> None:
    findings = [
        finding("LS201", 4),
        finding("LS201", 8, confidence=Confidence.LOW, suppressed=Suppression(kind="inline", reason="r")),
        finding("LS301", 10),
        finding("LS999", 1),  # not under test
    ]
    rules = {"LS201", "LS301", "LS202", "LS401"}
    assert compare_annotations(findings, parse_annotations(TEXT), rules=rules, file="t.yaml") == []


def test_every_kind_of_mismatch_is_reported() -> None:
    findings = [
        finding("LS301", 4),  # marked ok
        finding("LS401", 6),  # todo-expect fires
        finding("LS201", 8),  # attrs differ
        finding("LS202", 1),  # unannotated line
    ]
    problems = compare_annotations(
        findings, parse_annotations(TEXT), rules={"LS201", "LS301", "LS202", "LS401"}, file="t.yaml"
    )
    assert problems == [
        "t.yaml:4 (annotation on line 2): expected LS201, got nothing",
        "t.yaml:4 (annotation on line 3): marked ok for LS301, but got LS301 line 4: message of LS301",
        "t.yaml:6 (annotation on line 5): known false negative fires now (LS401 line 6: message of LS401); "
        "make it lambdasec-expect",
        "t.yaml:8 (annotation on line 7): LS201 confidence is 'high', annotation says 'low'",
        "t.yaml:8 (annotation on line 7): LS201 suppressed is 'no', annotation says 'inline'",
        "t.yaml:10 (annotation on line 9): known false positive of LS301 stopped; make it lambdasec-ok",
        "t.yaml:1: unexpected LS202 line 1: message of LS202",
    ]


def test_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "expected.toml"
    path.write_text(
        '[[expect]]\nrule = "LS201"\nresource = "Fn"\nfield = "auth_type"\n\n'
        '[[ok]]\nrule = "LS201"\nresource = "Other"\n',
        encoding="utf-8",
    )
    entries = load_sidecar(path)
    assert entries == [
        SidecarEntry(kind="expect", rule="LS201", resource="Fn", field="auth_type"),
        SidecarEntry(kind="ok", rule="LS201", resource="Other"),
    ]
    good = finding("LS201", 3, field="auth_type")
    assert compare_sidecar([good], entries, rules={"LS201"}, file="t.json") == []
    other = finding("LS201", 9, resource=ResourceRef(type="function", id="Other"))
    assert compare_sidecar([other], entries, rules={"LS201"}, file="t.json") == [
        "t.json: expect LS201 on `Fn` field `auth_type`: got nothing",
        "t.json: ok LS201 on `Other`: but got LS201 line 9: message of LS201",
        "t.json: unexpected LS201 line 9: message of LS201 on `Other` field `None`",
    ]
