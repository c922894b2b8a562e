"""`reporter_for` handles every ReportFormat: a reporter, or a clear error for formats not written yet."""

from __future__ import annotations

import pytest

from lambdasec.errors import ConfigError
from lambdasec.findings import ScanResult, ToolInfo
from lambdasec.reporters import JsonReporter, ReportFormat, SarifReporter, TerminalReporter, reporter_for

EXPECTED: dict[ReportFormat, type | None] = {
    ReportFormat.TERMINAL: TerminalReporter,
    ReportFormat.JSON: JsonReporter,
    ReportFormat.SARIF: SarifReporter,
    ReportFormat.HTML: None,
    ReportFormat.MARKDOWN: None,
}


def test_every_format_is_covered() -> None:
    assert set(EXPECTED) == set(ReportFormat)


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_dispatch(fmt: ReportFormat) -> None:
    expected = EXPECTED[fmt]
    if expected is None:
        with pytest.raises(ConfigError, match=f"^the {fmt} report format is not implemented yet"):
            reporter_for(fmt, color=False)
        return
    reporter = reporter_for(fmt, color=False)
    assert type(reporter) is expected
    assert reporter.render(ScanResult(tool=ToolInfo(version="0.1.0"), findings=())).endswith("\n")


def test_terminal_options_are_passed_through() -> None:
    assert reporter_for(
        ReportFormat.TERMINAL, color=True, verbose=True, quiet=True, width=80
    ) == TerminalReporter(color=True, verbose=True, quiet=True, width=80)
