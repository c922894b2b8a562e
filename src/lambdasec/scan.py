"""scan(request) -> ScanResult: discover inputs, load sources, run rules, apply suppressions."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from lambdasec import __version__
from lambdasec.collector import collector_paused
from lambdasec.compliance import control_summaries
from lambdasec.config import Settings
from lambdasec.data import DataFiles
from lambdasec.findings import Diagnostic, ScanResult, SortedFindings, ToolInfo
from lambdasec.model import Inventory, SourceKind
from lambdasec.profiles import PROFILES, profile_options, select_rules
from lambdasec.records import record
from lambdasec.rules import load_rules
from lambdasec.rules.engine import run_rules
from lambdasec.sources import InputFile, source_for
from lambdasec.sources.code import analyze_code
from lambdasec.sources.code.package_job import prepare_jobs
from lambdasec.sources.discover import discover
from lambdasec.sources.plan_precedence import prefer_plans
from lambdasec.suppressions import apply_suppressions


@record
class ScanRequest:
    """What to scan and how."""

    paths: tuple[Path, ...]
    settings: Settings
    today: date


def scan(request: ScanRequest) -> ScanResult:
    """Run a whole scan. Never raises for bad input: failures become diagnostics."""
    try:
        return _scan(request)
    finally:
        # Sources and the step below freeze what they build for the collector's sake; hand it back so a
        # process that scans again (a test run, a service) can still collect cycles among those objects.
        gc.unfreeze()


def _scan(request: ScanRequest) -> ScanResult:
    discovery = discover(request.paths)
    inputs, overlaps = prefer_plans(discovery.files)
    diagnostics: list[Diagnostic] = [*discovery.diagnostics, *overlaps]
    by_kind: dict[SourceKind, list[InputFile]] = defaultdict(list)
    for item in inputs:
        by_kind[item.kind].append(item)
    parts: list[Inventory] = []
    later = _LaterSteps(code=SourceKind.CODE in by_kind)
    for kind in sorted(by_kind.keys() - {SourceKind.CODE}):
        source = source_for(
            kind,
            terraform_var_files=request.settings.var_files,
            terraform_vars=request.settings.variables,
            serverless_stage=request.settings.stage,
            serverless_params=request.settings.params,
            meanwhile=later,
        )
        output = source.load(tuple(by_kind[kind]), root=discovery.root)
        parts.append(output.inventory)
        diagnostics.extend(output.diagnostics)
    infrastructure = Inventory.merge(parts)
    # The inventory lives until the scan ends and holds millions of objects on large inputs: move it out of
    # the collector's generations so creating findings does not rescan it again and again.
    gc.freeze()

    later()  # unless a source already did, while forked copies read its files
    settings = request.settings
    ruleset = select_rules(
        load_rules(), profile=settings.profile, include=settings.rules, exclude=settings.skip_rules
    )
    # Code comes last: a handler is read as the code of the function the infrastructure says runs it. The
    # rules that read no code start on the infrastructure meanwhile.
    code = _CodeStep(infrastructure, by_kind.get(SourceKind.CODE, ()), root=discovery.root)
    # The findings live until the scan ends: frozen as they are made, or the collector's first pass after
    # the rules would go through all of them once for nothing (0.05 s for 25,000 findings).
    with collector_paused():
        findings, coverage = run_rules(
            ruleset.rules,
            infrastructure,
            today=request.today,
            data=DataFiles(),
            options=profile_options(settings.profile, settings.rule_options),
            code=code,
        )
    inventory = code()
    diagnostics.extend(code.diagnostics)
    findings, suppression_diagnostics = apply_suppressions(
        findings,
        inventory=inventory,
        ignores=request.settings.ignores,
        root=discovery.root,
        today=request.today,
    )
    diagnostics.extend(suppression_diagnostics)
    controls = (
        control_summaries(rules=ruleset.rules, findings=findings, coverage=coverage, inventory=inventory)
        if PROFILES[settings.profile].compliance
        else ()
    )
    # The findings live until the scan ends too: frozen while sorted, so that the collections set off by
    # the sort's keys do not scan every one of them again (most of the sort's time on large scans).
    with collector_paused():
        ordered = SortedFindings(findings)
    return ScanResult(
        tool=ToolInfo(version=__version__),
        findings=ordered,
        diagnostics=tuple(sorted(diagnostics, key=lambda d: d.sort_key())),
        coverage=coverage,
        functions=len(inventory.functions),
        rules=tuple(rule.info() for rule in ruleset.rules),
        profile=str(settings.profile),
        controls=controls,
        inventory=inventory,
    )


class _CodeStep:
    """Analyses the handler code once when called; keeps the whole inventory and the diagnostics."""

    def __init__(self, infrastructure: Inventory, files: Sequence[InputFile], *, root: Path) -> None:
        self.infrastructure, self.files, self.root = infrastructure, tuple(files), root
        self.inventory: Inventory | None = None
        self.diagnostics: tuple[Diagnostic, ...] = ()

    def __call__(self) -> Inventory:
        if self.inventory is None:
            code = analyze_code(self.infrastructure, self.files, root=self.root)
            self.diagnostics = code.diagnostics
            self.inventory = Inventory.merge([self.infrastructure, code.inventory])
            gc.freeze()
        return self.inventory


class _LaterSteps:
    """Loads what the steps after the sources need (the rules, and the code analyzers when there is code)
    once, when first called: a source may call it while forked copies of the scan read its files."""

    def __init__(self, *, code: bool) -> None:
        self.code, self.done = code, False

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        load_rules()
        if self.code:
            prepare_jobs()
