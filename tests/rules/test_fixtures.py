"""Runs the real pipeline on every fixture folder and compares findings with its annotations, exactly."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from harness.annotations import annotated_rules, compare_annotations, compare_sidecar
from harness.fixtures import JSON_SUFFIXES, FixtureDir, fixture_dirs
from lambdasec.config import Settings
from lambdasec.findings import DiagnosticLevel, Finding
from lambdasec.rules import load_rules
from lambdasec.scan import ScanRequest, scan

TODAY = date(2026, 11, 22)  # the runtime fixtures are written for this day
# Fixtures describe each rule on its own terms: every rule runs, with its default options (naming the rules
# replaces the profile's selection, and only profiles tune options).
EVERY_RULE = Settings(rules=frozenset(rule.id for rule in load_rules()))


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda f: f.label)
def test_fixture(fixture: FixtureDir) -> None:
    result = scan(ScanRequest(paths=(fixture.path,), settings=EVERY_RULE, today=TODAY))
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    assert errors == [], f"{fixture.label}: the scan reported errors"
    crashes = [f.message for f in result.findings if f.rule == "LS000"]
    assert crashes == [], f"{fixture.label}: a rule crashed"

    by_file: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding.location.file].append(finding)
    sidecar = fixture.sidecar()
    problems: list[str] = []
    files = fixture.files()
    assert files, f"{fixture.label} has no input file"
    for path in files:
        name = path.relative_to(fixture.path).as_posix()
        findings = by_file.pop(name, [])
        if path.suffix in JSON_SUFFIXES:
            rules = {fixture.rule} | annotated_rules(sidecar)
            problems += compare_sidecar(findings, sidecar, rules=rules, file=name)
        else:
            annotations = fixture.annotations(path)
            rules = {fixture.rule} | annotated_rules(annotations)
            problems += compare_annotations(findings, annotations, rules=rules, file=name)
    stray = [
        f"{f.rule} in {file}: {f.message}"
        for file, fs in by_file.items()
        for f in fs
        if f.rule == fixture.rule
    ]
    problems += [f"finding outside the fixture files: {text}" for text in stray]
    assert not problems, f"{fixture.label}:\n  " + "\n  ".join(problems)
