"""Terraform plan JSON (`terraform show -json`) as a source: planned values mapped like Terraform HCL."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.terraform_plan.document import Plan, looks_like_plan, parse_plan, read_plan
from lambdasec.sources.terraform_plan.mapping import map_plan

__all__ = ["Plan", "TerraformPlanSource", "looks_like_plan", "map_plan", "parse_plan"]


class TerraformPlanSource:
    """Loads plan JSON files; one that cannot be read is a diagnostic and the others go on."""

    kind = SourceKind.TERRAFORM_PLAN

    def load(self, files: tuple[InputFile, ...], *, root: Path) -> SourceOutput:
        """Each plan among `files` as one inventory part."""
        del root
        parts: list[Inventory] = []
        diagnostics: list[Diagnostic] = []
        loaded: list[str] = []
        for item in files:
            plan = read_plan(item.path, display=item.display)
            if isinstance(plan, Diagnostic):
                diagnostics.append(plan)
                continue
            diagnostics.extend(plan.warnings)
            parts.append(map_plan(plan, problems=diagnostics))
            loaded.append(item.display)
        return SourceOutput(
            inventory=Inventory.merge(parts), diagnostics=tuple(diagnostics), files=tuple(loaded)
        )
