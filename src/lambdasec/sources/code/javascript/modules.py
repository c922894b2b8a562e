"""Imports and requires of a JavaScript/TypeScript file: qualified module names and package files."""

from __future__ import annotations

import posixpath
from typing import Final

from tree_sitter import Node

from lambdasec.sources.code.javascript.syntax import string_value, text, unwrap

__all__ = ["import_bindings", "module_name", "require_source", "resolve_relative"]

_EXTENSIONS: Final = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")


def module_name(source: str) -> str:
    """The qualified-name prefix of an imported module: `node:fs/promises` -> `fs.promises`."""
    name = source.removeprefix("node:")
    if name in ("fs/promises", "dns/promises", "timers/promises", "stream/promises"):
        return name.replace("/", ".")
    return name


def resolve_relative(importer: str, source: str, paths: frozenset[str]) -> str | None:
    """The package path a relative import from `importer` names, trying the usual extensions."""
    if not source.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), source))
    stem, suffix = posixpath.splitext(base)
    candidates = [base] if suffix in _EXTENSIONS else []
    if suffix in (".js", ".mjs", ".cjs", ".jsx"):
        candidates += [stem + ext for ext in (".ts", ".mts", ".cts", ".tsx")]
    candidates += [base + ext for ext in _EXTENSIONS]
    candidates += [posixpath.join(base, "index" + ext) for ext in _EXTENSIONS]
    return next((candidate for candidate in candidates if candidate in paths), None)


def require_source(node: Node) -> str | None:
    """The module string of `require("m")` (also `import("m")`), else None.

    Compilers wrap a require in an interop helper, `__toESM(require("m"))` (esbuild, renamed when
    minified, with a mode flag after it) or `__importStar(require("m"))` (TypeScript): the same module.
    """
    node = unwrap(node)
    if node.type != "call_expression":
        return None
    callee = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if callee is None or arguments is None:
        return None
    items = [child for child in arguments.named_children if child.type != "comment"]
    if text(callee) not in ("require", "import"):
        wrapped = callee.type == "identifier" and 1 <= len(items) <= 2
        if not wrapped or any(item.type != "number" for item in items[1:]):
            return None
        inner = unwrap(items[0])
        inner_callee = inner.child_by_field_name("function") if inner.type == "call_expression" else None
        return require_source(inner) if inner_callee is not None and text(inner_callee) == "require" else None
    return string_value(items[0]) if items else None


def import_bindings(statement: Node) -> list[tuple[str, str, str | None]]:
    """The names an `import` statement binds: (local name, module source, exported name or None for all)."""
    source_node = statement.child_by_field_name("source")
    source = string_value(source_node) if source_node is not None else None
    result: list[tuple[str, str, str | None]] = []
    for clause in statement.named_children:
        if clause.type == "import_require_clause":
            local = clause.named_children[0] if clause.named_children else None
            required = clause.child_by_field_name("source")
            value = string_value(required) if required is not None else None
            if local is not None and value is not None:
                result.append((text(local), value, None))
        if clause.type != "import_clause" or source is None:
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                result.append((text(part), source, "default"))
            elif part.type == "namespace_import":
                names = [child for child in part.named_children if child.type == "identifier"]
                if names:
                    result.append((text(names[0]), source, None))
            elif part.type == "named_imports":
                for specifier in part.named_children:
                    name, alias = (
                        specifier.child_by_field_name("name"),
                        specifier.child_by_field_name("alias"),
                    )
                    if name is not None:
                        result.append((text(alias if alias is not None else name), source, text(name)))
    return result
