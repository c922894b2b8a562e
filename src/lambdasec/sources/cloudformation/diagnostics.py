"""Collects the diagnostics of one template file, each once, with its file and line."""

from __future__ import annotations

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import SourceKind

__all__ = ["Diagnostics"]


class Diagnostics:
    """Warnings and errors about one file, deduplicated by (level, line, message), in emission order."""

    def __init__(self, *, file: str, source: SourceKind) -> None:
        self.file = file
        self.source = source
        self._items: dict[tuple[DiagnosticLevel, int | None, str], Diagnostic] = {}

    def warn(self, message: str, line: int | None) -> None:
        """Partial understanding: the scan goes on and is still complete."""
        self._add(DiagnosticLevel.WARNING, message, line=line)

    def error(self, message: str, line: int | None) -> None:
        """A failure that makes the scan incomplete."""
        self._add(DiagnosticLevel.ERROR, message, line=line)

    def _add(self, level: DiagnosticLevel, message: str, *, line: int | None) -> None:
        key = (level, line, message)
        if key not in self._items:
            self._items[key] = Diagnostic(
                level=level, source=str(self.source), message=message, file=self.file, line=line
            )

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> tuple[Diagnostic, ...]:
        """Everything reported so far."""
        return tuple(self._items.values())
