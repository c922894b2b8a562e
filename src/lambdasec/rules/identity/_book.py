"""Execution roles grouped by policy content, so identity rules evaluate each distinct role once per scan."""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from dataclasses import replace

from lambdasec.iam import EffectivePermissions, Grant, PolicySource, analyzer_for
from lambdasec.model import (
    Inventory,
    LambdaFunction,
    Origin,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Unresolved,
)
from lambdasec.records import record
from lambdasec.rules.identity.execution_role_admin_access import AdminGrant, admin_grant

__all__ = ["Layout", "RoleBook", "book_for"]

_BOOKS: dict[int, RoleBook] = {}


@record
class Layout:
    """The functions of an inventory by the signature of their execution role (first-seen order),
    and those whose role is not known, with why."""

    groups: tuple[tuple[tuple[LambdaFunction, Role], ...], ...]
    orphans: tuple[tuple[LambdaFunction, str], ...]


class RoleBook:
    """Roles of one inventory by content signature (policies, statements, attached ARNs, boundary).

    Two roles with the same signature have the same effective permissions: a rule judges the first
    one (the representative) and names each other role's own statements by position (`translate`).
    """

    __slots__ = (
        "__weakref__",
        "_admin",
        "_inventory",
        "_layout",
        "_numbers",
        "_perms",
        "_reps",
        "_signatures",
    )

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = weakref.ref(inventory)
        # Each distinct signature gets a number (its representative's index), hashed once per role.
        self._signatures: dict[str, int] = {}  # role key -> signature number
        self._numbers: dict[Hashable, int] = {}  # signature -> number
        self._reps: list[Role] = []
        self._admin: dict[int, bool] = {}
        self._perms: dict[int, EffectivePermissions] = {}  # by signature number: asked per group and rule
        self._layout: Layout | None = None

    @property
    def inventory(self) -> Inventory | None:
        """The inventory grouped, while it is alive."""
        return self._inventory()

    def layout(self, inventory: Inventory) -> Layout:
        """Functions grouped by their role's signature (computed once): rules judge groups, not functions."""
        if self._layout is None:
            groups: dict[int, list[tuple[LambdaFunction, Role]]] = {}
            orphans: list[tuple[LambdaFunction, str]] = []
            for fn in inventory.functions:
                match inventory.role_of(fn):
                    case None:
                        orphans.append((fn, "the function declares no execution role"))
                    case Unresolved(reason=reason):
                        orphans.append((fn, f"execution role: {reason}"))
                    case Role() as role:
                        groups.setdefault(self.signature(role), []).append((fn, role))
            self._layout = Layout(groups=tuple(tuple(g) for g in groups.values()), orphans=tuple(orphans))
        return self._layout

    def signature(self, role: Role) -> int:
        """The number of the role's content without names and origins; equal for roles that grant the same."""
        found = self._signatures.get(role.key)
        if found is None:
            found = self._numbers.setdefault(_signature(role), len(self._reps))
            if found == len(self._reps):
                self._reps.append(role)
            self._signatures[role.key] = found
        return found

    def representative(self, role: Role) -> Role:
        """The first role seen with the same signature as `role`."""
        return self._reps[self.signature(role)]

    def permissions(self, role: Role, inventory: Inventory) -> EffectivePermissions:
        """The effective permissions of the representative of `role`."""
        sig = self.signature(role)
        found = self._perms.get(sig)
        if found is None:
            found = self._perms[sig] = analyzer_for(inventory).permissions(self._reps[sig])
        return found

    def is_admin(self, role: Role, inventory: Inventory) -> bool:
        """True when LS101 reports the role (administrator access), decided once per signature."""
        sig = self.signature(role)
        found = self._admin.get(sig)
        if found is None:
            found = isinstance(admin_grant(inventory, self._reps[sig]), AdminGrant)
            self._admin[sig] = found
        return found

    def translate(self, grant: Grant, *, role: Role) -> Grant | None:
        """The grant of `role` at the same position as `grant` of its representative; None when unsure."""
        rep = self.representative(role)
        if rep is role:
            return grant
        for index, policy in enumerate(rep.policies):
            if grant.policy.origin is not policy.origin:
                continue
            mine = role.policies[index]
            source = replace(grant.policy, name=_name(mine.name, mine.arn, mine.origin), origin=mine.origin)
            if isinstance(policy.document, PolicyDocument) and isinstance(mine.document, PolicyDocument):
                for position, statement in enumerate(policy.document.statements):
                    if statement is grant.statement:
                        return replace(grant, statement=mine.document.statements[position], policy=source)
                return None
            return replace(grant, statement=_moved(grant.statement, mine.origin), policy=source)
        for index, arn in enumerate(rep.managed_policy_arns):
            if (
                isinstance(arn, str)
                and grant.policy.arn == arn
                and grant.policy.kind is PolicyKind.AWS_MANAGED
            ):
                at = replace(role.origin, line=role.origin.line_of(f"managed_policy_arns.{index}"))
                return replace(
                    grant, statement=_moved(grant.statement, at), policy=replace(grant.policy, origin=at)
                )
        if grant.policy.kind is not None and not any(grant.policy.origin is p.origin for p in rep.policies):
            return grant if _declared_elsewhere(grant.policy, rep) else None
        return None


def book_for(inventory: Inventory) -> RoleBook:
    """The shared role book of `inventory`, so the identity rules group its roles once."""
    found = _BOOKS.get(id(inventory))
    if found is None or found.inventory is not inventory:
        found = RoleBook(inventory)
        _BOOKS[id(inventory)] = found
        weakref.finalize(inventory, _BOOKS.pop, id(inventory), None)
    return found


def _signature(role: Role) -> Hashable:
    policies = tuple(
        (
            policy.kind,
            policy.arn,
            tuple(_statement(s) for s in policy.document.statements)
            if isinstance(policy.document, PolicyDocument)
            else policy.document,
        )
        for policy in role.policies
    )
    return (policies, role.managed_policy_arns, role.permissions_boundary)


def _statement(statement: Statement) -> Hashable:
    return (
        statement.sid,
        statement.effect,
        statement.actions,
        statement.not_actions,
        statement.resources,
        statement.not_resources,
        statement.conditions,
    )


def _moved(statement: Statement, at: Origin) -> Statement:
    """An AWS managed policy's statement, anchored at another role's attachment line."""
    return replace(statement, origin=replace(statement.origin, file=at.file, line=at.line, fields=()))


def _declared_elsewhere(policy: PolicySource, rep: Role) -> bool:
    """A customer managed policy declared once in the inventory: the same grant for every role."""
    return policy.origin.resource != rep.origin.resource


def _name(name: str | Unresolved, arn: str | Unresolved | None, origin: Origin) -> str:
    if isinstance(name, str):
        return name
    if isinstance(arn, str):
        return arn
    return origin.resource
