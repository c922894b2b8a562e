"""Module calls: `module` blocks read from their directory (local, or where `terraform init` installed
them), inputs bound, outputs given back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Inventory, Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.evaluator import Step, follow
from lambdasec.sources.terraform.expressions import ModuleOutputs, Scope, instance_label
from lambdasec.sources.terraform.hcl import SOURCE_NAME, TfFile, start_line
from lambdasec.sources.terraform.instances import Instance, expand
from lambdasec.sources.terraform.local_files import LocalFiles
from lambdasec.sources.terraform.mapping import map_module, module_scope
from lambdasec.sources.terraform.module_manifest import InstalledModules, source_changed

__all__ = ["FileLoader", "ModuleInstance", "local_calls"]

# Arguments of a `module` block that are Terraform's, not the module's input variables.
_META_ARGUMENTS: Final = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
FileLoader = Callable[[Path], list[TfFile] | None]


@record
class _Call:
    """One `module` block: its name, raw body, where it is, and the directory it reads (None: not read)."""

    name: str
    body: Mapping[str, Any]
    file: TfFile
    directory: Path | None


def _module_blocks(files: list[TfFile]) -> Iterator[tuple[TfFile, str, Mapping[str, Any]]]:
    for file in files:
        for group in file.body.get("module", []):
            for name, body in group.items():
                if isinstance(body, Mapping):
                    yield file, name, body


def is_local_source(source: object) -> bool:
    """Terraform reads a module from disk only for `./` and `../` sources; others are downloaded."""
    return isinstance(source, str) and source.startswith(("./", "../", ".\\", "..\\"))


def local_calls(directory: Path, files: list[TfFile]) -> list[Path]:
    """The directories `files` call as local modules (normalized), for telling roots from modules."""
    return [
        Path(os.path.normpath(directory / body["source"]))
        for _, _, body in _module_blocks(files)
        if is_local_source(body.get("source"))
    ]


class ModuleInstance:
    """One instance of a module: a root module, or one instance of a `module` block with its inputs.

    Scope and children are built when first needed, because a caller's values may read a child's
    outputs and a child's inputs read the caller's values.
    """

    def __init__(
        self,
        *,
        directory: Path,
        files: list[TfFile],
        root: Path,
        loader: FileLoader,
        diagnostics: list[Diagnostic],
        prefix: str = "",
        tfvars: Mapping[str, Any] | None = None,
        inputs: Callable[[], Mapping[str, Any]] | None = None,
        trail: tuple[Path, ...] = (),
        key_root: str = "",
        root_module: Path | None = None,
        local_files: LocalFiles | None = None,
        module_key: str = "",
        installed: InstalledModules | None = None,
    ) -> None:
        self.directory = directory
        self.files = files
        self.prefix = prefix
        self._root = root
        self._loader = loader
        self._diagnostics = diagnostics
        self._tfvars = tfvars or {}
        self._inputs = inputs
        self._trail = (*trail, directory)
        self._key_root = key_root
        # Where Terraform runs: the root module's directory, which relative paths and path.* start from.
        self._root_module = root_module or directory
        self._local_files = local_files or LocalFiles(root=root, cwd=self._root_module)
        # The dotted path of the calls that created this instance (`a.b`), as the module manifest keys it.
        self._module_key = module_key
        self._installed = installed or InstalledModules(root_module=self._root_module, root=root)
        self._scope: Scope | None = None
        self._building = False
        self.calls = {call.name: _CallOutputs(self, call) for call in self._calls()}

    def scope(self) -> Scope | None:
        """The module's scope; None while it is being built (a value that needs itself)."""
        if self._scope is None:
            if self._building:
                return None
            self._building = True
            inputs = self._inputs() if self._inputs is not None else {}
            self._scope = module_scope(
                self.files,
                tfvars=self._tfvars,
                inputs=inputs,
                file_inputs=inputs.for_files() if isinstance(inputs, _Inputs) else None,
                prefix=self.prefix,
                modules=self.calls,
                key_root=self._key_root,
                paths=self._paths(),
                base_dir=_display(self._root_module, self._root),
                local_files=self._local_files,
            )
        return self._scope

    def inventory(self) -> Inventory:
        """This module's objects and those of every module it calls, with module-prefixed addresses."""
        scope = self.scope()
        assert scope is not None
        parts = [map_module(self.files, scope=scope)]
        for problem in scope.problems:
            if problem not in self._diagnostics:
                self._diagnostics.append(problem)
        for outputs in self.calls.values():
            parts.extend(child.inventory() for child in outputs.children())
        return Inventory.merge(parts)

    def output(self, name: str, rest: list[Step], *, depth: int) -> Any:
        """The value of output `name`, then the steps after it."""
        scope = self.scope()
        if scope is None:
            return Unresolved(f"{self.prefix}output.{name} depends on itself")
        for file in self.files:
            for group in file.body.get("output", []):
                body = group.get(name)
                if isinstance(body, Mapping) and "value" in body:
                    return follow(scope.resolve(body["value"], depth=depth), rest)
        return Unresolved(f"{self.prefix}output.{name}")

    def _paths(self) -> dict[str, str]:
        """`path.module` and `path.root`, relative to the root module's directory as Terraform gives them
        (`path.cwd` is absolute: known only where it names a local file, see `Scope.for_files`)."""
        module = Path(os.path.relpath(self.directory, self._root_module)).as_posix()
        return {"module": module, "root": "."}

    def directories(self) -> Iterator[Path]:
        """This module's directory and those of every module instance below it."""
        yield self.directory
        for outputs in self.calls.values():
            for child in outputs.children():
                yield from child.directories()

    def _calls(self) -> Iterator[_Call]:
        for file, name, body in _module_blocks(self.files):
            yield _Call(name=name, body=body, file=file, directory=self._target(file, name, body))

    def _target(self, file: TfFile, name: str, body: Mapping[str, Any]) -> Path | None:
        """The directory a call reads, or None with a diagnostic saying why it is not read."""
        source = body.get("source")
        line = start_line(body)
        if not is_local_source(source):
            return self._installed_target(file, name, source, line)
        assert isinstance(source, str)
        target = Path(os.path.normpath(self.directory / source))
        outside = f"module `{name}` is not read: `{source}` is outside the scanned directory"
        return self._readable(file, name, line, target=target, outside=outside)

    def _installed_target(self, file: TfFile, name: str, source: object, line: int | None) -> Path | None:
        """The directory `terraform init` installed a remote module call in, as the root module's manifest
        gives it (keyed by the dotted path of calls); None with a diagnostic saying why it is not read."""
        manifest = self._installed.manifest()
        if isinstance(manifest, Diagnostic):
            if manifest not in self._diagnostics:
                self._diagnostics.append(manifest)
            manifest = None
        key = f"{self._module_key}.{name}" if self._module_key else name
        entry = None if manifest is None else manifest.entries.get(key)
        if manifest is None or entry is None:
            self._report(
                DiagnosticLevel.WARNING,
                f"module `{name}` is not read: source `{source}` is not a local path (remote modules are"
                " not downloaded); run `terraform init` to let lambdasec read it",
                file,
                line,
            )
            return None
        if source_changed(entry, source):
            self._report(
                DiagnosticLevel.WARNING,
                f"module `{name}` is not read: `{manifest.display}` lists it as installed from"
                f" `{entry.source}`, not `{source}`; run `terraform init` to let lambdasec read it",
                file,
                line,
            )
            return None
        target = entry.directory
        outside = (
            f"module `{name}` is not read: `{manifest.display}` gives it directory `{entry.written}`,"
            " which is outside the scanned directory"
        )
        if target.is_relative_to(self._root) and not target.is_dir():
            where = _display(target, self._root)
            self._report(
                DiagnosticLevel.WARNING,
                f"module `{name}` is not read: `{manifest.display}` lists it in `{where}`, but that"
                " directory is missing; run `terraform init` to let lambdasec read it",
                file,
                line,
            )
            return None
        return self._readable(file, name, line, target=target, outside=outside)

    def _readable(
        self, file: TfFile, name: str, line: int | None, *, target: Path, outside: str
    ) -> Path | None:
        """`target` when it can be read as the called module: inside the scanned directory, not one of
        its own callers, and holding Terraform files; otherwise None with an error."""
        if not target.is_relative_to(self._root):
            self._report(DiagnosticLevel.ERROR, outside, file, line)
            return None
        if target in self._trail:
            cycle = " -> ".join(_display(p, self._root) for p in (*self._trail, target))
            self._report(DiagnosticLevel.ERROR, f"module `{name}` calls itself: {cycle}", file, line)
            return None
        if self._loader(target) is None:
            self._report(
                DiagnosticLevel.ERROR,
                f"module `{name}` is not read: no Terraform files in `{_display(target, self._root)}`",
                file,
                line,
            )
            return None
        return target

    def _report(self, level: DiagnosticLevel, message: str, file: TfFile, line: int | None) -> None:
        diagnostic = Diagnostic(
            level=level, source=SOURCE_NAME, message=message, file=file.display, line=line
        )
        if diagnostic not in self._diagnostics:
            self._diagnostics.append(diagnostic)

    def child(self, call: _Call, instance: Instance) -> ModuleInstance | None:
        """The module instance a call creates for `instance` (None when its directory is not read)."""
        if call.directory is None:
            return None
        files = self._loader(call.directory)
        if files is None:
            return None

        def caller_scope() -> Scope | None:
            scope = self.scope()
            if scope is not None and instance.bindings:
                scope = scope.with_instance(instance.bindings)
            return scope

        def inputs() -> Mapping[str, Any]:
            return _Inputs(_inputs(call.body), caller_scope, label=f"module.{call.name}")

        return ModuleInstance(
            directory=call.directory,
            files=files,
            root=self._root,
            loader=self._loader,
            diagnostics=self._diagnostics,
            prefix=f"{self.prefix}module.{call.name}{instance.label}.",
            inputs=inputs,
            trail=self._trail,
            key_root=self._key_root,
            root_module=self._root_module,
            local_files=self._local_files,
            module_key=f"{self._module_key}.{call.name}" if self._module_key else call.name,
            installed=self._installed,
        )


