"""Typed, resolved reads of template mappings that record field lines and report wrong types."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, Final, TypeVar

from lambdasec.model import Origin, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import NO_VALUE, Link, Resolver, describe, to_text
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, line_of

__all__ = ["MISSING", "Context", "Node", "Resource", "marked_node", "type_name"]

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class _Missing:
    """An absent property (never set, null, or removed with `AWS::NoValue`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


def type_name(value: Any) -> str:
    """How a YAML value is named in diagnostics."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else type(value).__name__


@cache
def _members(kind: type[E]) -> Mapping[str, E]:
    """The members of `kind` by lower-cased value (the first member wins a tie)."""
    members: dict[str, E] = {}
    for member in kind:
        members.setdefault(member.value.lower(), member)
    return members


@dataclass(kw_only=True)
class Context:
    """What every mapper of one template shares: file, source kind, resolver, diagnostics, resources."""

    file: str
    source: SourceKind
    resolver: Resolver
    diagnostics: Diagnostics
    resources: Mapping[str, MarkedDict]
    # The type of each of `resources`; computed from them unless the caller has them already.
    types: Mapping[str, str] = field(default_factory=dict)
    _unresolved: dict[Link, Unresolved] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.types) != len(self.resources):
            self.types = {lid: str(body.get("Type", "")) for lid, body in self.resources.items()}

    def key(self, logical_id: str) -> str:
        """The inventory key of a resource (or of a sub-object named `LogicalId/part`)."""
        return f"{self.file}#{logical_id}"

    def origin(
        self, resource: str, *, line: int | None, fields: list[tuple[str, int]], distinct: bool = False
    ) -> Origin:
        """The origin of an object declared at `line`, with the recorded field lines (first wins).

        `distinct`: the caller records each pointer at most once, so the search for repeated ones (a
        dict of all the fields, a tenth of the mapping's time) is skipped.
        """
        if distinct or len(fields) < 2 or len(dict(fields)) == len(fields):  # the list is it
            recorded = tuple(fields)
        else:
            pointers: dict[str, int] = {}
            for pointer, at in fields:
                pointers.setdefault(pointer, at)
            recorded = tuple(pointers.items())
        return Origin(source=self.source, file=self.file, line=line, resource=resource, fields=recorded)

    def link_key(self, value: Link, types: frozenset[str]) -> str | Unresolved:
        """The inventory key of the resource `value` points at when it has one of `types`."""
        if self.types.get(value.logical_id) in types:
            return self.key(value.logical_id)
        return self.unresolved(value)

    def unresolved(self, link: Link) -> Unresolved:
        """`Unresolved(link.describe())`, made once for each reference of the template."""
        found = self._unresolved.get(link)
        if found is None:
            found = self._unresolved[link] = Unresolved(link.describe())
        return found


@record
class Resource:
    """One resource of the template: logical id, type, its mapping and line."""

    logical_id: str
    type: str
    body: MarkedDict
    line: int | None

    def properties(self, ctx: Context) -> Node:
        """Its `Properties` as a Node with a fresh field-line record."""
        raw = self.body.get("Properties")
        if type(raw) is MarkedDict and len(raw) != 1:  # a plain mapping: nothing to resolve
            return marked_node(raw, ctx, self.logical_id, "", [])
        value = ctx.resolver.resolve(raw) if raw is not None else None
        if type(value) is MarkedDict:
            return marked_node(value, ctx, self.logical_id, "", [])
        if isinstance(value, dict):
            return Node(value, ctx=ctx, where=self.logical_id, fields=[])
        empty = MarkedDict(self.line or 0)
        node = Node(empty, ctx=ctx, where=self.logical_id, fields=[])
        if value is not None and value is not NO_VALUE:
            container = Node(self.body, ctx=ctx, where=self.logical_id, fields=[])
            container.wrong("Properties", "a mapping", value=value)
        return node

    def origin(self, ctx: Context, node: Node, *, distinct: bool = False) -> Origin:
        """The origin of the object this resource maps to, with the field lines `node` recorded
        (`distinct`: each pointer at most once, see `Context.origin`)."""
        return ctx.origin(self.logical_id, line=self.line, fields=node.fields, distinct=distinct)


class Node:
    """A mapping of the template read through the resolver.

    Getters return the model's shapes: a value, `None` when the property is absent, or `Unresolved`
    (with a warning at the property's line when the property has the wrong type). Given a `field`,
    a getter records the line of the property under that field pointer.
    """

    __slots__ = ("_key_lines", "_line", "ctx", "data", "fields", "path", "where")

    def __init__(
        self,
        data: Mapping[Any, Any],
        *,
        ctx: Context,
        where: str,
        path: str = "",
        fields: list[tuple[str, int]],
    ) -> None:
        self.data = data
        self.ctx = ctx
        self.where = where
        self.path = path
        self.fields = fields
        if type(data) is MarkedDict:
            self._line: int | None = data.line if data.line > 0 else None
            self._key_lines: dict[Any, int] = data.key_lines
        else:
            self._line = line_of(data)
            self._key_lines = data.key_lines if isinstance(data, MarkedDict) else {}

    # -- structure ----------------------------------------------------------------------------

    @property
    def line(self) -> int | None:
        """The line the mapping starts on."""
        return self._line

    def line_of(self, key: str) -> int | None:
        """The line of `key`, else of the mapping."""
        return self._key_lines.get(key) or self._line

    def has(self, key: str) -> bool:
        """True when `key` is present and not removed with `AWS::NoValue`."""
        return self.value(key) is not MISSING

    def note(self, field: str | None, key: str) -> None:
        """Record the line of `key` under `field`."""
        self._noted(key, field)

    def _noted(self, key: str, field: str | None) -> int | None:
        """The line of `key` (else of the mapping), recorded under `field` when one is given."""
        line = self._key_lines.get(key) or self._line
        if field is not None and line is not None:
            self.fields.append((field, line))
        return line

    def value(self, key: str) -> Any:
        """The resolved value of `key` (intrinsic at its top evaluated), or MISSING."""
        raw = self.data.get(key)
        if raw is None:
            return MISSING
        if type(raw) is str or not isinstance(raw, dict) or len(raw) != 1:  # only `{Fn: arg}` is a call
            return raw
        value = self.ctx.resolver.resolve(raw)
        return MISSING if value is NO_VALUE or value is None else value

    def child(
        self, value: Any, key: str, *, line: int | None, fields: list[tuple[str, int]] | None = None
    ) -> Node:
        """A Node over a nested mapping `value` found under `key`."""
        if not isinstance(value, dict):
            raise TypeError("child() needs a mapping")
        path = f"{self.path}.{key}" if self.path else key
        if type(value) is MarkedDict:
            return marked_node(value, self.ctx, self.where, path, self.fields if fields is None else fields)
        data = value
        if not isinstance(value, MarkedDict) and line is not None:
            data = MarkedDict(line)
            data.update(value)
        return Node(
            data, ctx=self.ctx, where=self.where, path=path, fields=self.fields if fields is None else fields
        )

    def wrong(self, key: str, expected: str, *, value: Any, line: int | None = None) -> Unresolved:
        """Report a property of the wrong type, an error (the service would reject it, and what depends on
        it is not checked: the scan is incomplete); the value becomes Unresolved."""
        where = f"{self.path}.{key}" if self.path else key
        self.ctx.diagnostics.error(
            f"`{self.where}`: `{where}` should be {expected}, not {type_name(value)}; value not evaluated",
            line if line is not None else self.line_of(key),
        )
        return Unresolved(f"{where}: {type_name(value)} where {expected} belongs")

    def missing(self, key: str) -> Unresolved:
        """A required property that is absent: reported, and Unresolved in the model."""
        where = f"{self.path}.{key}" if self.path else key
        self.ctx.diagnostics.warn(f"`{self.where}`: required property `{where}` is missing", self.line)
        return Unresolved(f"{where} is missing")

    def reference(self, key: str, *, field: str) -> Any:
        """The raw value of `key` as written (for a reference to resolve), its line noted as `field`;
        None, reported as missing, when it is absent."""
        raw = self.data.get(key)
        if raw is None:
            self.missing(key)
            return None
        self.note(field, key)
        return raw

    def required(self, value: T | Unresolved | None, key: str) -> T | Unresolved:
        """`value`, or a reported missing property when it is None."""
        return self.missing(key) if value is None else value

    # -- scalars ------------------------------------------------------------------------------

    def text(self, key: str, *, field: str | None = None) -> str | Unresolved | None:
        """A string property."""
        raw = self.data.get(key)
        if type(raw) is str:  # most are plain text: read without `value`, and `_noted` inline
            if field is not None:
                line = self._key_lines.get(key) or self._line
                if line is not None:
                    self.fields.append((field, line))
            return raw
        value = self.value(key)
        if value is MISSING:
            return None
        line = self._noted(key, field)
        if type(value) is str:
            return value
        return self.as_text(value, key, line=line)

    def as_text(self, value: Any, key: str, *, line: int | None) -> str | Unresolved:
        """A resolved value read as a string."""
        if type(value) is str:
            return value
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, Link):
            return self.ctx.unresolved(value)
        text = to_text(value)
        if text is None:
            return self.wrong(key, "a string", value=value, line=line)
        return text

    def integer(self, key: str, *, field: str | None = None) -> int | Unresolved | None:
        """An integer property (numbers given as strings are accepted, as CloudFormation does)."""
        value = self.data.get(key)
        if type(value) is not int:  # most are plain numbers: read without `value`
            value = self.value(key)
            if value is MISSING:
                return None
        self._noted(key, field)
        if type(value) is int:
            return value
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, Link):
            return Unresolved(value.describe())
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        return self.wrong(key, "an integer", value=value)

    def number(self, key: str, *, field: str | None = None) -> float | Unresolved | None:
        """A numeric property as a float."""
        value = self.value(key)
        if value is MISSING:
            return None
        self.note(field, key)
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, Link):
            return Unresolved(value.describe())
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        return self.wrong(key, "a number", value=value)

    def flag(self, key: str, *, field: str | None = None) -> bool | Unresolved | None:
        """A boolean property (`"true"`/`"false"` strings accepted)."""
        value = self.value(key)
        if value is MISSING:
            return None
        self.note(field, key)
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, Link):
            return Unresolved(value.describe())
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return self.wrong(key, "true or false", value=value)

    def choice(self, key: str, kind: type[E], *, field: str | None = None) -> E | Unresolved | None:
        """A property whose value is one of the members of `kind` (matched by value, case-insensitively)."""
        raw = self.data.get(key)
        if type(raw) is str:  # most are plain text naming a member: read without `text`
            member: E | None = _members(kind).get(raw.lower())
            if member is not None:
                self.note(field, key)
                return member
        text = self.text(key, field=field)
        if text is None or isinstance(text, Unresolved):
            return text
        return self.as_choice(text, kind, key=key, line=self.line_of(key))

    def as_choice(self, text: str, kind: type[E], *, key: str, line: int | None) -> E | Unresolved:
        """`text` as a member of `kind`, or Unresolved with a warning."""
        member: E | None = _members(kind).get(text.lower())
        if member is not None:
            return member
        allowed = ", ".join(m.value for m in kind)
        self.ctx.diagnostics.warn(f"`{self.where}`: `{key}` is `{text}`, expected one of {allowed}", line)
        return Unresolved(f"{key}: unknown value {text}")

    def ref(self, key: str, types: frozenset[str], *, field: str | None = None) -> str | Unresolved | None:
        """A reference: the inventory key of a resource of `types` in this template, else a literal string."""
        value = self.value(key)
        if value is MISSING:
            return None
        line = self._noted(key, field)
        if isinstance(value, Link):
            return self.ctx.link_key(value, types)
        return self.as_text(value, key, line=line)

    def as_ref(self, value: Any, key: str, *, types: frozenset[str], line: int | None) -> str | Unresolved:
        """A resolved value read as a reference."""
        if isinstance(value, Link):
            return self.ctx.link_key(value, types)
        return self.as_text(value, key, line=line)

    # -- containers ---------------------------------------------------------------------------

    def node(self, key: str, *, field: str | None = None) -> Node | Unresolved | None:
        """A nested mapping."""
        value = self.data.get(key)
        if type(value) is not MarkedDict or len(value) == 1:  # else: a plain mapping, as `value` gives it
            value = self.value(key)
            if value is MISSING:
                return None
        line = self._noted(key, field)
        if type(value) is MarkedDict:
            path = f"{self.path}.{key}" if self.path else key
            return marked_node(value, self.ctx, self.where, path, self.fields)
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, Link):
            return Unresolved(value.describe())
        if not isinstance(value, dict):
            return self.wrong(key, "a mapping", value=value)
        return self.child(value, key, line=line)

    def items(
        self, key: str, *, field: str | None = None, scalar_ok: bool = False
    ) -> list[tuple[Any, int | None]] | Unresolved | None:
        """The resolved items of a list property with their lines; `AWS::NoValue` items are dropped.

        With `scalar_ok`, a single value stands for a one-item list (IAM `Action: s3:GetObject`).
        """
        value = self.value(key)
        if value is MISSING:
            return None
        return self._items(value, key, field=field, scalar_ok=scalar_ok)

    def _items(
        self, value: Any, key: str, *, field: str | None, scalar_ok: bool
    ) -> list[tuple[Any, int | None]] | Unresolved:
        """`items` of `value`, the present value of `key` already resolved."""
        line = self._noted(key, field)
        if isinstance(value, Unresolved):
            return value
        if isinstance(value, list):
            out: list[tuple[Any, int | None]] = []
            resolve = self.ctx.resolver.resolve
            lines = value.item_lines if isinstance(value, MarkedList) else []
            count = len(lines)
            for index, item in enumerate(value):
                # Only a one-key mapping may be an intrinsic call: others are kept without calling `resolve`.
                resolved = resolve(item) if isinstance(item, dict) and len(item) == 1 else item
                if resolved is not NO_VALUE and resolved is not None:
                    item_line = (lines[index] or line) if index < count else line
                    if field is not None and item_line is not None:
                        self.fields.append((f"{field}.{len(out)}", item_line))
                    out.append((resolved, item_line))
            return out
        if scalar_ok and not isinstance(value, dict):
            if field is not None and line is not None:
                self.fields.append((f"{field}.0", line))
            return [(value, line)]
        if isinstance(value, Link):
            return Unresolved(value.describe())
        return self.wrong(key, "a list", value=value)

    def texts(
        self, key: str, *, field: str | None = None, scalar_ok: bool = False
    ) -> tuple[str | Unresolved, ...] | Unresolved | None:
        """A list of strings."""
        value = self.data.get(key)
        if type(value) is not MarkedList and type(value) is not str:  # else: `value` would return it as is
            value = self.value(key)
        if isinstance(value, MarkedList):
            for item in value:
                if type(item) is not str:
                    break
            else:  # all plain text: what `items` gives, directly
                if field is not None:
                    self._noted(key, field)
                    lines = value.item_lines
                    self.fields.extend([(f"{field}.{index}", at) for index, at in enumerate(lines) if at])
                return tuple(value)
        if scalar_ok and type(value) is str:  # `Action: s3:GetObject`: what `items` gives, directly
            self._noted_one(key, field)
            return (value,)
        if value is MISSING:
            return None
        if scalar_ok and isinstance(value, Link):  # `Resource: !GetAtt Table.Arn`: what `items` gives
            self._noted_one(key, field)
            return (self.ctx.unresolved(value),)
        items = self._items(value, key, field=field, scalar_ok=scalar_ok)  # `value` is resolved already
        if isinstance(items, Unresolved):
            return items
        as_text = self.as_text
        return tuple([item if type(item) is str else as_text(item, key, line=line) for item, line in items])

    def refs(
        self, key: str, types: frozenset[str], *, field: str | None = None
    ) -> tuple[str | Unresolved, ...] | Unresolved | None:
        """A list of references (see `ref`)."""
        items = self.items(key, field=field)
        if items is None or isinstance(items, Unresolved):
            return items
        return tuple(self.as_ref(value, key, types=types, line=line) for value, line in items)

    def nodes(
        self, key: str, *, field: str | None = None, own_fields: bool = False, scalar_ok: bool = False
    ) -> list[Node] | Unresolved | None:
        """A list of mappings; items of another type are reported and skipped.

        With `own_fields`, each item records its field lines in a list of its own (for objects that
        get their own origin, such as policy statements).
        """
        prefix = f"{self.path}.{key}" if self.path else key
        value = self.data.get(key)
        if type(value) is MarkedList and all(type(item) is MarkedDict and len(item) > 1 for item in value):
            # Mappings of several keys (no intrinsic call among them): what `items` gives, directly.
            if field is not None:
                self._note_items(value, key, field)
            ctx, where = self.ctx, self.where
            return [
                marked_node(item, ctx, where, f"{prefix}[{index}]", [] if own_fields else self.fields)
                for index, item in enumerate(value)
            ]
        items = self.items(key, field=field, scalar_ok=scalar_ok)
        if items is None or isinstance(items, Unresolved):
            return items
        out: list[Node] = []
        for index, (value, line) in enumerate(items):
            if type(value) is MarkedDict:  # what `child` does for it, without the call
                path = f"{prefix}[{index}]"
                out.append(marked_node(value, self.ctx, self.where, path, [] if own_fields else self.fields))
            elif isinstance(value, dict):
                fields: list[tuple[str, int]] | None = [] if own_fields else None
                out.append(self.child(value, f"{key}[{index}]", line=line, fields=fields))
            elif isinstance(value, Unresolved | Link):
                continue
            else:
                self.wrong(f"{key}[{index}]", "a mapping", value=value, line=line)
        return out

    def _noted_one(self, key: str, field: str | None) -> None:
        """The field lines `items` records for a single value of `key` (the list and its one item)."""
        line = self._noted(key, field)
        if field is not None and line is not None:
            self.fields.append((f"{field}.0", line))

    def _note_items(self, value: MarkedList, key: str, field: str) -> None:
        """The field lines `items` records for a list of `key` whose items are all kept."""
        line = self._noted(key, field)
        fields = self.fields
        lines = value.item_lines
        count = len(lines)
        for index in range(len(value)):
            item_line = (lines[index] or line) if index < count else line
            if item_line is not None:
                fields.append((f"{field}.{index}", item_line))

    def entries(self) -> Iterator[tuple[str, Any, int | None]]:
        """(key, resolved value, line) of every present entry."""
        value_of = self.value
        key_lines = self._key_lines
        for key in self.data:
            value = value_of(key)
            if value is not MISSING:
                yield str(key), value, key_lines.get(key) or self._line

    def describe(self, key: str) -> str:
        """The unresolved expression of `key` in short form."""
        return describe(self.data.get(key))


_node_new = object.__new__


def marked_node(data: MarkedDict, ctx: Context, where: str, path: str, fields: list[tuple[str, int]]) -> Node:
    """`Node(data, ...)` for a MarkedDict, without the keyword call (about 100,000 per 10,000 functions)."""
    node: Node = _node_new(Node)
    node.data = data
    node.ctx = ctx
    node.where = where
    node.path = path
    node.fields = fields
    node._line = data.line if data.line > 0 else None
    node._key_lines = data.key_lines
    return node
