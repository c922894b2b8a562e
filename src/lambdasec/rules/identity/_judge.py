"""Judging identity rules once per distinct execution role and reporting once per function using it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from lambdasec.findings import Confidence, Finding, Severity
from lambdasec.iam import EffectivePermissions, Grant, RiskTag, analyzer_for
from lambdasec.model import Inventory, LambdaFunction, Role, Unresolved
from lambdasec.records import record
from lambdasec.rules._api import RuleContext
from lambdasec.rules.identity._book import RoleBook, book_for
from lambdasec.rules.identity._iam import (
    confidence_of,
    describe_grant,
    grant_anchor,
    lowest,
    resources_of,
    role_label,
    tagged_decisions,
    ticks,
)

__all__ = [
    "Found",
    "Render",
    "Select",
    "consequence_render",
    "judge_functions",
    "sort_items",
    "tagged_select",
    "where_text",
]


@record
class Found:
    """What a rule selected in a role's permissions, before naming the role's own statements.

    `items` are the statements found with the actions (or entries) each contributes, the first one
    anchoring the finding; `groups` label consecutive runs of items when a rule needs them (LS104's
    methods, LS111's problems).
    """

    items: tuple[tuple[Grant, tuple[str, ...]], ...]
    groups: tuple[tuple[str, int], ...] = ()
    severity: Severity | None = None
    confidence: Confidence | None = None
    field: str | None = None  # overrides the anchor field (e.g. one Action entry)


Select = Callable[[EffectivePermissions], "Found | Unresolved | None"]
Render = Callable[[str, Found], Callable[[str], str]]


def judge_functions(
    inv: Inventory,
    ctx: RuleContext,
    *,
    select: Select,
    render: Render,
    defer_to_admin: bool = True,
) -> Iterator[Finding]:
    """Run `select` once per distinct execution role content and report once per function using it.

    `render(role label, found)` gives the message for a function's display name. Roles LS101 reports
    as administrator are skipped with `defer_to_admin`: every narrower finding would repeat it.
    """
    book = book_for(inv)
    analyzer = analyzer_for(inv)
    layout = book.layout(inv)
    for fn, reason in layout.orphans:
        ctx.unevaluated(fn, reason=reason)
    for members in layout.groups:
        first = members[0][1]
        skip = defer_to_admin and book.is_admin(first, inv)
        shared = None if skip else _select(select, book.permissions(first, inv))
        if shared is None:
            continue
        by_role: dict[str, Found | Unresolved | None] = {}
        for fn, role in members:
            if role.key not in by_role:
                by_role[role.key] = _own(book, role, shared, select, analyzer.permissions)
            match by_role[role.key]:
                case Found() as found:
                    yield _finding(ctx, fn, role, found, render)
                case Unresolved(reason=reason):
                    ctx.unevaluated(fn, reason=reason)
                case None:
                    pass


def _select(select: Select, perms: EffectivePermissions) -> Found | Unresolved | None:
    """`select`, or Unresolved when it found nothing but policies or Action lists are not known."""
    found = select(perms)
    if found is not None:
        return found
    reasons = perms.unresolved_reasons()
    return Unresolved("; ".join(reasons)) if reasons else None


def _own(
    book: RoleBook,
    role: Role,
    shared: Found | Unresolved | None,
    select: Select,
    permissions: Callable[[Role], EffectivePermissions],
) -> Found | Unresolved | None:
    """The representative's result with `role`'s own statements, or `role` judged itself when unsure."""
    if not isinstance(shared, Found):
        return shared
    if book.representative(role) is role:
        return shared  # its own statements already (`translate` would return each grant as it is)
    items: list[tuple[Grant, tuple[str, ...]]] = []
    for grant, actions in shared.items:
        mine = book.translate(grant, role=role)
        if mine is None:
            return _select(select, permissions(role))
        items.append((mine, actions))
    return replace(shared, items=tuple(items))


def _finding(ctx: RuleContext, fn: LambdaFunction, role: Role, found: Found, render: Render) -> Finding:
    anchor = found.items[0][0]
    name = role_label(role)
    return ctx.finding(
        fn,
        origin=anchor.statement.origin,
        field=found.field or grant_anchor(anchor),
        severity=found.severity,
        confidence=found.confidence,
        message=render(name, found)(fn.display_name),
        properties={"role": name, "policy": anchor.policy.name},
    )


def where_text(found: Found) -> str:
    """`a`, `b` on `*` (statement `S` of policy `P`); ... for every item."""
    return "; ".join(
        f"{ticks(actions)} on {resources_of(g)} ({describe_grant(g)})" for g, actions in found.items
    )


def sort_items(items: Iterable[tuple[Grant, tuple[str, ...]]]) -> tuple[tuple[Grant, tuple[str, ...]], ...]:
    """Items in file and line order of their statements."""
    return tuple(
        sorted(
            items, key=lambda item: (item[0].statement.origin.file or "", item[0].statement.origin.line or 0)
        )
    )


def tagged_select(
    tag: RiskTag, *, leave_escalation: bool, leave_tags: frozenset[RiskTag] = frozenset()
) -> Select:
    """A selection of the actions with `tag` the role may use on every resource of their type, without
    the actions that also carry one of `leave_tags` (another rule reports them)."""

    def select(perms: EffectivePermissions) -> Found | Unresolved | None:
        decisions, unknown = tagged_decisions(perms, tag, leave_escalation=leave_escalation)
        if leave_tags:
            decisions = tuple(d for d in decisions if not perms.overrides.tags_of(d.action) & leave_tags)
        if not decisions:
            return Unresolved("; ".join(unknown)) if unknown else None
        by_grant: dict[int, tuple[Grant, list[str]]] = {}
        for decision in decisions:
            grant = decision.allowed_by[0]
            by_grant.setdefault(id(grant), (grant, []))[1].append(decision.action)
        return Found(
            items=sort_items((g, tuple(names)) for g, names in by_grant.values()),
            confidence=lowest(c for d in decisions if (c := confidence_of(d)) is not None),
        )

    return select


def consequence_render(consequence: str) -> Render:
    """Messages `Execution role R of F allows <where>, <consequence>`."""

    def render(name: str, found: Found) -> Callable[[str], str]:
        where = where_text(found)
        return lambda fn: f"Execution role `{name}` of `{fn}` allows {where}, {consequence}"

    return render
