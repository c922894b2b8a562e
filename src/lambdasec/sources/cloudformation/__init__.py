"""CloudFormation and SAM templates as a source: read, expand SAM, resolve intrinsics, map to the model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from lambdasec.collector import collector_paused
from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.cloudformation.mapping import Mapped, map_template
from lambdasec.sources.cloudformation.stack_parameters import (
    Given,
    declared_parameters,
    given_parameters,
    nests_stacks,
)
from lambdasec.sources.cloudformation.template import (
    MAX_TEMPLATE_BYTES,
    LoadedTemplate,
    Template,
    load_template,
)
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.pool import ordered_map, workers_for_files

__all__ = [
    "MAX_TEMPLATE_BYTES",
    "CloudFormationSource",
    "Mapped",
    "Template",
    "load_template",
    "map_template",
]


# Workers pay only for several templates with enough text between them: forking, and sending each parsed
# template back, cost more than they save for less (as for Serverless services).
_PARALLEL_FILES: Final = 4
_PARALLEL_BYTES: Final = 1024 * 1024


class CloudFormationSource:
    """Loads CloudFormation and SAM templates; one file's failure never stops the others.

    `workers` forces how many worker processes read the templates (0: none); by default several
    large templates are read in one worker per CPU where the platform can fork.
    """

    kind = SourceKind.CLOUDFORMATION

    def __init__(self, *, workers: int | None = None) -> None:
        self.workers = workers

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """Every template among `files` as one inventory, plus diagnostics about what was not understood.

        `root` is the scanned root; displayed paths in `files` are already relative to it. Many templates
        are read and expanded in worker processes while this one maps each as it arrives, in the order of
        `files`: the result is the same either way.
        """
        del root
        slots: list[_Slot] = []
        parents: list[Template] = []
        declared: dict[str, tuple[str, ...]] = {}
        workers = (
            workers_for_files(files, min_files=_PARALLEL_FILES, min_bytes=_PARALLEL_BYTES)
            if self.workers is None
            else self.workers
        )
        results = ordered_map(_load_in_worker, files, workers=workers, max_chunk=1, here=_load_here)
        for item, sent in zip(files, results, strict=True):
            with collector_paused():
                result = _received(sent)
                template = result.template
                mapped = map_template(template) if template is not None else None
            slots.append(_Slot(item=item, loaded=result.diagnostics, mapped=mapped))
            if template is not None:
                if nests_stacks(template):
                    parents.append(template)
                names = declared_parameters(template)
                if names:
                    declared[template.file] = names
        if parents:
            _remap_children(slots, given_parameters(parents, children=declared))
        diagnostics: list[Diagnostic] = []
        for slot in slots:
            diagnostics.extend(slot.loaded)
            if slot.mapped is not None:
                diagnostics.extend(slot.mapped.diagnostics)
        return SourceOutput(
            inventory=Inventory.merge(slot.mapped.inventory for slot in slots if slot.mapped is not None),
            diagnostics=tuple(diagnostics),
            files=tuple(slot.item.display for slot in slots if slot.mapped is not None),
        )


@dataclass(slots=True, kw_only=True)
class _Slot:
    """One input file: what loading it reported, and its mapped template (None when it is not one)."""

    item: InputFile
    loaded: tuple[Diagnostic, ...]
    mapped: Mapped | None


def _remap_children(slots: list[_Slot], given: dict[str, Given]) -> None:
    """Map again, with the values their parent stack gives, the templates used as nested stacks.

    A child is read again rather than kept from the first pass: children are few, and keeping every
    template that has parameters would hold the whole scan in memory.
    """
    for slot in slots:
        values = given.get(slot.item.display)
        if not values or slot.mapped is None:
            continue
        with collector_paused():
            template = load_template(slot.item, given=values).template
            if template is not None:
                slot.mapped = map_template(template)


def _load_here(item: InputFile) -> LoadedTemplate | bytes:
    """`load_template` in this process, the collector paused while it builds the template."""
    with collector_paused():
        return load_template(item)


def _load_in_worker(item: InputFile) -> LoadedTemplate | bytes:
    """`load_template` in a worker, pickled here so that the parent unpickles it when it maps it."""
    import pickle

    with collector_paused():
        return pickle.dumps(load_template(item), pickle.HIGHEST_PROTOCOL)


def _received(result: LoadedTemplate | bytes) -> LoadedTemplate:
    """A loaded template, unpickled when it comes from a worker."""
    if isinstance(result, LoadedTemplate):
        return result
    import pickle  # only scans that use workers pay for this import

    loaded: LoadedTemplate = pickle.loads(result)
    return loaded
