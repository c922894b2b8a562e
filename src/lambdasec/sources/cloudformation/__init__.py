"""CloudFormation and SAM templates as a source: read, expand SAM, resolve intrinsics, map to the model."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.cloudformation.collector import collector_paused
from lambdasec.sources.cloudformation.mapping import Mapped, map_template
from lambdasec.sources.cloudformation.template import MAX_TEMPLATE_BYTES, Template, load_template
from lambdasec.sources.interface import InputFile, SourceOutput

__all__ = [
    "MAX_TEMPLATE_BYTES",
    "CloudFormationSource",
    "Mapped",
    "Template",
    "load_template",
    "map_template",
]


class CloudFormationSource:
    """Loads CloudFormation and SAM templates; one file's failure never stops the others."""

    kind = SourceKind.CLOUDFORMATION

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """Every template among `files` as one inventory, plus diagnostics about what was not understood.

        `root` is the scanned root; displayed paths in `files` are already relative to it.
        """
        del root
        parts: list[Inventory] = []
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        for item in files:
            with collector_paused():
                result = load_template(item)
                mapped = map_template(result.template) if result.template is not None else None
            diagnostics.extend(result.diagnostics)
            if mapped is None:
                continue
            parts.append(mapped.inventory)
            diagnostics.extend(mapped.diagnostics)
            loaded.append(item.display)
        return SourceOutput(
            inventory=Inventory.merge(parts), diagnostics=tuple(diagnostics), files=tuple(loaded)
        )
