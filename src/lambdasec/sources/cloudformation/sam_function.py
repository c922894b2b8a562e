"""`AWS::Serverless::Function` -> Lambda function, execution role, version/alias, URL and invoke config."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from lambdasec.sources.cloudformation.sam_context import Expander, FunctionRef
from lambdasec.sources.cloudformation.sam_events import expand_events
from lambdasec.sources.cloudformation.sam_marks import copy_dict, get_att, keep, key_line, node, put, single
from lambdasec.sources.cloudformation.sam_policies import (
    RoleParts,
    add_policies,
    managed_policy_arn,
    role_properties,
    tag_list,
)
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["LOCAL_PATH_KEY", "code_location", "expand_function"]

LOCAL_PATH_KEY = "lambdasec:LocalPath"

# SAM properties copied to AWS::Lambda::Function unchanged (value and line).
_PASS_THROUGH = (
    "FunctionName",
    "Description",
    "Handler",
    "Runtime",
    "MemorySize",
    "Timeout",
    "VpcConfig",
    "Role",
    "Environment",
    "KmsKeyArn",
    "ReservedConcurrentExecutions",
    "Layers",
    "FileSystemConfigs",
    "ImageConfig",
    "PackageType",
    "Architectures",
    "SnapStart",
    "EphemeralStorage",
    "CodeSigningConfigArn",
    "RuntimeManagementConfig",
    "LoggingConfig",
    "TenancyConfig",
    "RecursiveLoop",
    "DurableConfig",
    "FunctionScalingConfig",
    "PublishToLatestPublished",
    "CapacityProviderConfig",
)
_DLQ_ACTIONS = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish"}
_DESTINATION_POLICIES: dict[str, tuple[str, str]] = {
    "SQS": ("SQSPolicy", "sqs:SendMessage"),
    "SNS": ("SNSPolicy", "sns:publish"),
    "EventBridge": ("EventBridgePolicy", "events:PutEvents"),
    "Lambda": ("LambdaPolicy", "lambda:InvokeFunction"),
}
_S3_URI = re.compile(r"^s3://(?P<bucket>[^/]+)/(?P<key>[^?]+)(?:\?versionId=(?P<version>.+))?$")
_ALIAS = re.compile(r"^(?!\d+$)[A-Za-z0-9_-]+$")


def expand_function(ex: Expander, logical_id: str, resource: MarkedDict, props: Any) -> None:
    """Replace the SAM function `logical_id` by the CloudFormation SAM generates for it."""
    line = ex.resource_line(logical_id)
    if props is None:
        props = MarkedDict(line)
    if not isinstance(props, dict):
        ex.warn(f"`Properties` of `{logical_id}` must be a mapping; function skipped", line)
        ex.drop(logical_id)
        return
    props = _resolved_alias_name(ex, props)
    fn_props = node(getattr(props, "line", 0) or line)
    if type(props) is MarkedDict:  # `keep` of each present key, inlined (every function passes ~8)
        marks, fallback, kept = props.key_lines, props.line, fn_props.key_lines
        for key in [key for key in _PASS_THROUGH if key in props]:
            fn_props[key] = props[key]
            kept[key] = marks.get(key, 0) or fallback
    else:
        for key in [key for key in _PASS_THROUGH if key in props]:
            keep(fn_props, props, key)
    _add_code(ex, fn_props, props, logical_id=logical_id, line=line)
    put(
        fn_props,
        "Tags",
        tag_list(props.get("Tags"), line=line, sam_tag=ex.sam_tags),
        _line(props, "Tags", line),
    )
    tracing = props.get("Tracing")
    traced = "Tracing" in props and tracing != "Disabled"
    if traced:
        at = _line(props, "Tracing", line)
        put(fn_props, "TracingConfig", node(at, [("Mode", tracing)]), at)
    dlq = _dead_letter_queue(ex, props, line=line)
    if dlq is not None:
        at = _line(props, "DeadLetterQueue", line)
        target = node(at)
        keep(target, dlq, "TargetArn")
        put(fn_props, "DeadLetterConfig", target, at)

    alias = _alias_id(ex, logical_id, props, line=line)
    # What `Owner.of` reads, without building the owner only to copy two of its fields.
    condition, metadata = (
        (resource.get("Condition"), resource.get("Metadata")) if isinstance(resource, dict) else (None, None)
    )
    fn = FunctionRef(logical_id=logical_id, alias=alias, condition=condition, metadata=metadata)
    parts: RoleParts | None = None
    if "Role" not in props:
        parts = RoleParts()
        put(fn_props, "Role", get_att(line, f"{logical_id}Role"), line)
        parts.add_managed(managed_policy_arn("service-role/AWSLambdaBasicExecutionRole"), line)
        if traced:
            parts.add_managed(managed_policy_arn("AWSXrayWriteOnlyAccess"), _line(props, "Tracing", line))
        if props.get("VpcConfig"):
            parts.add_managed(
                managed_policy_arn("service-role/AWSLambdaVPCAccessExecutionRole"),
                _line(props, "VpcConfig", line),
            )
        if dlq is not None and dlq.get("Type") in _DLQ_ACTIONS:
            at = _line(props, "DeadLetterQueue", line)
            statement = node(
                at,
                [
                    ("Action", _DLQ_ACTIONS[dlq["Type"]]),
                    ("Resource", dlq.get("TargetArn")),
                    ("Effect", "Allow"),
                ],
            )
            parts.add_policy(
                "DeadLetterQueuePolicy", node(at, [("Version", "2012-10-17"), ("Statement", [statement])]), at
            )

    ex.replace_resource(logical_id, "AWS::Lambda::Function", fn_props)

    if alias is not None:
        _add_version_and_alias(ex, fn, fn_props, props, alias=alias)
    _add_url(ex, fn, props)
    _add_event_invoke_config(ex, fn, props, parts=parts)
    if parts is not None:
        add_policies(
            parts,
            props.get("Policies"),
            role_id=f"{logical_id}Role",
            line=_line(props, "Policies", line),
            warn=ex.warn,
        )
    expand_events(ex, fn, props.get("Events"), parts=parts, events_line=_line(props, "Events", line))
    if parts is not None:
        ex.emit(
            f"{logical_id}Role",
            "AWS::IAM::Role",
            role_properties(parts, props=props, line=line),
            line=line,
            owner=fn,
        )


def _line(container: Any, key: str, default: int) -> int:
    """The line of `container[key]` when it is set and marked, else `default`."""
    if type(container) is MarkedDict:
        return container.key_lines.get(key) or default
    return default


def _add_code(ex: Expander, fn_props: MarkedDict, props: Any, *, logical_id: str, line: int) -> None:
    if props.get("PackageType") == "Image":
        source_key, code = "ImageUri", None
        if "ImageUri" in props:
            code = node(_line(props, "ImageUri", line), [("ImageUri", props["ImageUri"])])
    elif "InlineCode" in props:
        source_key = "InlineCode"
        code = node(_line(props, source_key, line), [("ZipFile", props[source_key])])
    else:
        source_key = "CodeUri"
        code = code_location(props.get("CodeUri", "."), _line(props, source_key, line))
    at = _line(props, source_key, line)
    if code is None:
        ex.warn(
            f"`{source_key}` of `{logical_id}` is not a path, an S3 URI or a Bucket/Key mapping; "
            "code location unknown",
            at,
        )
        return
    if "SourceKMSKeyArn" in props:
        keep(code, props, "SourceKMSKeyArn")
    put(fn_props, "Code", code, at)


def code_location(uri: Any, line: int) -> MarkedDict | None:
    """`Code`/`Content` for a SAM `CodeUri`/`ContentUri`: S3 URI or Bucket/Key mapping, else a local path."""
    if isinstance(uri, str):
        match = _S3_URI.match(uri)
        if match is None:
            return single(line, LOCAL_PATH_KEY, uri)
        code = node(line, [("S3Bucket", match["bucket"]), ("S3Key", match["key"])])
        if match["version"]:
            put(code, "S3ObjectVersion", match["version"], line)
        return code
    if isinstance(uri, dict) and "Bucket" in uri and "Key" in uri:
        code = node(getattr(uri, "line", 0) or line)
        for key, as_key in (("Bucket", "S3Bucket"), ("Key", "S3Key"), ("Version", "S3ObjectVersion")):
            keep(code, uri, key, as_key=as_key)
        return code
    return None


def _dead_letter_queue(ex: Expander, props: Any, *, line: int) -> Any:
    dlq = props.get("DeadLetterQueue")
    if dlq is None:
        return None
    at = _line(props, "DeadLetterQueue", line)
    if not isinstance(dlq, dict) or dlq.get("Type") not in _DLQ_ACTIONS or "TargetArn" not in dlq:
        ex.warn("`DeadLetterQueue` needs `Type` (SQS or SNS) and `TargetArn`; ignored", at)
        return None
    return dlq


def _resolved_alias_name(ex: Expander, props: Any) -> Any:
    """`props` with an `AutoPublishAlias` of `Ref: <parameter>` replaced by the parameter's default.

    SAM resolves that one intrinsic in the alias name (from the values the stack is deployed with); a
    parameter without a default leaves the reference in place.
    """
    name = props.get("AutoPublishAlias")
    if not (isinstance(name, dict) and len(name) == 1 and isinstance(name.get("Ref"), str)):
        return props
    parameter = ex.parameters.get(name["Ref"]) if isinstance(ex.parameters, dict) else None
    default = parameter.get("Default") if isinstance(parameter, dict) else None
    if not isinstance(default, str | int) or isinstance(default, bool):
        return props
    resolved = copy_dict(props)
    resolved["AutoPublishAlias"] = str(default)
    return resolved


def _alias_id(ex: Expander, logical_id: str, props: Any, *, line: int) -> str | None:
    name = props.get("AutoPublishAlias")
    if name is None:
        return None
    if not isinstance(name, str) or not _ALIAS.match(name):
        ex.warn(
            "`AutoPublishAlias` must be an alias name (letters, digits, - and _); no alias generated",
            _line(props, "AutoPublishAlias", line),
        )
        return None
    return f"{logical_id}Alias{name.replace('-', 'D').replace('_', 'U')}"


def _add_version_and_alias(
    ex: Expander, fn: FunctionRef, fn_props: MarkedDict, props: Any, *, alias: str
) -> None:
    at = _line(props, "AutoPublishAlias", ex.resource_line(fn.logical_id))
    code = json.dumps(fn_props.get("Code"), sort_keys=True, default=str)
    version_id = f"{fn.logical_id}Version{hashlib.sha1(code.encode()).hexdigest()[:10]}"
    version = node(at, [("FunctionName", {"Ref": fn.logical_id})])
    keep(version, props, "VersionDescription", as_key="Description")
    policy = props.get("VersionDeletionPolicy", "Retain")
    ex.emit(
        version_id, "AWS::Lambda::Version", version, line=at, owner=fn, extra=(("DeletionPolicy", policy),)
    )
    alias_props = node(
        at,
        [
            ("Name", props["AutoPublishAlias"]),
            ("FunctionName", {"Ref": fn.logical_id}),
            ("FunctionVersion", {"Fn::GetAtt": [version_id, "Version"]}),
        ],
    )
    keep(alias_props, props, "ProvisionedConcurrencyConfig")
    ex.emit(alias, "AWS::Lambda::Alias", alias_props, line=at, owner=fn)


def _add_url(ex: Expander, fn: FunctionRef, props: Any) -> None:
    if "FunctionUrlConfig" not in props:
        return
    config = props["FunctionUrlConfig"]
    at = _line(props, "FunctionUrlConfig", ex.resource_line(fn.logical_id))
    if not isinstance(config, dict):
        ex.warn("`FunctionUrlConfig` must be a mapping; no function URL generated", at)
        return
    url = node(getattr(config, "line", 0) or at)
    put(url, "TargetFunctionArn", fn.name_ref(at), at)
    for key in ("AuthType", "Cors", "InvokeMode"):
        keep(url, config, key)
    ex.emit(f"{fn.logical_id}Url", "AWS::Lambda::Url", url, line=at, owner=fn)
    if config.get("AuthType") != "NONE":
        return
    auth_line = _line(config, "AuthType", at)
    public = node(
        auth_line,
        [
            ("Action", "lambda:InvokeFunctionUrl"),
            ("FunctionName", fn.name_ref(auth_line)),
            ("Principal", "*"),
            ("FunctionUrlAuthType", "NONE"),
        ],
    )
    ex.emit(
        f"{fn.logical_id}UrlPublicPermissions",
        "AWS::Lambda::Permission",
        public,
        line=auth_line,
        owner=fn,
        implicit=True,
    )
    invoke = node(
        auth_line,
        [
            ("Action", "lambda:InvokeFunction"),
            ("FunctionName", fn.name_ref(auth_line)),
            ("Principal", "*"),
            ("InvokedViaFunctionUrl", True),
        ],
    )
    ex.emit(
        f"{fn.logical_id}URLInvokeAllowPublicAccess",
        "AWS::Lambda::Permission",
        invoke,
        line=auth_line,
        owner=fn,
        implicit=True,
    )


def _add_event_invoke_config(ex: Expander, fn: FunctionRef, props: Any, *, parts: RoleParts | None) -> None:
    if "EventInvokeConfig" not in props:
        return
    config = props["EventInvokeConfig"]
    at = _line(props, "EventInvokeConfig", ex.resource_line(fn.logical_id))
    if not isinstance(config, dict):
        ex.warn("`EventInvokeConfig` must be a mapping; ignored", at)
        return
    config_id = f"{fn.logical_id}EventInvokeConfig"
    out = node(getattr(config, "line", 0) or at, [("FunctionName", {"Ref": fn.logical_id})])
    alias_name = props.get("AutoPublishAlias") if fn.alias else None
    put(out, "Qualifier", alias_name or "$LATEST", at)
    for key in ("MaximumEventAgeInSeconds", "MaximumRetryAttempts"):
        keep(out, config, key)
    destinations = config.get("DestinationConfig")
    if isinstance(destinations, dict):
        dest_out = node(getattr(destinations, "line", 0) or at)
        for outcome in ("OnSuccess", "OnFailure"):
            if outcome in destinations:
                target = _destination(
                    ex, fn, destinations, outcome, config_id=config_id, parts=parts, line=at
                )
                if target is not None:
                    put(dest_out, outcome, target, key_line(destinations, outcome, at))
        put(out, "DestinationConfig", dest_out, _line(config, "DestinationConfig", at))
    elif destinations is not None:
        ex.warn("`EventInvokeConfig.DestinationConfig` must be a mapping; ignored", at)
    extra = (("DependsOn", [fn.alias]),) if fn.alias else ()
    ex.emit(config_id, "AWS::Lambda::EventInvokeConfig", out, line=at, owner=fn, extra=extra)


def _optional_destination(destination: Any) -> tuple[Any, bool, Any] | None:
    """For `!If [Cond, X, !Ref AWS::NoValue]` (either branch): (condition, True when the then branch is
    the NoValue one, the other branch). SAM then creates the queue or topic when the destination is
    NoValue, and uses the given one otherwise."""
    if not (isinstance(destination, dict) and len(destination) == 1 and "Fn::If" in destination):
        return None
    arg = destination["Fn::If"]
    if not (isinstance(arg, list) and len(arg) == 3):
        return None
    then_none, else_none = (_is_no_value(branch) for branch in arg[1:])
    if then_none == else_none:
        return None
    return arg[0], then_none, arg[2] if then_none else arg[1]


def _is_no_value(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and value.get("Ref") == "AWS::NoValue"


def _created_destination(
    ex: Expander,
    fn: FunctionRef,
    kind: str,
    *,
    prefix: str,
    optional: tuple[Any, bool, Any] | None,
    line: int,
) -> MarkedDict:
    """The queue or topic SAM creates for a destination left out (or NoValue under a condition)."""
    created = f"{prefix}Queue" if kind == "SQS" else f"{prefix}Topic"
    reference = node(line, [("Fn::GetAtt", [created, "Arn"])] if kind == "SQS" else [("Ref", created)])
    extra: tuple[tuple[str, Any], ...] = ()
    if optional is not None:
        condition, then_none, other = optional
        created_when = condition
        if not then_none:
            created_when = f"{created}Condition"
            ex.conditions[created_when] = node(line, [("Fn::Not", [{"Condition": condition}])])
        if fn.condition is not None:
            combined = f"{created}AndCondition"
            ex.conditions[combined] = node(
                line, [("Fn::And", [{"Condition": fn.condition}, {"Condition": created_when}])]
            )
            created_when = combined
        extra = (("Condition", created_when),)
        branches = [reference, other] if then_none else [other, reference]
        reference = node(line, [("Fn::If", [condition, *branches])])
    resource_type = "AWS::SQS::Queue" if kind == "SQS" else "AWS::SNS::Topic"
    ex.emit(created, resource_type, node(line), line=line, owner=fn, extra=extra)
    return reference


def _destination(
    ex: Expander,
    fn: FunctionRef,
    destinations: Any,
    outcome: str,
    *,
    config_id: str,
    parts: RoleParts | None,
    line: int,
) -> MarkedDict | None:
    spec = destinations[outcome]
    at = key_line(destinations, outcome, line)
    kind = spec.get("Type") if isinstance(spec, dict) else None
    if kind not in (*_DESTINATION_POLICIES, "S3Bucket"):
        ex.warn(f"`{outcome}` needs `Type` SQS, SNS, EventBridge, Lambda or S3Bucket; ignored", at)
        return None
    prefix = f"{config_id}{outcome}"
    out = copy_dict(spec, at)
    out.pop("Type", None)
    destination = spec.get("Destination")
    optional = _optional_destination(destination)
    if destination is None and kind not in ("SQS", "SNS"):
        ex.warn(f"`{outcome}.Destination` is required for Type {kind}; ignored", at)
        return None
    if kind in ("SQS", "SNS") and (destination is None or optional is not None):
        destination = _created_destination(ex, fn, kind, prefix=prefix, optional=optional, line=at)
        put(out, "Destination", destination, at)
    if parts is not None:
        if kind == "S3Bucket":
            statements = [
                node(
                    at,
                    [
                        ("Action", "s3:PutObject"),
                        ("Effect", "Allow"),
                        ("Resource", {"Fn::Join": ["/", [destination, "*"]]}),
                    ],
                ),
                node(at, [("Action", "s3:ListBucket"), ("Effect", "Allow"), ("Resource", destination)]),
            ]
            parts.add_statements(f"{prefix}S3Policy", statements, at)
        else:
            suffix, action = _DESTINATION_POLICIES[kind]
            statement = node(at, [("Action", action), ("Effect", "Allow"), ("Resource", destination)])
            parts.add_statements(f"{prefix}{suffix}", [statement], at)
    return out
