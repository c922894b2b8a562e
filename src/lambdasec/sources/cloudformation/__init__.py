"""CloudFormation and SAM templates as a source: read, expand SAM, resolve intrinsics, map to the model."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from lambdasec.collector import collector_paused
from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
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
        parts: list[Inventory] = []
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        workers = (
            workers_for_files(files, min_files=_PARALLEL_FILES, min_bytes=_PARALLEL_BYTES)
            if self.workers is None
            else self.workers
        )
        results = ordered_map(_load_in_worker, files, workers=workers, max_chunk=1, here=_load_here)
        for item, sent in zip(files, results, strict=True):
            with collector_paused():
                result = _received(sent)
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
