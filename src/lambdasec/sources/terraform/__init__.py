"""Terraform as a source: root modules (directories of .tf/.tf.json files) and the modules they call."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lambdasec.collector import collector_paused
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.terraform.cli_vars import as_raw, command_line_values, declared_variables
from lambdasec.sources.terraform.hcl import SOURCE_NAME, TfFile, clean, parse_file
from lambdasec.sources.terraform.modules import ModuleInstance, local_calls

__all__ = ["TERRAFORM_SUFFIXES", "TerraformSource"]

TERRAFORM_SUFFIXES = (".tf", ".tf.json")


class TerraformSource:
    """Loads Terraform root modules with the modules they call (local ones, and remote ones where
    `terraform init` installed them); what cannot be read is a diagnostic.

    A directory that another scanned directory calls as a module is read only through its callers (with
    their inputs), never also as a root module with its defaults. `var_files` are applied to every root
    module after `terraform.tfvars` and `*.auto.tfvars`, in the order given, as `terraform -var-file` is;
    `variables` (`--var NAME=VALUE`, read by each root's declared types) after them, as `terraform -var`
    is. A variable set there that no root module declares is a warning (Terraform refuses it; the scan
    goes on).
    """

    kind = SourceKind.TERRAFORM

    def __init__(
        self, *, var_files: tuple[Path, ...] = (), variables: Mapping[str, Any] | None = None
    ) -> None:
        self.var_files = var_files
        self.variables = dict(variables or {})

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """The Terraform files among `files`, grouped by directory into modules."""
        with collector_paused():
            return self._load(files, root=root)

    def _load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        discovered: dict[Path, list[InputFile]] = defaultdict(list)
        for item in files:
            discovered[item.path.parent].append(item)
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        parsed: dict[Path, list[TfFile] | None] = {}

        def loader(directory: Path) -> list[TfFile] | None:
            if directory not in parsed:
                paths = [f.path for f in discovered[directory]] if directory in discovered else None
                parsed[directory] = _read_directory(
                    directory, paths=paths, root=root, diagnostics=diagnostics, loaded=loaded
                )
            return parsed[directory]

        overrides = _var_file_values(self.var_files, diagnostics=diagnostics)
        directories = sorted(discovered)
        called = {
            target
            for directory in directories
            for target in local_calls(directory, loader(directory) or [])
            if target != directory
        }
        roots = [d for d in directories if d not in called]
        if self.variables:
            diagnostics.extend(_undeclared(self.variables, [loader(d) or [] for d in roots]))
        # A directory only reachable through a module cycle is read from itself, so the cycle is reported.
        several = len(roots) > 1
        visited: set[Path] = set()
        parts: list[Inventory] = []
        for directory in [*roots, *directories]:
            if directory in visited:
                continue
            module_files = loader(directory) or []
            given, problems = command_line_values(
                self.variables, declared=declared_variables(f.body for f in module_files)
            )
            diagnostics.extend(
                Diagnostic(
                    level=DiagnosticLevel.ERROR,
                    source=SOURCE_NAME,
                    message=f"--var: {problem}; the variable keeps its other values",
                    file=_display(directory, root),
                )
                for problem in problems
            )
            module = ModuleInstance(
                directory=directory,
                files=module_files,
                root=root,
                loader=loader,
                diagnostics=diagnostics,
                tfvars={
                    **_tfvars(directory, root=root, diagnostics=diagnostics),
                    **overrides,
                    **{name: as_raw(value) for name, value in given.items()},
                },
                key_root=f"{_display(directory, root)}:" if several else "",
            )
            parts.append(module.inventory())
            visited.update(module.directories())
        return SourceOutput(
            inventory=Inventory.merge(parts), diagnostics=tuple(diagnostics), files=tuple(sorted(loaded))
        )


def _read_directory(
    directory: Path,
    *,
    paths: list[Path] | None,
    root: Path,
    diagnostics: list[Diagnostic],
    loaded: list[str],
) -> list[TfFile] | None:
    """The parsed files of one directory: `paths` as discovered, else its `.tf` and `.tf.json` files.

    None when it has none.
    """
    if paths is None:
        try:
            paths = [p for p in directory.iterdir() if p.name.endswith(TERRAFORM_SUFFIXES) and p.is_file()]
        except OSError:
            return None
    paths = sorted(paths)
    if not paths:
        return None
    out: list[TfFile] = []
    for path in paths:
        result = parse_file(path, display=_display(path, root))
        if isinstance(result, Diagnostic):
            diagnostics.append(result)
            continue
        out.append(result)
        loaded.append(result.display)
    return out


def _tfvars(directory: Path, *, root: Path, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """Values Terraform loads by itself: `terraform.tfvars(.json)` then `*.auto.tfvars(.json)`, sorted."""
    values: dict[str, Any] = {}
    candidates = [
        directory / "terraform.tfvars",
        directory / "terraform.tfvars.json",
        *sorted([*directory.glob("*.auto.tfvars"), *directory.glob("*.auto.tfvars.json")]),
    ]
    for path in candidates:
        if path.is_file():
            values.update(_variables_file(path, display=_display(path, root), diagnostics=diagnostics))
    return values


def _undeclared(variables: Mapping[str, Any], roots: list[list[TfFile]]) -> list[Diagnostic]:
    """A warning for each variable given by name that no root module declares."""
    declared = {
        name for files in roots for file in files for group in file.body.get("variable", []) for name in group
    }
    return [
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source=SOURCE_NAME,
            message=f"variable `{name}` is set by --var or `vars`, but no root module declares it "
            "(Terraform would refuse it)",
        )
        for name in sorted(variables)
        if name not in declared
    ]


def _var_file_values(paths: tuple[Path, ...], *, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """The values of the `--var-file`s, later files winning; a missing file is an error naming it."""
    values: dict[str, Any] = {}
    for path in paths:
        if not path.is_file():
            diagnostics.append(
                Diagnostic(
                    level=DiagnosticLevel.ERROR,
                    source=SOURCE_NAME,
                    message=f"variable file `{path}` does not exist",
                    file=path.as_posix(),
                )
            )
            continue
        values.update(_variables_file(path, display=path.as_posix(), diagnostics=diagnostics))
    return values


def _variables_file(path: Path, *, display: str, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """One `.tfvars` (HCL) or `.tfvars.json` file's values; a file that does not parse is a diagnostic."""
    if path.name.endswith(".json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            diagnostics.append(_error(f"cannot read file: {exc}", display, line=None))
            return {}
        except json.JSONDecodeError as exc:
            diagnostics.append(_error(f"cannot parse variables JSON: {exc.msg}", display, line=exc.lineno))
            return {}
        if not isinstance(data, Mapping):
            diagnostics.append(_error("a variables file must hold an object", display, line=1))
            return {}
        return dict(data)
    result = parse_file(path, display=display)
    if isinstance(result, Diagnostic):
        diagnostics.append(result)
        return {}
    return dict(clean(dict(result.body)))


def _error(message: str, display: str, *, line: int | None) -> Diagnostic:
    return Diagnostic(
        level=DiagnosticLevel.ERROR, source=SOURCE_NAME, message=message, file=display, line=line
    )


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return path.as_posix()
