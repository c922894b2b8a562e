"""Reads `--var NAME=VALUE` as `terraform plan -var` does, and hands such values to a module's scope."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.terraform.native import NativeSyntaxError, parse_native

__all__ = ["CommandLineValue", "as_raw", "command_line_values", "declared_variables", "parse_assignment"]

_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER: Final = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
# A template piece (`${...}`, `%{...}`) that is not escaped (`$${`, `%%{`).
_TEMPLATE: Final = re.compile(r"(?<![$%])[$%]\{")
_ESCAPED: Final = re.compile(r"([$%])\1\{")
# Declared types Terraform reads a `-var` value of literally (then converts): the primitive types.
_PRIMITIVE_TYPES: Final = frozenset({"string", "number", "bool"})


@record(kw_only=False)
class CommandLineValue:
    """A `--var` value: the text as written and its reading as HCL (the text itself when not HCL-like).

    Terraform picks one by the variable's declared type: a primitive type (or none) takes the text, then
    converts it; a collection, object or `any` type takes the HCL reading.
    """

    text: str
    hcl: Any
    # Why the text is no HCL value (unclosed bracket, a reference): an error only where HCL is needed.
    problem: str | None = None


def parse_assignment(text: str) -> tuple[str, Any]:
    """`NAME=VALUE` as a name and a value; ValueError with the reason when it is not one.

    The value keeps VALUE as written and its reading as HCL when it looks like a list, a map, a number or
    a boolean (`command_line_values` picks one by the variable's declared type). Lists and maps must be
    literals: Terraform allows no references or function calls in a `-var` value.
    """
    name, equals, value = text.partition("=")
    name = name.strip()
    if not equals:
        raise ValueError(f"`{text}` is not NAME=VALUE")
    if not name:
        raise ValueError(f"`{text}` has no variable name before `=`")
    if not _NAME.fullmatch(name):
        raise ValueError(f"`{name}` is not a variable name (letters, digits, `_` and `-`, not first a digit)")
    try:
        return name, CommandLineValue(text=value, hcl=_hcl_reading(name, value))
    except ValueError as exc:
        return name, CommandLineValue(text=value, hcl=None, problem=str(exc))


def _hcl_reading(name: str, value: str) -> Any:
    stripped = value.strip()
    if stripped in ("true", "false"):
        return stripped == "true"
    if _NUMBER.fullmatch(stripped):
        return _number(stripped)
    if stripped.startswith(("[", "{")):
        return _collection(name, stripped)
    return value


def _number(text: str) -> int | float:
    return float(text) if not text.lstrip("-").isdigit() else int(text)


def command_line_values(
    values: Mapping[str, Any], *, declared: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """`values` as a root module with variable declarations `declared` (name -> block) receives them.

    A `--var` given for a variable of a primitive type or of no type is its text (a number or a boolean
    when the type says so and the text is one), as `terraform plan -var` reads it; for other types, and
    for a variable the module does not declare, it is the HCL reading. Configured values are typed already.
    The second list says why a value that must be HCL is not (that variable is then left out).
    """
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in values.items():
        if not isinstance(value, CommandLineValue):
            out[name] = value
            continue
        block = declared.get(name)
        kind = _type_keyword(block.get("type")) if isinstance(block, Mapping) else None
        if not isinstance(block, Mapping) or (kind not in _PRIMITIVE_TYPES and "type" in block):
            if value.problem is None:
                out[name] = value.hcl
            else:
                problems.append(value.problem)
        elif kind == "number" and _NUMBER.fullmatch(value.text.strip()):
            out[name] = _number(value.text.strip())
        elif kind == "bool" and value.text.strip() in ("true", "false"):
            out[name] = value.text.strip() == "true"
        else:
            out[name] = value.text
    return out, problems


def declared_variables(bodies: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Variable blocks by name across the bodies of one module's files."""
    return {
        name: block
        for body in bodies
        for group in body.get("variable", [])
        if isinstance(group, Mapping)
        for name, block in group.items()
    }


def _type_keyword(expression: Any) -> str | None:
    """`string` for `type = string` or the legacy `type = "string"`; None for other type expressions."""
    if not isinstance(expression, str):
        return None
    text = expression.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1].strip()
    return text if text.isidentifier() else None


def _collection(name: str, text: str) -> Any:
    try:
        body = parse_native(f"value = {text}\n")
    except NativeSyntaxError as exc:
        reason = str(exc).partition(": ")[2] or str(exc)
        raise ValueError(f"the value of `{name}` is not valid HCL: {reason}") from None
    value = body.get("value")
    problem = _not_literal(value)
    if problem is not None:
        raise ValueError(f"the value of `{name}` must be a literal list or map: {problem}")
    return _unescaped(value)


def _not_literal(value: Any) -> str | None:
    """Why `value` (as the HCL reader gives it) is not a constant, or None."""
    if isinstance(value, str):
        if not _TEMPLATE.search(value):
            return None
        inner = value[2:-1] if value.startswith("${") and value.endswith("}") else value
        return f"`{inner}` is an expression (references and function calls are not allowed)"
    if isinstance(value, list):
        return next((p for p in map(_not_literal, value) if p is not None), None)
    if isinstance(value, Mapping):
        return next((p for p in map(_not_literal, value.values()) if p is not None), None)
    return None


def _unescaped(value: Any) -> Any:
    if isinstance(value, str):
        return _ESCAPED.sub(r"\1{", value)
    if isinstance(value, list):
        return [_unescaped(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _unescaped(v) for k, v in value.items()}
    return value


def as_raw(value: Any) -> Any:
    """A value given on the command line or in the configuration, as a `.tfvars` file would hold it.

    Variables are evaluated when read, so `${` and `%{` in its strings are escaped to stay literal text.
    """
    if isinstance(value, str):
        return value.replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, list | tuple):
        return [as_raw(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): as_raw(v) for k, v in value.items()}
    return value
