"""Reporters: pure functions from a ScanResult to text, one per output format, and the dispatch table."""

from __future__ import annotations

from typing import assert_never

from lambdasec.errors import ConfigError
from lambdasec.reporters._console import DEFAULT_WIDTH
from lambdasec.reporters.interface import Reporter, ReportFormat
from lambdasec.reporters.json import JsonReporter
from lambdasec.reporters.sarif import SarifReporter
from lambdasec.reporters.terminal import TerminalReporter

__all__ = [
    "JsonReporter",
    "ReportFormat",
    "Reporter",
    "SarifReporter",
    "TerminalReporter",
    "reporter_for",
]


def reporter_for(
    fmt: ReportFormat,
    *,
    color: bool,
    verbose: bool = False,
    quiet: bool = False,
    width: int = DEFAULT_WIDTH,
) -> Reporter:
    """The reporter for `fmt`; `verbose`, `quiet` and `width` only shape the terminal report.

    Raises ConfigError for formats that are declared but not written yet.
    """
    match fmt:
        case ReportFormat.TERMINAL:
            return TerminalReporter(color=color, verbose=verbose, quiet=quiet, width=width)
        case ReportFormat.JSON:
            return JsonReporter()
        case ReportFormat.SARIF:
            return SarifReporter()
        case ReportFormat.HTML | ReportFormat.MARKDOWN:
            raise ConfigError(f"the {fmt} report format is not implemented yet; use terminal, json or sarif")
        case _:
            assert_never(fmt)
