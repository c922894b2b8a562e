"""A plan JSON beside the .tf files of its root module is scanned instead of them, with a warning."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic, DiagnosticLevel, ScanResult
from lambdasec.model import SourceKind
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.interface import InputFile
from lambdasec.sources.plan_precedence import prefer_plans

APP = Path(__file__).resolve().parent / "equivalence" / "app"


def _scan(path: Path) -> ScanResult:
    return scan(ScanRequest(paths=(path,), settings=Settings(), today=date(2026, 11, 22)))


def _findings(result: ScanResult) -> list[tuple[str, str, object]]:
    return [(f.rule, f.location.file, f.function) for f in result.findings]


def test_plan_beside_its_configuration_is_scanned_alone(tmp_path: Path) -> None:
    root = tmp_path / "root"
    plan_only = tmp_path / "plan-only"
    for directory in (root, plan_only):
        directory.mkdir()
        shutil.copy(APP / "terraform-plan" / "plan.json", directory / "plan.json")
    shutil.copy(APP / "terraform" / "main.tf", root / "main.tf")

    both = _scan(root)
    alone = _scan(plan_only)

    assert alone.functions == 5
    assert both.functions == alone.functions
    assert [(rule, function) for rule, _, function in _findings(both)] == [
        (rule, function) for rule, _, function in _findings(alone)
    ]
    assert {file for _, file, _ in _findings(both)} == {"plan.json"}
    warnings = [d for d in both.diagnostics if d.source == "discovery"]
    assert warnings == [
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="discovery",
            file="main.tf",
            message=(
                "Terraform configuration not scanned (main.tf): the plan plan.json in the same directory"
                " describes this root module with its planned values and is scanned instead; scan the"
                " configuration on its own by passing its files, or move the plan out of root/"
            ),
        )
    ]


def test_configuration_passed_alone_is_scanned(tmp_path: Path) -> None:
    shutil.copy(APP / "terraform" / "main.tf", tmp_path / "main.tf")
    shutil.copy(APP / "terraform-plan" / "plan.json", tmp_path / "plan.json")

    result = _scan(tmp_path / "main.tf")

    assert result.functions == _scan(APP / "terraform").functions
    assert {f.location.file for f in result.findings} == {"main.tf"}
    assert not [d for d in result.diagnostics if d.source == "discovery"]


def test_plans_elsewhere_leave_configuration_alone(tmp_path: Path) -> None:
    def item(name: str, kind: SourceKind) -> InputFile:
        return InputFile(path=tmp_path / name, display=name, kind=kind)

    files = (
        item("infra/main.tf", SourceKind.TERRAFORM),
        item("plans/plan.json", SourceKind.TERRAFORM_PLAN),
        item("infra/template.yaml", SourceKind.SAM),
    )

    assert prefer_plans(files) == (files, ())
