"""`resources.Resources` and `resources.extensions` entries merged over the resources the framework makes."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import is_intrinsic, key_line
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["Override", "apply_overrides"]

# Functions merge their overrides when they are compiled (their SAM properties carry the same names).
_MERGED_EARLIER: Final = "AWS::Serverless::Function"

Override = tuple[str, Any, int, bool]
"""(logical id, the user's resource body, its line, True for an `extensions` entry)."""


def apply_overrides(resources: MarkedDict, overrides: list[Override], *, diagnostics: Diagnostics) -> None:
    """Merge each user entry over the generated resource of the same logical id, as the framework does.

    `Properties` of a `resources.Resources` entry merge deeply (lodash's `_.merge`: mappings key by key,
    lists item by item), those of an `extensions` entry key by key (the user's win); other attributes
    (`DependsOn`, `DeletionPolicy`, `Condition`, ...) replace the generated ones; the generated `Type`
    stays. An `extensions` entry for a resource the framework does not generate is a diagnostic.
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
        resources[logical_id] = _merged(generated, body, top=True, deep=not extension)


def _merged(
    generated: dict[str, Any], override: dict[str, Any], *, top: bool, deep: bool = False
) -> MarkedDict:
    out = MarkedDict(getattr(generated, "line", 0))
    for source in (generated, override):
        lines = source.key_lines if isinstance(source, MarkedDict) else {}
        for key, value in source.items():
            if top and key == "Type" and source is override and "Type" in generated:
                continue
            if top and key == "Properties" and isinstance(value, dict) and isinstance(out.get(key), dict):
                value = _deep(out[key], value) if deep else _merged(out[key], value, top=False)
            out[key] = value
            out.key_lines[key] = lines.get(key, key_line(out, key, out.line))
    return out


def _deep(generated: Any, override: Any) -> Any:
    """lodash's `_.merge`, which `resources.Resources` go through: mappings key by key and lists item by
    item, recursively; the user's value wins where the two are not both mappings or both lists. An
    intrinsic function on either side is replaced whole (merged, it would be no function at all)."""
    if isinstance(generated, dict) and isinstance(override, dict):
        if is_intrinsic(generated) or is_intrinsic(override):
            return override
        out = MarkedDict(getattr(generated, "line", 0) or getattr(override, "line", 0))
        out.update(generated)
        out.key_lines.update(getattr(generated, "key_lines", {}))
        lines = override.key_lines if isinstance(override, MarkedDict) else {}
        for key, value in override.items():
            out[key] = _deep(out[key], value) if key in out else value
            out.key_lines[key] = lines.get(key, key_line(out, key, out.line))
        return out
    if isinstance(generated, list) and isinstance(override, list):
        merged = MarkedList(getattr(override, "line", 0) or getattr(generated, "line", 0))
        merged.extend(generated)
        known = list(getattr(generated, "item_lines", []))
        merged.item_lines = known + [merged.line] * (len(generated) - len(known))
        override_lines = getattr(override, "item_lines", [])
        for index, value in enumerate(override):
            line = override_lines[index] if index < len(override_lines) else merged.line
            if index < len(merged):
                merged[index] = _deep(merged[index], value)
                merged.item_lines[index] = line
            else:
                merged.append(value)
                merged.item_lines.append(line)
        return merged
    return override
