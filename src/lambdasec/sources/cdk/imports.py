"""Joins CDK's cross-stack references to a function (`Fn::ImportValue` of its export) to that function."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any, Final

from lambdasec.model import Inventory, Origin, Unresolved

__all__ = ["stack_exports", "with_imported_functions"]

_FUNCTION: Final = "AWS::Lambda::Function"
_IMPORT: Final = "Fn::ImportValue"
_MARK: Final = "ImportValue"  # in the reason of a value an import left Unresolved


def stack_exports(body: Mapping[str, Any], *, file: str) -> dict[str, str]:
    """Export name -> inventory key of the function whose name (`!Ref`) or ARN (`!GetAtt .Arn`) it exports.

    A construct of one stack used by another makes the CDK export it from the first stack
    (`Export: {Name: "Stack:ExportsOutputFnGetAtt..."}`) and import it in the second.
    """
    resources, outputs = body.get("Resources"), body.get("Outputs")
    if not isinstance(resources, Mapping) or not isinstance(outputs, Mapping):
        return {}
    found: dict[str, str] = {}
    for output in outputs.values():
        export = output.get("Export") if isinstance(output, Mapping) else None
        name = export.get("Name") if isinstance(export, Mapping) else None
        target = _target(output.get("Value")) if isinstance(output, Mapping) else None
        resource = resources.get(target) if target is not None else None
        if isinstance(name, str) and isinstance(resource, Mapping) and resource.get("Type") == _FUNCTION:
            found[name] = f"{file}#{target}"
    return found


def with_imported_functions(
    inventory: Inventory, exports: Mapping[str, str], bodies: Mapping[str, Mapping[str, Any]]
) -> Inventory:
    """`inventory` with functions an import left Unresolved set to the exporting stack's function.

    An object's function is joined when its resource (the part its origin names, else the whole
    resource) imports exactly one value and that value is a function another stack exports.
    `bodies` maps each template's file to its parsed body.
    """
    if not exports:
        return inventory
    changes: dict[str, tuple[Any, ...]] = {}
    for field in dataclasses.fields(inventory):
        items = getattr(inventory, field.name)
        if not isinstance(items, tuple):
            continue
        joined = tuple(_joined(item, exports=exports, bodies=bodies) for item in items)
        if any(new is not old for new, old in zip(joined, items, strict=True)):
            changes[field.name] = joined
    return dataclasses.replace(inventory, **changes) if changes else inventory


def _joined(item: Any, *, exports: Mapping[str, str], bodies: Mapping[str, Mapping[str, Any]]) -> Any:
    function = getattr(item, "function", None)
    origin = getattr(item, "origin", None)
    if not isinstance(function, Unresolved) or _MARK not in function.reason or not isinstance(origin, Origin):
        return item
    body = bodies.get(origin.file) if origin.file is not None else None
    names = set(_imports(_scope(body, origin.resource))) if body is not None else set()
    target = exports.get(next(iter(names))) if len(names) == 1 else None
    if target is None:
        return item
    changes: dict[str, Any] = {"function": target}
    qualifier = getattr(item, "qualifier", None)
    if isinstance(qualifier, Unresolved) and _MARK in qualifier.reason:
        changes["qualifier"] = None  # the export is the function's name or unqualified ARN
    return dataclasses.replace(item, **changes)


def _target(value: object) -> str | None:
    """The logical id of `!Ref Id` or `!GetAtt Id.Arn`."""
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    ref = value.get("Ref")
    if isinstance(ref, str):
        return ref
    attribute = value.get("Fn::GetAtt")
    if isinstance(attribute, str):
        attribute = attribute.split(".", 1)
    if isinstance(attribute, list) and len(attribute) == 2 and attribute[1] == "Arn":
        return attribute[0] if isinstance(attribute[0], str) else None
    return None


def _scope(body: Mapping[str, Any], resource: str) -> object:
    """The part of the template an origin's `resource` names (`Id/Path/0` under Properties), else `Id`."""
    resources = body.get("Resources")
    logical_id, *path = resource.split("/")
    node: object = resources.get(logical_id) if isinstance(resources, Mapping) else None
    whole = node
    node = node.get("Properties") if isinstance(node, Mapping) else None
    for part in path:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return whole
    return node


def _imports(node: object) -> Iterator[str]:
    """The export names `Fn::ImportValue` reads anywhere in `node`."""
    if isinstance(node, Mapping):
        name = node.get(_IMPORT)
        if isinstance(name, str):
            yield name
        for value in node.values():
            yield from _imports(value)
    elif isinstance(node, list):
        for value in node:
            yield from _imports(value)
