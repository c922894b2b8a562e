"""CDK output as a source: a cloud assembly's stack templates read through the CloudFormation source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from lambdasec.collector import collector_paused
from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.records import record
from lambdasec.sources.cdk.assembly import StackTemplate, read_assembly
from lambdasec.sources.cdk.edge import edge_parameters, with_edge_functions
from lambdasec.sources.cdk.imports import stack_exports, with_imported_functions
from lambdasec.sources.cdk.mapping import asset_paths, construct_paths, with_cdk_origins
from lambdasec.sources.cloudformation import load_template, map_template
from lambdasec.sources.interface import InputFile, SourceOutput

__all__ = ["CdkSource", "StackTemplate", "read_assembly"]


class CdkSource:
    """Loads `cdk.out/manifest.json` assemblies; a stack that cannot be read is a diagnostic."""

    kind = SourceKind.CDK

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """Every stack template of each assembly among `files`, with construct paths on its origins."""
        del root
        parts: list[Inventory] = []
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        parameters: dict[str, str] = {}  # Lambda@Edge version ARNs other stacks read across regions
        linked = _Linked()
        for item in files:
            templates, problems = read_assembly(item.path, display=item.display)
            diagnostics.extend(problems)
            for stack in templates:
                with collector_paused():
                    inventory, found = _load_stack(stack, parameters=parameters, linked=linked)
                diagnostics.extend(found)
                if inventory is not None:
                    parts.append(inventory)
                    loaded.append(stack.display)
        merged = with_edge_functions(Inventory.merge(parts), parameters)
        return SourceOutput(
            inventory=with_imported_functions(merged, linked.exports, linked.bodies),
            diagnostics=tuple(diagnostics),
            files=tuple(loaded),
        )


@record(kw_only=False)
class _Linked:
    """What joins stacks: the functions they export (name -> key) and each template's body by file."""

    exports: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, Mapping[str, Any]] = field(default_factory=dict)


def _load_stack(
    stack: StackTemplate, *, parameters: dict[str, str], linked: _Linked
) -> tuple[Inventory | None, tuple[Diagnostic, ...]]:
    item = InputFile(path=stack.path, display=stack.display, kind=SourceKind.CLOUDFORMATION)
    result = load_template(item)
    if result.template is None:
        return None, result.diagnostics
    parameters.update(edge_parameters(result.template.body, file=stack.display))
    linked.exports.update(stack_exports(result.template.body, file=stack.display))
    linked.bodies[stack.display] = result.template.body
    template = replace(result.template, source=SourceKind.CDK, pseudo=stack.pseudo)
    mapped = map_template(template)
    inventory = with_cdk_origins(
        mapped.inventory,
        paths=construct_paths(template.body, fallback=stack.logical_paths),
        assets=asset_paths(template.body, directory=stack.directory, keys=stack.asset_keys),
    )
    return inventory, (*result.diagnostics, *mapped.diagnostics)
