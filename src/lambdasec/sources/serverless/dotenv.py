"""The `.env` files the framework loads for `${env:...}`: always in v4, with `useDotenv: true` in v3."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics

__all__ = ["dotenv_environment", "loads_dotenv"]

_MAX_BYTES: Final = 1024 * 1024
_LINE: Final = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$")
_MAJOR: Final = re.compile(r"\d+")


def loads_dotenv(document: Mapping[str, Any]) -> bool:
    """True unless `frameworkVersion` pins v3 or older and `useDotenv` is not set.

    A file without `frameworkVersion` is read as the current major version (v4) reads it.
    """
    if document.get("useDotenv") not in (None, False):
        return True
    version = document.get("frameworkVersion")
    found = _MAJOR.search(str(version)) if isinstance(version, str | int) else None
    return found is None or int(found.group()) >= 4


def dotenv_environment(
    service_file: Path, *, document: Mapping[str, Any], stage: str, diagnostics: Diagnostics
) -> dict[str, str]:
    """The variables of `.env.<stage>` then `.env` beside the service (the first file to set one wins),
    then of the paths `useDotenv` names (v4); an empty mapping when the framework reads none."""
    if not loads_dotenv(document):
        return {}
    directory = service_file.parent
    files = [directory / f".env.{stage}", directory / ".env"]
    extra = document.get("useDotenv")
    for entry in extra if isinstance(extra, list) else [extra]:
        if isinstance(entry, str):
            path = directory / entry
            files += [path / f".env.{stage}", path / ".env"] if path.is_dir() else [path]
    values: dict[str, str] = {}
    for path in files:
        for name, value in _read(path, display=_display(path, directory), diagnostics=diagnostics).items():
            values.setdefault(name, value)
    return values


def _display(path: Path, directory: Path) -> str:
    try:
        return path.relative_to(directory).as_posix()
    except ValueError:
        return path.as_posix()


def _read(path: Path, *, display: str, diagnostics: Diagnostics) -> dict[str, str]:
    """One dotenv file's variables; a missing file has none, as for the framework."""
    if not path.is_file():
        return {}
    try:
        if path.stat().st_size > _MAX_BYTES:
            diagnostics.warn(f"`{display}` is over 1 MiB; its variables are not read", None)
            return {}
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        diagnostics.warn(f"cannot read `{display}`: {exc.strerror or exc}", None)
        return {}
    except UnicodeDecodeError:
        diagnostics.warn(f"`{display}` is not UTF-8 text; its variables are not read", None)
        return {}
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _LINE.match(raw)
        value = _value(match.group(2)) if match else None
        if match is None or value is None:
            diagnostics.warn(f"`{display}` line {number} is not `NAME=value`; ignored", None)
            continue
        values[match.group(1)] = value
    return values


def _value(text: str) -> str | None:
    """A dotenv value: quoted (`"` expands `\\n`), or bare up to an ` #` comment; None when unterminated."""
    if text[:1] in ("'", '"', "`"):
        quote = text[0]
        end = text.find(quote, 1)
        if end < 0:
            return None
        inner = text[1:end]
        return inner.replace("\\n", "\n") if quote == '"' else inner
    comment = text.find(" #")
    return (text[:comment] if comment >= 0 else text).strip()
