"""Variable type constraints, to give a value its declared shape: optional object attributes, sets."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.terraform.calls import make_set

__all__ = ["Attribute", "TypeSpec", "conform", "has_optional", "parse_type", "reshapes"]

_TOKEN: Final = re.compile(r"\s*([A-Za-z_][\w-]*|[(){}\[\],=])")
_COLLECTIONS: Final = frozenset({"list", "set", "map"})


@record(kw_only=False)
class TypeSpec:
    """A type constraint: `kind` is a primitive (`string`, `any`...), a collection (`list`, `set`, `map`,
    with `element`), `object` (with `attributes`) or `tuple` (with `elements`)."""

    kind: str
    element: TypeSpec | None = None
    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    elements: tuple[TypeSpec, ...] = ()


@record(kw_only=False)
class Attribute:
    """An object attribute's type; `optional(type, default)` ones may be left out of a value."""

    type: TypeSpec
    optional: bool = False
    default: str | None = None  # the default's expression text, evaluated when it is used


class _Malformed(Exception):
    """The type text is not a type constraint this reader knows; the value keeps its own shape."""


def parse_type(raw: Any) -> TypeSpec | None:
    """The type constraint a variable's `type` argument writes (`${map(object({...}))}`), or None."""
    if not isinstance(raw, str):
        return None
    text = raw[2:-1] if raw.startswith("${") and raw.endswith("}") else raw
    reader = _Reader(text)
    try:
        spec = reader.type()
    except _Malformed:
        return None
    return spec if reader.at_end() else None


def has_optional(spec: TypeSpec) -> bool:
    """Whether converting a value to `spec` can add attributes (an object type declares optional ones)."""
    if spec.kind == "object":
        return any(a.optional or has_optional(a.type) for a in spec.attributes.values())
    inner = [spec.element] if spec.element is not None else list(spec.elements)
    return any(has_optional(t) for t in inner)


def reshapes(spec: TypeSpec) -> bool:
    """Whether converting a value to `spec` can change it: objects with optional attributes, sets."""
    if spec.kind == "set" or has_optional(spec):
        return True
    inner = [spec.element] if spec.element is not None else list(spec.elements)
    inner.extend(a.type for a in spec.attributes.values())
    return any(reshapes(t) for t in inner)


def conform(value: Any, spec: TypeSpec, *, evaluate: Callable[[str], Any]) -> Any:
    """`value` with the attributes `spec`'s objects declare optional filled in where left out: their
    default (its expression read by `evaluate`), else null, and lists of a `set` type made sets, as
    Terraform converts a variable's value to its type. Other mismatches are left as they are;
    Unresolved and references pass through."""
    if spec.kind == "object" and isinstance(value, Mapping):
        out = dict(value)
        for name, attribute in spec.attributes.items():
            if name in out:
                out[name] = conform(out[name], attribute.type, evaluate=evaluate)
            elif attribute.optional:
                default = None if attribute.default is None else evaluate(attribute.default)
                out[name] = (
                    default if default is None else conform(default, attribute.type, evaluate=evaluate)
                )
        return out
    if spec.kind == "map" and spec.element is not None and isinstance(value, Mapping):
        return {k: conform(v, spec.element, evaluate=evaluate) for k, v in value.items()}
    if spec.kind in ("list", "set") and spec.element is not None and isinstance(value, list):
        items = [conform(v, spec.element, evaluate=evaluate) for v in value]
        return make_set(items) if spec.kind == "set" else items
    if spec.kind == "tuple" and isinstance(value, list) and len(value) == len(spec.elements):
        return [conform(v, t, evaluate=evaluate) for v, t in zip(value, spec.elements, strict=True)]
    return value


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def at_end(self) -> bool:
        return not self.text[self.pos :].strip()

    def peek(self) -> str | None:
        match = _TOKEN.match(self.text, self.pos)
        return match[1] if match else None

    def take(self, expected: str | None = None) -> str:
        match = _TOKEN.match(self.text, self.pos)
        if match is None or (expected is not None and match[1] != expected):
            raise _Malformed(f"{expected or 'token'} expected at {self.pos}")
        self.pos = match.end()
        return match[1]

    def type(self) -> TypeSpec:
        name = self.take()
        if not name[0].isalpha() and name[0] != "_":
            raise _Malformed(f"type expected, got {name}")
        if name in _COLLECTIONS:
            self.take("(")
            element = self.type()
            self.take(")")
            return TypeSpec(kind=name, element=element)
        if name == "object":
            self.take("(")
            attributes = self.attributes()
            self.take(")")
            return TypeSpec(kind="object", attributes=attributes)
        if name == "tuple":
            self.take("(")
            self.take("[")
            elements: list[TypeSpec] = []
            while self.peek() != "]":
                elements.append(self.type())
                if self.peek() == ",":
                    self.take(",")
            self.take("]")
            self.take(")")
            return TypeSpec(kind="tuple", elements=tuple(elements))
        return TypeSpec(kind=name)

    def attributes(self) -> dict[str, Attribute]:
        self.take("{")
        out: dict[str, Attribute] = {}
        while self.peek() != "}":
            name = self.take()
            self.take("=")
            out[name] = self.attribute()
            if self.peek() == ",":
                self.take(",")
        self.take("}")
        return out

    def attribute(self) -> Attribute:
        if self.peek() != "optional":
            return Attribute(type=self.type())
        self.take("optional")
        self.take("(")
        spec = self.type()
        default = None
        if self.peek() == ",":
            self.take(",")
            default = self.default_text()
        self.take(")")
        return Attribute(type=spec, optional=True, default=default)

    def default_text(self) -> str:
        """The default's expression: up to the `)` that closes `optional(`, brackets and strings skipped."""
        start = self.pos
        depth = 0
        quoted = False
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if quoted:
                if char == "\\":
                    self.pos += 1
                elif char == '"':
                    quoted = False
            elif char == '"':
                quoted = True
            elif char in "([{":
                depth += 1
            elif char in ")]}":
                if depth == 0:
                    return self.text[start : self.pos].strip()
                depth -= 1
            self.pos += 1
        raise _Malformed("unclosed optional(")
