"""Maps IAM: policy documents, roles, inline policies and managed policies attached in the template."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from lambdasec.model import (
    Condition,
    Effect,
    ManagedPolicy,
    Origin,
    Policy,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    Unresolved,
)
from lambdasec.sources.cloudformation.intrinsics import Link
from lambdasec.sources.cloudformation.properties import MISSING, Context, Node, Resource, marked_node
from lambdasec.sources.cloudformation.references import GENERATED, MANAGED_POLICY, ROLE
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = [
    "Attachments",
    "collect_attachments",
    "inline_policy",
    "map_managed_policy",
    "map_role",
    "read_document",
]

_EFFECTS: dict[str, Effect] = {"Allow": Effect.ALLOW, "Deny": Effect.DENY}
_PRINCIPAL_KINDS = {kind.value: kind for kind in PrincipalKind if kind is not PrincipalKind.ANY}


@dataclass(kw_only=True)
class Attachments:
    """Policies declared as their own resources, by the role they attach to (inventory key)."""

    managed: dict[str, ManagedPolicy] = field(default_factory=dict)
    by_role: dict[str, list[Policy]] = field(default_factory=dict)
    managed_by_role: dict[str, list[str]] = field(default_factory=dict)


def read_document(
    parent: Node, key: str, *, owner: str, field: str | None = None
) -> PolicyDocument | Unresolved | None:
    """The policy document under `key`; statements get origins named `owner/Statement/<sid or index>`."""
    raw = parent.data.get(key)
    if type(raw) is MarkedDict:  # with a `Statement` it is no intrinsic call
        listed = raw.get("Statement")
        if type(listed) is MarkedList and all(type(item) is MarkedDict and len(item) > 1 for item in listed):
            return _plain_document(parent, key, raw, listed, owner=owner, field=field)
    value = parent.value(key)
    if value is MISSING:
        return None
    parent.note(field, key)
    line = parent.line_of(key)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return parent.wrong(key, "a policy document", value=value)
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, Link):
        return Unresolved(value.describe())
    if not isinstance(value, dict):
        return parent.wrong(key, "a policy document", value=value)
    doc = parent.child(value, key, line=line, fields=[])
    raw = doc.value("Statement")
    statements: list[Node]
    if raw is MISSING:
        statements = []
    elif isinstance(raw, dict):
        statements = [doc.child(raw, "Statement", line=doc.line_of("Statement"), fields=[])]
    else:
        listed = doc.nodes("Statement", own_fields=True)
        if isinstance(listed, Unresolved):
            return listed
        statements = listed or []
    out = tuple(_statement(node, owner=owner, index=index) for index, node in enumerate(statements))
    return PolicyDocument(statements=out, origin=parent.ctx.origin(owner, line=doc.line or line, fields=[]))


def _plain_document(
    parent: Node, key: str, document: MarkedDict, listed: MarkedList, *, owner: str, field: str | None
) -> PolicyDocument:
    """`read_document` of a mapping whose `Statement` is a list of mappings (no intrinsic in either),
    without the Nodes and item lists the general reading makes for them."""
    line = parent.line_of(key)
    if field is not None and line is not None:
        parent.fields.append((field, line))
    path = f"{parent.path}.{key}.Statement" if parent.path else f"{key}.Statement"
    ctx, where = parent.ctx, parent.where
    out = tuple(
        _statement(marked_node(item, ctx, where, f"{path}[{index}]", []), owner=owner, index=index)
        for index, item in enumerate(listed)
    )
    at = document.line if document.line > 0 else line
    return PolicyDocument(statements=out, origin=ctx.origin(owner, line=at, fields=[]))


def _statement(node: Node, *, owner: str, index: int) -> Statement:
    present = node.data.keys()  # most statements set few of the elements; skip the absent ones cheaply
    sid = node.text("Sid", field="sid") if "Sid" in present else None
    label = sid if isinstance(sid, str) and sid else str(index)
    texts = node.texts
    ctx = node.ctx
    return Statement(
        sid=sid if isinstance(sid, str) else None,
        effect=_effect(node),
        actions=texts("Action", field="actions", scalar_ok=True) if "Action" in present else None,
        not_actions=texts("NotAction", field="not_actions", scalar_ok=True)
        if "NotAction" in present
        else None,
        resources=texts("Resource", field="resources", scalar_ok=True) if "Resource" in present else None,
        not_resources=texts("NotResource", field="not_resources", scalar_ok=True)
        if "NotResource" in present
        else None,
        principals=_principals(node, "Principal", field="principals") if "Principal" in present else None,
        not_principals=_principals(node, "NotPrincipal", field="not_principals")
        if "NotPrincipal" in present
        else None,
        conditions=_conditions(node) if "Condition" in present else (),
        # Each field pointer of a statement is recorded once (one per element): `ctx.origin`'s search for
        # repeated pointers is skipped.
        origin=Origin(
            source=ctx.source,
            file=ctx.file,
            line=node.line,
            resource=f"{owner}/Statement/{label}",
            fields=tuple(node.fields),
        ),
    )


def _effect(node: Node) -> Effect | Unresolved:
    raw = node.data.get("Effect")
    effect = _EFFECTS.get(raw) if type(raw) is str else None  # as written: no case-insensitive lookup
    if effect is not None:
        node.note("effect", "Effect")
        return effect
    return node.required(node.choice("Effect", Effect, field="effect"), "Effect")


def _principals(node: Node, key: str, *, field: str) -> tuple[Principal, ...] | Unresolved | None:
    value = node.value(key)
    if value is MISSING:
        return None
    node.note(field, key)
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, Link):
        return Unresolved(value.describe())
    if value == "*":
        return (Principal(kind=PrincipalKind.ANY, values=("*",)),)
    if not isinstance(value, dict):
        return node.wrong(key, '"*" or a mapping of principal types', value=value)
    if type(value) is MarkedDict:
        plain = _plain_principals(value)
        if plain is not None:
            return plain
    entries = node.child(value, key, line=node.line_of(key))
    out: list[Principal] = []
    for kind_name, _, line in entries.entries():
        kind = _PRINCIPAL_KINDS.get(kind_name)
        if kind is None:
            node.ctx.diagnostics.warn(f"`{node.where}`: unknown principal type `{kind_name}`", line)
            continue
        values = entries.texts(kind_name, scalar_ok=True)
        if isinstance(values, Unresolved):
            return values
        out.append(Principal(kind=kind, values=values or ()))
    return tuple(out)


def _plain_principals(value: MarkedDict) -> tuple[Principal, ...] | None:
    """The principals of a mapping of known types to text or lists of text (`Service: x.amazonaws.com`),
    read without a Node; None for any other mapping."""
    out: list[Principal] = []
    for kind_name, raw in value.items():
        kind = _PRINCIPAL_KINDS.get(kind_name) if type(kind_name) is str else None
        if kind is None:
            return None
        if type(raw) is str:
            out.append(Principal(kind=kind, values=(raw,)))
        elif type(raw) is MarkedList and all(type(item) is str for item in raw):
            out.append(Principal(kind=kind, values=tuple(raw)))
        else:
            return None
    return tuple(out)


def _conditions(node: Node) -> tuple[Condition, ...] | Unresolved:
    block = node.node("Condition", field="conditions")
    if block is None:
        return ()
    if isinstance(block, Unresolved):
        return block
    out: list[Condition] = []
    for operator, value, line in block.entries():
        if not isinstance(value, dict):
            if isinstance(value, Unresolved):
                return value
            return block.wrong(operator, "a mapping of condition keys", value=value, line=line)
        clauses = block.child(value, operator, line=line)
        for context_key, _, _ in clauses.entries():
            values = clauses.texts(context_key, scalar_ok=True)
            if isinstance(values, Unresolved):
                return values
            out.append(Condition(operator=operator, key=context_key, values=values or ()))
    return tuple(out)


def map_managed_policy(
    resource: Resource, ctx: Context
) -> tuple[ManagedPolicy, tuple[str | Unresolved, ...]]:
    """An AWS::IAM::ManagedPolicy and the roles (keys or names) its `Roles` property attaches it to."""
    p = resource.properties(ctx)
    document = read_document(p, "PolicyDocument", owner=resource.logical_id, field="document")
    policy = ManagedPolicy(
        key=ctx.key(resource.logical_id),
        name=p.text("ManagedPolicyName", field="name") or GENERATED,
        arn=None,
        document=p.required(document, "PolicyDocument"),
        origin=resource.origin(ctx, p),
    )
    return policy, _roles(p)


def inline_policy(resource: Resource, ctx: Context) -> tuple[Policy, tuple[str | Unresolved, ...]]:
    """An AWS::IAM::Policy as the inline policy it becomes on each role of its `Roles` property."""
    p = resource.properties(ctx)
    name: str | Unresolved = p.required(p.text("PolicyName", field="name"), "PolicyName")
    document = read_document(p, "PolicyDocument", owner=resource.logical_id, field="document")
    policy = Policy(
        name=name,
        kind=PolicyKind.INLINE,
        document=p.required(document, "PolicyDocument"),
        origin=resource.origin(ctx, p),
    )
    return policy, _roles(p)


def _roles(p: Node) -> tuple[str | Unresolved, ...]:
    roles = p.refs("Roles", ROLE, field="roles")
    return () if roles is None or isinstance(roles, Unresolved) else roles


def collect_attachments(
    managed: list[tuple[ManagedPolicy, tuple[str | Unresolved, ...]]],
    inline: list[tuple[Policy, tuple[str | Unresolved, ...]]],
    *,
    role_names: Mapping[str, str],
) -> Attachments:
    """Index policies declared as resources by the role they attach to."""
    out = Attachments()
    for policy, roles in managed:
        out.managed[policy.key] = policy
        for role in roles:
            key = _role_key(role, role_names)
            if key is not None:
                out.by_role.setdefault(key, []).append(_as_attached(policy))
                out.managed_by_role.setdefault(key, []).append(policy.key)
    for attached, roles in inline:
        for role in roles:
            key = _role_key(role, role_names)
            if key is not None:
                out.by_role.setdefault(key, []).append(attached)
    return out


def _role_key(role: str | Unresolved, role_names: Mapping[str, str]) -> str | None:
    if isinstance(role, Unresolved):
        return None
    return role if "#" in role else role_names.get(role)


def _as_attached(policy: ManagedPolicy) -> Policy:
    return Policy(
        name=policy.name,
        kind=PolicyKind.CUSTOMER_MANAGED,
        arn=policy.key,
        document=policy.document,
        origin=policy.origin,
    )


def map_role(resource: Resource, ctx: Context, *, attachments: Attachments) -> Role:
    """An AWS::IAM::Role with its inline policies and the policies attached to it in the template."""
    p = resource.properties(ctx)
    key = ctx.key(resource.logical_id)
    trust = read_document(
        p,
        "AssumeRolePolicyDocument",
        owner=f"{resource.logical_id}/AssumeRolePolicyDocument",
        field="trust_policy",
    )
    policies: list[Policy] = []
    for index, entry in enumerate(_nodes(p, "Policies", field="policies")):
        name: str | Unresolved = entry.required(entry.text("PolicyName", field="name"), "PolicyName")
        label = name if isinstance(name, str) else str(index)
        document = read_document(
            entry, "PolicyDocument", owner=f"{resource.logical_id}/Policies/{label}", field="document"
        )
        policies.append(
            Policy(
                name=name,
                kind=PolicyKind.INLINE,
                document=entry.required(document, "PolicyDocument"),
                origin=ctx.origin(resource.logical_id, line=entry.line, fields=entry.fields),
            )
        )
    data = p.data  # roles set few of the optional properties: absent ones are skipped cheaply
    arns: list[str | Unresolved] = []
    declared_arns = (
        p.refs("ManagedPolicyArns", MANAGED_POLICY, field="managed_policy_arns")
        if "ManagedPolicyArns" in data
        else None
    )
    for arn in _default(declared_arns):
        arns.append(arn)
        declared = attachments.managed.get(arn) if isinstance(arn, str) else None
        if declared is not None:
            policies.append(_as_attached(declared))
    policies.extend(attachments.by_role.get(key, ()))
    arns.extend(k for k in attachments.managed_by_role.get(key, ()) if k not in arns)
    return Role(
        key=key,
        name=(p.text("RoleName", field="name") if "RoleName" in data else None) or GENERATED,
        trust_policy=trust,
        policies=tuple(policies),
        managed_policy_arns=tuple(arns),
        permissions_boundary=p.ref("PermissionsBoundary", MANAGED_POLICY, field="permissions_boundary")
        if "PermissionsBoundary" in data
        else None,
        origin=resource.origin(ctx, p),
    )


def _nodes(p: Node, key: str, *, field: str) -> list[Node]:
    nodes = p.nodes(key, field=field, own_fields=True)
    return [] if nodes is None or isinstance(nodes, Unresolved) else nodes


def _default(values: tuple[str | Unresolved, ...] | Unresolved | None) -> tuple[str | Unresolved, ...]:
    if values is None:
        return ()
    return (values,) if isinstance(values, Unresolved) else values
