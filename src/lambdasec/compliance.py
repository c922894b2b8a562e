"""The compliance summary: per Security Hub control, how many functions pass, fail or were not evaluated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lambdasec.findings import ControlSummary, Finding, RuleCoverage
from lambdasec.model import Inventory
from lambdasec.rules._api import Rule
from lambdasec.standards import SECURITY_HUB

__all__ = ["control_summaries"]


def control_summaries(
    *,
    rules: Iterable[Rule],
    findings: Iterable[Finding],
    coverage: Mapping[str, RuleCoverage],
    inventory: Inventory,
) -> tuple[ControlSummary, ...]:
    """One summary per Security Hub control some run rule maps to, in catalog order.

    A function fails a control when an unsuppressed finding of a mapped rule belongs to it; it is not
    evaluated when a mapped rule could not judge it (or a subject of it) and nothing failed; else it passes.
    Suppressed findings count as passing: the user accepted them with a reason.
    """
    by_control: dict[str, list[Rule]] = {}
    for rule in rules:
        for control in rule.standards.security_hub if rule.standards else ():
            by_control.setdefault(control, []).append(rule)
    # Unsuppressed findings by rule, gathered once: a strict scan of 10,000 functions has about 90,000.
    active: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.suppressed is None:
            active.setdefault(finding.rule, []).append(finding)
    names = {fn.display_name for fn in inventory.functions}
    summaries: list[ControlSummary] = []
    for control in (c for c in SECURITY_HUB if c in by_control):
        mapped = by_control[control]
        ids = {rule.id for rule in mapped}
        hits = [f for rule_id in sorted(ids) for f in active.get(rule_id, ())]
        failed = {f.function for f in hits if f.function in names}
        unevaluated = set().union(*(_unevaluated(rule, coverage, inventory) for rule in mapped)) - failed
        summaries.append(
            ControlSummary(
                control=control,
                title=SECURITY_HUB[control],
                rules=tuple(sorted(ids)),
                passed=len(names - failed - unevaluated),
                failed=len(failed),
                unevaluated=len(unevaluated & names),
                unattributed=sum(1 for f in hits if f.function not in names),
            )
        )
    return tuple(summaries)


def _unevaluated(rule: Rule, coverage: Mapping[str, RuleCoverage], inventory: Inventory) -> set[str]:
    """The functions (display names) a rule could not judge, directly or through a subject of theirs."""
    cov = coverage.get(rule.id)
    if cov is None or not cov.unevaluated:
        return set()
    resources = {resource for resource, _ in cov.unevaluated}
    out: set[str] = set()
    for subject in getattr(inventory, rule.scope.value):
        if subject.origin.resource in resources:
            fn = inventory.function_of(subject)
            if fn is not None:
                out.add(fn.display_name)
    return out
