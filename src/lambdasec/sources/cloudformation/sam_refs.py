"""SAM's `!Ref Function.Version` and `!Ref Function.Alias`: the version and alias `AutoPublishAlias` made."""

from __future__ import annotations

import re
from typing import Any, Final

from lambdasec.sources.cloudformation.sam_marks import copy_dict
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["published_refs", "with_published_refs"]

_KINDS: Final = {"AWS::Lambda::Version": "Version", "AWS::Lambda::Alias": "Alias"}
_SUB_VARIABLE: Final = re.compile(r"\$\{([A-Za-z0-9]+\.(?:Version|Alias))\}")
_MAX_DEPTH: Final = 64


def published_refs(resources: MarkedDict) -> dict[str, str]:
    """`Fn.Version` / `Fn.Alias` -> the logical id of the version or alias SAM generated for `Fn`.

    SAM names them `<Fn>Version<digest>` and `<Fn>Alias<Name>`, with `FunctionName: !Ref <Fn>`.
    """
    found: dict[str, str] = {}
    for logical_id, body in resources.items():
        kind = body.get("Type") if isinstance(body, dict) else None
        suffix = _KINDS.get(kind) if isinstance(kind, str) else None
        if suffix is None:
            continue
        props = body.get("Properties")
        target = props.get("FunctionName") if isinstance(props, dict) else None
        function = target.get("Ref") if isinstance(target, dict) else None
        if isinstance(function, str) and str(logical_id).startswith(f"{function}{suffix}"):
            found.setdefault(f"{function}.{suffix}", str(logical_id))
    return found


def with_published_refs(value: Any, refs: dict[str, str], *, depth: int = 0) -> Any:
    """`value` with `Ref: Fn.Version` (and `${Fn.Version}` in `Fn::Sub`) naming the generated resource.

    Containers that change are copied with their line marks; the others are returned as they are.
    """
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        if len(value) == 1:
            name, arg = next(iter(value.items()))
            if name == "Ref" and isinstance(arg, str) and arg in refs:
                return _replaced(value, "Ref", new=refs[arg])
            if name == "Fn::Sub":
                return _sub(value, arg, refs=refs, depth=depth)
        out: MarkedDict | None = None
        for key, item in value.items():
            new = with_published_refs(item, refs, depth=depth + 1)
            if new is not item:
                out = out if out is not None else copy_dict(value)
                out[key] = new
        return out if out is not None else value
    if isinstance(value, list):
        items = [with_published_refs(item, refs, depth=depth + 1) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        copied = MarkedList(getattr(value, "line", 0))
        copied.extend(items)
        copied.item_lines = list(getattr(value, "item_lines", []))
        return copied
    return value


def _sub(value: dict[str, Any], arg: Any, *, refs: dict[str, str], depth: int) -> Any:
    template = arg[0] if isinstance(arg, list) and arg else arg
    if isinstance(template, str) and _SUB_VARIABLE.search(template):
        text = _SUB_VARIABLE.sub(lambda m: f"${{{refs.get(m[1], m[1])}}}", template)
        if isinstance(arg, list):
            copied = MarkedList(getattr(arg, "line", 0))
            copied.extend([text, *arg[1:]])
            copied.item_lines = list(getattr(arg, "item_lines", []))
            return _replaced(value, "Fn::Sub", new=copied)
        return _replaced(value, "Fn::Sub", new=text)
    new = with_published_refs(arg, refs, depth=depth + 1)
    return value if new is arg else _replaced(value, "Fn::Sub", new=new)


def _replaced(value: dict[str, Any], key: str, *, new: Any) -> MarkedDict:
    out = copy_dict(value)
    out[key] = new
    return out
