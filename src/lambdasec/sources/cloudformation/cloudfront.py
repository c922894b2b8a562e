"""Maps the Lambda@Edge associations of an AWS::CloudFront::Distribution to push triggers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from lambdasec.model import PushTrigger, TriggerKind, Unresolved
from lambdasec.sources.cloudformation.intrinsics import Link
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.references import (
    ALIAS,
    FUNCTION,
    VERSION,
    function_in_expression,
    links_in,
    resolve_function,
)

__all__ = ["EDGE_PARAMETER", "map_distribution"]

# The reason of a version ARN read from an SSM parameter by CDK's cross-region reader (an `EdgeFunction`
# of a stack outside us-east-1); the CDK source finds the parameter's stack and version.
EDGE_PARAMETER: Final = "SSM parameter "
_READER: Final = "Custom::CrossRegionStringParameterReader"


def map_distribution(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """One trigger per `LambdaFunctionAssociations` entry of the default and the other cache behaviors.

    The association names a function version (`!Ref Version`, `${Fn.Arn}:3`, a literal version ARN);
    the trigger points at the function behind it. A distribution with `Enabled: false` serves nothing.
    """
    config = resource.properties(ctx).node("DistributionConfig")
    if not isinstance(config, Node):
        return
    enabled = config.flag("Enabled", field="enabled")
    behaviors: list[tuple[str, Node]] = []
    default = config.node("DefaultCacheBehavior")
    if isinstance(default, Node):
        behaviors.append(("DefaultCacheBehavior", default))
    behaviors.extend(
        (f"CacheBehaviors/{index}", node) for index, node in enumerate(_nodes(config, "CacheBehaviors"))
    )
    for path, behavior in behaviors:
        for index, entry in enumerate(_nodes(behavior, "LambdaFunctionAssociations")):
            raw = entry.data.get("LambdaFunctionARN")
            if raw is None:
                entry.missing("LambdaFunctionARN")
                continue
            entry.note("function", "LambdaFunctionARN")
            entry.fields.extend(config.fields)
            name = f"{resource.logical_id}/{path}/LambdaFunctionAssociations/{index}"
            yield PushTrigger(
                key=ctx.key(name),
                function=_function(ctx, raw),
                kind=TriggerKind.CLOUDFRONT,
                source=ctx.key(resource.logical_id),
                detail=entry.text("EventType", field="detail"),
                enabled=True if enabled is None else enabled,
                origin=ctx.origin(name, line=entry.line, fields=entry.fields),
            )


def _function(ctx: Context, raw: Any) -> str | Unresolved:
    """The function a version ARN names, also when it is built from the function and its version
    (`!Join [":", [!GetAtt Fn.Arn, !GetAtt Version.Version]]`): all its parts name the same function.
    An ARN CDK's cross-region reader gets from SSM stays unknown, naming the parameter (`EDGE_PARAMETER`)."""
    found = function_in_expression(ctx, raw)
    if isinstance(found, str):
        return found
    value = ctx.resolver.resolve(raw)
    if isinstance(value, Link) and ctx.types.get(value.logical_id) == _READER:
        props = ctx.resources[value.logical_id].get("Properties")
        name = props.get("ParameterName") if isinstance(props, dict) else None
        return Unresolved(f"{EDGE_PARAMETER}{name}") if isinstance(name, str) else found
    invokable = FUNCTION | ALIAS | VERSION
    links = [link for link in links_in(ctx, raw) if ctx.types.get(link.logical_id) in invokable]
    functions = {resolve_function(ctx, link).function for link in links}
    if len(functions) == 1 and isinstance(only := functions.pop(), str):
        return only
    return found


def _nodes(p: Node, key: str) -> list[Node]:
    nodes = p.nodes(key, own_fields=True)
    return [] if nodes is None or isinstance(nodes, Unresolved) else nodes
