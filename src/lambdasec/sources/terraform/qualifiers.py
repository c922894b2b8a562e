"""Points bindings made through an alias (`aws_lambda_alias.live.arn`) or a qualified ARN at the function."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TypeVar

from lambdasec.model import (
    Alias,
    EventSourceMapping,
    FunctionUrl,
    Inventory,
    Permission,
    ProvisionedConcurrency,
    PushTrigger,
    Unresolved,
)

__all__ = ["through_aliases"]

B = TypeVar("B", EventSourceMapping, Permission, FunctionUrl)


def through_aliases(inventory: Inventory) -> Inventory:
    """`inventory` with bindings and provisioned concurrency made through an alias put on its function.

    A binding whose function is an alias of the module gets the alias's function and, where the model
    has one, the alias name as qualifier; a qualified function ARN (`...:function:name:live`) keeps the
    function ARN and gets its qualifier; a qualifier naming an alias of the module becomes its name.
    Provisioned concurrency always has a qualifier; a function named through an alias
    (`aws_lambda_alias.live.function_name`) becomes the alias's function.
    """
    aliases = {alias.key: alias for alias in inventory.aliases}
    return dataclasses.replace(
        inventory,
        event_source_mappings=tuple(_bound(m, aliases) for m in inventory.event_source_mappings),
        permissions=tuple(_bound(p, aliases) for p in inventory.permissions),
        function_urls=tuple(_bound(u, aliases) for u in inventory.function_urls),
        push_triggers=tuple(_pushed(t, aliases) for t in inventory.push_triggers),
        provisioned_concurrency=tuple(_provisioned(c, aliases) for c in inventory.provisioned_concurrency),
    )


def _target(
    ref: str | Unresolved, aliases: Mapping[str, Alias]
) -> tuple[str | Unresolved, str | Unresolved] | None:
    """(function, qualifier) when `ref` names an alias or a qualified function ARN, else None."""
    if not isinstance(ref, str):
        return None
    alias = aliases.get(ref)
    if alias is not None:
        return alias.function, alias.name
    if ref.startswith("arn:") and ":function:" in ref and ref.count(":") == 7:
        function, _, qualifier = ref.rpartition(":")
        return function, qualifier
    return None


def _bound(binding: B, aliases: Mapping[str, Alias]) -> B:
    qualifier = binding.qualifier
    if isinstance(qualifier, str) and qualifier in aliases:  # `qualifier = aws_lambda_alias.live.name`
        return dataclasses.replace(binding, qualifier=aliases[qualifier].name)
    found = _target(binding.function, aliases)
    if found is None or qualifier is not None:
        return binding
    return dataclasses.replace(binding, function=found[0], qualifier=found[1])


def _pushed(trigger: PushTrigger, aliases: Mapping[str, Alias]) -> PushTrigger:
    found = _target(trigger.function, aliases)
    return trigger if found is None else dataclasses.replace(trigger, function=found[0])


def _provisioned(setting: ProvisionedConcurrency, aliases: Mapping[str, Alias]) -> ProvisionedConcurrency:
    qualifier = setting.qualifier
    if isinstance(qualifier, str) and qualifier in aliases:
        qualifier = aliases[qualifier].name
    found = _target(setting.function, aliases)
    function = setting.function if found is None else found[0]
    return dataclasses.replace(setting, function=function, qualifier=qualifier)
