"""The SAM `Globals` section: parsing and merging into each resource's properties, keeping line marks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from lambdasec.records import record
from lambdasec.sources.cloudformation.sam_marks import copy_dict, is_intrinsic, key_line
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["Globals", "merge_values", "parse_globals"]

Warn = Callable[[str, int | None], None]

# Properties each Globals section accepts (samtranslator.plugins.globals.globals.Globals).
_SUPPORTED: dict[str, frozenset[str]] = {
    "Function": frozenset(
        [
            "Handler",
            "Runtime",
            "CodeUri",
            "DeadLetterQueue",
            "Description",
            "MemorySize",
            "Timeout",
            "VpcConfig",
            "Environment",
            "Tags",
            "PropagateTags",
            "Tracing",
            "KmsKeyArn",
            "AutoPublishAlias",
            "AutoPublishAliasAllProperties",
            "Layers",
            "DeploymentPreference",
            "RolePath",
            "PermissionsBoundary",
            "ReservedConcurrentExecutions",
            "ProvisionedConcurrencyConfig",
            "AssumeRolePolicyDocument",
            "EventInvokeConfig",
            "FileSystemConfigs",
            "CodeSigningConfigArn",
            "Architectures",
            "SnapStart",
            "EphemeralStorage",
            "FunctionUrlConfig",
            "RuntimeManagementConfig",
            "LoggingConfig",
            "RecursiveLoop",
            "SourceKMSKeyArn",
            "TenancyConfig",
            "DurableConfig",
            "CapacityProviderConfig",
            "FunctionScalingConfig",
            "PublishToLatestPublished",
            "VersionDeletionPolicy",
        ]
    ),
    "Api": frozenset(
        [
            "Auth",
            "Name",
            "DefinitionUri",
            "CacheClusterEnabled",
            "CacheClusterSize",
            "MergeDefinitions",
            "Variables",
            "EndpointConfiguration",
            "MethodSettings",
            "BinaryMediaTypes",
            "MinimumCompressionSize",
            "Cors",
            "GatewayResponses",
            "AccessLogSetting",
            "CanarySetting",
            "TracingEnabled",
            "OpenApiVersion",
            "Domain",
            "AlwaysDeploy",
            "PropagateTags",
            "SecurityPolicy",
            "EndpointAccessMode",
        ]
    ),
    "HttpApi": frozenset(
        [
            "Auth",
            "AccessLogSettings",
            "StageVariables",
            "Tags",
            "CorsConfiguration",
            "DefaultRouteSettings",
            "Domain",
            "RouteSettings",
            "FailOnWarnings",
            "PropagateTags",
        ]
    ),
    "SimpleTable": frozenset({"SSESpecification"}),
    "StateMachine": frozenset({"PropagateTags"}),
    "LayerVersion": frozenset({"PublishLambdaVersion"}),
    "CapacityProvider": frozenset(
        [
            "VpcConfig",
            "OperatorRole",
            "Tags",
            "InstanceRequirements",
            "ScalingConfig",
            "KmsKeyArn",
            "PropagateTags",
        ]
    ),
    "WebSocketApi": frozenset(
        [
            "AccessLogSettings",
            "ApiKeySelectionExpression",
            "DefaultRouteSettings",
            "DisableExecuteApiEndpoint",
            "DisableSchemaValidation",
            "Domain",
            "FailOnWarnings",
            "IpAddressType",
            "PropagateTags",
            "RouteSelectionExpression",
            "RouteSettings",
            "StageVariables",
            "Tags",
        ]
    ),
}
_PREFIX = "AWS::Serverless::"


@record(kw_only=False)
class Globals:
    """Global properties per `AWS::Serverless::*` type, as marked mappings."""

    sections: Mapping[str, MarkedDict] = field(default_factory=dict)

    def merge(self, resource_type: str, properties: Any, *, ignore: Any = None) -> Any:
        """The resource's properties with this type's globals merged in; inputs are not mutated."""
        section = self.sections.get(resource_type)
        if not section or ignore == "*":
            return properties
        if isinstance(ignore, list):
            section = copy_dict(section)
            for name in ignore:
                section.pop(name, None)
        if properties is None:
            return section
        return merge_values(section, properties)


def parse_globals(value: Any, *, line: int, warn: Warn) -> Globals:
    """Read the `Globals` section; unsupported sections or properties are warned about and left out."""
    if value is None:
        return Globals()
    if not isinstance(value, dict):
        warn("`Globals` must be a mapping; ignored", line)
        return Globals()
    sections: dict[str, MarkedDict] = {}
    for name, props in value.items():
        supported = _SUPPORTED.get(name) if isinstance(name, str) else None
        at = key_line(value, name, line)
        if supported is None:
            warn(f"`Globals` section `{name}` is not supported by SAM; ignored", at)
            continue
        if not isinstance(props, dict):
            warn(f"`Globals.{name}` must be a mapping; ignored", at)
            continue
        kept = copy_dict(props, at)
        for key in props:
            if key not in supported:
                warn(
                    f"`{key}` is not a supported property of `Globals.{name}`; ignored",
                    key_line(props, key, at),
                )
                del kept[key]
        sections[_PREFIX + name] = kept
    return Globals(sections)


def _token(value: Any) -> str:
    if isinstance(value, dict):
        return "primitive" if is_intrinsic(value) else "dict"
    if isinstance(value, list):
        return "list"
    return "primitive"


def merge_values(global_value: Any, local_value: Any) -> Any:
    """SAM's merge: maps merge key by key, lists concatenate (global first), anything else: local wins."""
    token = _token(global_value)
    if token != _token(local_value) or token == "primitive":
        return local_value
    if token == "list":
        merged_list = MarkedList(getattr(local_value, "line", 0) or getattr(global_value, "line", 0))
        merged_list.extend(global_value)
        merged_list.extend(local_value)
        merged_list.item_lines.extend(_item_lines(global_value))
        merged_list.item_lines.extend(_item_lines(local_value))
        return merged_list
    merged = copy_dict(global_value)
    merged.line = getattr(local_value, "line", 0) or merged.line
    for key, value in local_value.items():
        merged[key] = merge_values(global_value[key], value) if key in global_value else value
        merged.key_lines[key] = key_line(local_value, key, 0)
    return merged


def _item_lines(items: list[Any]) -> list[int]:
    if isinstance(items, MarkedList) and len(items.item_lines) == len(items):
        return list(items.item_lines)
    line = getattr(items, "line", 0)
    return [line] * len(items)
