"""Collects a role's policies (inline, customer managed, AWS managed, boundary) into EffectivePermissions."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import replace

from lambdasec.iam.catalog import ActionCatalog
from lambdasec.iam.effective import EffectivePermissions, UnknownPiece, grants_of
from lambdasec.iam.grants import Grant, PolicySource
from lambdasec.iam.managed import ManagedPolicyCatalog, aws_managed_key, load_managed_policies
from lambdasec.iam.overrides import RiskOverrides, RiskTag
from lambdasec.model import (
    Inventory,
    ManagedPolicy,
    Origin,
    PolicyDocument,
    PolicyKind,
    Role,
    Unresolved,
)

__all__ = ["RoleAnalyzer", "analyzer_for", "permissions_of"]

_ANALYZERS: dict[int, RoleAnalyzer] = {}


class RoleAnalyzer:
    """Effective permissions of the roles of one inventory, each computed once."""

    __slots__ = (
        "__weakref__",
        "_cache",
        "_catalog",
        "_declared",
        "_inventory",
        "_managed",
        "_overrides",
        "_tag_memo",
    )

    def __init__(
        self,
        inventory: Inventory,
        *,
        managed: ManagedPolicyCatalog | None = None,
        catalog: ActionCatalog | None = None,
        overrides: RiskOverrides | None = None,
    ) -> None:
        self._inventory = weakref.ref(inventory)  # the shared cache must not keep inventories alive
        self._managed = managed
        self._catalog = catalog
        self._overrides = overrides
        self._cache: dict[str, EffectivePermissions] = {}
        self._declared = _index(inventory)
        self._tag_memo: dict[tuple[RiskTag, frozenset[str]], frozenset[str]] = {}  # shared by the roles

    @property
    def inventory(self) -> Inventory | None:
        """The inventory analysed, while it is alive."""
        return self._inventory()

    def permissions(self, role: Role) -> EffectivePermissions:
        """The effective permissions of `role` (cached by its inventory key)."""
        found = self._cache.get(role.key)
        if found is None:
            found = _permissions(
                role,
                self._declared,
                managed=self._managed,
                catalog=self._catalog,
                overrides=self._overrides,
                tag_memo=self._tag_memo,
            )
            self._cache[role.key] = found
        return found


def analyzer_for(inventory: Inventory) -> RoleAnalyzer:
    """The shared analyzer of `inventory`, so that several rules reuse one evaluation per role."""
    found = _ANALYZERS.get(id(inventory))
    if found is None or found.inventory is not inventory:
        found = RoleAnalyzer(inventory)
        _ANALYZERS[id(inventory)] = found
        weakref.finalize(inventory, _ANALYZERS.pop, id(inventory), None)
    return found


def permissions_of(
    role: Role,
    inventory: Inventory,
    *,
    managed: ManagedPolicyCatalog | None = None,
    catalog: ActionCatalog | None = None,
    overrides: RiskOverrides | None = None,
) -> EffectivePermissions:
    """The effective permissions of `role`: inline and attached policies, and its permissions boundary.

    AWS managed policies come from the offline data file (by ARN, any partition); customer managed
    ones from `inventory.managed_policies`. Policies whose document is not known become unknown
    pieces, which make affected answers UNKNOWN.
    """
    return _permissions(role, _index(inventory), managed=managed, catalog=catalog, overrides=overrides)


def _permissions(
    role: Role,
    declared: Mapping[str, ManagedPolicy],
    *,
    managed: ManagedPolicyCatalog | None,
    catalog: ActionCatalog | None,
    overrides: RiskOverrides | None,
    tag_memo: dict[tuple[RiskTag, frozenset[str]], frozenset[str]] | None = None,
) -> EffectivePermissions:
    collector = _Collector(declared, managed)
    covered: set[str] = set()
    for policy in role.policies:
        source = PolicySource(
            name=_name(policy.name, policy.arn, policy.origin),
            kind=policy.kind,
            arn=policy.arn if isinstance(policy.arn, str) else None,
            origin=policy.origin,
        )
        if isinstance(policy.arn, str):
            covered.add(policy.arn)
        match policy.document:
            case PolicyDocument() as document:
                collector.grants.extend(grants_of(document, policy=source))
            case Unresolved(reason=reason):
                if policy.arn is None or not collector.attach(policy.arn, origin=policy.origin):
                    collector.unknown.append(
                        UnknownPiece(reason=f"policy `{source.name}`: {reason}", policy=source)
                    )
    for index, arn in enumerate(role.managed_policy_arns):
        if isinstance(arn, str) and arn in covered:
            continue
        if isinstance(arn, str):
            covered.add(arn)
        at = _field_origin(role.origin, f"managed_policy_arns.{index}")
        if not collector.attach(arn, origin=at):
            name = arn if isinstance(arn, str) else arn.reason
            collector.unknown.append(
                UnknownPiece(
                    reason=collector.missing_reason(arn),
                    policy=PolicySource(
                        name=name, kind=None, arn=arn if isinstance(arn, str) else None, origin=at
                    ),
                )
            )
    boundary = None
    if role.permissions_boundary is not None:
        boundary = _boundary(role, collector, managed=managed, catalog=catalog, overrides=overrides)
    return EffectivePermissions(
        collector.grants,
        unknown_pieces=collector.unknown,
        boundary=boundary,
        label=_name(role.name, role.arn, role.origin),
        catalog=catalog,
        overrides=overrides,
        tag_memo=tag_memo,
    )


class _Collector:
    """Grants and unknown pieces gathered for one role."""

    def __init__(self, declared: Mapping[str, ManagedPolicy], managed: ManagedPolicyCatalog | None) -> None:
        self.declared = declared
        self._managed = managed
        self.grants: list[Grant] = []
        self.unknown: list[UnknownPiece] = []

    @property
    def managed(self) -> ManagedPolicyCatalog:
        if self._managed is None:
            self._managed = load_managed_policies()
        return self._managed

    def attach(self, arn: str | Unresolved, *, origin: Origin, boundary: bool = False) -> bool:
        """Add the grants of the managed policy `arn`; False when its document is not known."""
        kind: PolicyKind | None = None if boundary else PolicyKind.AWS_MANAGED
        if aws_managed_key(arn) is not None:
            found = self.managed.get(arn)
            if found is None:
                return False
            name = arn if isinstance(arn, str) else found.arn()
            document = found.policy_document(origin=replace(origin, resource=name, fields=()))
            source = PolicySource(name=found.name, kind=kind, arn=name, origin=origin)
            self.grants.extend(grants_of(document, policy=source))
            return True
        if isinstance(arn, Unresolved):
            return False
        declared = self.declared.get(arn)
        if declared is None or isinstance(declared.document, Unresolved):
            return False
        source = PolicySource(
            name=_name(declared.name, declared.arn, declared.origin),
            kind=None if boundary else PolicyKind.CUSTOMER_MANAGED,
            arn=arn,
            origin=declared.origin,
        )
        self.grants.extend(grants_of(declared.document, policy=source))
        return True

    def missing_reason(self, arn: str | Unresolved) -> str:
        if aws_managed_key(arn) is not None:
            return f"AWS managed policy `{aws_managed_key(arn)}` is not in the offline catalog"
        if isinstance(arn, Unresolved):
            return f"managed policy ARN: {arn.reason}"
        declared = self.declared.get(arn)
        if declared is not None and isinstance(declared.document, Unresolved):
            return f"managed policy `{arn}`: {declared.document.reason}"
        return f"managed policy `{arn}` is not in the scanned sources"


def _boundary(
    role: Role,
    collector: _Collector,
    *,
    managed: ManagedPolicyCatalog | None,
    catalog: ActionCatalog | None,
    overrides: RiskOverrides | None,
) -> EffectivePermissions:
    ref = role.permissions_boundary
    assert ref is not None
    fence = _Collector(collector.declared, managed)
    at = _field_origin(role.origin, "permissions_boundary")
    if not fence.attach(ref, origin=at, boundary=True):
        name = ref if isinstance(ref, str) else ref.reason
        fence.unknown.append(
            UnknownPiece(
                reason=fence.missing_reason(ref),
                policy=PolicySource(
                    name=name, kind=None, arn=ref if isinstance(ref, str) else None, origin=at
                ),
            )
        )
    return EffectivePermissions(
        fence.grants,
        unknown_pieces=fence.unknown,
        label="permissions boundary",
        catalog=catalog,
        overrides=overrides,
    )


def _index(inventory: Inventory) -> dict[str, ManagedPolicy]:
    declared: dict[str, ManagedPolicy] = {}
    for policy in inventory.managed_policies:
        for ref in (policy.key, policy.arn, policy.name):
            if isinstance(ref, str):
                declared.setdefault(ref, policy)
    return declared


def _field_origin(origin: Origin, pointer: str) -> Origin:
    return replace(origin, line=origin.line_of(pointer))


def _name(name: str | Unresolved, arn: str | Unresolved | None, origin: Origin) -> str:
    if isinstance(name, str):
        return name
    if isinstance(arn, str):
        return arn
    return origin.resource
