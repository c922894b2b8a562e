"""serverless-plugin-cloudfront-lambda-edge: `lambdaAtEdge` functions on a distribution of `resources`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import copy_dict, is_intrinsic, key_line, node, put, seq
from lambdasec.sources.serverless.naming import function_id
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["EdgePlugin"]

PLUGIN: Final = "serverless-plugin-cloudfront-lambda-edge"
_DISTRIBUTION: Final = "AWS::CloudFront::Distribution"


@record
class _Association:
    function: str
    distribution: str
    event_type: Any
    line: int
    event_line: int
    existing: bool  # `distributionID` given: the distribution may live outside the stack


@dataclass(slots=True, kw_only=True)
class EdgePlugin:
    """What the plugin does: after each deploy it associates every `lambdaAtEdge` function's new version
    with the default and every other cache behavior of the named distribution (replacing the association
    of the same event type), and it drops the function's environment variables (Lambda@Edge has none).
    The model takes the associations as if the distribution declared them."""

    diagnostics: Diagnostics
    _associations: list[_Association] = field(default_factory=list)

    @classmethod
    def of(cls, plugins: Iterable[Any], *, diagnostics: Diagnostics) -> EdgePlugin | None:
        """The plugin's work when the service lists it (or a fork of it), else None."""
        used = any(isinstance(name, str) and PLUGIN in name for name in plugins)
        return cls(diagnostics=diagnostics) if used else None

    def read(self, spec: MarkedDict, properties: MarkedDict, *, function: str, line: int) -> None:
        """Collect a function's `lambdaAtEdge: {distribution, eventType}` (or a list of them)."""
        if "lambdaAtEdge" not in spec:
            return
        value = spec["lambdaAtEdge"]
        at = key_line(spec, "lambdaAtEdge", line)
        found = False
        for entry in value if isinstance(value, list) else [value]:
            distribution = entry.get("distribution") if isinstance(entry, dict) else None
            if not isinstance(distribution, str) or is_intrinsic(entry):
                self.diagnostics.warn(f"`lambdaAtEdge` of function `{function}` needs a `distribution`", at)
                continue
            found = True
            self._associations.append(
                _Association(
                    function=function,
                    distribution=distribution,
                    event_type=entry.get("eventType"),
                    line=getattr(entry, "line", 0) or at,
                    event_line=key_line(entry, "eventType", at),
                    existing="distributionID" in entry,
                )
            )
        environment = properties.get("Environment")
        if found and isinstance(environment, dict):
            kept = copy_dict(environment)
            kept.pop("Variables", None)
            if kept:
                properties["Environment"] = kept
            else:
                properties.pop("Environment")
                properties.key_lines.pop("Environment", None)

    def apply(self, resources: MarkedDict) -> None:
        """Add the collected associations to the distributions of `resources` (copies; input untouched)."""
        for name in dict.fromkeys(a.distribution for a in self._associations):
            associations = [a for a in self._associations if a.distribution == name]
            resource = resources.get(name)
            if not isinstance(resource, dict) or resource.get("Type") != _DISTRIBUTION:
                if not all(a.existing for a in associations):
                    message = f"`lambdaAtEdge` names `{name}`, not a CloudFront distribution of `resources`"
                    self.diagnostics.warn(message, associations[0].line)
                continue
            resources[name] = _associated(resource, associations)


def _associated(resource: dict[str, Any], associations: list[_Association]) -> MarkedDict:
    out = copy_dict(resource)
    props = out.get("Properties")
    config = props.get("DistributionConfig") if isinstance(props, dict) else None
    if not isinstance(props, dict) or not isinstance(config, dict) or is_intrinsic(config):
        return out
    config = copy_dict(config)
    default = config.get("DefaultCacheBehavior")
    if isinstance(default, dict) and not is_intrinsic(default):
        config["DefaultCacheBehavior"] = _behavior(default, associations)
    behaviors = config.get("CacheBehaviors")
    if isinstance(behaviors, list):
        updated = MarkedList(getattr(behaviors, "line", 0))
        updated.extend(
            _behavior(b, associations) if isinstance(b, dict) and not is_intrinsic(b) else b
            for b in behaviors
        )
        updated.item_lines = list(getattr(behaviors, "item_lines", []))
        config["CacheBehaviors"] = updated
    props = copy_dict(props)
    props["DistributionConfig"] = config
    out["Properties"] = props
    return out


def _behavior(behavior: dict[str, Any], associations: list[_Association]) -> MarkedDict:
    out = copy_dict(behavior)
    existing = out.get("LambdaFunctionAssociations")
    entries = list(existing) if isinstance(existing, list) else []
    lines = list(getattr(existing, "item_lines", [])) or [out.line] * len(entries)
    for association in associations:
        kept = [
            (entry, at)
            for entry, at in zip(entries, lines, strict=False)
            if not (isinstance(entry, dict) and entry.get("EventType") == association.event_type)
        ]
        entries, lines = [e for e, _ in kept], [at for _, at in kept]
        arn = node(association.line, [("Fn::GetAtt", [function_id(association.function), "Arn"])])
        entry = node(association.line, [("LambdaFunctionARN", arn)])
        if association.event_type is not None:
            put(entry, "EventType", association.event_type, association.event_line)
        entries.append(entry)
        lines.append(association.line)
    put(out, "LambdaFunctionAssociations", seq(out.line, entries, lines), out.line)
    return out
