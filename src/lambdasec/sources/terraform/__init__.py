"""Terraform HCL as a source: each directory of .tf files is one module, resolved and mapped to the model."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.terraform.hcl import SOURCE_NAME, TfFile, clean, parse_file, start_line
from lambdasec.sources.terraform.mapping import map_module, module_scope

__all__ = ["TerraformSource"]


class TerraformSource:
    """Loads Terraform modules; a file that does not parse is a diagnostic and the rest goes on."""

    kind = SourceKind.TERRAFORM

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """The `.tf` files among `files`, grouped by directory, with each directory's tfvars."""
        modules: dict[Path, list[InputFile]] = defaultdict(list)
        for item in files:
            modules[item.path.parent].append(item)
        parts: list[Inventory] = []
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        for directory in sorted(modules):
            parsed: list[TfFile] = []
            for item in sorted(modules[directory], key=lambda f: f.display):
                result = parse_file(item.path, display=item.display)
                if isinstance(result, Diagnostic):
                    diagnostics.append(result)
                    continue
                parsed.append(result)
                loaded.append(item.display)
                diagnostics.extend(_unread_modules(result))
            tfvars = _tfvars(directory, root=root, diagnostics=diagnostics)
            parts.append(map_module(parsed, scope=module_scope(parsed, tfvars=tfvars)))
        return SourceOutput(
            inventory=Inventory.merge(parts), diagnostics=tuple(diagnostics), files=tuple(loaded)
        )


def _unread_modules(file: TfFile) -> Iterator[Diagnostic]:
    """A warning per `module` block: their resources are not read yet, so the scan says so."""
    for group in file.body.get("module", []):
        for name, body in group.items():
            line = start_line(body) if isinstance(body, Mapping) else None
            yield Diagnostic(
                level=DiagnosticLevel.WARNING,
                source=SOURCE_NAME,
                message=f"module `{name}` is not read: Terraform modules are not supported yet",
                file=file.display,
                line=line,
            )


def _tfvars(directory: Path, *, root: Path, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """Values of `terraform.tfvars` then `*.auto.tfvars` (sorted), as Terraform loads them automatically."""
    values: dict[str, Any] = {}
    candidates = [directory / "terraform.tfvars", *sorted(directory.glob("*.auto.tfvars"))]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            display = path.relative_to(root).as_posix()
        except ValueError:
            display = path.as_posix()
        result = parse_file(path, display=display)
        if isinstance(result, Diagnostic):
            diagnostics.append(result)
            continue
        values.update(clean(dict(result.body)))
    return values
