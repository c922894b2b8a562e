"""Joins CDK's cross-region Lambda@Edge functions to the distributions that read their version ARN."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.model import Inventory, PushTrigger, TriggerKind, Unresolved
from lambdasec.sources.cloudformation.cloudfront import EDGE_PARAMETER

__all__ = ["edge_parameters", "with_edge_functions"]

_PARAMETER: Final = "AWS::SSM::Parameter"
_VERSION: Final = "AWS::Lambda::Version"


def edge_parameters(body: Mapping[str, Any], *, file: str) -> dict[str, str]:
    """SSM parameter name -> inventory key of the function version whose ARN the parameter holds.

    An `experimental.EdgeFunction` of a stack outside us-east-1 lives in a us-east-1 stack of the same
    assembly, which writes `Name: /cdk/EdgeFunctionArn/...`, `Value: !Ref <Fn>CurrentVersion...`.
    """
    resources = body.get("Resources")
    if not isinstance(resources, Mapping):
        return {}
    found: dict[str, str] = {}
    for resource in resources.values():
        if not isinstance(resource, Mapping) or resource.get("Type") != _PARAMETER:
            continue
        props = resource.get("Properties")
        name = props.get("Name") if isinstance(props, Mapping) else None
        value = props.get("Value") if isinstance(props, Mapping) else None
        target = value.get("Ref") if isinstance(value, Mapping) and len(value) == 1 else None
        version = resources.get(target) if isinstance(target, str) else None
        if isinstance(name, str) and isinstance(version, Mapping) and version.get("Type") == _VERSION:
            found[name] = f"{file}#{target}"
    return found


def with_edge_functions(inventory: Inventory, parameters: Mapping[str, str]) -> Inventory:
    """`inventory` with Lambda@Edge triggers read through a cross-region parameter on their function."""
    if not parameters:
        return inventory
    versions = {version.key: version.function for version in inventory.versions}
    triggers = tuple(
        _joined(trigger, parameters=parameters, versions=versions) for trigger in inventory.push_triggers
    )
    return dataclasses.replace(inventory, push_triggers=triggers)


def _joined(
    trigger: PushTrigger, *, parameters: Mapping[str, str], versions: Mapping[str, str | Unresolved]
) -> PushTrigger:
    function = trigger.function
    if trigger.kind is not TriggerKind.CLOUDFRONT or not isinstance(function, Unresolved):
        return trigger
    if not function.reason.startswith(EDGE_PARAMETER):
        return trigger
    version = parameters.get(function.reason.removeprefix(EDGE_PARAMETER))
    target = versions.get(version) if version is not None else None
    return trigger if target is None else dataclasses.replace(trigger, function=target)
