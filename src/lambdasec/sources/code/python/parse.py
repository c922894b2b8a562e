"""Parsing Python source with `ast`: a syntax tree, or a diagnostic naming the file and line."""

from __future__ import annotations

import ast
from typing import Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Language
from lambdasec.sources.code.analyzer import ParsedFile

from .modern import downgrade

__all__ = ["MAX_BYTES", "parse_python"]

MAX_BYTES: Final = 2 * 1024 * 1024
_SOURCE: Final = "code"


def _error(message: str, *, display: str, line: int | None) -> Diagnostic:
    return Diagnostic(level=DiagnosticLevel.ERROR, source=_SOURCE, message=message, file=display, line=line)


def parse_python(*, path: str, display: str, text: str) -> ParsedFile | Diagnostic:
    """The parsed file, or an error diagnostic when it is too large or is not valid Python."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return _error(
            f"Python file is larger than {MAX_BYTES // (1024 * 1024)} MB; not analysed",
            display=display,
            line=None,
        )
    try:
        tree = ast.parse(text, filename=display)
    except SyntaxError as exc:
        error = _error(f"Python syntax error: {exc.msg}; not analysed", display=display, line=exc.lineno)
        downgraded = _parse_downgraded(text, display=display)
        if downgraded is None:
            return error
        tree = downgraded
    except ValueError as exc:  # source containing NUL bytes
        return _error(f"Python file cannot be parsed: {exc}; not analysed", display=display, line=None)
    except (RecursionError, MemoryError):
        return _error("Python file is nested too deeply to parse; not analysed", display=display, line=None)
    return ParsedFile(path=path, display=display, language=Language.PYTHON, text=text, tree=tree)


def _parse_downgraded(text: str, *, display: str) -> ast.Module | None:
    """The tree of `text` with Python 3.12 syntax rewritten (this interpreter's `ast` may predate it)."""
    rewritten = downgrade(text)
    if rewritten is None:
        return None
    try:
        return ast.parse(rewritten, filename=display)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
