"""Maps CloudTrail trails with the data events their event selectors record (AWS::CloudTrail::Trail)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lambdasec.model import DataEventSelector, Trail, Unresolved
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.references import FUNCTION, GENERATED

__all__ = ["map_trail"]

# resources.ARN operators that select ARNs positively; any other operator makes the selection unknown.
_SELECTING: Final = ("Equals", "StartsWith")
_OTHER_OPERATORS: Final = ("NotEquals", "NotStartsWith", "EndsWith", "NotEndsWith")


def map_trail(resource: Resource, ctx: Context) -> Trail:
    """An AWS::CloudTrail::Trail; basic `EventSelectors` and `AdvancedEventSelectors` both count."""
    p = resource.properties(ctx)
    is_logging = p.required(p.flag("IsLogging", field="is_logging"), "IsLogging")
    return Trail(
        key=ctx.key(resource.logical_id),
        name=p.text("TrailName", field="name") or GENERATED,
        is_logging=is_logging,
        data_events=_data_events(p),
        origin=resource.origin(ctx, p),
    )


def _data_events(p: Node) -> tuple[DataEventSelector, ...] | Unresolved:
    selected: list[DataEventSelector] = []
    for key, read in (("EventSelectors", _basic), ("AdvancedEventSelectors", _advanced)):
        selectors = p.nodes(key, field="data_events")
        if isinstance(selectors, Unresolved):
            return selectors
        for selector in selectors or ():
            found = read(selector)
            if isinstance(found, Unresolved):
                return found
            selected.extend(found)
    return tuple(selected)


def _basic(selector: Node) -> list[DataEventSelector] | Unresolved:
    resources = selector.nodes("DataResources")
    if isinstance(resources, Unresolved):
        return resources
    out: list[DataEventSelector] = []
    for data in resources or ():
        values = data.refs("Values", FUNCTION)
        out.append(
            DataEventSelector(
                resource_type=data.required(data.text("Type"), "Type"),
                arn_prefixes=() if values is None else values,
            )
        )
    return out


def _advanced(selector: Node) -> list[DataEventSelector] | Unresolved:
    fields = selector.nodes("FieldSelectors")
    if fields is None or isinstance(fields, Unresolved):
        return Unresolved("AdvancedEventSelectors.FieldSelectors") if fields is None else fields
    by_field = {field.text("Field"): field for field in fields}
    category = by_field.get("eventCategory")
    if category is None:
        return []
    categories = category.texts("Equals")
    if isinstance(categories, Unresolved):
        return categories
    if "Data" not in (categories or ()):
        return []
    types = by_field["resources.type"].texts("Equals") if "resources.type" in by_field else None
    if types is None or isinstance(types, Unresolved):
        return Unresolved("advanced event selector without `resources.type`") if types is None else types
    return [
        DataEventSelector(resource_type=kind, arn_prefixes=_arns(by_field.get("resources.ARN")))
        for kind in types
    ]


def _arns(field: Node | None) -> tuple[str | Unresolved, ...] | Unresolved:
    if field is None:
        return ()
    if any(field.has(operator) for operator in _OTHER_OPERATORS):
        return Unresolved("advanced event selector excludes resources by ARN")
    return tuple(_selected(field))


def _selected(field: Node) -> Iterator[str | Unresolved]:
    for operator in _SELECTING:
        values = field.refs(operator, FUNCTION)
        if isinstance(values, Unresolved):
            yield values
        else:
            yield from values or ()
