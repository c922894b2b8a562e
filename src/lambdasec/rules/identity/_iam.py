"""Shared reading of execution-role permissions for identity rules: wildcards, tags, escalation, wording."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lambdasec.findings import Confidence
from lambdasec.iam import (
    Access,
    ActionCatalog,
    Decision,
    EffectivePermissions,
    EscalationPath,
    Grant,
    RiskTag,
    combine,
)
from lambdasec.model import Effect, PolicyKind, Role, Unresolved
from lambdasec.rules.identity._templates import sam_templates_of

__all__ = [
    "SERVICE_ACTIONS",
    "UNSCOPED_ONLY",
    "claimed_by_wildcard",
    "confidence_of",
    "describe_grant",
    "escalation_actions",
    "escalation_paths",
    "grant_anchor",
    "is_execution_policy",
    "lowest",
    "resources_of",
    "role_label",
    "service_wildcards",
    "tagged_decisions",
    "ticks",
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
# The SAM policy template that grants what `AWSLambdaVPCAccessExecutionRole` grants, for the same reason.
_LAMBDA_EXECUTION_TEMPLATES = frozenset({"VPCAccessPolicy"})
_SERVICE_WILDCARD = re.compile(r"^([a-z0-9-]+):\*+$", re.IGNORECASE)
_REPORTED = (Access.ALLOWED, Access.CONDITIONAL)


def role_label(role: Role) -> str:
    """The role's name; when the name is generated, the CDK construct path it was synthesized from
    (without its last `/Resource`), else its logical id."""
    if isinstance(role.name, str):
        return role.name
    construct = role.origin.construct_path
    return construct.removesuffix("/Resource") if construct else role.origin.resource


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
    """`statement `Sid` of policy `name`` (AWS managed policies and SAM policy templates by name only)."""
    policy = grant.policy
    if policy.kind is PolicyKind.AWS_MANAGED:
        return f"the AWS managed policy `{policy.name}`"
    templates = sam_templates_of(grant)
    if templates:
        return "the SAM policy template " + " or ".join(f"`{name}`" for name in templates)
    sid = f"statement `{grant.statement.sid}`" if grant.statement.sid else "a statement"
    return f"{sid} of policy `{policy.name}`"


def is_execution_policy(grant: Grant) -> bool:
    """True for statements of AWS managed policies made for Lambda execution roles
    (`AWSLambdaSQSQueueExecutionRole`, `AWSLambdaVPCAccessExecutionRole`, ...) and of SAM's
    `VPCAccessPolicy` template."""
    policy = grant.policy
    if policy.kind is PolicyKind.AWS_MANAGED:
        return bool(_LAMBDA_EXECUTION_POLICY.match(policy.name))
    templates = sam_templates_of(grant)
    return bool(templates) and all(name in _LAMBDA_EXECUTION_TEMPLATES for name in templates)


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
        if ":*" not in pattern:
            continue  # `_SERVICE_WILDCARD` cannot match: most entries name one action
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
