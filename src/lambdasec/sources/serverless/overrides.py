"""`resources.Resources` and `resources.extensions` entries merged over the resources the framework makes."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import key_line
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["Override", "apply_overrides"]

# Functions merge their overrides when they are compiled (their SAM properties carry the same names).
_MERGED_EARLIER: Final = "AWS::Serverless::Function"

Override = tuple[str, Any, int, bool]
"""(logical id, the user's resource body, its line, True for an `extensions` entry)."""


def apply_overrides(resources: MarkedDict, overrides: list[Override], *, diagnostics: Diagnostics) -> None:
    """Merge each user entry over the generated resource of the same logical id, as the framework does.

    `Properties` merge key by key (the user's win); other attributes (`DependsOn`, `DeletionPolicy`,
    `Condition`, ...) replace the generated ones; the generated `Type` stays. An `extensions` entry
    for a resource the framework does not generate is a diagnostic.
    """
    for logical_id, body, line, extension in overrides:
        generated = resources.get(logical_id)
        if generated is body or not isinstance(body, dict):
            continue
        if not isinstance(generated, dict):
            if extension:
                diagnostics.warn(f"`resources.extensions.{logical_id}` extends no generated resource", line)
            continue
        if generated.get("Type") == _MERGED_EARLIER:
            continue
        resources[logical_id] = _merged(generated, body, top=True)


def _merged(generated: dict[str, Any], override: dict[str, Any], *, top: bool) -> MarkedDict:
    out = MarkedDict(getattr(generated, "line", 0))
    for source in (generated, override):
        lines = source.key_lines if isinstance(source, MarkedDict) else {}
        for key, value in source.items():
            if top and key == "Type" and source is override and "Type" in generated:
                continue
            if top and key == "Properties" and isinstance(value, dict) and isinstance(out.get(key), dict):
                value = _merged(out[key], value, top=False)
            out[key] = value
            out.key_lines[key] = lines.get(key, key_line(out, key, out.line))
    return out
