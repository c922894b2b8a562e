"""Abstract values of the Python taint analysis: what a value carries and how it got there."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from lambdasec.model import FlowStep, SinkKind, Taint
from lambdasec.records import record

__all__ = [
    "CLEAN",
    "EVERY_SINK",
    "MAX_STEPS",
    "Value",
    "combine",
    "const_string",
    "fixed_destination",
    "merge",
]

EVERY_SINK = frozenset(SinkKind)
_CONSTANT_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#{%]+[/?#]")
_SITE_PATH = re.compile(r"^/[^/\\]")
MAX_STEPS = 12


@record
class Value:
    """One expression's abstract value.

    `taints` what it carries and `steps` how (source first); `path` is set while the value is the
    event itself or a part of it (keys from the event parameter), so the trigger policy judges it;
    `params` the parameters of the analysed function it derives from (for summaries); `safe_for` the
    sinks a sanitizer made it harmless for; `kind` what kind of object it is where that matters
    (`requests.Session`, `pathlib.Path`, `list`, `tmpfile`); `prefix` the known constant start of a
    string and `const` True when `prefix` is all of it; `validated` after a schema validation;
    `normalized` after realpath/abspath (a containment check then makes it safe for paths);
    `anchored` when the string starts with configuration (a value not from the event, such as an
    environment variable) followed by a `/path`, so its scheme and host are not the event's.
    """

    taints: frozenset[Taint] = frozenset()
    steps: tuple[FlowStep, ...] = ()
    certain: bool = True
    path: tuple[str, ...] | None = None
    params: frozenset[int] = frozenset()
    safe_for: frozenset[SinkKind] = frozenset()
    kind: str | None = None
    prefix: str | None = None
    const: bool = False
    validated: bool = False
    normalized: bool = False
    anchored: bool = False
    location: Value | None = None
    location_line: int = 0

    @property
    def tainted(self) -> bool:
        """True when the value carries any taint."""
        return bool(self.taints)

    def step(self, step: FlowStep) -> Value:
        """The same value, one more step along its trace (clean values need no trace)."""
        if not self.tainted:
            return self
        if len(self.steps) >= MAX_STEPS:  # the source and the latest steps; long traces help no one
            return replace(self, steps=(self.steps[0], *self.steps[-(MAX_STEPS - 2) :], step))
        return replace(self, steps=(*self.steps, step))

    def data(self) -> Value:
        """The value as plain data: no longer the event object itself, nor a special object."""
        if self.path is None and self.kind is None and self.location is None:
            return self
        return replace(self, path=None, kind=None, location=None)


CLEAN = Value()


def const_string(text: str) -> Value:
    """A constant string."""
    return Value(prefix=text, const=True)


def _shortest(values: list[Value]) -> tuple[FlowStep, ...]:
    with_steps = [v.steps for v in values if v.steps]
    return min(with_steps, key=len) if with_steps else ()


def combine(values: Iterable[Value], *, kind: str | None = None) -> Value:
    """A value built from several (concatenation, formatting, containers): taints merge, traces shorten.

    The result is safe for a sink only when every tainted part is; the constant prefix is the first
    part's when known.
    """
    parts = list(values)
    tainted = [v for v in parts if v.tainted]
    prefix = parts[0].prefix if parts else None
    const = bool(parts) and all(v.const for v in parts)
    if const:
        prefix = "".join(v.prefix or "" for v in parts)
    anchored = _anchored(parts)
    if not tainted:
        return Value(kind=kind, prefix=prefix, const=const, anchored=anchored)
    taints: frozenset[Taint] = frozenset().union(*(v.taints for v in tainted))
    safe = frozenset.intersection(*(v.safe_for for v in tainted))
    return Value(
        taints=taints,
        steps=_shortest(tainted),
        certain=all(v.certain for v in tainted),
        params=frozenset().union(*(v.params for v in tainted)),
        safe_for=safe,
        kind=kind,
        prefix=prefix,
        validated=all(v.validated for v in tainted),
        anchored=anchored,
    )


def _anchored(parts: list[Value]) -> bool:
    """True when configuration comes first and a constant `/path` follows (`f"{BASE}/items/{id}"`)."""
    if not parts:
        return False
    first = parts[0]
    if first.anchored:
        return True
    if first.tainted or first.const or len(parts) < 2 or not parts[1].const:
        return False
    follow = parts[1].prefix or ""
    return follow.startswith("/") and not follow.startswith("//")


def merge(values: Iterable[Value]) -> Value:
    """The value of a name after branches join: either branch's value may hold, so taints merge."""
    parts = list(values)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if all(v == first for v in parts[1:]):
        return first
    merged = combine(parts, kind=first.kind if all(v.kind == first.kind for v in parts) else None)
    paths = {v.path for v in parts if v.path is not None}
    if len(paths) == 1 and all(v.path is not None or not v.tainted for v in parts):
        merged = replace(merged, path=paths.pop())
    return merged


def fixed_destination(value: Value, *, relative: bool = False) -> bool:
    """True when a URL's scheme and host are not the event's: a constant or configured base before it.

    With `relative`, a path of this site (`/account/...`, not `//host`) counts as fixed too.
    """
    if value.anchored:
        return True
    prefix = value.prefix
    if prefix is None:
        return False
    return bool(_CONSTANT_HOST.match(prefix)) or (relative and bool(_SITE_PATH.match(prefix)))