def _inputs(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in _META_ARGUMENTS and not k.startswith("__")}


class _Inputs(Mapping[str, Any]):
    """A module call's inputs, each resolved in the caller's scope when first read, as Terraform orders
    evaluation by value: modules may read each other's outputs (`a.x = module.b.y`, `b.z = module.a.w`)
    without one waiting on the other's whole scope. An input that needs itself is Unresolved."""

    def __init__(self, raw: Mapping[str, Any], caller: Callable[[], Scope | None], *, label: str) -> None:
        self._raw = raw
        self._caller = caller
        self._label = label
        self._values: dict[str, Any] = {}
        self._reading: set[str] = set()

    def for_files(self) -> _Inputs:
        """These inputs as read where they name a local file (see `Scope.for_files`)."""
        caller = self._caller

        def file_scope() -> Scope | None:
            scope = caller()
            return None if scope is None else scope.for_files()

        return _Inputs(self._raw, file_scope, label=self._label)

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __getitem__(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        raw = self._raw[key]
        if key in self._reading:
            return Unresolved(f"{self._label}.{key} depends on itself")
        scope = self._caller()
        if scope is None:  # the caller is being built: unknown for now, read again later
            return Unresolved(f"{self._label}.{key}")
        self._reading.add(key)
        try:
            value = scope.resolve(raw)
        finally:
            self._reading.discard(key)
        self._values[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class _CallOutputs(ModuleOutputs):
    """`module.<name>` as the caller sees it: its instances, created once, and their outputs."""

    def __init__(self, caller: ModuleInstance, call: _Call) -> None:
        self._caller = caller
        self._call = call
        self._children: dict[str, ModuleInstance | None] | None = None

    def _instances(self) -> dict[str, ModuleInstance | None] | None:
        if self._children is None:
            scope = self._caller.scope()
            if scope is None:
                return None
            self._children = {
                instance.label: self._caller.child(self._call, instance)
                for instance in expand(self._call.body, scope)
            }
        return self._children

    def children(self) -> list[ModuleInstance]:
        """Every instance that was read."""
        return [child for child in (self._instances() or {}).values() if child is not None]

    def lookup(self, path: list[Step], *, depth: int) -> Any:
        """`module.<name>[key].<output>...`: the instance key is needed when the call has count/for_each."""
        instances = self._instances()
        unknown = Unresolved("")  # named by the reference's text
        if instances is None:
            return unknown
        label = ""
        if path and path[0].index:
            # the instances of a call whose count/for_each is not known are read as one, unlabelled
            repeated = "count" in self._call.body or "for_each" in self._call.body
            label = "" if repeated and list(instances) == [""] else instance_label(path[0].key)
            path = path[1:]
        child = instances.get(label)
        if child is None or not path or path[0].index or not isinstance(path[0].key, str):
            return unknown
        return child.output(path[0].key, path[1:], depth=depth)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return path.as_posix()
