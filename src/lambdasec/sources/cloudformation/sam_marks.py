"""Building line-marked dicts and lists for the SAM transform: every emitted node points at its SAM line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

_MARKED = (MarkedDict, MarkedList)
# Allocating without the Python-level __init__ halves the cost of the ~50 containers made per function;
# `new_dict`/`new_list` set exactly the slots `MarkedDict`/`MarkedList` declare (a test checks they match).
_dict_new = dict.__new__
_list_new = list.__new__
# Containers that need marking (subclasses other than the marked ones go through `mark` too, rarely).
_PLAIN = frozenset({dict, list})
_SCALARS = frozenset({str, int, bool, float, type(None)})
# Values `put` stores unchanged: one set lookup for the usual scalar or marked value.
_KEPT_AS_IS = _SCALARS | {MarkedDict, MarkedList}

__all__ = [
    "copy_dict",
    "get_att",
    "is_intrinsic",
    "keep",
    "key_line",
    "mark",
    "new_dict",
    "new_list",
    "node",
    "put",
    "seq",
    "single",
]


def new_dict(line: int) -> MarkedDict:
    """An empty MarkedDict at `line`."""
    out: MarkedDict = _dict_new(MarkedDict)
    out.line = line
    out.key_lines = {}
    return out


def new_list(line: int) -> MarkedList:
    """An empty MarkedList at `line`."""
    out: MarkedList = _list_new(MarkedList)
    out.line = line
    out.item_lines = []
    return out


def node(line: int, items: Iterable[tuple[Any, Any]] = ()) -> MarkedDict:
    """A MarkedDict at `line` whose keys all sit on `line`; plain containers among values are marked too."""
    out: MarkedDict = _dict_new(MarkedDict)
    out.line = line
    for key, value in items:
        out[key] = _clone(value, line) if type(value) in _PLAIN else value
    out.key_lines = dict.fromkeys(out, line)
    return out


def single(line: int, key: Any, value: Any) -> MarkedDict:
    """`node(line, [(key, value)])` for a `value` that needs no marking (a scalar or a marked container)."""
    out: MarkedDict = _dict_new(MarkedDict)
    out.line = line
    out[key] = value
    out.key_lines = {key: line}
    return out


def get_att(line: int, logical_id: Any, attribute: Any = "Arn") -> MarkedDict:
    """`{"Fn::GetAtt": [logical_id, attribute]}` marked at `line` (what `node` would build, directly)."""
    items: MarkedList = _list_new(MarkedList)
    items.line = line
    items.extend((logical_id, attribute))
    items.item_lines = [line, line]
    return single(line, "Fn::GetAtt", items)


def seq(line: int, items: Iterable[Any], lines: Iterable[int] | None = None) -> MarkedList:
    """A MarkedList at `line`; item lines from `lines` when given, else `line`."""
    out: MarkedList = _list_new(MarkedList)
    out.line = line
    out.extend(items)
    for index, item in enumerate(out):  # cheaper than a comprehension for the usual one or two items
        if type(item) in _PLAIN:
            out[index] = _clone(item, line)
    out.item_lines = list(lines) if lines is not None else [line] * len(out)
    return out


def mark(value: Any, line: int) -> Any:
    """`value` with plain dicts/lists turned into marked ones at `line`; marked subtrees are reused."""
    if type(value) in _PLAIN:
        return _clone(value, line)
    if isinstance(value, _MARKED) or not isinstance(value, dict | list):
        return value
    return _clone(value, line)


def _clone(value: Any, line: int) -> Any:
    """A marked copy of a plain dict or list at `line` (marked subtrees inside are reused, not copied)."""
    if isinstance(value, dict):
        out: MarkedDict = _dict_new(MarkedDict)
        out.line = line
        for key, item in value.items():
            out[key] = _clone(item, line) if type(item) in _PLAIN else item
        out.key_lines = dict.fromkeys(out, line)
        return out
    items: MarkedList = _list_new(MarkedList)
    items.line = line
    items.extend(value)
    for index, item in enumerate(items):  # cheaper than a comprehension for the usual one or two items
        if type(item) in _PLAIN:
            items[index] = _clone(item, line)
    items.item_lines = [line] * len(items)
    return items


def put(target: MarkedDict, key: Any, value: Any, line: int) -> None:
    """Set `target[key]` with its key on `line` (plain containers in `value` marked at `line`)."""
    if type(value) not in _KEPT_AS_IS:
        value = mark(value, line)
    target[key] = value
    target.key_lines[key] = line


def keep(target: MarkedDict, source: Any, key: Any, *, as_key: Any = None) -> bool:
    """Copy `source[key]` into `target` (under `as_key`) with its original key line; False when absent."""
    if not isinstance(source, dict) or key not in source:
        return False
    name = key if as_key is None else as_key
    target[name] = source[key]
    if type(source) is MarkedDict:
        target.key_lines[name] = source.key_lines.get(key, 0) or source.line
    else:
        target.key_lines[name] = key_line(source, key, 0)
    return True


def key_line(container: Any, key: Any, default: int) -> int:
    """The line of `container[key]` (a dict key or a list index), else of the container, else `default`."""
    kind = type(container)
    if kind is MarkedDict:
        return container.key_lines.get(key, 0) or container.line or default
    line = 0
    if isinstance(container, MarkedDict):
        line = container.key_lines.get(key, 0) or container.line
    elif isinstance(container, MarkedList):
        lines = container.item_lines
        line = lines[key] if isinstance(key, int) and 0 <= key < len(lines) else container.line
    return line or default


def copy_dict(source: Any, line: int = 0) -> MarkedDict:
    """A shallow copy of a (marked) mapping keeping its marks; `line` when the source has none."""
    out: MarkedDict = _dict_new(MarkedDict)
    out.line = getattr(source, "line", 0) or line
    if isinstance(source, dict):
        out.update(source)
        out.key_lines = dict(source.key_lines) if isinstance(source, MarkedDict) else {}
    else:
        out.key_lines = {}
    return out


def is_intrinsic(value: Any) -> bool:
    """True for a one-key mapping whose key is `Ref`, `Condition` or `Fn::*` (SAM's definition)."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return isinstance(key, str) and (key in ("Ref", "Condition") or key.startswith("Fn::"))
    return False
