"""Shared reading of execution roles for identity rules: per-role verdicts, deferral, statement anchors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from lambdasec.findings import Confidence, Finding, Severity
from lambdasec.iam import (
    Access,
    ActionCatalog,
    Decision,
    EffectivePermissions,
    EscalationPath,
    Grant,
    RiskTag,
    analyzer_for,
    combine,
)
from lambdasec.model import Effect, Inventory, LambdaFunction, PolicyKind, Role, Unresolved
from lambdasec.rules._api import RuleContext
from lambdasec.rules.identity._book import RoleBook, book_for

__all__ = [
    "Found",
    "Render",
    "Select",
    "confidence_of",
    "consequence_render",
    "describe_grant",
    "escalation_actions",
    "escalation_paths",
    "grant_anchor",
    "is_execution_policy",
    "judge_functions",
    "lowest",
    "resources_of",
    "role_label",
    "service_wildcards",
    "sort_items",
    "tagged_decisions",
    "tagged_select",
    "ticks",
    "where_text",
]

# Actions Lambda itself calls with the execution role, which AWS's own execution-role policies grant on `*`:
# writing the function's logs (LS109 reports them missing) and managing the network interfaces of a function
# in a VPC. LS103 does not report them as too broad.
SERVICE_ACTIONS = frozenset(
    {
        "logs:createloggroup",
        "logs:createlogstream",
        "logs:putlogevents",
        "ec2:createnetworkinterface",
        "ec2:deletenetworkinterface",
        "ec2:assignprivateipaddresses",
        "ec2:unassignprivateipaddresses",
    }
)
# Escalation actions that are only a path to other privileges when they reach any resource of their type:
# assuming one named role or updating the function's own code is what the role is for.
UNSCOPED_ONLY = frozenset(
    {"sts:assumerole", "lambda:updatefunctioncode", "lambda:updatefunctionconfiguration"}
)
# AWS managed policies made for execution roles, which SAM attaches for event sources (SQS, Kinesis, DynamoDB
# streams, MSK, VPC access): their `*` resources are the service's documented design, not the author's choice.
_LAMBDA_EXECUTION_POLICY = re.compile(r"^(AWSLambda\w*ExecutionRole|AWSXRayDaemonWriteAccess)$")
_SERVICE_WILDCARD = re.compile(r"^([a-z0-9-]+):\*+$", re.IGNORECASE)
_REPORTED = (Access.ALLOWED, Access.CONDITIONAL)


def role_label(role: Role) -> str:
    """The role's name, or its logical id when the name is generated."""
    return role.name if isinstance(role.name, str) else role.origin.resource


def ticks(items: Iterable[str], *, limit: int = 6) -> str:
    """`a`, `b` and 3 more."""
    listed = list(dict.fromkeys(items))
    shown = ", ".join(f"`{item}`" for item in listed[:limit])
    rest = len(listed) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def resources_of(grant: Grant) -> str:
    """The statement's resources as written: `*`, ARNs, `!GetAtt` expressions, or a NotResource list."""
    statement = grant.statement
    listed = statement.not_resources if grant.not_resource else statement.resources
    if isinstance(listed, Unresolved):
        return f"`{listed.reason}`"
    items = [item if isinstance(item, str) else item.reason for item in listed or ()]
    return f"every resource except {ticks(items)}" if grant.not_resource else ticks(items)


def describe_grant(grant: Grant) -> str:
    """`statement `Sid` of policy `name`` (AWS managed policies by name only)."""
    policy = grant.policy
    if policy.kind is PolicyKind.AWS_MANAGED:
        return f"the AWS managed policy `{policy.name}`"
    sid = f"statement `{grant.statement.sid}`" if grant.statement.sid else "a statement"
    return f"{sid} of policy `{policy.name}`"


def is_execution_policy(grant: Grant) -> bool:
    """True for statements of AWS managed policies made for Lambda execution roles
    (`AWSLambdaSQSQueueExecutionRole`, `AWSLambdaVPCAccessExecutionRole`, ...)."""
    policy = grant.policy
    return policy.kind is PolicyKind.AWS_MANAGED and bool(_LAMBDA_EXECUTION_POLICY.match(policy.name))


def grant_anchor(grant: Grant) -> str:
    """The field of the statement a finding points at: its Action (or NotAction) list."""
    return "not_actions" if grant.not_action else "actions"


