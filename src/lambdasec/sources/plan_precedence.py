"""A Terraform plan JSON beside the .tf files of its root module is scanned instead of them, not as well."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import SourceKind
from lambdasec.sources.interface import InputFile

__all__ = ["prefer_plans"]

_SOURCE: Final = "discovery"


def prefer_plans(files: Sequence[InputFile]) -> tuple[tuple[InputFile, ...], tuple[Diagnostic, ...]]:
    """`files` without the Terraform configuration of directories that also hold a plan JSON.

    `terraform show -json plan.out > plan.json`, run in a root module, leaves the plan beside the
    configuration it was planned from. Reading both would report every function twice, once with the
    plan's known values and once with the configuration's unresolved ones; the plan is the high-fidelity
    description, so it wins. Each directory passed over is named in a warning, so the choice is visible.
    The same directory used as a module by another root is still read through that root's `module` block.
    """
    plans: dict[Path, list[InputFile]] = defaultdict(list)
    for item in files:
        if item.kind is SourceKind.TERRAFORM_PLAN:
            plans[item.path.parent].append(item)
    if not plans:
        return tuple(files), ()
    skipped: dict[Path, list[InputFile]] = defaultdict(list)
    kept: list[InputFile] = []
    for item in files:
        if item.kind is SourceKind.TERRAFORM and item.path.parent in plans:
            skipped[item.path.parent].append(item)
        else:
            kept.append(item)
    diagnostics = tuple(
        _skipped_warning(directory, plans[directory], skipped[directory]) for directory in sorted(skipped)
    )
    return tuple(kept), diagnostics


def _skipped_warning(
    directory: Path, plans: Sequence[InputFile], configuration: Sequence[InputFile]
) -> Diagnostic:
    plan_names = ", ".join(sorted(item.display for item in plans))
    names = ", ".join(sorted(item.display for item in configuration))
    return Diagnostic(
        level=DiagnosticLevel.WARNING,
        source=_SOURCE,
        file=min(item.display for item in configuration),
        message=(
            f"Terraform configuration not scanned ({names}): the plan {plan_names} in the same directory"
            " describes this root module with its planned values and is scanned instead; scan the"
            " configuration on its own by passing its files, or move the plan out of"
            f" {directory.name or '.'}/"
        ),
    )
