"""Runs the JavaScript analyzer on in-memory packages for the code-analysis tests."""

from __future__ import annotations

import textwrap

from lambdasec.model import CodeUnit, Flow, HandlerMatch, Language, Origin, SourceKind, TriggerKind
from lambdasec.sources.code.analyzer import Package, ParsedFile
from lambdasec.sources.code.javascript import JavaScriptAnalyzer

ANALYZER = JavaScriptAnalyzer()


def analyze_package(
    files: dict[str, str],
    *,
    handler: str = "app.js",
    symbol: str = "handler",
    triggers: tuple[TriggerKind, ...] = (),
    http: bool = False,
) -> tuple[Flow, ...]:
    """The flows of `handler`'s `symbol` in a package of `files` (dedented texts by path under `src/`)."""
    texts = {path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}
    package = Package(
        root="src",
        paths=frozenset(texts),
        loader=lambda path: ANALYZER.parse(path=path, display=f"src/{path}", text=texts[path]),
    )
    parsed = package.load(handler)
    assert isinstance(parsed, ParsedFile)
    language = Language.TYPESCRIPT if handler.endswith("ts") else Language.JAVASCRIPT
    unit_key = f"src/{handler}:{symbol}"
    unit = CodeUnit(
        key=unit_key,
        file=f"src/{handler}",
        symbol=symbol,
        language=language,
        function="fn",
        match=HandlerMatch.INFRASTRUCTURE,
        triggers=triggers,
        http=http,
        origin=Origin(source=SourceKind.CODE, file=f"src/{handler}", line=1, resource=unit_key),
    )
    analysis = ANALYZER.analyze(unit, parsed=parsed, package=package)
    assert analysis.diagnostics == ()
    return analysis.flows
