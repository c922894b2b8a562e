"""The YAML and JSON files a serverless.yml includes with `${file(path):address}`, read as plain values."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from lambdasec.sources.yaml_events import load_template_text
from lambdasec.sources.yaml_loader import YamlDialect, YamlError

__all__ = ["MAX_INCLUDE_BYTES", "IncludeError", "read_include"]

MAX_INCLUDE_BYTES: Final = 4 * 1024 * 1024
# Files the framework parses as data; `.js`/`.ts` files are code it runs, which cannot be read statically.
_DATA_SUFFIXES: Final = frozenset({".yml", ".yaml", ".json"})


class IncludeError(Exception):
    """An included file that exists but cannot be read as data; carries the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_include(path: Path) -> tuple[bool, Any]:
    """(found, value) of a data file: (False, None) when it does not exist.

    The value is plain dicts, lists and scalars, without the included file's line marks: it stands at
    the line that includes it. Raises IncludeError for code files, oversized, undecodable or invalid ones.
    """
    if path.suffix.lower() not in _DATA_SUFFIXES:
        raise IncludeError(f"`{path.name}` is not a YAML or JSON file")
    try:
        if not path.is_file():
            return False, None
        if path.stat().st_size > MAX_INCLUDE_BYTES:
            raise IncludeError(f"`{path.name}` is over the {MAX_INCLUDE_BYTES // (1024 * 1024)} MiB limit")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise IncludeError(f"cannot read `{path.name}`: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise IncludeError(f"`{path.name}` is not UTF-8 text") from exc
    try:
        return True, _unmarked(load_template_text(text, dialect=YamlDialect.JS_YAML))
    except YamlError as exc:
        raise IncludeError(f"`{path.name}` is not valid YAML: {exc.message}") from exc


def _unmarked(value: Any) -> Any:
    """`value` as plain containers, so that the including file's line marks apply to it."""
    if isinstance(value, dict):
        return {key: _unmarked(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_unmarked(child) for child in value]
    return value
