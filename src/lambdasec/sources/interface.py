"""What every source returns: a partial inventory plus diagnostics about what it could not read."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Protocol

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.records import record


@record
class SourceOutput:
    """A source's contribution to the scan."""

    inventory: Inventory = field(default_factory=Inventory)
    diagnostics: tuple[Diagnostic, ...] = ()
    files: tuple[str, ...] = ()


@record
class InputFile:
    """A file discovery selected for a source: absolute path and the path shown to users."""

    path: Path
    display: str
    kind: SourceKind


class Source(Protocol):
    """A loader for one kind of input."""

    kind: SourceKind

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """Read `files` (all of this source's kind) into model objects and diagnostics."""
        ...
