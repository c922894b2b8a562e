"""Builders for model objects and rule runs, for model-level rule tests (no sources, no patching)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lambdasec.data import DataFiles
from lambdasec.findings import Finding, RuleCoverage
from lambdasec.model import (
    AuthType,
    Effect,
    EnvVar,
    FunctionUrl,
    Inventory,
    LambdaFunction,
    Origin,
    PackageType,
    Permission,
    Policy,
    PolicyDocument,
    PolicyKind,
    Role,
    SourceKind,
    Statement,
    Unresolved,
)
from lambdasec.rules._api import Rule, RuleContext
from lambdasec.rules.engine import build_options, run_rule

TODAY = date(2026, 11, 22)
FILE = "template.yaml"
_DATA = DataFiles()


def make_origin(
    resource: str, line: int = 1, *, file: str | None = FILE, fields: Mapping[str, int] | None = None
) -> Origin:
    """An origin in `template.yaml`; `fields` maps field pointers to lines (`{"auth_type": 12}`)."""
    return Origin(
        source=SourceKind.CLOUDFORMATION,
        file=file,
        line=line,
        resource=resource,
        fields=tuple((fields or {}).items()),
    )


def make_function(
    name: str = "orders-api",
    *,
    key: str | None = None,
    runtime: str | Unresolved | None = "python3.13",
    role: str | Unresolved | None = "OrdersRole",
    environment: dict[str, str | Unresolved] | Unresolved | None = None,
    package_type: PackageType | Unresolved = PackageType.ZIP,
    line: int = 1,
    fields: Mapping[str, int] | None = None,
) -> LambdaFunction:
    """A function; its inventory key and resource id default to its name."""
    env: tuple[EnvVar, ...] | Unresolved
    if isinstance(environment, Unresolved):
        env = environment
    else:
        env = tuple(EnvVar(name=k, value=v) for k, v in (environment or {}).items())
    return LambdaFunction(
        key=key or name,
        name=name,
        runtime=runtime,
        handler="app.handler" if runtime is not None else None,
        package_type=package_type,
        environment=env,
        role=role,
        origin=make_origin(key or name, line, fields=fields),
    )


def make_statement(
    *,
    effect: Effect | Unresolved = Effect.ALLOW,
    actions: Iterable[str | Unresolved] | Unresolved | None = ("s3:GetObject",),
    resources: Iterable[str | Unresolved] | Unresolved | None = ("*",),
    not_actions: Iterable[str | Unresolved] | None = None,
    not_resources: Iterable[str | Unresolved] | None = None,
    sid: str | None = None,
    line: int = 1,
    resource: str = "OrdersRole",
) -> Statement:
    """A policy statement; iterables become tuples."""
    return Statement(
        sid=sid,
        effect=effect,
        actions=_tuple(actions),
        resources=_tuple(resources),
        not_actions=_tuple(not_actions),
        not_resources=_tuple(not_resources),
        origin=make_origin(resource, line),
    )


def make_policy(
    *statements: Statement,
    name: str = "inline",
    kind: PolicyKind = PolicyKind.INLINE,
    arn: str | None = None,
    document: PolicyDocument | Unresolved | None = None,
    line: int = 1,
) -> Policy:
    """A policy holding `statements` (or the given document)."""
    origin = make_origin("OrdersRole", line)
    return Policy(
        name=name,
        kind=kind,
        arn=arn,
        document=document if document is not None else PolicyDocument(statements=statements, origin=origin),
        origin=origin,
    )


def make_role(
    name: str = "orders-role",
    *,
    key: str = "OrdersRole",
    policies: Iterable[Policy] = (),
    managed_policy_arns: Iterable[str | Unresolved] = (),
    permissions_boundary: str | None = None,
    line: int = 1,
    fields: Mapping[str, int] | None = None,
) -> Role:
    """An execution role."""
    return Role(
        key=key,
        name=name,
        trust_policy=None,
        policies=tuple(policies),
        managed_policy_arns=tuple(managed_policy_arns),
        permissions_boundary=permissions_boundary,
        origin=make_origin(key, line, fields=fields),
    )


def make_url(
    function: str = "orders-api",
    *,
    auth_type: AuthType | Unresolved = AuthType.NONE,
    key: str | None = None,
    line: int = 1,
    fields: Mapping[str, int] | None = None,
) -> FunctionUrl:
    """A function URL of `function`."""
    resource = key or f"{function}Url"
    return FunctionUrl(
        key=resource,
        function=function,
        auth_type=auth_type,
        origin=make_origin(resource, line, fields=fields),
    )


def make_permission(
    function: str = "orders-api",
    *,
    principal: str | Unresolved = "*",
    action: str | Unresolved = "lambda:InvokeFunction",
    key: str = "PublicInvoke",
    line: int = 1,
    **kwargs: Any,
) -> Permission:
    """A resource-policy statement on `function`; extra keyword arguments go to Permission."""
    return Permission(
        key=key,
        function=function,
        principal=principal,
        action=action,
        origin=make_origin(key, line),
        **kwargs,
    )


def make_inventory(**collections: Iterable[Any]) -> Inventory:
    """An inventory from keyword collections (`functions=[...]`, `roles=[...]`)."""
    return Inventory(**{name: tuple(items) for name, items in collections.items()})


@dataclass(frozen=True)
class Outcome:
    """What one rule run produced."""

    findings: list[Finding]
    coverage: RuleCoverage

    @property
    def unevaluated_ids(self) -> list[str]:
        return [resource for resource, _ in self.coverage.unevaluated]

    @property
    def lines(self) -> set[tuple[str, int | None]]:
        return {(f.rule, f.location.line) for f in self.findings}


def make_context(rule: Rule, inventory: Inventory, *, today: date = TODAY, **options: Any) -> RuleContext:
    """The context the engine would give `rule`, with options from keyword arguments."""
    return RuleContext(
        rule=rule, inventory=inventory, today=today, data=_DATA, options=build_options(rule, options)
    )


def run(rule: Rule, inventory: Inventory, *, today: date = TODAY, **options: Any) -> Outcome:
    """Run `rule` on `inventory` through the engine's single-rule path."""
    findings, coverage = run_rule(rule, inventory, make_context(rule, inventory, today=today, **options))
    return Outcome(findings=findings, coverage=coverage)


def _tuple(
    items: Iterable[str | Unresolved] | Unresolved | None,
) -> tuple[str | Unresolved, ...] | Unresolved | None:
    if items is None or isinstance(items, Unresolved):
        return items
    return tuple(items)
