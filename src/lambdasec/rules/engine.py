"""Runs rules over an inventory: one context per rule, crash isolation, coverage and typed options."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from lambdasec.collector import collector_paused
from lambdasec.data import DataFiles
from lambdasec.errors import ConfigError
from lambdasec.findings import Category, Finding, RuleCoverage
from lambdasec.model import Inventory
from lambdasec.rules import load_rules
from lambdasec.rules._api import Rule, RuleContext
from lambdasec.rules.internal import internal_error_finding

__all__ = ["build_options", "run_rule", "run_rules"]


def run_rules(
    rules: Iterable[Rule],
    inventory: Inventory,
    *,
    today: date,
    data: DataFiles,
    options: Mapping[str, Mapping[str, Any]],
) -> tuple[list[Finding], dict[str, RuleCoverage]]:
    """Run every rule; a crashing rule becomes an LS000 finding and the others still run.

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
    findings: list[Finding] = []
    coverage: dict[str, RuleCoverage] = {}
    with collector_paused(freeze=False):
        for rule in selected:
            ctx = RuleContext(rule=rule, inventory=inventory, today=today, data=data, options=built[rule.id])
            produced, cov = run_rule(rule, inventory, ctx)
            findings.extend(produced)
            coverage[rule.id] = cov
    return findings, coverage


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