def confidence_of(decision: Decision | Access, resolved: Access | None = None) -> Confidence | None:
    """HIGH when allowed, MEDIUM when only conditionally, LOW when only the resolved statements allow it;
    None when not reported."""
    access = decision.access if isinstance(decision, Decision) else decision
    resolved = decision.resolved_access if isinstance(decision, Decision) else resolved
    match access:
        case Access.ALLOWED:
            return Confidence.HIGH
        case Access.CONDITIONAL:
            return Confidence.MEDIUM
        case Access.UNKNOWN if resolved in _REPORTED:
            return Confidence.LOW
        case _:
            return None


def lowest(confidences: Iterable[Confidence]) -> Confidence:
    """The lowest of the confidences (HIGH when there are none)."""
    order = (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)
    found = set(confidences)
    return next((c for c in order if c in found), Confidence.HIGH)


def service_wildcards(grant: Grant, catalog: ActionCatalog) -> tuple[str, ...]:
    """The service-wide patterns (`s3:*`) an Allow statement lists, for known services."""
    if grant.effect is not Effect.ALLOW or grant.not_action:
        return ()
    out: list[str] = []
    for pattern in grant.actions:
        found = _SERVICE_WILDCARD.match(pattern.strip())
        if found and catalog.has_service(found.group(1).lower()):
            out.append(pattern.strip())
    return tuple(out)


def claimed_by_wildcard(decision: Decision, catalog: ActionCatalog) -> bool:
    """True when every statement allowing the action does so through a service-wide wildcard (LS102)."""
    service = decision.action.partition(":")[0].lower()
    return bool(decision.allowed_by) and all(
        any(p.partition(":")[0].lower() == service for p in service_wildcards(g, catalog))
        for g in decision.allowed_by
    )


def escalation_paths(perms: EffectivePermissions) -> tuple[EscalationPath, ...]:
    """The published escalation methods the role meets (LS104): each action on some resource, and
    `sts:AssumeRole` / `lambda:UpdateFunction*` on every resource of their type."""
    out: list[EscalationPath] = []
    for path in perms.escalation_paths(unscoped=False):
        decisions = tuple(
            perms.allows_unscoped(d.action) if d.action.lower() in UNSCOPED_ONLY else d
            for d in path.decisions
        )
        accesses = [d.access for d in decisions]
        if Access.DENIED in accesses:
            continue
        weakest = combine(accesses)
        if confidence_of(weakest, combine(d.resolved_access for d in decisions)) is None:
            continue
        out.append(EscalationPath(method=path.method, access=weakest, decisions=decisions))
    return tuple(out)


def escalation_actions(perms: EffectivePermissions) -> frozenset[str]:
    """Lowercase actions of the escalation paths LS104 reports, which other rules leave to it."""
    return frozenset(d.action.lower() for path in escalation_paths(perms) for d in path.decisions)


def tagged_decisions(
    perms: EffectivePermissions, tag: RiskTag, *, leave_escalation: bool
) -> tuple[tuple[Decision, ...], tuple[str, ...]]:
    """Actions with `tag` allowed on every resource of their type, minus those LS102 (and LS104 with
    `leave_escalation`) report; and the reasons of undecidable ones."""
    catalog = perms.catalog
    decisions = perms.actions_with_tag(tag, unscoped=True)
    if not decisions:
        return (), ()
    skip = escalation_actions(perms) if leave_escalation else frozenset()
    found: list[Decision] = []
    unknown: list[str] = []
    for decision in decisions:
        if decision.action.lower() in skip or claimed_by_wildcard(decision, catalog):
            continue
        if decision.allowed_by and all(is_execution_policy(g) for g in decision.allowed_by):
            continue
        if confidence_of(decision) is not None and decision.allowed_by:
            found.append(decision)
        elif decision.access is Access.UNKNOWN:
            unknown.extend(decision.unknown)
    return tuple(found), tuple(dict.fromkeys(unknown))


@dataclass(frozen=True, slots=True, kw_only=True)
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
    reasons = [piece.reason for piece in perms.unknown_pieces]
    reasons += [g.actions_unknown for g in perms.grants if g.actions_unknown is not None]
    return Unresolved("; ".join(dict.fromkeys(reasons))) if reasons else None


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
