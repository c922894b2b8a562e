"""What the analysis needs of one Python module: its imports, functions, and the /tmp paths it removes."""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass, field

from lambdasec.sources.code.analyzer import ParsedFile

from .specs import REMOVERS
from .values import Value

__all__ = ["Function", "ModuleInfo", "dotted_name", "index_module", "module_candidates"]

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(slots=True, kw_only=True)
class ModuleInfo:
    """A parsed module's names: `imports` maps a local name to the dotted name it stands for.

    Relative imports are made absolute from the module's own package path (`from .db import run` in
    `pkg/app.py` is `pkg.db.run`). Indexed once per file; the parts only some analyses need (source
    lines for trace notes, the constant paths the module deletes) are derived on first use and kept.
    """

    parsed: ParsedFile
    imports: dict[str, str]
    functions: dict[str, Function]
    constants: dict[str, str] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    env: dict[str, Value] | None = None
    _lines: list[str] | None = None
    _removed: frozenset[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The module's source lines."""
        if self._lines is None:
            self._lines = self.parsed.text.splitlines()
        return self._lines

    @property
    def removed(self) -> frozenset[str]:
        """Constant paths the module deletes (os.remove, unlink, rmtree of a literal or a module constant)."""
        if self._removed is None:
            self._removed = frozenset(
                _removed_paths(self.parsed.tree, imports=self.imports, constants=self.constants)
            )
        return self._removed

    def source_of(self, node: ast.AST) -> str:
        """The source text of `node` as written, whitespace collapsed; unparsed when positions are missing."""
        start: int | None = getattr(node, "lineno", None)
        end: int | None = getattr(node, "end_lineno", None)
        first: int | None = getattr(node, "col_offset", None)
        last: int | None = getattr(node, "end_col_offset", None)
        if start is None or end is None or first is None or last is None or end > len(self.lines):
            return ast.unparse(node)
        if start == end:
            line: str = self.lines[start - 1]
            if line.isascii():
                return line[first:last]
            return line.encode()[first:last].decode("utf-8", "replace")
        chunk = [self.lines[start - 1].encode()[first:].decode("utf-8", "replace")]
        chunk += self.lines[start : end - 1]
        chunk.append(self.lines[end - 1].encode()[:last].decode("utf-8", "replace"))
        return " ".join(" ".join(chunk).split())


def _package_of(path: str) -> list[str]:
    parts = path[: -len(".py")].split("/") if path.endswith(".py") else path.split("/")
    return parts[:-1]


def index_module(parsed: ParsedFile) -> ModuleInfo:
    """Imports, module-level functions and string constants of `parsed`."""
    tree = parsed.tree
    imports: dict[str, str] = {}
    functions: dict[str, Function] = {}
    constants: dict[str, str] = {}
    classes: dict[str, ast.ClassDef] = {}
    package = _package_of(parsed.path)
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imports[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    imports[head] = head
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module or "", level=node.level, package=package)
            for alias in node.names:
                if alias.name != "*":
                    imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    if isinstance(tree, ast.Module):
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                classes[node.name] = node
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = node.value.value
    return ModuleInfo(
        parsed=parsed,
        imports=imports,
        functions=functions,
        constants=constants,
        classes=classes,
    )


def _statements(tree: ast.AST) -> list[ast.stmt]:
    """Every statement of a module, nested ones included (imports are statements: expressions are skipped)."""
    if not isinstance(tree, ast.Module):
        return []
    found: list[ast.stmt] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        found.append(node)
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(node, name, None)
            if isinstance(inner, list):
                pending.extend(inner)
        for handler in getattr(node, "handlers", ()):
            pending.extend(handler.body)
        for case in getattr(node, "cases", ()):
            pending.extend(case.body)
    found.reverse()
    return found


def _absolute(module: str, *, level: int, package: list[str]) -> str:
    if level == 0:
        return module
    base = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
    return ".".join([*base, *([module] if module else [])])


def dotted_name(node: ast.expr, imports: dict[str, str]) -> str | None:
    """`sp.run` with `import subprocess as sp` is `subprocess.run`; None unless names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    head = imports.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])


def _constant(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _removed_paths(tree: ast.AST, *, imports: dict[str, str], constants: dict[str, str]) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = dotted_name(node.func, imports)
        if name in REMOVERS and node.args:
            path = _constant(node.args[0], constants)
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "unlink"
            and isinstance(node.func.value, ast.Call)
            and dotted_name(node.func.value.func, imports) == "pathlib.Path"
            and node.func.value.args
        ):
            path = _constant(node.func.value.args[0], constants)
        else:
            continue
        if path is not None:
            found.append(path.rstrip("/") or "/")
    return found


def module_candidates(dotted: str, *, importer: str) -> list[str]:
    """Package paths a dotted module name may live at: from the package root, then beside the importer."""
    relative = dotted.replace(".", "/")
    here = posixpath.dirname(importer)
    found = [f"{relative}.py", f"{relative}/__init__.py"]
    if here:
        found += [posixpath.join(here, f"{relative}.py"), posixpath.join(here, relative, "__init__.py")]
    return found
