"""The contract between the code source and each language's analyzer: parsed files, packages, results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from lambdasec.findings import Diagnostic
from lambdasec.model import CodeUnit, Flow, Language
from lambdasec.records import record
from lambdasec.sources.code.event_shapes import Invocation

__all__ = ["Analysis", "HandlerShape", "LanguageAnalyzer", "Package", "ParsedFile"]


@record
class ParsedFile:
    """A file's text and syntax tree; `path` is relative to its package root, `display` to the scan root.

    `tree` is the language's own tree (an `ast.Module`, a tree-sitter `Tree`); only its analyzer reads it.
    """

    path: str
    display: str
    language: Language
    text: str
    tree: Any


@record
class HandlerShape:
    """A function that looks like a Lambda handler: its exported name and the line it is defined on."""

    symbol: str
    line: int


@dataclass(slots=True, kw_only=True)
class Package:
    """The files deployed together with a handler (a code root), parsed on first use and cached.

    `paths` lists every source file of the package (relative POSIX paths); `load(path)` parses one,
    returning None (and recording a diagnostic once) when it cannot be read or parsed. Analyzers use it
    to follow imports of the package's own modules for interprocedural summaries.
    """

    root: str
    paths: frozenset[str]
    loader: Callable[[str], ParsedFile | Diagnostic | None]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _cache: dict[str, ParsedFile | None] = field(default_factory=dict)

    def load(self, path: str) -> ParsedFile | None:
        """The parsed file at `path` in this package, or None when absent or unparsable."""
        if path in self._cache:
            return self._cache[path]
        result = self.loader(path) if path in self.paths else None
        if isinstance(result, Diagnostic):
            self.diagnostics.append(result)
            result = None
        self._cache[path] = result
        return result


@record
class Analysis:
    """What analysing one handler found: flows to sinks, and what could not be analysed."""

    flows: tuple[Flow, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


class LanguageAnalyzer(Protocol):
    """One language family's parser and taint analysis (Python; JavaScript with TypeScript)."""

    @property
    def languages(self) -> frozenset[Language]:
        """The languages this analyzer reads."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The file suffixes of those languages."""
        ...

    def parse(self, *, path: str, display: str, text: str) -> ParsedFile | Diagnostic:
        """Parse `text`; a syntax error is a Diagnostic naming `display` and the line, never an exception."""
        ...

    def handler_line(self, parsed: ParsedFile, symbol: str) -> int | None:
        """The line where the exported handler `symbol` is defined (dotted for nested exports), or None."""
        ...

    def handler_exports(self, parsed: ParsedFile) -> tuple[str, ...] | None:
        """The names a handler setting can reach in the module, to list when one is missing; None when
        the language does not list them."""
        ...

    def handler_shapes(self, parsed: ParsedFile) -> Sequence[HandlerShape]:
        """Functions that look like Lambda handlers, for code found without infrastructure naming them."""
        ...

    def analyze(
        self, unit: CodeUnit, *, parsed: ParsedFile, package: Package, invocation: Invocation | None = None
    ) -> Analysis:
        """The taint flows from `unit`'s event (and other sources) to sinks, following calls in `package`;
        `invocation` is how the unit is invoked, the only thing read of its triggers (`Invocation.of(unit)`
        when not given)."""
        ...
