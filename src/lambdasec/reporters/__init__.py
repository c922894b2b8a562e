"""Reporters: pure functions from a ScanResult to text, one per output format, and the dispatch table.

Each reporter module is imported when its format is asked for: a JSON report never loads `rich`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, assert_never

from lambdasec.errors import ConfigError
from lambdasec.reporters.interface import DEFAULT_WIDTH, Reporter, ReportFormat

if TYPE_CHECKING:
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

_LAZY = {
    "JsonReporter": "lambdasec.reporters.json",
    "SarifReporter": "lambdasec.reporters.sarif",
    "TerminalReporter": "lambdasec.reporters.terminal",
}


def __getattr__(name: str) -> Any:
    """The reporter classes, each imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
            from lambdasec.reporters.terminal import TerminalReporter

            return TerminalReporter(color=color, verbose=verbose, quiet=quiet, width=width)
        case ReportFormat.JSON:
            from lambdasec.reporters.json import JsonReporter

            return JsonReporter()
        case ReportFormat.SARIF:
            from lambdasec.reporters.sarif import SarifReporter

            return SarifReporter()
        case ReportFormat.HTML | ReportFormat.MARKDOWN:
            raise ConfigError(f"the {fmt} report format is not implemented yet; use terminal, json or sarif")
        case _:
            assert_never(fmt)
