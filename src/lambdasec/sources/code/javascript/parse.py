"""Parsing JavaScript and TypeScript with tree-sitter: grammars loaded once, syntax errors as diagnostics."""

from __future__ import annotations

from functools import cache
from typing import Final

import tree_sitter

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Language
from lambdasec.sources.code.analyzer import ParsedFile

__all__ = ["MAX_BYTES", "SUFFIXES", "language_of", "parse"]

MAX_BYTES: Final = 2 * 1024 * 1024
SUFFIXES: Final = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_TYPESCRIPT: Final = (".ts", ".mts", ".cts", ".tsx")


def language_of(path: str) -> Language | None:
    """The language of a file by its suffix; None for files this analyzer does not read (`.d.ts` too)."""
    lowered = path.lower()
    if lowered.endswith((".d.ts", ".d.mts", ".d.cts")) or not lowered.endswith(SUFFIXES):
        return None
    return Language.TYPESCRIPT if lowered.endswith(_TYPESCRIPT) else Language.JAVASCRIPT


@cache
def _parser(grammar: str) -> tree_sitter.Parser:
    """One parser per grammar, built on first use (never at import time)."""
    if grammar == "javascript":
        import tree_sitter_javascript

        return tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))
    import tree_sitter_typescript

    raw = (
        tree_sitter_typescript.language_tsx()
        if grammar == "tsx"
        else tree_sitter_typescript.language_typescript()
    )
    return tree_sitter.Parser(tree_sitter.Language(raw))


def _grammar(path: str) -> str:
    lowered = path.lower()
    if lowered.endswith(".tsx"):
        return "tsx"
    return "typescript" if lowered.endswith(_TYPESCRIPT) else "javascript"


def parse(*, path: str, display: str, text: str) -> ParsedFile | Diagnostic:
    """The syntax tree of `text`; a file too large or with a syntax error is a Diagnostic naming its line."""
    language = language_of(path)
    if language is None:
        return _error(display, None, "not a JavaScript or TypeScript source file")
    data = text.encode("utf-8", errors="surrogatepass")
    if len(data) > MAX_BYTES:
        return _error(display, None, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; not analysed")
    tree = _parser(_grammar(path)).parse(data)
    root = tree.root_node
    if root.has_error:
        return _error(display, _first_error_line(root), "syntax error; the file was not analysed")
    return ParsedFile(path=path, display=display, language=language, text=text, tree=tree)


def _first_error_line(root: tree_sitter.Node) -> int:
    """The 1-based line of the first ERROR or MISSING node, in document order."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            return node.start_point.row + 1
        stack.extend(child for child in reversed(node.children) if child.has_error or child.is_missing)
    return root.start_point.row + 1


def _error(display: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(level=DiagnosticLevel.ERROR, source="code", message=message, file=display, line=line)
