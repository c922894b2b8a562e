"""Reads Terraform files with python-hcl2 into blocks that know their file, address and lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from hcl2.api import loads as hcl2_loads
from lark.exceptions import LarkError, UnexpectedInput

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.sources.terraform.json_syntax import JsonSyntaxError, json_body

__all__ = ["SOURCE_NAME", "Block", "TfFile", "attribute_line", "parse_file", "parse_text"]

SOURCE_NAME: Final = "terraform"
_META: Final = ("__start_line__", "__end_line__")


@dataclass(frozen=True, slots=True, kw_only=True)
class TfFile:
    """One parsed file: its displayed path, its hcl2 body (with line metadata) and its text lines."""

    display: str
    body: Mapping[str, Any]
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
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
        return attribute_line(self.file.lines, body if body is not None else self.body, name)


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
