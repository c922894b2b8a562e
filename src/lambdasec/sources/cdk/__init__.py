"""CDK output as a source: a cloud assembly's stack templates read through the CloudFormation source."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lambdasec.collector import collector_paused
from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.cdk.assembly import StackTemplate, read_assembly
from lambdasec.sources.cdk.edge import edge_parameters, with_edge_functions
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
        for item in files:
            templates, problems = read_assembly(item.path, display=item.display)
            diagnostics.extend(problems)
            for stack in templates:
                with collector_paused():
                    inventory, found = _load_stack(stack, parameters=parameters)
                diagnostics.extend(found)
                if inventory is not None:
                    parts.append(inventory)
                    loaded.append(stack.display)
        return SourceOutput(
            inventory=with_edge_functions(Inventory.merge(parts), parameters),
            diagnostics=tuple(diagnostics),
            files=tuple(loaded),
        )


def _load_stack(
    stack: StackTemplate, *, parameters: dict[str, str]
) -> tuple[Inventory | None, tuple[Diagnostic, ...]]:
    item = InputFile(path=stack.path, display=stack.display, kind=SourceKind.CLOUDFORMATION)
    result = load_template(item)
    if result.template is None:
        return None, result.diagnostics
    parameters.update(edge_parameters(result.template.body, file=stack.display))
    template = replace(result.template, source=SourceKind.CDK, pseudo=stack.pseudo)
    mapped = map_template(template)
    inventory = with_cdk_origins(
        mapped.inventory,
        paths=construct_paths(template.body, fallback=stack.logical_paths),
        assets=asset_paths(template.body, directory=stack.directory, keys=stack.asset_keys),
    )
    return inventory, (*result.diagnostics, *mapped.diagnostics)
