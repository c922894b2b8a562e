"""A fast reader of HCL native syntax giving python-hcl2 7.x's structure (bodies with line metadata).

python-hcl2's grammar-driven parser takes about 2 s per 150 KB of Terraform; this hand-written reader
takes a few hundredths. Literals become Python values, every other expression its `${...}` text, blocks
lists of bodies with `__start_line__`/`__end_line__`, exactly as python-hcl2 gives them. Text it does not
read raises `NativeSyntaxError`, and the caller falls back to python-hcl2 (which also words real errors).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any, Final

__all__ = ["NativeSyntaxError", "parse_native"]

_SPACE: Final = re.compile(r"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_INLINE_SPACE: Final = re.compile(r"(?:[ \t\r]+|/\*.*?\*/)*", re.DOTALL)
_IDENT: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER: Final = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_SIMPLE_STRING: Final = re.compile(r'"([^"\\$%\n]*)"')
_PLAIN_RUN: Final = re.compile(r'[^"\n#/()\[\]{},<=\\]+')
_HEREDOC: Final = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_CLOSERS: Final = {"(": ")", "[": "]", "{": "}"}
_KEYWORDS: Final = {"true": True, "false": False, "null": None}
_FOR: Final = re.compile(r"\s*for\s")
_JSONENCODE: Final = re.compile(r"jsonencode\(\s*(?=[\[{])")


class NativeSyntaxError(Exception):
    """The text is not HCL this reader handles (or not HCL at all)."""


def parse_native(text: str) -> dict[str, Any]:
    """The body of a `.tf` or `.tfvars` file, shaped as `hcl2.loads(text, with_meta=True)` shapes it."""
    reader = _Reader(text)
    body = reader.body(closing=False)
    return body


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.length = len(text)
        self._newlines: list[int] | None = None

    def line(self, pos: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect_right(self._newlines, pos - 1) + 1

    def fail(self, message: str) -> NativeSyntaxError:
        return NativeSyntaxError(f"line {self.line(self.pos)}: {message}")

    def space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def inline_space(self) -> None:
        self.pos = _INLINE_SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    # -- bodies and blocks -----------------------------------------------------------------------------

    def body(self, *, closing: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        text = self.text
        while True:
            self.space()
            if self.pos >= self.length:
                if closing:
                    raise self.fail("unclosed block")
                return out
            if text[self.pos] == "}":
                if not closing:
                    raise self.fail("unexpected }")
                self.pos += 1
                return out
            start = self.pos
            match = _IDENT.match(text, self.pos)
            if match is None:
                raise self.fail("attribute or block expected")
            name = match[0]
            self.pos = match.end()
            self.inline_space()
            if text.startswith("=", self.pos) and not text.startswith("==", self.pos):
                self.pos += 1
                self.inline_space()
                out[name] = self.value(context="attribute")
                self._end_of_attribute()
                continue
            labels: list[str] = []
            while self.pos < self.length and text[self.pos] != "{":
                if text[self.pos] == '"':
                    quoted = _SIMPLE_STRING.match(text, self.pos)
                    if quoted is None:
                        raise self.fail("block label expected")
                    labels.append(quoted[1])
                    self.pos = quoted.end()
                else:
                    ident = _IDENT.match(text, self.pos)
                    if ident is None:
                        raise self.fail("block label or { expected")
                    labels.append(ident[0])
                    self.pos = ident.end()
                self.inline_space()
            if self.pos >= self.length:
                raise self.fail("{ expected")
            self.pos += 1
            content = self.body(closing=True)
            content["__start_line__"] = self.line(start)
            content["__end_line__"] = self.line(self.pos - 1)
            node: dict[str, Any] = content
            for label_text in reversed(labels):
                node = {label_text: node}
            out.setdefault(name, []).append(node)

    def _end_of_attribute(self) -> None:
        self.inline_space()
        text = self.text
        if self.pos >= self.length:
            return
        char = text[self.pos]
        if char in "\n}#" or text.startswith("//", self.pos):
            return
        raise self.fail("end of line expected after an attribute")

    # -- values ----------------------------------------------------------------------------------------

    def value(self, *, context: str) -> Any:
        """A value: a literal as Python data, anything else as `${expression}` text."""
        text = self.text
        start = self.pos
        if start >= self.length:
            raise self.fail("value expected")
        char = text[start]
        literal: Any
        if char == '"':
            literal = self.string()
        elif char == "[" and not _starts_for(text, start + 1):
            literal = self.sequence()
        elif char == "{" and not _starts_for(text, start + 1):
            literal = self.mapping()
        elif char == "<" and text.startswith("<<", start):
            literal = self.heredoc()
        elif number := _NUMBER.match(text, start):
            self.pos = number.end()
            # python-hcl2 gives `1e3` as an expression, `1.5` and `-2` as numbers
            literal = _number(number[0]) if not number[2] else _Expression()
        elif (ident := _IDENT.match(text, start)) and ident[0] in _KEYWORDS:
            self.pos = ident.end()
            literal = _KEYWORDS[ident[0]]
        else:
            literal = _Expression()
        if not isinstance(literal, _Expression) and self._ends_value(context):
            return literal
        self.pos = start
        expression = self.expression_text(context)
        if context == "attribute" and _IDENT.fullmatch(expression):
            return expression  # python-hcl2 gives a lone name (`type = string`) as that name
        return "${" + _json_argument(expression) + "}"

    def _ends_value(self, context: str) -> bool:
        """True when the value just read is the whole value (nothing like `== x` or `[0]` follows)."""
        save = self.pos
        self.inline_space()
        at = self.pos
        self.pos = save
        if at >= self.length:
            return True
        char = self.text[at]
        if char in "\n#" or self.text.startswith("//", at):
            return True
        if context == "attribute":
            return char == "}"
        return char in ",]})"

    def string(self) -> str:
        """A quoted template: escapes read, `${...}` and `%{...}` kept as written."""
        text = self.text
        simple = _SIMPLE_STRING.match(text, self.pos)
        if simple is not None:
            self.pos = simple.end()
            return simple[1]
        out: list[str] = []
        i = self.pos + 1
        while i < self.length:
            char = text[i]
            if char == '"':
                self.pos = i + 1
                return "".join(out)
            if char == "\\":
                escaped = text[i + 1 : i + 2]
                out.append(_ESCAPES.get(escaped, "\\" + escaped))
                i += 2
                continue
            if char == "\n":
                break
            if char in "$%" and text.startswith("{", i + 1):
                end = self._template_end(i + 2)
                out.append(text[i:end])
                i = end
                continue
            out.append(char)
            i += 1
        raise self.fail("unterminated string")

    def _template_end(self, i: int) -> int:
        """The index after the `}` closing an interpolation whose content starts at `i`."""
        text = self.text
        depth = 0
        while i < self.length:
            char = text[i]
            if char == '"':
                i = self._skip_string(i)
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    return i + 1
                depth -= 1
            elif char == "\n" and depth == 0:
                break
            i += 1
        raise self.fail("unclosed interpolation")

    def _skip_string(self, i: int) -> int:
        """The index after the quoted string starting at `i` (interpolations may nest strings)."""
        text = self.text
        i += 1
        while i < self.length:
            char = text[i]
            if char == '"':
                return i + 1
            if char == "\\":
                i += 2
                continue
            if char == "\n":
                break
            if char in "$%" and text.startswith("{", i + 1):
                i = self._template_end(i + 2)
                continue
            i += 1
        raise self.fail("unterminated string")

    def heredoc(self) -> str:
        match = _HEREDOC.match(self.text, self.pos)
        if match is None:
            raise self.fail("heredoc expected")
        indent, marker = match[1] == "-", match[2]
        lines: list[str] = []
        i = match.end()
        while i <= self.length:
            end = self.text.find("\n", i)
            end = self.length if end == -1 else end
            line = self.text[i:end].rstrip("\r")
            if line.strip() == marker:
                self.pos = end
                break
            lines.append(line)
            i = end + 1
        else:
            raise self.fail(f"heredoc {marker} not closed")
        if indent:
            margins = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
            cut = min(margins, default=0)
            lines = [line[cut:] for line in lines]
        return "\n".join(lines)

    def sequence(self) -> list[Any]:
        self.pos += 1
        items: list[Any] = []
        while True:
            self.space()
            if self.pos >= self.length:
                raise self.fail("unclosed [")
            if self.text[self.pos] == "]":
                self.pos += 1
                return items
            items.append(self.value(context="item"))
            self.space()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("]", self.pos):
                raise self.fail(", or ] expected")

    def mapping(self) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        text = self.text
        while True:
            self.space()
            if self.pos >= self.length:
                raise self.fail("unclosed {")
            if text[self.pos] == "}":
                self.pos += 1
                return out
            if text[self.pos] == '"':
                key = self.string()
            else:
                ident = _IDENT.match(text, self.pos)
                if ident is None:
                    raise self.fail("object key expected")
                key = ident[0]
                self.pos = ident.end()
            self.inline_space()
            if not (text.startswith(("=", ":"), self.pos) and not text.startswith("==", self.pos)):
                raise self.fail("= or : expected")
            self.pos += 1
            self.inline_space()
            out[key] = self.value(context="item")
            self.inline_space()
            if text.startswith(",", self.pos):
                self.pos += 1

    def expression_text(self, context: str) -> str:
        """The source text of the expression at the current position, up to where it ends.

        Comments inside brackets are dropped and each line is stripped; line breaks stay, as they separate
        the entries of an object.
        """
        text = self.text
        start = self.pos
        pieces: list[str] = []
        piece = start
        i = start
        stack: list[str] = []
        while i < self.length:
            run = _PLAIN_RUN.match(text, i)
            if run is not None:
                i = run.end()
                if i >= self.length:
                    break
            char = text[i]
            if char == '"':
                i = self._skip_string(i)
                continue
            if char in "([{":
                stack.append(_CLOSERS[char])
                i += 1
                continue
            if char in ")]}":
                if not stack:
                    break
                if stack.pop() != char:
                    raise self.fail(f"unbalanced {char}")
                i += 1
                continue
            if char == "\n" or char == "#" or text.startswith("//", i):
                if not stack:
                    break
                pieces.append(text[piece:i])
                end = text.find("\n", i)
                i = self.length if end == -1 else end + 1
                piece = i
                continue
            if char == "," and not stack:
                break
            if (
                char == "="
                and not stack
                and text[i - 1] not in "=!<>"
                and text[i + 1 : i + 2] not in ("=", ">")
            ):
                raise self.fail("unexpected = in an expression")
            if char == "<" and text.startswith("<<", i) and _HEREDOC.match(text, i):
                raise self.fail("heredoc inside an expression")
            i += 1
        if stack:
            raise self.fail("unclosed bracket in expression")
        self.pos = i
        pieces.append(text[piece:i])
        expression = "\n".join(line.strip() for part in pieces for line in part.splitlines() if line.strip())
        if not expression:
            raise self.fail("expression expected")
        return expression


def _json_argument(expression: str) -> str:
    """`jsonencode({...})` with its literal argument written as JSON, as python-hcl2 writes it.

    Readers of API bodies and policies decode that argument as JSON; values that are expressions become
    `"${...}"` strings inside it. Any other expression is returned as written.
    """
    match = _JSONENCODE.match(expression)
    if match is None or not expression.endswith(")"):
        return expression
    inner = expression[match.end() : -1]
    reader = _Reader(inner)
    try:
        value = reader.value(context="item")
        reader.space()
    except NativeSyntaxError:
        return expression
    if reader.pos != len(inner):
        return expression
    return f"jsonencode({json.dumps(value, ensure_ascii=False)})"


class _Expression:
    """Marker: the value at hand is not a literal."""


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _starts_for(text: str, i: int) -> bool:
    """True when a `for` expression starts at `i` (just after `[` or `{`)."""
    return _FOR.match(text, i) is not None
