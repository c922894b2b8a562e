"""CloudFormation and SAM templates as a source: read, expand SAM, resolve intrinsics, map to the model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.cloudformation.collector import collector_paused
from lambdasec.sources.cloudformation.mapping import Mapped, map_template
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
# template back, cost more than reading a few small files here.
_PARALLEL_FILES: Final = 4
_PARALLEL_BYTES: Final = 192 * 1024


class CloudFormationSource:
    """Loads CloudFormation and SAM templates; one file's failure never stops the others.

    `workers` forces how many worker processes read the templates (0 or 1: none); by default several
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
        parts: list[Inventory] = []
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        workers = (
            workers_for_files(files, min_files=_PARALLEL_FILES, min_bytes=_PARALLEL_BYTES)
            if self.workers is None
            else self.workers
        )
        for item, result in zip(files, _loaded(files, workers=workers), strict=True):
            with collector_paused():
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


def _loaded(files: tuple[InputFile, ...], *, workers: int) -> Iterator[LoadedTemplate]:
    """Each file's template, in order: read here, or in `workers` processes when 2 or more."""
    if workers < 2:
        for item in files:
            with collector_paused():
                result = load_template(item)
            yield result
        return
    import pickle  # only scans that use workers pay for this import

    for template, found in ordered_map(_load_for_parent, files, workers=workers, max_chunk=1):
        with collector_paused():
            result = LoadedTemplate(
                template=None if template is None else pickle.loads(template), diagnostics=found
            )
        yield result


def _load_for_parent(item: InputFile) -> tuple[bytes | None, tuple[Diagnostic, ...]]:
    """`load_template` in a worker, the template pickled here so the parent unpickles it when it maps it."""
    import pickle

    with collector_paused():
        result = load_template(item)
        template = None if result.template is None else pickle.dumps(result.template, pickle.HIGHEST_PROTOCOL)
    return template, result.diagnostics
