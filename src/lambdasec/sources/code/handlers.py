"""Where a function's handler lives: its runtime's language, and the file and symbol its Handler names."""

from __future__ import annotations

import re
from typing import Final

from lambdasec.model import Language
from lambdasec.records import record

__all__ = [
    "JS_SUFFIXES",
    "PYTHON_SUFFIXES",
    "HandlerRef",
    "language_of_file",
    "language_of_runtime",
    "parse_handler",
]

PYTHON_SUFFIXES: Final = (".py",)
JS_SUFFIXES: Final = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
# Files a Node.js handler module name may resolve to, in the runtime's order, then TypeScript sources
# (SAM's esbuild build and the Serverless plugins point the handler at the .ts entry point).
_NODE_CANDIDATES: Final = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")
_IDENTIFIER: Final = re.compile(r"^[A-Za-z_$][\w$]*$")
# Directories TypeScript builds write to (`tsc` outDir): a handler there compiles from a source under
# `src/` (rootDir `src`) or under the project root (rootDir `.`), which is not built in a repository.
_BUILD_DIRS: Final = ("dist/", "build/", "lib/", "out/", ".build/")
_TYPESCRIPT: Final = (".ts", ".mts", ".cts", ".tsx")


@record
class HandlerRef:
    """A handler setting split: the package-relative file candidates and the symbol (dotted for nesting)."""

    candidates: tuple[str, ...]
    symbol: str


def language_of_runtime(runtime: str) -> Language | None:
    """Python or JavaScript (TypeScript compiles to it) for a Lambda runtime id; None for the others."""
    if runtime.startswith("python"):
        return Language.PYTHON
    if runtime.startswith("nodejs"):
        return Language.JAVASCRIPT
    return None


def language_of_file(path: str) -> Language | None:
    """The language of a source file by its suffix (`.d.ts` declarations are not code)."""
    if path.endswith(PYTHON_SUFFIXES):
        return Language.PYTHON
    if path.endswith(".d.ts"):
        return None
    if path.endswith((".ts", ".mts", ".cts", ".tsx")):
        return Language.TYPESCRIPT
    if path.endswith(JS_SUFFIXES):
        return Language.JAVASCRIPT
    return None


def parse_handler(handler: str, language: Language) -> HandlerRef | None:
    """The files and symbol a Handler setting names, as the runtime resolves it; None when malformed.

    Python: `pkg/mod.func` or `pkg.mod.func` -> `pkg/mod.py` (or `pkg/mod/__init__.py`), `func`.
    Node.js: `dir/file.a.b` -> `dir/file.js|.mjs|.cjs` (or the TypeScript source), `a.b` (split at the first
    dot after the last slash, as the runtime does; it reads that property path of the loaded module, and
    refuses a setting holding `..`); a file in a build output directory (`dist/handlers/hello.handler`)
    may also be its TypeScript source (`src/handlers/hello.ts`).
    """
    handler = handler.strip().removeprefix("./")
    if language is Language.PYTHON:
        module, dot, symbol = handler.rpartition(".")
        if not dot or not module or not _IDENTIFIER.match(symbol):
            return None
        if not all(module.replace("/", ".").split(".")):
            return None  # an empty module name: `../app.handler`, `app..handler`
        base = module.replace(".", "/")
        return HandlerRef(candidates=(f"{base}.py", f"{base}/__init__.py"), symbol=symbol)
    if ".." in handler:
        return None
    directory, slash, name = handler.rpartition("/")
    module, dot, symbol = name.partition(".")
    if not dot or not module or not all(symbol.split(".")):
        return None
    base = f"{directory}{slash}{module}"
    candidates = [base + suffix for suffix in _NODE_CANDIDATES]
    built = next((base.removeprefix(d) for d in _BUILD_DIRS if base.startswith(d)), None)
    if built:
        candidates += [f"{root}{built}{suffix}" for root in ("src/", "") for suffix in _TYPESCRIPT]
    return HandlerRef(candidates=tuple(candidates), symbol=symbol)
