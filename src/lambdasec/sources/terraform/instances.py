"""Expands `count` and `for_each` into one instance per known key, with `count.index` / `each.*` bound."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any, Final

from lambdasec.model import Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.calls import DataInstance, Key
from lambdasec.sources.terraform.expressions import Scope, instance_label

__all__ = ["Instance", "expand"]

# More instances than this are not expanded one by one: the block is read once, as written.
MAX_INSTANCES: Final = 10_000


@record
class Instance:
    """One instance of a block: the address suffix (`""`, `[0]`, `["a"]`) and what it binds."""

    label: str = ""
    bindings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


_SINGLE: Final = (Instance(),)


def expand(body: Mapping[str, Any], scope: Scope) -> tuple[Instance, ...]:
    """The instances of a block; no instance for a known zero count or empty `for_each`.

    A block without `count`/`for_each`, or whose collection is not known, is one instance with nothing
    bound, so values built from `count.index` or `each.*` stay Unresolved with the expression as reason.
    """
    if "count" in body:
        return _count(scope.resolve(body["count"]))
    if "for_each" in body:
        return _for_each(scope.resolve(body["for_each"]))
    return _SINGLE


def _count(value: Any) -> tuple[Instance, ...]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INSTANCES:
        return _SINGLE
    return tuple(Instance(label=instance_label(i), bindings={"count": {"index": i}}) for i in range(value))


def _for_each(value: Any) -> tuple[Instance, ...]:
    if isinstance(value, DataInstance):  # a data source's attributes are not known
        return _SINGLE
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, list):
        items = [(v, v) for v in value]
    else:
        return _SINGLE
    if len(items) > MAX_INSTANCES or not all(_usable_key(k) for k, _ in items):
        return _SINGLE
    return tuple(
        Instance(label=instance_label(str(k)), bindings={"each": {"key": str(k), "value": v}})
        for k, v in sorted(items, key=lambda item: str(item[0]))
    )


def _usable_key(key: Any) -> bool:
    return isinstance(key, str | int) and not isinstance(key, bool | Key | Unresolved)
