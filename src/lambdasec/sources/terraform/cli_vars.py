"""Reads `--var NAME=VALUE` as `terraform plan -var` does, and hands such values to a module's scope."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.sources.terraform.native import NativeSyntaxError, parse_native

__all__ = ["as_raw", "parse_assignment"]

_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER: Final = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
# A template piece (`${...}`, `%{...}`) that is not escaped (`$${`, `%%{`).
_TEMPLATE: Final = re.compile(r"(?<![$%])[$%]\{")
_ESCAPED: Final = re.compile(r"([$%])\1\{")


def parse_assignment(text: str) -> tuple[str, Any]:
    """`NAME=VALUE` as a name and a value; ValueError with the reason when it is not one.

    VALUE is read as HCL when it looks like a list, a map, a number or a boolean; anything else is the
    string as written. Lists and maps must be literals: Terraform allows no references or function calls
    in a `-var` value.
    """
    name, equals, value = text.partition("=")
    name = name.strip()
    if not equals:
        raise ValueError(f"`{text}` is not NAME=VALUE")
    if not name:
        raise ValueError(f"`{text}` has no variable name before `=`")
    if not _NAME.fullmatch(name):
        raise ValueError(f"`{name}` is not a variable name (letters, digits, `_` and `-`, not first a digit)")
    stripped = value.strip()
    if stripped in ("true", "false"):
        return name, stripped == "true"
    if _NUMBER.fullmatch(stripped):
        return name, float(stripped) if not stripped.lstrip("-").isdigit() else int(stripped)
    if stripped.startswith(("[", "{")):
        return name, _collection(name, stripped)
    return name, value


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
