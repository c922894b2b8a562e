"""Triggers switched off, written in every source, give the same push triggers and event source mappings.

`disabled/README.md` describes the function and how each source switches its triggers off. The SAM template is
the reference; the triggers and mappings of every other source are compared with it through `canonical()`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from lambdasec.findings import DiagnosticLevel
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources import InputFile, source_for
from lambdasec.sources.discover import discover
from sources.equivalence.canonical import canonical

APP = Path(__file__).resolve().parent / "disabled"
REFERENCE = "sam"
SOURCES = ("cloudformation", "terraform", "terraform-plan", "cdk", "serverless")
COMPARED = ("push_triggers", "event_source_mappings")


@cache
def _triggers(source: str) -> dict[str, Any]:
    found = discover([APP / source])
    by_kind: dict[SourceKind, list[InputFile]] = {}
    for item in found.files:
        by_kind.setdefault(item.kind, []).append(item)
    parts: list[Inventory] = []
    for kind, files in sorted(by_kind.items()):
        if kind is SourceKind.CODE:
            continue
        output = source_for(kind).load(tuple(files), root=found.root)
        assert [d for d in output.diagnostics if d.level is DiagnosticLevel.ERROR] == []
        parts.append(output.inventory)
    dump = canonical(Inventory.merge(parts))
    return {part: dump[part] for part in COMPARED}


def test_the_reference_switches_three_triggers_off() -> None:
    dump = _triggers(REFERENCE)
    assert dump["push_triggers"] == [
        {
            "function": "paused-jobs",
            "kind": "eventbridge",
            "detail": '{"source":["app.jobs"]}',
            "enabled": False,
        },
        {"function": "paused-jobs", "kind": "schedule", "detail": "rate(1 day)", "enabled": False},
        {"function": "paused-jobs", "kind": "schedule", "detail": "rate(1 hour)", "enabled": True},
    ]
    assert [(m["function"], m["kind"], m["queue"], m["enabled"]) for m in dump["event_source_mappings"]] == [
        ("paused-jobs", "sqs", "arn:aws:sqs:us-east-1:111122223333:jobs", False)
    ]


@pytest.mark.parametrize("source", SOURCES)
def test_every_source_switches_the_same_triggers_off(source: str) -> None:
    assert _triggers(source) == _triggers(REFERENCE)
