"""The OpenAPI text of an API `body` read from a local file with `templatefile()` or `file()`.

The template's `${name}` placeholders are written as the expressions the call passes for them (the
text of a quoted string, or `${expression}`), so the document reads like a `jsonencode` body: its
integration URIs keep the Terraform references the API links follow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.sources.terraform.reader import Reader

__all__ = ["template_body"]

_CALL: Final = re.compile(r"^\$\{\s*(?P<name>templatefile|file)\((?P<arguments>.*)\)\s*\}$", re.DOTALL)
_PLACEHOLDER: Final = re.compile(r"\$\{\s*([A-Za-z_][\w-]*)\s*\}")
_ENTRY: Final = re.compile(r'^\s*"?([A-Za-z_][\w-]*)"?\s*[=:]\s*(.+?)\s*$', re.DOTALL)
_LOCAL: Final = re.compile(r"^local\.([A-Za-z_][\w-]*)$")
_CLOSING: Final = {"(": ")", "[": "]", "{": "}"}


def template_body(r: Reader, raw: str) -> str | None:
    """The text of the file `raw` (`${templatefile(path, {...})}` or `${file(path)}`) reads, with the
    template's placeholders written as the passed expressions; None for anything else or an unread file."""
    match = _CALL.match(raw.strip())
    if match is None:
        return None
    arguments = _split(match["arguments"], separators=",")
    expected = 2 if match["name"] == "templatefile" else 1
    if arguments is None or len(arguments) != expected:
        return None
    path = r.scope.for_files().resolve("${" + arguments[0] + "}")
    if not isinstance(path, str) or path.startswith("$"):
        return None
    text = r.scope.read_file(path)
    if text is None or expected == 1:
        return text
    names = _variables(arguments[1], locals_=r.scope.locals)
    if names is None:
        return None
    return _PLACEHOLDER.sub(lambda m: names.get(m[1], m[0]), text)


def _variables(text: str, *, locals_: Mapping[str, Any]) -> dict[str, str] | None:
    """`{ a = expr, b = "x${y}" }` as each name's replacement text; None when it is not an object."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        return None
    entries = _split(body[1:-1], separators=",\n")
    if entries is None:
        return None
    out: dict[str, str] = {}
    for entry in entries:
        match = _ENTRY.match(entry)
        if match is None:
            return None
        out[match[1]] = _replacement(match[2], locals_=locals_)
    return out


def _replacement(expression: str, *, locals_: Mapping[str, Any]) -> str:
    """A quoted string stands for its text (interpolations kept), a local holding a string for that
    string as written (`local.uri` = `"arn:...${aws_lambda_function.f.arn}/invocations"`), anything else
    for `${expression}`."""
    if expression.startswith('"') and _scan(expression, separators="", whole_string=True) is not None:
        return expression[1:-1]
    local = _LOCAL.match(expression)
    if local is not None and isinstance(locals_.get(local[1]), str):
        return str(locals_[local[1]])
    return "${" + expression + "}"


def _split(text: str, *, separators: str) -> list[str] | None:
    """`text` cut at `separators` outside brackets, strings and interpolations (empty pieces dropped);
    None when its brackets or quotes do not balance."""
    return _scan(text, separators=separators, whole_string=False)


def _scan(text: str, *, separators: str, whole_string: bool) -> list[str] | None:
    """See `_split`; with `whole_string`, None unless `text` is one quoted string and nothing more."""
    pieces: list[str] = []
    stack: list[str] = []  # closing brackets; '"' inside a string; "I" inside a string's interpolation
    start = index = 0
    while index < len(text):
        char = text[index]
        top = stack[-1] if stack else None
        if top == '"':
            if char == "\\":
                index += 1
            elif char == '"':
                stack.pop()
                if whole_string and not stack and index != len(text) - 1:
                    return None
            elif text.startswith("${", index):
                stack.append("I")
                index += 1
        elif char == '"':
            stack.append('"')
        elif char in _CLOSING:
            stack.append(_CLOSING[char])
        elif char in ")]}":
            if top is None or char != ("}" if top == "I" else top):
                return None
            stack.pop()
        elif char in separators and not stack:
            pieces.append(text[start:index])
            start = index + 1
        index += 1
    if stack:
        return None
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]
