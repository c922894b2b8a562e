"""Parameter values a parent template gives the local child templates of its nested stacks."""

# CloudFormation creates a nested stack (`AWS::CloudFormation::Stack` `TemplateURL`, SAM's
# `AWS::Serverless::Application` `Location`) with the values of its `Parameters` property, not with the
# child's defaults. When the child is a scanned file, those values are the child's parameters: evaluated in
# the parent (over its own given values, for stacks nested deeper). A value the parent cannot evaluate, or a
# child two nested stacks use with different values, is Unresolved with a reason naming the parent's
# `Parameters` entry; a parameter no parent passes keeps its default. Parents are read in path order, so the
# result does not depend on the order the files were found in.

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeAlias

from lambdasec.model import Unresolved
from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import NO_VALUE, Link, Resolver, describe, to_text
from lambdasec.sources.cloudformation.template import Template

__all__ = ["Given", "declared_parameters", "given_parameters", "nests_stacks"]

# Values given to one child: parameter name -> value (a scalar, a list of scalars, or Unresolved).
Given: TypeAlias = Mapping[str, Any]

_REMOTE: Final = ("https://", "http://", "s3://")
_LOCATION: Final = {"AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"}


@record(kw_only=False)
class _Use:
    """One nested stack of `parent` whose template is a scanned file."""

    parent: Template
    logical_id: str
    parameters: Any  # the raw `Parameters` property


def nests_stacks(template: Template) -> bool:
    """True when the template declares a nested stack or application (whose child may be scanned)."""
    resources = template.body.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(isinstance(body, dict) and body.get("Type") in _LOCATION for body in resources.values())


def declared_parameters(template: Template) -> tuple[str, ...]:
    """The names of the template's parameters."""
    parameters = template.body.get("Parameters")
    return tuple(str(name) for name in parameters) if isinstance(parameters, dict) else ()


def given_parameters(
    parents: Iterable[Template], *, children: Mapping[str, tuple[str, ...]]
) -> dict[str, Given]:
    """The values given to each child among `children` (display path -> names of its parameters).

    `parents` are the templates that nest stacks; a child no parent uses is absent from the result.
    """
    uses: dict[str, list[_Use]] = {}
    for parent in sorted(parents, key=lambda template: template.file):
        for child, use in _local_uses(parent, children):
            uses.setdefault(child, []).append(use)
    linker = _Linker(uses, children)
    return {child: linker.given(child, ()) for child in sorted(uses)}


def _local_uses(parent: Template, children: Mapping[str, tuple[str, ...]]) -> list[tuple[str, _Use]]:
    """(child file, use) of every nested stack of `parent` whose template is one of `children`."""
    resolver = Resolver(parent.body, diagnostics=_quiet(parent), pseudo=dict(parent.pseudo))
    found: list[tuple[str, _Use]] = []
    for logical_id, body in parent.body["Resources"].items():
        key = _LOCATION.get(str(body.get("Type"))) if isinstance(body, dict) else None
        properties = resolver.resolve(body.get("Properties")) if key is not None else None
        if key is None or not isinstance(properties, dict) or not resolver.included(body):
            continue
        location = resolver.deep(properties.get(key))
        if not isinstance(location, str) or location.lower().startswith(_REMOTE):
            continue
        child = posixpath.normpath(posixpath.join(posixpath.dirname(parent.file), location))
        if child in children and child != parent.file:
            found.append((child, _Use(parent, str(logical_id), properties.get("Parameters"))))
    return found


def _quiet(template: Template) -> Diagnostics:
    """Diagnostics thrown away: mapping the parent reports what its expressions get wrong."""
    return Diagnostics(file=template.file, source=template.source)


class _Linker:
    """Evaluates the values each child is given, parents first (memoized; a cycle gives nothing)."""

    def __init__(self, uses: dict[str, list[_Use]], children: Mapping[str, tuple[str, ...]]) -> None:
        self.uses = uses
        self.children = children
        self.done: dict[str, Given] = {}

    def given(self, child: str, visiting: tuple[str, ...]) -> Given:
        if child in self.done:
            return self.done[child]
        if child in visiting:
            return {}
        uses = self.uses.get(child, [])
        per_use = [self._values(use, child=child, visiting=(*visiting, child)) for use in uses]
        result = per_use[0] if len(per_use) == 1 else _agreed(per_use, uses)
        self.done[child] = result
        return result

    def _values(self, use: _Use, *, child: str, visiting: tuple[str, ...]) -> dict[str, Any]:
        parent = use.parent
        resolver = Resolver(
            parent.body,
            diagnostics=_quiet(parent),
            pseudo=dict(parent.pseudo),
            parameters=self.given(parent.file, visiting) if parent.file in self.uses else None,
        )
        where = f"{use.logical_id}.Parameters"
        passed = resolver.resolve(use.parameters) if use.parameters is not None else NO_VALUE
        if passed is NO_VALUE:
            return {}
        if not isinstance(passed, dict):
            reason = f"{where} in {parent.file}: {describe(use.parameters)}"
            return {name: Unresolved(reason) for name in self.children.get(child, ())}
        values: dict[str, Any] = {}
        for name, raw in passed.items():
            value = resolver.deep(raw)
            if value is not NO_VALUE:
                values[str(name)] = _parameter_value(value, raw, where=f"{where}.{name} in {parent.file}")
        return values


def _parameter_value(value: Any, raw: Any, *, where: str) -> Any:
    """A value as the child's parameter receives it: a scalar or a list of scalars; else Unresolved."""
    if to_text(value) is not None:
        return value
    if isinstance(value, list) and all(to_text(item) is not None for item in value):
        return list(value)
    if isinstance(value, Unresolved):
        return Unresolved(f"{where}: {value.reason}")
    if isinstance(value, Link):
        return Unresolved(f"{where}: {value.describe()}")
    return Unresolved(f"{where}: {describe(raw)}")


def _agreed(per_use: list[dict[str, Any]], uses: list[_Use]) -> dict[str, Any]:
    """The values of a child several nested stacks use: those all of them pass alike, else Unresolved."""
    names = sorted({name for values in per_use for name in values})
    out: dict[str, Any] = {}
    for name in names:
        values = [values.get(name, NO_VALUE) for values in per_use]
        first = values[0]
        if first is not NO_VALUE and all(v == first and not isinstance(v, Unresolved) for v in values):
            out[name] = first
        else:
            shown = " and ".join(f"{use.logical_id}.Parameters.{name} in {use.parent.file}" for use in uses)
            out[name] = Unresolved(f"{name} is given differently by {shown}")
    return out
