"""`cloudFront` events as the CloudFront distribution, versions and permissions the framework creates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import is_intrinsic, key_line, node, put, seq
from lambdasec.sources.serverless.naming import function_id, normalized
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["DISTRIBUTION_ID", "EdgeDistribution", "edge_logs_statement", "prepare_edge_function"]

DISTRIBUTION_ID: Final = "CloudFrontDistribution"
_PRINCIPAL: Final = "edgelambda.amazonaws.com"
# What the framework sets on a Lambda@Edge function that does not set it itself (viewer-event limits).
_EDGE_MEMORY: Final = 128
_EDGE_TIMEOUT: Final = 5
_LOGS_ACTIONS: Final = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")


@dataclass(slots=True, kw_only=True)
class _Behavior:
    """One cache behavior: its path pattern (None for the default one) and its function associations."""

    path_pattern: Any
    line: int
    associations: list[MarkedDict] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class EdgeDistribution:
    """The one distribution the framework creates for all `cloudFront` events of a service.

    Each event adds a Lambda@Edge association (on the version the framework publishes for the function)
    to the cache behavior of its `pathPattern`, the default behavior when it has none. The framework also
    gives each such function a version and lets CloudFront (`edgelambda.amazonaws.com`) invoke it.
    """

    diagnostics: Diagnostics
    resources: MarkedDict
    functions: set[str] = field(default_factory=set)
    _behaviors: dict[str, _Behavior] = field(default_factory=dict)
    _default: _Behavior | None = None
    _line: int = 0

    def add(self, spec: Any, *, line: int, function: str) -> None:
        """Add one `cloudFront: {eventType, pathPattern, includeBody, origin, behavior}` event."""
        if not isinstance(spec, dict) or is_intrinsic(spec):
            self.diagnostics.error("`cloudFront` event must be a mapping with an `eventType`", line)
            return
        self.functions.add(function)
        version = self._version(function, line=line)
        association = node(line, [("LambdaFunctionARN", node(line, [("Ref", version)]))])
        if "eventType" in spec:
            put(association, "EventType", spec["eventType"], key_line(spec, "eventType", line))
        if spec.get("includeBody") is not None:
            put(association, "IncludeBody", spec["includeBody"], key_line(spec, "includeBody", line))
        self._behavior(spec.get("pathPattern"), line=line).associations.append(association)
        self._emit(line)

    def _version(self, function: str, *, line: int) -> str:
        """The version the framework publishes for an edge function, and CloudFront's permission on it."""
        version = f"{normalized(function)}LambdaVersion"
        if version not in self.resources:
            target = node(line, [("FunctionName", node(line, [("Ref", function_id(function))]))])
            self._set(version, kind="AWS::Lambda::Version", properties=target, line=line)
            source = node(
                line,
                [
                    (
                        "Fn::Sub",
                        f"arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{DISTRIBUTION_ID}}}",
                    )
                ],
            )
            permission = node(
                line,
                [
                    ("FunctionName", node(line, [("Ref", version)])),
                    ("Action", "lambda:InvokeFunction"),
                    ("Principal", _PRINCIPAL),
                    ("SourceArn", source),
                ],
            )
            self._set(
                f"{normalized(function)}LambdaAtEdgeInvokePermission",
                kind="AWS::Lambda::Permission",
                properties=permission,
                line=line,
            )
        return version

    def _behavior(self, path_pattern: Any, *, line: int) -> _Behavior:
        if not isinstance(path_pattern, str):
            if self._default is None:
                self._default = _Behavior(path_pattern=None, line=line)
            return self._default
        if path_pattern not in self._behaviors:
            self._behaviors[path_pattern] = _Behavior(path_pattern=path_pattern, line=line)
        return self._behaviors[path_pattern]

    def _emit(self, line: int) -> None:
        """(Re)write the distribution with every association so far."""
        self._line = self._line or line
        config = node(self._line, [("Enabled", True)])
        default = self._default or _Behavior(path_pattern=None, line=self._line)
        put(config, "DefaultCacheBehavior", _behavior_node(default), default.line)
        others = list(self._behaviors.values())
        if others:
            behaviors = seq(self._line, [_behavior_node(b) for b in others], [b.line for b in others])
            put(config, "CacheBehaviors", behaviors, self._line)
        distribution = node(self._line, [("DistributionConfig", config)])
        self._set(
            DISTRIBUTION_ID, kind="AWS::CloudFront::Distribution", properties=distribution, line=self._line
        )

    def _set(self, logical_id: str, *, kind: str, properties: MarkedDict, line: int) -> None:
        """Write a generated resource; a `resources:` entry of the same id is merged over it later."""
        resource = node(line, [("Type", kind)])
        put(resource, "Properties", properties, line)
        self.resources[logical_id] = resource
        self.resources.key_lines.setdefault(logical_id, line)


def _behavior_node(behavior: _Behavior) -> MarkedDict:
    out = node(behavior.line, [])
    if behavior.path_pattern is not None:
        put(out, "PathPattern", behavior.path_pattern, behavior.line)
    lines = [a.line for a in behavior.associations]
    put(
        out,
        "LambdaFunctionAssociations",
        seq(behavior.line, list(behavior.associations), lines),
        behavior.line,
    )
    return out


def prepare_edge_function(properties: MarkedDict, spec: Any, *, line: int) -> None:
    """What the framework does to a function with `cloudFront` events: Lambda@Edge runs it without the VPC
    and the environment variables it declares, and with 128 MB and 5 s unless the function sets them."""
    for key in ("Environment", "VpcConfig"):
        properties.pop(key, None)
        properties.key_lines.pop(key, None)
    settings = spec if isinstance(spec, dict) else {}
    if "memorySize" not in settings:
        put(properties, "MemorySize", _EDGE_MEMORY, line)
    if "timeout" not in settings:
        put(properties, "Timeout", _EDGE_TIMEOUT, line)


def edge_logs_statement(line: int) -> MarkedDict:
    """The statement the framework adds to its execution role once a service has `cloudFront` events:
    the replicas of a function log to `/aws/lambda/us-east-1.<name>` in every region they run in."""
    resource = node(line, [("Fn::Sub", "arn:${AWS::Partition}:logs:*:*:*")])
    return node(
        line,
        [
            ("Effect", "Allow"),
            ("Action", seq(line, list(_LOGS_ACTIONS))),
            ("Resource", seq(line, [resource])),
        ],
    )
