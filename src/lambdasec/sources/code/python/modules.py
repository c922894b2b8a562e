"""What the analysis needs of one Python module: its imports, functions, and the /tmp paths it removes."""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass, field

from lambdasec.sources.code.analyzer import ParsedFile

from .specs import REMOVERS

__all__ = ["ModuleInfo", "index_module", "module_candidates"]

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True, kw_only=True)
class ModuleInfo:
    """A parsed module's names: `imports` maps a local name to the dotted name it stands for.

    Relative imports are made absolute from the module's own package path (`from .db import run` in
    `pkg/app.py` is `pkg.db.run`). `removed` holds constant paths the module deletes.
    """

    parsed: ParsedFile
    imports: dict[str, str]
    functions: dict[str, Function]
    removed: frozenset[str]
    dotted: str = ""
    constants: dict[str, str] = field(default_factory=dict)


def _package_of(path: str) -> list[str]:
    parts = path[: -len(".py")].split("/") if path.endswith(".py") else path.split("/")
    return parts[:-1]


def index_module(parsed: ParsedFile) -> ModuleInfo:
    """Imports, module-level functions, string constants and removed paths of `parsed`."""
    tree = parsed.tree
    imports: dict[str, str] = {}
    functions: dict[str, Function] = {}
    constants: dict[str, str] = {}
    package = _package_of(parsed.path)
    for node in ast.walk(tree) if isinstance(tree, ast.Module) else ():
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
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = node.value.value
    removed = frozenset(_removed_paths(tree, imports=imports, constants=constants))
    dotted = ".".join([*package, posixpath.basename(parsed.path)[: -len(".py")]])
    return ModuleInfo(
        parsed=parsed,
        imports=imports,
        functions=functions,
        removed=removed,
        dotted=dotted.removesuffix(".__init__"),
        constants=constants,
    )


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


__all__ += ["dotted_name"]
