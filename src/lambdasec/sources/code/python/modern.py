"""Python 3.12 syntax an older `ast` rejects, rewritten to equivalent older syntax on the same lines."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["downgrade"]

# `type Alias[T] = ...` (PEP 695): an assignment to the alias name.
_TYPE_ALIAS: Final = re.compile(
    r"^(?P<indent>[ \t]*)type[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*(?:\[[^\]\n]*\])?[ \t]*=", re.M
)
# `def first[T](...)`, `class Box[T]:` (PEP 695): the type parameters are dropped.
_TYPE_PARAMS: Final = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+[A-Za-z_]\w*(?=\[)", re.M)
_PREFIX: Final = re.compile(r"(?i)(?:rb|br|fr|rf|[rbuf])$")
_OTHER_QUOTE: Final = {'"': "'", "'": '"'}
_CLOSING: Final = {"(": ")", "[": "]", "{": "}"}


def downgrade(text: str) -> str | None:
    """`text` with the Python 3.12 constructs older parsers reject rewritten, or None when it has none.

    Every line keeps its number (only columns within a rewritten line move): f-strings nesting
    strings in their own quotes (PEP 701) get the other quote on the nested string, type aliases
    become assignments and type parameter lists are dropped (PEP 695).
    """
    rewritten = _TYPE_ALIAS.sub(lambda m: f"{m['indent']}{m['name']} =", _fstrings(text))
    rewritten = _without_type_params(rewritten)
    return rewritten if rewritten != text else None


def _without_type_params(text: str) -> str:
    parts: list[str] = []
    position = 0
    for match in _TYPE_PARAMS.finditer(text):
        start = match.end()
        end = _matching(text, start)
        if end is None or start < position:
            continue
        parts.append(text[position:start])
        position = end + 1
    parts.append(text[position:])
    return "".join(parts)


def _matching(text: str, start: int) -> int | None:
    """The index of the bracket closing the one at `start`, on the same line."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "\n":
            return None
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return None


def _fstrings(text: str) -> str:
    """`text` with strings nested in an f-string's own (single) quotes switched to the other quote."""
    chars = list(text)
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
        elif char in "\"'":
            index = _string(text, chars, index)
        else:
            index += 1
    return "".join(chars)


def _string(text: str, chars: list[str], start: int, *, swap: bool = False) -> int:
    """Scan the string literal whose quote is at `start`; returns the index after it.

    With `swap`, the literal's quotes are written as the other quote (it sits in an f-string
    expression delimited by its own quote), unless its body holds that other quote.
    """
    quote = text[start]
    prefix = _PREFIX.search(text[max(0, start - 2) : start])
    is_f = prefix is not None and "f" in prefix.group().lower()
    triple = text.startswith(quote * 3, start)
    delimiter = quote * 3 if triple else quote
    index = start + len(delimiter)
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if text.startswith(delimiter, index):
            end = index + len(delimiter)
            if swap and not triple and _OTHER_QUOTE[quote] not in text[start + 1 : index]:
                chars[start] = chars[index] = _OTHER_QUOTE[quote]
            return end
        if char == "\n" and not triple:
            return index
        if is_f and char == "{":
            if text.startswith("{{", index):
                index += 2
                continue
            index = _field(text, chars, index + 1, outer=None if triple else quote)
            continue
        index += 1
    return index


def _field(text: str, chars: list[str], start: int, *, outer: str | None) -> int:
    """Scan an f-string replacement field from after its `{`; returns the index after its `}`."""
    stack: list[str] = []
    index = start
    spec = False
    while index < len(text):
        char = text[index]
        if char == "\n" and outer is not None:
            return index
        if spec:
            if char == "{":
                index = _field(text, chars, index + 1, outer=outer)
                continue
            if char == "}":
                return index + 1
            index += 1
            continue
        if char in "\"'":
            index = _string(text, chars, index, swap=char == outer)
            continue
        if char in _CLOSING:
            stack.append(_CLOSING[char])
        elif stack and char == stack[-1]:
            stack.pop()
        elif not stack and char == "}":
            return index + 1
        elif not stack and char == ":":
            spec = True
        elif not stack and char == "!" and not text.startswith("!=", index):
            spec = True  # a conversion (`!r`), then maybe a format spec
        index += 1
    return index
