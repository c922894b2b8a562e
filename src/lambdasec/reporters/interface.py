"""What every reporter is: a pure `render(ScanResult) -> str`, and the closed set of output formats."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lambdasec.findings import ScanResult

# The width of reports written to a file or a pipe (a terminal's own width is used when known).
DEFAULT_WIDTH = 100


class ReportFormat(StrEnum):
    """The output formats `--format` accepts."""

    TERMINAL = "terminal"
    JSON = "json"
    SARIF = "sarif"
    HTML = "html"
    MARKDOWN = "markdown"


class Reporter(Protocol):
    """Turns a scan result into text. No I/O, no clock: the same result always gives the same text."""

    def render(self, result: ScanResult) -> str:
        """The whole report, ending with a newline."""
        ...
