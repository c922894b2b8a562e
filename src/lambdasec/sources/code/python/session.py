"""State shared while analysing one handler: its package's modules, module-level values, summaries."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from lambdasec.model import SinkKind
from lambdasec.records import record
from lambdasec.sources.code.analyzer import Package, ParsedFile
from lambdasec.sources.code.event_shapes import TaintPolicy

from .modules import Function, ModuleInfo, index_module, module_candidates
from .values import Value

__all__ = ["MAX_DEPTH", "Hit", "ModuleIndex", "Session", "Summary"]

MAX_DEPTH = 3


@record
class Hit:
    """Tainted data reaching a sink at one call site; `tmp_path` is the /tmp file a write goes to."""

    sink: SinkKind
    callee: str
    file: str
    line: int
    col: int
    value: Value
    tmp_path: str | None = None


@record
class Summary:
    """What calling a function does with given arguments: sinks reached inside, and the value returned."""

    hits: tuple[Hit, ...]
    returned: Value


SummaryKey = tuple[str, str, tuple[tuple[int, Value], ...]]


@dataclass(slots=True)
class ModuleIndex:
    """Modules indexed so far, kept across a scan's handlers (a helper shared by many is indexed once)."""

    known: dict[int, tuple[ParsedFile, ModuleInfo]] = field(default_factory=dict)
    import_hits: dict[int, tuple[Hit, ...]] = field(default_factory=dict)

    def index(self, parsed: ParsedFile) -> ModuleInfo:
        """The index of `parsed` (the same parsed object: packages cache what they parse)."""
        entry = self.known.get(id(parsed))
        if entry is not None and entry[0] is parsed:
            return entry[1]
        info = index_module(parsed)
        self.known[id(parsed)] = (parsed, info)
        return info


@dataclass(slots=True, kw_only=True)
class Session:
    """One handler's analysis: the event policy, the package, and caches filled as calls are followed."""

    policy: TaintPolicy
    package: Package
    indexed: ModuleIndex
    modules: dict[str, ModuleInfo | None] = field(default_factory=dict)
    summaries: dict[SummaryKey, Summary] = field(default_factory=dict)
    active: set[SummaryKey] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    classes: dict[str, tuple[ModuleInfo, ast.ClassDef]] = field(default_factory=dict)

    def module(self, path: str, *, parsed: ParsedFile | None = None) -> ModuleInfo | None:
        """The indexed module at package path `path` (the handler's own file may be passed in)."""
        if path not in self.modules:
            loaded = parsed if parsed is not None else self.package.load(path)
            if loaded is not None and not isinstance(loaded.tree, ast.Module):
                loaded = None
            self.modules[path] = self.indexed.index(loaded) if loaded is not None else None
        return self.modules[path]

    def find_module(self, dotted: str, *, importer: str) -> ModuleInfo | None:
        """The package module a dotted name refers to, if it is part of the package."""
        for candidate in module_candidates(dotted, importer=importer):
            if candidate in self.package.paths or candidate in self.modules:
                found = self.module(candidate)
                if found is not None:
                    return found
        return None

    def find_function(self, dotted: str, *, importer: str) -> tuple[ModuleInfo, Function] | None:
        """The package function a dotted name (`pkg.db.run`) refers to, if any."""
        module_name, _, name = dotted.rpartition(".")
        if not module_name:
            return None
        module = self.find_module(module_name, importer=importer)
        if module is None or name not in module.functions:
            return None
        return module, module.functions[name]

    def find_class(self, dotted: str, *, importer: str) -> tuple[ModuleInfo, ast.ClassDef] | None:
        """The package class a dotted name (`pkg.service.OrderService`) refers to, if any."""
        module_name, _, name = dotted.rpartition(".")
        module = self.find_module(module_name, importer=importer) if module_name else None
        if module is None or name not in module.classes:
            return None
        return module, module.classes[name]

    def class_kind(self, module: ModuleInfo, node: ast.ClassDef) -> str:
        """The object kind of instances of a package class (methods resolve through it)."""
        kind = f"class:{module.parsed.path}:{node.name}"
        self.classes[kind] = (module, node)
        return kind

    def method(self, kind: str, name: str) -> tuple[ModuleInfo, Function, bool] | None:
        """A method of a package class by the kind of its instances: module, function, and whether static."""
        found = self.classes.get(kind)
        if found is None:
            return None
        module, node = found
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == name:
                static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in item.decorator_list)
                return module, item, static
        return None

    def import_time_hits(self) -> list[Hit]:
        """Sinks reached by the module-level code of the modules this handler's analysis loaded."""
        return [
            hit
            for module in self.modules.values()
            if module is not None
            for hit in self.indexed.import_hits.get(id(module.parsed), ())
        ]

    def removed_paths(self) -> set[str]:
        """Constant paths removed anywhere in the modules seen."""
        found = set(self.removed)
        for module in self.modules.values():
            if module is not None:
                found |= module.removed
        return found
