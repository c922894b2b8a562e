"""Runs rules over an inventory: one context per rule, crash isolation, coverage and typed options."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import partial
from typing import Any, Final

from lambdasec.collector import collector_paused
from lambdasec.data import DataFiles
from lambdasec.errors import ConfigError
from lambdasec.finding_rows import finding_from_row, finding_row
from lambdasec.findings import Category, Finding, RuleCoverage
from lambdasec.model import Inventory
from lambdasec.rules import load_rules
from lambdasec.rules._api import Rule, RuleContext
from lambdasec.rules.internal import internal_error_finding
from lambdasec.shared_jobs import run_shared
from lambdasec.workers import worker_count

__all__ = ["build_options", "run_rule", "run_rules"]

# Below this many functions the rules take less time than starting a process and sending findings back.
_SHARED_FROM: Final = 1000


def run_rules(
    rules: Iterable[Rule],
    inventory: Inventory,
    *,
    today: date,
    data: DataFiles,
    options: Mapping[str, Mapping[str, Any]],
    processes: int | None = None,
    code: Callable[[], Inventory] | None = None,
) -> tuple[list[Finding], dict[str, RuleCoverage]]:
    """Run every rule; a crashing rule becomes an LS000 finding and the others still run.

    On large inventories the rules are shared among forked processes, one per CPU (`run_shared`);
    `processes` forces how many (0 or 1: this process only). Findings and coverage are the same either way.

    `code`, when given, completes `inventory` (then the infrastructure alone) with the analysis of the
    handler code and returns the whole inventory: it runs in this process while forked copies start on
    the built-in rules that read no code (`Scope.reads_code`), which see `inventory`; the rules over code
    files and units, and plugins' rules, run on what it returns.

    `options` maps a rule id to its settings table; tables of known rules not in `rules` are ignored
    (the rule may have been skipped), but unknown rule ids and keys a rule does not declare raise
    ConfigError.
    Internal rules (LS0xx) are emitted by the engine and are not run.
    """
    given = list(rules)
    known = {rule.id for rule in load_rules()} | {rule.id for rule in given}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ConfigError(
            f"[tool.lambdasec.options.{unknown[0]}]: no rule {unknown[0]} (see `lambdasec rules`)"
        )
    selected = [rule for rule in given if rule.category is not Category.INTERNAL]
    built = {rule.id: build_options(rule, options.get(rule.id, {})) for rule in selected}

    def job(rule: Rule, subjects: Inventory) -> Callable[[], tuple[list[Finding], RuleCoverage]]:
        ctx = RuleContext(rule=rule, inventory=subjects, today=today, data=data, options=built[rule.id])
        return partial(run_rule, rule, subjects, ctx)

    waits = {rule.id for rule in selected if code is not None and _needs_code(rule)}
    later = [rule for rule in selected if rule.id in waits]
    now = [rule for rule in selected if rule.id not in waits]
    done: dict[str, tuple[list[Finding], RuleCoverage]] = {}

    def with_code(complete: Callable[[], Inventory]) -> None:
        whole = complete()
        done.update((rule.id, job(rule, whole)()) for rule in later)

    if processes is None:
        processes = worker_count() if len(inventory.functions) >= _SHARED_FROM else 0
    with collector_paused(freeze=False):
        results = run_shared(
            [job(rule, inventory) for rule in now],
            processes=processes,
            encode=_encoded,
            decode=_decoded,
            first=partial(with_code, code) if code is not None else None,
        )
    done.update(zip((rule.id for rule in now), results, strict=True))
    findings: list[Finding] = []
    coverage: dict[str, RuleCoverage] = {}
    for rule in selected:
        produced, cov = done[rule.id]
        findings.extend(produced)
        coverage[rule.id] = cov
    return findings, coverage


def _needs_code(rule: Rule) -> bool:
    """Whether `rule` must see the code analysis: a rule over code files or units, or a plugin's rule
    (which no test here holds to `Scope.reads_code`)."""
    return rule.scope.reads_code or not rule.module.startswith("lambdasec.")


def _encoded(result: tuple[list[Finding], RuleCoverage]) -> tuple[list[tuple[Any, ...]], RuleCoverage]:
    """A rule's result as another process sends it: findings as rows (half the time to send them)."""
    findings, coverage = result
    return [finding_row(finding) for finding in findings], coverage


def _decoded(sent: tuple[list[tuple[Any, ...]], RuleCoverage]) -> tuple[list[Finding], RuleCoverage]:
    rows, coverage = sent
    return [finding_from_row(row) for row in rows], coverage


def run_rule(rule: Rule, inventory: Inventory, ctx: RuleContext) -> tuple[list[Finding], RuleCoverage]:
    """Run one rule with its context; the one deliberate catch-all of lambdasec lives here."""
    subjects = getattr(inventory, rule.scope.value)
    produced: list[Finding] = []
    try:
        produced.extend(rule.check(inventory, ctx))
    except Exception as exc:  # noqa: BLE001 - a crashing rule must not stop the scan (style.md 8)
        reason = f"{rule.id} crashed ({type(exc).__name__})"
        unevaluated = tuple((subject.origin.resource, reason) for subject in subjects)
        return [*produced, internal_error_finding(rule, exc)], RuleCoverage(
            evaluated=0, unevaluated=unevaluated
        )
    unevaluated = tuple(dict.fromkeys(ctx.unevaluated_subjects))
    evaluated = max(len(subjects) - len({resource for resource, _ in unevaluated}), 0)
    return produced, RuleCoverage(evaluated=evaluated, unevaluated=unevaluated)


def build_options(rule: Rule, table: Mapping[str, Any]) -> Any:
    """The rule's typed options from its config table (kebab- or snake-case keys); ConfigError on misuse."""
    if rule.options is None:
        if table:
            raise ConfigError(
                f"[tool.lambdasec.options.{rule.id}]: rule {rule.id} ({rule.name}) takes no options"
            )
        return None
    fields = {field.name: field for field in dataclasses.fields(rule.options)}
    hints = typing.get_type_hints(rule.options)
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in fields:
            known = ", ".join(sorted(f.replace("_", "-") for f in fields)) or "none"
            raise ConfigError(
                f"[tool.lambdasec.options.{rule.id}]: unknown option `{key}` (options of {rule.id}: {known})"
            )
        values[name] = _coerce(value, hints[name], where=f"[tool.lambdasec.options.{rule.id}] `{key}`")
    return rule.options(**values)


def _coerce(value: Any, hint: Any, *, where: str) -> Any:
    """Check a TOML value against a simple option type: bool, int, float, str, or tuple/frozenset of them."""
    origin = typing.get_origin(hint)
    if origin in (tuple, frozenset, list) and isinstance(value, list):
        (item_hint, *_) = typing.get_args(hint) or (Any,)
        items = [_coerce(item, item_hint, where=where) for item in value]
        return frozenset(items) if origin is frozenset else tuple(items)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _coerce(value, option, where=where)
            except ConfigError:
                continue
        raise ConfigError(f"{where}: {value!r} is not a valid value")
    if hint is Any:
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is type(None) and value is None:
        return None
    if isinstance(hint, type) and isinstance(value, hint) and not (hint is int and isinstance(value, bool)):
        return value
    expected = getattr(hint, "__name__", str(hint))
    raise ConfigError(f"{where}: expected {expected}, got {type(value).__name__} {value!r}")
