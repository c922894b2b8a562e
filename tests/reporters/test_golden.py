"""Each format renders the fixed result as its golden file; LAMBDASEC_UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lambdasec.findings import ScanResult
from lambdasec.reporters import JsonReporter, Reporter, SarifReporter, TerminalReporter

GOLDEN = Path(__file__).parent / "golden"

CASES: dict[str, Reporter] = {
    "terminal.txt": TerminalReporter(color=False, width=100),
    "terminal-verbose.txt": TerminalReporter(color=False, verbose=True, width=100),
    "terminal-quiet.txt": TerminalReporter(color=False, quiet=True, width=100),
    "report.json": JsonReporter(),
    "report.sarif": SarifReporter(),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_golden(name: str, result: ScanResult) -> None:
    rendered = CASES[name].render(result)
    path = GOLDEN / name
    if os.environ.get("LAMBDASEC_UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering_ignores_input_order(name: str, result: ScanResult) -> None:
    shuffled = ScanResult(
        tool=result.tool,
        findings=tuple(reversed(result.findings)),
        diagnostics=tuple(reversed(result.diagnostics)),
        coverage=dict(reversed(list(result.coverage.items()))),
        functions=result.functions,
        rules=tuple(reversed(result.rules)),
    )
    assert CASES[name].render(shuffled) == CASES[name].render(result)
