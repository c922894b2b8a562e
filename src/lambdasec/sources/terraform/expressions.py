"""Resolves Terraform values: variables, locals, references between resources, jsonencode, interpolation."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.model import Unresolved

__all__ = ["DocumentRef", "Scope", "split_arguments", "split_template"]

_NAME: Final = r"[A-Za-z_][A-Za-z0-9_-]*"
_VAR: Final = re.compile(rf"^var\.({_NAME})$")
_LOCAL: Final = re.compile(rf"^local\.({_NAME})$")
_DOCUMENT: Final = re.compile(rf"^(data\.aws_iam_policy_document\.{_NAME})\.(?:minified_)?json$")
_REFERENCE: Final = re.compile(rf"^((?:data\.)?{_NAME}\.{_NAME})\.({_NAME})$")
# Attributes that name a resource itself, so a reference through them points at the resource's inventory key.
_IDENTITY: Final = frozenset({"arn", "id", "name", "function_name"})
_MAX_DEPTH: Final = 32


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """The JSON of a `data "aws_iam_policy_document"` block, by address."""

    address: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """What a module's expressions can see.

    `variables` maps a variable to its value (tfvars over default); a variable without one is Unresolved.
    `keys` maps the address of each modelled resource to its inventory key.
    """

    variables: Mapping[str, Any] = field(default_factory=dict)
    locals: Mapping[str, Any] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, value: Any, *, depth: int = 0) -> Any:
        """`value` with every expression evaluated; what cannot be known becomes `Unresolved(expression)`."""
        if depth > _MAX_DEPTH:
            return Unresolved(f"expression nested too deeply: {value}")
        if isinstance(value, str):
            return self._string(value, depth=depth)
        if isinstance(value, list):
            return [self.resolve(v, depth=depth + 1) for v in value]
        if isinstance(value, Mapping):
            return {k: self.resolve(v, depth=depth + 1) for k, v in value.items() if not k.startswith("__")}
        return value

    def _string(self, text: str, *, depth: int) -> Any:
        parts = split_template(text)
        if parts is None:
            return Unresolved(text)
        if len(parts) == 1 and isinstance(parts[0], _Expr):
            return self.evaluate(parts[0].text, depth=depth)
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = self.evaluate(part.text, depth=depth, whole=False)
            if isinstance(value, bool):
                out.append("true" if value else "false")
            elif isinstance(value, str | int | float):
                out.append(str(value))
            else:
                return Unresolved(text)
        return "".join(out)

    def evaluate(self, expression: str, *, depth: int = 0, whole: bool = True) -> Any:
        """The value of one expression (the inside of `${...}`).

        A reference to a modelled resource gives its inventory key only when it is the `whole` value.
        """
        expr = expression.strip()
        if match := _VAR.match(expr):
            if match[1] in self.variables:
                return self.resolve(self.variables[match[1]], depth=depth + 1)
            return Unresolved(expr)
        if match := _LOCAL.match(expr):
            if match[1] in self.locals:
                return self.resolve(self.locals[match[1]], depth=depth + 1)
            return Unresolved(expr)
        if expr.startswith("jsonencode(") and expr.endswith(")"):
            try:
                decoded = json.loads(expr[len("jsonencode(") : -1])
            except json.JSONDecodeError:
                return Unresolved(expr)
            return self.resolve(decoded, depth=depth + 1)
        if expr.startswith("merge(") and expr.endswith(")"):
            return self._merge(expr, depth=depth)
        if expr.startswith(("{", "[")):
            try:
                return self.resolve(json.loads(expr), depth=depth + 1)
            except json.JSONDecodeError:
                return Unresolved(expr)
        if whole and (match := _DOCUMENT.match(expr)):
            return DocumentRef(match[1])
        if whole and (match := _REFERENCE.match(expr)):
            key = self.keys.get(match[1])
            if key is not None and match[2] in _IDENTITY:
                return key
        return Unresolved(expr)

    def _merge(self, expr: str, *, depth: int) -> Any:
        """`merge(a, b, ...)` of maps that are all known; any unknown argument makes the result unknown."""
        arguments = split_arguments(expr[len("merge(") : -1])
        merged: dict[str, Any] = {}
        if not arguments:
            return Unresolved(expr)
        for argument in arguments:
            value = self.evaluate(argument, depth=depth + 1, whole=False)
            if not isinstance(value, dict):
                return Unresolved(expr)
            merged.update(value)
        return merged


@dataclass(frozen=True, slots=True)
class _Expr:
    text: str


def split_template(text: str) -> list[str | _Expr] | None:
    """`text` split into literal pieces and `${...}` expressions; None when a `${` is never closed."""
    parts: list[str | _Expr] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$${", i):
            literal.append("${")
            i += 3
            continue
        if text.startswith("${", i):
            end = _closing(text, i + 2)
            if end is None:
                return None
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(_Expr(text[i + 2 : end]))
            i = end + 1
            continue
        literal.append(text[i])
        i += 1
    if literal or not parts:
        parts.append("".join(literal))
    return parts


def split_arguments(text: str) -> list[str] | None:
    """Top-level comma-separated arguments of a call; None when brackets or quotes do not balance."""
    out: list[str] = []
    depth = 0
    quoted = False
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                current.append(char)
                i += 1
                char = text[i] if i < len(text) else ""
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            out.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    if depth != 0 or quoted:
        return None
    if "".join(current).strip():
        out.append("".join(current).strip())
    return out


def _closing(text: str, start: int) -> int | None:
    """Index of the `}` closing an interpolation opened before `start`, skipping quoted strings."""
    depth = 0
    quoted = False
    i = start
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return None
