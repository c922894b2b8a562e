"""Python handler analysis with `ast`: parsing, handler entry points and taint flows to sinks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from lambdasec.findings import Diagnostic
from lambdasec.model import CodeUnit, Language
from lambdasec.sources.code.analyzer import Analysis, HandlerShape, Package, ParsedFile
from lambdasec.sources.code.event_shapes import Invocation

from .handlers import handler_line, handler_shapes
from .parse import parse_python
from .session import ModuleIndex
from .taint import analyze_handler

__all__ = ["PythonAnalyzer"]


class PythonAnalyzer:
    """The `LanguageAnalyzer` for Python."""

    languages: Final = frozenset({Language.PYTHON})
    suffixes: Final = (".py",)

    def __init__(self) -> None:
        self._indexed = ModuleIndex()

    def parse(self, *, path: str, display: str, text: str) -> ParsedFile | Diagnostic:
        """Parse `text`; a syntax error is a Diagnostic naming `display` and the line, never an exception."""
        return parse_python(path=path, display=display, text=text)

    def handler_line(self, parsed: ParsedFile, symbol: str) -> int | None:
        """The line where the module-level handler `symbol` is defined or bound, or None."""
        return handler_line(parsed, symbol)

    def handler_exports(self, parsed: ParsedFile) -> None:
        """Not listed: any module-level name can be a handler, so a missing one is named alone."""
        return None

    def handler_shapes(self, parsed: ParsedFile) -> Sequence[HandlerShape]:
        """Module-level functions shaped like Lambda handlers (event, context)."""
        return handler_shapes(parsed)

    def analyze(
        self, unit: CodeUnit, *, parsed: ParsedFile, package: Package, invocation: Invocation | None = None
    ) -> Analysis:
        """The taint flows from `unit`'s event (and secrets, the environment) to sinks in `package`;
        `invocation` is how the unit is invoked (`Invocation.of(unit)` when not given)."""
        return analyze_handler(
            unit, parsed=parsed, package=package, indexed=self._indexed, invocation=invocation
        )
