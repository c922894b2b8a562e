"""Maps the Lambda@Edge associations of an AWS::CloudFront::Distribution to push triggers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from lambdasec.model import PushTrigger, TriggerKind, Unresolved
from lambdasec.sources.cloudformation.intrinsics import Link, describe, intrinsic_name
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.references import (
    ALIAS,
    FUNCTION,
    VERSION,
    function_in_expression,
    links_in,
    resolve_function,
)
from lambdasec.sources.yaml_loader import MarkedList

__all__ = ["EDGE_PARAMETER", "map_distribution"]

# The reason of a version ARN read from an SSM parameter by CDK's cross-region reader (an `EdgeFunction`
# of a stack outside us-east-1); the CDK source finds the parameter's stack and version.
EDGE_PARAMETER: Final = "SSM parameter "
_READER: Final = "Custom::CrossRegionStringParameterReader"


def map_distribution(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """One trigger per `LambdaFunctionAssociations` entry of the default and the other cache behaviors.

    The association names a function version (`!Ref Version`, `${Fn.Arn}:3`, a literal version ARN);
    the trigger points at the function behind it. A distribution with `Enabled: false` serves nothing;
    a behavior or an association that exists only under a condition that cannot be evaluated
    (`!If [Cond, {...}, !Ref AWS::NoValue]`) may exist: its trigger's `enabled` is Unresolved.
    """
    config = resource.properties(ctx).node("DistributionConfig")
    if not isinstance(config, Node):
        return
    flag = config.flag("Enabled", field="enabled")
    enabled = True if flag is None else flag
    behaviors: list[tuple[str, Node, bool | Unresolved]] = []
    default = config.node("DefaultCacheBehavior")
    if isinstance(default, Node):
        behaviors.append(("DefaultCacheBehavior", default, enabled))
    behaviors.extend(
        (f"CacheBehaviors/{index}", node, _both(enabled, when))
        for index, node, when in _entries(config, "CacheBehaviors")
    )
    for path, behavior, active in behaviors:
        for index, entry, when in _entries(behavior, "LambdaFunctionAssociations"):
            raw = entry.reference("LambdaFunctionARN", field="function")
            if raw is None:
                continue
            entry.fields.extend(config.fields)
            name = f"{resource.logical_id}/{path}/LambdaFunctionAssociations/{index}"
            yield PushTrigger(
                key=ctx.key(name),
                function=_function(ctx, raw),
                kind=TriggerKind.CLOUDFRONT,
                source=ctx.key(resource.logical_id),
                detail=entry.text("EventType", field="detail"),
                enabled=_both(active, when),
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


def _entries(p: Node, key: str) -> Iterator[tuple[int, Node, bool | Unresolved]]:
    """(index, mapping, whether it exists) of a list property; an item `!If [Cond, {...}, ...]` whose
    condition cannot be evaluated gives its mapping branches, each existing only possibly."""
    raw = p.data.get(key)
    if (
        isinstance(raw, dict)
        and intrinsic_name(raw) == "Fn::If"
        and isinstance(p.ctx.resolver.resolve(raw), Unresolved)
    ):
        arg = raw.get("Fn::If")  # the whole list under a condition: each branch's items may exist
        if isinstance(arg, list) and len(arg) == 3:
            when = Unresolved(f"condition {describe(arg[0])}")
            for branch in arg[1:]:
                found = p.ctx.resolver.resolve(branch)
                for index, item in enumerate(found if isinstance(found, list) else []):
                    value = p.ctx.resolver.resolve(item)
                    if isinstance(value, dict):
                        yield index, p.child(value, f"{key}[{index}]", line=p.line_of(key), fields=[]), when
        return
    if not isinstance(raw, list) or not any(intrinsic_name(item) == "Fn::If" for item in raw):
        for index, node in enumerate(_nodes(p, key)):
            yield index, node, True
        return
    lines = raw.item_lines if isinstance(raw, MarkedList) else []
    for index, item in enumerate(raw):
        line = lines[index] if index < len(lines) else p.line_of(key)
        value = p.ctx.resolver.resolve(item) if isinstance(item, dict) else item
        if isinstance(value, dict):
            yield index, p.child(value, f"{key}[{index}]", line=line, fields=[]), True
            continue
        arg = (
            item.get("Fn::If") if isinstance(value, Unresolved) and intrinsic_name(item) == "Fn::If" else None
        )
        if not (isinstance(arg, list) and len(arg) == 3):
            continue
        when = Unresolved(f"condition {describe(arg[0])}")
        for branch in arg[1:]:
            found = p.ctx.resolver.resolve(branch)
            if isinstance(found, dict):
                yield index, p.child(found, f"{key}[{index}]", line=line, fields=[]), when


def _both(first: bool | Unresolved, second: bool | Unresolved) -> bool | Unresolved:
    """Whether something exists that needs both: False wins over unknown, unknown over True."""
    if first is False or second is False:
        return False
    return first if isinstance(first, Unresolved) else second


def _nodes(p: Node, key: str) -> list[Node]:
    nodes = p.nodes(key, own_fields=True)
    return [] if nodes is None or isinstance(nodes, Unresolved) else nodes
