"""IAM wildcard patterns (`*`, `?`): matching a value, and whether one pattern covers or overlaps another."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["arn_overlaps", "covers", "has_wildcard", "matches", "overlaps", "strip_policy_variables"]

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
    """True when some value matches both patterns (exact, by walking both patterns together)."""
    if pattern == "*" or other == "*":
        return True
    if fold:
        pattern, other = pattern.lower(), other.lower()
    if "*" not in other and "?" not in other:  # `has_wildcard`, inline: every query passes here
        return matches(pattern, other)
    if "*" not in pattern and "?" not in pattern:
        return matches(other, pattern)
    if pattern[-1] == "*" and other[-1] == "*":
        return _leads_pair(pattern, other)
    return _intersects(pattern, other)


def arn_overlaps(pattern: str, other: str) -> bool:
    """`overlaps` for ARN patterns: with six colon-separated parts each, a wildcard in the partition,
    service, region or account stays within its part, as in real ARNs; otherwise plain `overlaps`."""
    # A pattern overlaps itself (every pattern matches some value), unless it holds an escaped `*` or
    # `?`, which matches that character but not the stand-in text itself.
    plain = "\x00" not in pattern and "\x01" not in pattern
    if plain and pattern == other:
        return True
    left, right = pattern.split(":", 5), other.split(":", 5)
    if len(left) < 6 or len(right) < 6:
        return overlaps(pattern, other)
    if not plain or left[:5] != right[:5]:  # most queries share the partition, service, region, account
        for part, other_part in zip(left[:5], right[:5], strict=True):
            if (not plain or part != other_part) and not overlaps(part, other_part):
                return False
    return (plain and left[5] == right[5]) or overlaps(left[5], right[5])


@lru_cache(maxsize=16384)
def _intersects(a: str, b: str) -> bool:
    """Whether the glob patterns `a` and `b` have a common match.

    Leading and trailing single-character tokens of both patterns are paired off first (a common
    match must begin and end with them); the rest goes to the dynamic programme.
    """
    # Leading tokens: compared as whole strings first, one by one only when they differ around a `?`.
    star_a, star_b = a.find("*"), b.find("*")
    lead = min(len(a) if star_a < 0 else star_a, len(b) if star_b < 0 else star_b)
    if a[:lead] != b[:lead] and not _pairs(a[:lead], b[:lead]):
        return False
    start = lead
    trail = min(len(a) - max(start, a.rfind("*") + 1), len(b) - max(start, b.rfind("*") + 1))
    end_a, end_b = len(a) - trail, len(b) - trail
    if a[end_a:] != b[end_b:] and not _pairs(a[end_a:], b[end_b:]):
        return False
    a, b = a[start:end_a], b[start:end_b]
    if (a and not a.strip("*")) or (b and not b.strip("*")):
        return True  # stars alone match anything, and every pattern matches something
    if not a or not b:
        return a == b
    if (a[0] == "*" and b[-1] == "*") or (b[0] == "*" and a[-1] == "*"):
        return True  # `*x` and `y*` share `yx` (for any match y of `y` and x of `x`)
    return _reachable(a, b)


def _leads_pair(a: str, b: str) -> bool:
    """`_intersects` of two patterns that end in `*`: the text before the first `*` of either pairs off.

    (Past it, one side's `*` meets the other's trailing `*`, and some value matches both.)
    """
    lead = min(a.find("*"), b.find("*"))
    return a[:lead] == b[:lead] or _pairs(a[:lead], b[:lead])


def _pairs(a: str, b: str) -> bool:
    """Whether the single-character tokens of `a` and `b` (as long, without `*`) pair off: equal or `?`."""
    return all(x == y or x == "?" or y == "?" for x, y in zip(a, b, strict=True))


def _reachable(a: str, b: str) -> bool:
    """`_intersects` without shortcuts (dynamic programming over positions)."""
    n, m = len(a), len(b)
    # reach[i][j]: some string takes `a[:i]` and `b[:j]` to the same point.
    reach = [[False] * (m + 1) for _ in range(n + 1)]
    reach[0][0] = True
    for i in range(n + 1):
        for j in range(m + 1):
            if not reach[i][j]:
                continue
            if i < n and a[i] == "*":
                reach[i + 1][j] = True  # a's star ends here
                if j < m:
                    reach[i][j + 1] = True  # a's star absorbs b's next token
            if j < m and b[j] == "*":
                reach[i][j + 1] = True
                if i < n:
                    reach[i + 1][j] = True
            if i < n and j < m and a[i] != "*" and b[j] != "*" and (a[i] == b[j] or "?" in (a[i], b[j])):
                reach[i + 1][j + 1] = True
    return reach[n][m]
