"""The string and array methods a configuration script may call on known values, as JavaScript runs them."""

from __future__ import annotations

import re
from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.yaml_loader import MarkedList

__all__ = ["NO_RESULT", "Pattern", "call_method", "pattern_of"]

# What a method gives when it is not one of these or its arguments are not what it takes.
NO_RESULT: Final = object()
# Flags of a JavaScript regular expression literal that Python's `re` can honour.
_FLAGS: Final = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


@record(kw_only=False)
class Pattern:
    """A regular expression literal: Python's compiled form and whether it replaces every match (`g`)."""

    regex: re.Pattern[str]
    every: bool


def pattern_of(literal: str) -> Pattern | None:
    """`/source/flags` as a Pattern; None when its flags or syntax have no Python equivalent."""
    source, _, flags = literal[1:].rpartition("/")
    options = 0
    for flag in flags:
        if flag == "g":
            continue
        if flag not in _FLAGS:
            return None
        options |= _FLAGS[flag]
    try:
        return Pattern(regex=re.compile(source, options), every="g" in flags)
    except re.error:
        return None


def call_method(target: Any, method: str, args: list[Any]) -> Any:
    """`target.method(...args)` for the pure string and array methods; NO_RESULT for anything else."""
    if isinstance(target, str):
        return _string_method(target, method, args)
    if isinstance(target, list) and method == "join":
        separator = args[0] if args else ","
        if isinstance(separator, str) and all(isinstance(item, str) for item in target):
            return separator.join(target)
    return NO_RESULT


def _string_method(target: str, method: str, args: list[Any]) -> Any:
    if method in ("toLowerCase", "toUpperCase", "trim", "trimStart", "trimEnd") and not args:
        return {
            "toLowerCase": target.lower,
            "toUpperCase": target.upper,
            "trim": target.strip,
            "trimStart": target.lstrip,
            "trimEnd": target.rstrip,
        }[method]()
    if method == "split" and len(args) == 1 and isinstance(args[0], str):
        parts = list(target) if args[0] == "" else target.split(args[0])
        out = MarkedList(0)
        out.extend(parts)
        out.item_lines.extend([0] * len(parts))
        return out
    if method in ("substring", "slice") and 1 <= len(args) <= 2 and all(_is_int(a) for a in args):
        return _substring(target, method, args)
    if method in ("replace", "replaceAll") and len(args) == 2 and isinstance(args[1], str):
        return _replace(target, args[0], args[1], every=method == "replaceAll")
    if method in ("startsWith", "endsWith", "includes") and len(args) == 1 and isinstance(args[0], str):
        check = {"startsWith": target.startswith, "endsWith": target.endswith}.get(method)
        return check(args[0]) if check is not None else args[0] in target
    return NO_RESULT


def _substring(target: str, method: str, args: list[int]) -> str:
    size = len(target)
    start = args[0]
    end = args[1] if len(args) == 2 else size
    if method == "slice":
        start = max(size + start, 0) if start < 0 else min(start, size)
        end = max(size + end, 0) if end < 0 else min(end, size)
        return target[start:end] if start < end else ""
    start, end = (min(max(value, 0), size) for value in (start, end))
    return target[min(start, end) : max(start, end)]


def _replace(target: str, pattern: Any, replacement: str, *, every: bool) -> Any:
    if "$" in replacement:
        return NO_RESULT  # `$1`, `$&`: substitution patterns are not modelled
    if isinstance(pattern, str):
        return target.replace(pattern, replacement) if every else target.replace(pattern, replacement, 1)
    if isinstance(pattern, Pattern):
        return pattern.regex.sub(lambda _: replacement, target, count=0 if pattern.every else 1)
    return NO_RESULT


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
