"""IAM wildcard patterns (`*`, `?`): matching a value, and whether one pattern covers or overlaps another."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["covers", "has_wildcard", "matches", "overlaps", "strip_policy_variables"]

_VARIABLE = re.compile(r"\$\{[^}]*\}")
_ESCAPES = {"${*}": "\x00", "${?}": "\x01", "${$}": "$"}


def has_wildcard(text: str) -> bool:
    """True when `text` contains `*` or `?`."""
    return "*" in text or "?" in text


def strip_policy_variables(pattern: str) -> tuple[str, bool]:
    """`pattern` with each policy variable (`${aws:username}`) widened to `*`, and whether it had any.

    `${*}`, `${?}` and `${$}` are IAM's escapes for literal characters and stay literal.
    """
    if "${" not in pattern:
        return pattern, False
    text = pattern
    for escape, stand_in in _ESCAPES.items():
        text = text.replace(escape, stand_in)
    widened, count = _VARIABLE.subn("*", text)
    return widened, count > 0


@lru_cache(maxsize=16384)
def _regex(pattern: str, fold: bool) -> re.Pattern[str]:
    """A regex for `pattern` applied to text whose own `*`/`?` are plain characters.

    The pattern's `*` matches any run (also of the other side's wildcards); its `?` matches one
    character but never the other side's `*`; a literal matches only itself.
    """
    parts: list[str] = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(r"[^*]")
        elif char == "\x00":
            parts.append(r"\*")
        elif char == "\x01":
            parts.append(r"\?")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if fold else 0))


def matches(pattern: str, value: str, *, fold: bool = False) -> bool:
    """True when the concrete `value` matches the wildcard `pattern` (case-insensitive with `fold`)."""
    if not has_wildcard(pattern) and "\x00" not in pattern and "\x01" not in pattern:
        return pattern.lower() == value.lower() if fold else pattern == value
    return _regex(pattern, fold).fullmatch(value) is not None


def covers(pattern: str, other: str, *, fold: bool = False) -> bool:
    """True when every value `other` can match is also matched by `pattern`.

    Sound but not complete: a True answer is always right; a few exotic coverings of `?` by
    `?`-runs are answered False.
    """
    if pattern == "*":
        return True
    if other == "*":
        return bool(pattern) and not pattern.strip("*")
    if not has_wildcard(pattern) and "\x00" not in pattern and "\x01" not in pattern:
        return pattern.lower() == other.lower() if fold else pattern == other
    return _regex(pattern, fold).fullmatch(other) is not None


def overlaps(pattern: str, other: str, *, fold: bool = False) -> bool:
    """True when some value may match both patterns (an over-approximation).

    Exact when either side has no wildcard or one covers the other; otherwise the literal
    prefixes and suffixes around the wildcards must agree.
    """
    if pattern == "*" or other == "*":
        return True
    if covers(pattern, other, fold=fold) or covers(other, pattern, fold=fold):
        return True
    if not has_wildcard(other):
        return matches(pattern, other, fold=fold)
    if not has_wildcard(pattern):
        return matches(other, pattern, fold=fold)
    a, b = (pattern.lower(), other.lower()) if fold else (pattern, other)
    return _affix_compatible(a, b) and _affix_compatible(a[::-1], b[::-1])


def _affix_compatible(a: str, b: str) -> bool:
    """True when the literal prefixes of `a` and `b` (up to their first wildcard) agree."""
    for x, y in zip(a, b, strict=False):
        if x == "*" or y == "*":
            return True
        if x != y and x != "?" and y != "?":
            return False
    return True
