"""`Fn::Transform: {Name: AWS::Include}` snippets whose `Location` is a file next to the template."""

# Before `sam package` / `aws cloudformation package` uploads it, an included snippet (most often an API's
# OpenAPI `DefinitionBody`) is a local file, and CloudFormation would insert its content in place of the
# transform. The snippet is read the same way here, so that the routes and integrations it holds are
# scanned. Its nodes are marked at the line of the `Fn::Transform` in the template, which is where a
# finding about them can point. A snippet in S3, or one that cannot be read, is left in place (the
# intrinsic evaluator reports it as not expanded), with a warning for a local file that cannot be read.

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.yaml_events import load_template_text
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, YamlError, line_of

__all__ = ["INCLUDE", "expand_includes"]

INCLUDE: Final = "AWS::Include"
_MAX_BYTES: Final = 4 * 1024 * 1024
_REMOTE: Final = ("s3://", "https://", "http://")
_MAX_DEPTH: Final = 200


@record(kw_only=False)
class _Place:
    directory: Path  # the template's directory, which locations are relative to
    root: Path  # the scanned root: files outside it are not read


def expand_includes(body: MarkedDict, *, template: Path, root: Path, diagnostics: Diagnostics) -> MarkedDict:
    """`body` with every local `AWS::Include` snippet under `root` replaced by the file's content."""
    place = _Place(directory=template.parent, root=root.resolve())
    expanded = _expand(body, place=place, diagnostics=diagnostics, depth=0)
    return expanded if isinstance(expanded, MarkedDict) else body


def _expand(value: Any, *, place: _Place, diagnostics: Diagnostics, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, MarkedDict):
        location = _include_location(value)
        if location is not None:
            return _included(value, location, place=place, diagnostics=diagnostics)
        out = MarkedDict(value.line)
        for key, child in value.items():
            out[key] = _expand(child, place=place, diagnostics=diagnostics, depth=depth + 1)
        out.key_lines = dict(value.key_lines)
        return out
    if isinstance(value, MarkedList):
        items = MarkedList(value.line)
        items.extend(_expand(child, place=place, diagnostics=diagnostics, depth=depth + 1) for child in value)
        items.item_lines = list(value.item_lines)
        return items
    return value


def _include_location(node: MarkedDict) -> str | None:
    """The `Location` of an `AWS::Include` transform node, when it is a plain string."""
    if len(node) != 1 or "Fn::Transform" not in node:
        return None
    spec = node["Fn::Transform"]
    if not isinstance(spec, dict) or spec.get("Name") != INCLUDE:
        return None
    parameters = spec.get("Parameters")
    location = parameters.get("Location") if isinstance(parameters, dict) else None
    return location if isinstance(location, str) else None


def _included(node: MarkedDict, location: str, *, place: _Place, diagnostics: Diagnostics) -> Any:
    if location.lower().startswith(_REMOTE):
        return node
    line = line_of(node)
    path = (place.directory / location).resolve()
    if not path.is_relative_to(place.root):
        diagnostics.warn(f"included file `{location}` is outside the scanned directory; not read", line)
        return node
    try:
        if path.stat().st_size > _MAX_BYTES:
            diagnostics.warn(
                f"included file `{location}` is over {_MAX_BYTES // (1024 * 1024)} MiB; not read", line
            )
            return node
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        diagnostics.warn(f"cannot read included file `{location}`: {reason}", line)
        return node
    try:
        content = load_template_text(text)
    except YamlError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        diagnostics.warn(f"included file `{location}` is not valid YAML or JSON{where}: {exc.message}", line)
        return node
    return _marked_at(content, line or 0, depth=0)


def _marked_at(value: Any, line: int, *, depth: int) -> Any:
    """`value` with every container marked at `line` (the snippet's own lines are in another file)."""
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        out = MarkedDict(line)
        for key, child in value.items():
            out[key] = _marked_at(child, line, depth=depth + 1)
            out.key_lines[key] = line
        return out
    if isinstance(value, list):
        items = MarkedList(line)
        items.extend(_marked_at(child, line, depth=depth + 1) for child in value)
        items.item_lines = [line] * len(items)
        return items
    return value
