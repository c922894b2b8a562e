"""JavaScript/TypeScript parsing: grammars by suffix, syntax errors and oversized files as diagnostics."""

from __future__ import annotations

import pytest

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Language
from lambdasec.sources.code.analyzer import ParsedFile
from lambdasec.sources.code.javascript import JavaScriptAnalyzer
from lambdasec.sources.code.javascript.parse import MAX_BYTES, language_of

ANALYZER = JavaScriptAnalyzer()


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("a.js", Language.JAVASCRIPT),
        ("a.mjs", Language.JAVASCRIPT),
        ("a.cjs", Language.JAVASCRIPT),
        ("a.jsx", Language.JAVASCRIPT),
        ("a.ts", Language.TYPESCRIPT),
        ("a.mts", Language.TYPESCRIPT),
        ("a.cts", Language.TYPESCRIPT),
        ("a.tsx", Language.TYPESCRIPT),
        ("types.d.ts", None),
        ("a.py", None),
    ],
)
def test_language_by_suffix(path: str, language: Language | None) -> None:
    assert language_of(path) == language


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("app.mjs", "export const handler = async (event) => event?.body ?? null;\n"),
        ("app.ts", "export const handler = async <T,>(event: T): Promise<T> => event as T;\n"),
        ("app.tsx", "export const view = (p: { name: string }) => <div>{p.name}</div>;\n"),
        ("app.jsx", "export const view = (p) => <div>{p.name}</div>;\n"),
    ],
)
def test_modern_syntax_parses(path: str, text: str) -> None:
    parsed = ANALYZER.parse(path=path, display=f"src/{path}", text=text)
    assert isinstance(parsed, ParsedFile)
    assert (parsed.path, parsed.display, parsed.text) == (path, f"src/{path}", text)
    assert parsed.language == language_of(path)


def test_syntax_error_is_a_diagnostic_with_its_line() -> None:
    result = ANALYZER.parse(path="app.js", display="src/app.js", text="const a = 1;\n\nfoo(;\nconst b = 2;\n")
    assert result == Diagnostic(
        level=DiagnosticLevel.ERROR,
        source="code",
        message="syntax error; the file was not analysed",
        file="src/app.js",
        line=3,
    )


def test_typescript_in_a_js_file_is_a_syntax_error() -> None:
    result = ANALYZER.parse(path="app.js", display="app.js", text="const a: number = 1;\n")
    assert isinstance(result, Diagnostic)
    assert (result.file, result.line) == ("app.js", 1)


def test_missing_token_is_a_syntax_error() -> None:
    result = ANALYZER.parse(path="app.ts", display="app.ts", text="function f() {\n  return 1;\n")
    assert isinstance(result, Diagnostic)
    assert result.level is DiagnosticLevel.ERROR


def test_oversized_file_is_a_diagnostic() -> None:
    text = "//" + "x" * MAX_BYTES + "\n"
    result = ANALYZER.parse(path="big.js", display="src/big.js", text=text)
    assert result == Diagnostic(
        level=DiagnosticLevel.ERROR,
        source="code",
        message="file is larger than 2 MB; not analysed",
        file="src/big.js",
        line=None,
    )


def test_analyzer_declares_its_languages_and_suffixes() -> None:
    assert ANALYZER.languages == frozenset({Language.JAVASCRIPT, Language.TYPESCRIPT})
    assert ANALYZER.suffixes == (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
