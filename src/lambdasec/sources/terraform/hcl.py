"""Reads Terraform files with python-hcl2 into blocks that know their file, address and lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any, Final

from hcl2.api import loads as hcl2_loads
from lark.exceptions import LarkError, UnexpectedInput

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.records import record
from lambdasec.sources.terraform.json_syntax import JsonSyntaxError, json_body
from lambdasec.sources.terraform.native import NativeSyntaxError, parse_native

__all__ = ["SOURCE_NAME", "Block", "TfFile", "attribute_line", "parse_file", "parse_text"]

SOURCE_NAME: Final = "terraform"
# A line assigning an attribute: `name =`, `"name" =` or, in JSON syntax, `"name":`.
_ASSIGNMENT: Final = re.compile(r'\s*(?:([A-Za-z_][\w-]*)\s*=(?!=)|"([^"]+)"\s*=(?!=)|"([^"]+)"\s*:)')
_META: Final = ("__start_line__", "__end_line__")


@record
class TfFile:
    """One parsed file: its displayed path, its hcl2 body (with line metadata) and its text lines."""

    display: str
    body: Mapping[str, Any]
    lines: tuple[str, ...]
    # (first, last) line of a body -> the first line assigning each name in it, built when first asked.
    _assignments: dict[tuple[int, int], dict[str, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def assignments(self, first: int, last: int) -> dict[str, int]:
        """The first line within `first`..`last` that assigns each attribute name (`name =`, `"name":`)."""
        span = (first, last)
        found = self._assignments.get(span)
        if found is None:
            found = {}
            lines = self.lines
            for number in range(first, min(last, len(lines)) + 1):
                match = _ASSIGNMENT.match(lines[number - 1])
                if match is not None:
                    found.setdefault(match[1] or match[2] or match[3], number)
            self._assignments[span] = found
        return found


@record
class Block:
    """A `resource` or `data` block: `address` is `aws_x.name` or `data.aws_x.name`."""

    file: TfFile
    type: str
    name: str
    address: str
    body: Mapping[str, Any]

    @property
    def line(self) -> int | None:
        """The line of the block header."""
        return start_line(self.body)

    def attribute_line(self, name: str, body: Mapping[str, Any] | None = None) -> int | None:
        """The line setting attribute `name` in this block (or in its nested block `body`)."""
        where = body if body is not None else self.body
        start, end = where.get("__start_line__"), where.get("__end_line__")
        if not isinstance(start, int) or not isinstance(end, int):
            return None
        return self.file.assignments(start, end).get(name)


def start_line(body: Mapping[str, Any]) -> int | None:
    """The first line of a block body python-hcl2 read with metadata."""
    value = body.get("__start_line__")
    return value if isinstance(value, int) else None


def attribute_line(lines: tuple[str, ...], body: Mapping[str, Any], name: str) -> int | None:
    """The first line inside `body`'s range that assigns `name` (python-hcl2 keeps only block lines)."""
    start, end = body.get("__start_line__"), body.get("__end_line__")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    quoted = re.escape(json.dumps(name))
    pattern = re.compile(rf'^\s*(?:"?{re.escape(name)}"?\s*=(?!=)|{quoted}\s*:)')
    for number in range(start, min(end, len(lines)) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return None


def value_lines(lines: tuple[str, ...], body: Mapping[str, Any], name: str) -> tuple[int, int] | None:
    """The first and last line of attribute `name`'s value: up to the next attribute or nested block."""
    first = attribute_line(lines, body, name)
    end = body.get("__end_line__")
    if first is None or not isinstance(end, int):
        return None
    starts = [attribute_line(lines, body, key) for key in body if key != name and key not in _META]
    for value in body.values():
        if isinstance(value, list):
            starts.extend(start_line(v) for v in value if isinstance(v, Mapping))
    later = [line for line in starts if line is not None and line > first]
    return first, (min(later) - 1 if later else end)


def keyed_lines(lines: tuple[str, ...], span: tuple[int, int], key: str) -> list[int]:
    """Lines within `span` that set the JSON or HCL object key `key` (`"Effect":` or `Effect =`)."""
    pattern = re.compile(rf'(^|[{{,\s])"?{re.escape(key)}"?\s*[=:]')
    first, last = span
    return [n for n in range(first, min(last, len(lines)) + 1) if pattern.search(lines[n - 1])]


def clean(value: Any) -> Any:
    """`value` without python-hcl2's line metadata keys."""
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items() if k not in _META}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def parse_text(text: str, *, display: str) -> TfFile | Diagnostic:
    """Parse HCL text (Terraform JSON syntax when `display` ends in `.json`); a syntax error becomes an
    error diagnostic with the file and line."""
    if display.endswith(".json"):
        try:
            return TfFile(display=display, body=json_body(text), lines=tuple(text.splitlines()))
        except JsonSyntaxError as exc:
            return _error(f"cannot parse Terraform JSON: {exc.message}", display, line=exc.line)
    try:
        return TfFile(display=display, body=parse_native(text), lines=tuple(text.splitlines()))
    except NativeSyntaxError:
        pass  # python-hcl2 reads what the fast reader does not, and words real syntax errors
    try:
        body = hcl2_loads(text, with_meta=True)
    except UnexpectedInput as exc:
        return _error(f"cannot parse HCL: {_first_line(str(exc))}", display, line=exc.line)
    except LarkError as exc:
        return _error(f"cannot parse HCL: {_first_line(str(exc))}", display, line=None)
    return TfFile(display=display, body=body, lines=tuple(text.splitlines()))


def parse_file(path: Path, *, display: str) -> TfFile | Diagnostic:
    """Read and parse one `.tf` or `.tfvars` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _error(f"cannot read file: {exc}", display, line=None)
    return parse_text(text, display=display)


def blocks(file: TfFile) -> Iterator[Block]:
    """The `resource` and `data` blocks of a file, in order."""
    for kind in ("resource", "data"):
        for group in file.body.get(kind, []):
            for type_name, named in group.items():
                if not isinstance(named, Mapping):
                    continue
                for name, body in named.items():
                    if isinstance(body, Mapping):
                        prefix = "data." if kind == "data" else ""
                        address = f"{prefix}{type_name}.{name}"
                        yield Block(file=file, type=type_name, name=name, address=address, body=body)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "syntax error"


def _error(message: str, display: str, *, line: int | None) -> Diagnostic:
    return Diagnostic(
        level=DiagnosticLevel.ERROR, source=SOURCE_NAME, message=message, file=display, line=line
    )
