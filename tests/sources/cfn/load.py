"""Helpers for the CloudFormation source tests: load inline templates from a temporary directory."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from lambdasec.model import SourceKind
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.interface import InputFile, SourceOutput


def write(root: Path, text: str, *, name: str = "template.yaml") -> InputFile:
    """Write `text` (dedented) under `root` and describe it as discovery would."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return InputFile(path=path, display=name, kind=SourceKind.CLOUDFORMATION)


def load(root: Path, text: str, *, name: str = "template.yaml") -> SourceOutput:
    """Load one inline template with the CloudFormation source."""
    return CloudFormationSource().load((write(root, text, name=name),), root=root)


def fields(obj: Any) -> dict[str, int]:
    """The field lines recorded on a model object's origin."""
    return dict(obj.origin.fields)


def diagnostics(output: SourceOutput) -> set[tuple[str, str | None, int | None, str]]:
    """(level, file, line, message) of every diagnostic."""
    return {(str(d.level), d.file, d.line, d.message) for d in output.diagnostics}


def line(text: str, needle: str, *, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of `text` (as `write` stores it) that contains `needle`."""
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    hits = [number for number, content in enumerate(lines, start=1) if needle in content]
    return hits[nth - 1]
