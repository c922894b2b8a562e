"""Maps Lambda functions and what hangs off them: invoke configs, versions, aliases, layers, signing."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

from lambdasec.model import (
    Alias,
    Architecture,
    CodeLocation,
    CodeSigningConfig,
    EnvVar,
    FunctionVersion,
    LambdaFunction,
    LayerPermission,
    LayerVersion,
    PackageType,
    TracingMode,
    Unresolved,
    UntrustedArtifactPolicy,
    ValueReference,
    VpcConfig,
)
from lambdasec.sources.cloudformation.intrinsics import NO_VALUE, UNRESOLVED_KEY, Link
from lambdasec.sources.cloudformation.properties import MISSING, Context, Node, Resource
from lambdasec.sources.cloudformation.references import (
    CODE_SIGNING_CONFIG,
    GENERATED,
    LAYER,
    LOG_GROUP,
    ROLE,
    SECURITY_GROUP,
    SUBNET,
    VERSION,
    function_target,
    links_in,
)
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = [
    "InvokeSettings",
    "map_alias",
    "map_code_signing_config",
    "map_function",
    "map_layer",
    "map_layer_permission",
    "map_version",
    "read_invoke_config",
]

# Where `aws cloudformation package` style and SAM-expanded templates keep a local code path.
LOCAL_PATH_KEY: Final = "lambdasec:LocalPath"


# The properties whose readers record their pointer twice (for the outer mapping and the value in it);
# the other readers of `map_function` record each of theirs once.
_REPEATING: Final = frozenset({"EphemeralStorage", "TracingConfig", "DeadLetterConfig", "LoggingConfig"})


@dataclass(kw_only=True)
class InvokeSettings:
    """Asynchronous invocation settings of a function, from an AWS::Lambda::EventInvokeConfig."""

    on_failure: str | Unresolved | None = None
    on_success: str | Unresolved | None = None
    retries: int | Unresolved | None = None
    fields: list[tuple[str, int]] = field(default_factory=list)


def read_invoke_config(resource: Resource, ctx: Context) -> tuple[str | Unresolved, InvokeSettings] | None:
    """The function an EventInvokeConfig applies to (key or name) and its settings."""
    props = resource.properties(ctx)
    target = function_target(props, "FunctionName")
    if target is None:
        return None
    settings = InvokeSettings(fields=props.fields)
    destinations = props.node("DestinationConfig")
    if isinstance(destinations, Node):
        settings.on_failure = _destination(destinations, "OnFailure", field="on_failure_destination")
        settings.on_success = _destination(destinations, "OnSuccess", field="on_success_destination")
    settings.retries = props.integer("MaximumRetryAttempts", field="maximum_retry_attempts")
    return target.function, settings


def _destination(node: Node, key: str, *, field: str) -> str | Unresolved | None:
    inner = node.node(key)
    if inner is None or isinstance(inner, Unresolved):
        return inner
    return inner.text("Destination", field=field)


def map_function(
    resource: Resource, ctx: Context, *, invoke: Mapping[str | Unresolved, InvokeSettings]
) -> LambdaFunction:
    """An AWS::Lambda::Function."""
    p = resource.properties(ctx)
    name = p.text("FunctionName", field="name")
    key = ctx.key(resource.logical_id)
    settings = invoke.get(key) or (invoke.get(name) if isinstance(name, str) else None)
    if settings is not None:
        p.fields.extend(settings.fields)
    data = p.data  # functions set few of the optional properties: absent ones are skipped cheaply
    fn = LambdaFunction(
        key=key,
        name=GENERATED if name is None else name,
        runtime=p.text("Runtime", field="runtime"),
        handler=p.text("Handler", field="handler"),
        package_type=(
            p.choice("PackageType", PackageType, field="package_type") if "PackageType" in data else None
        )
        or PackageType.ZIP,
        code=_code(p, ctx),
        memory_mb=_default(p.integer("MemorySize", field="memory_mb"), 128),
        timeout_s=_default(p.integer("Timeout", field="timeout_s"), 3),
        ephemeral_storage_mb=_nested_int(
            p, "EphemeralStorage", inner="Size", field="ephemeral_storage_mb", default=512
        )
        if "EphemeralStorage" in data
        else 512,
        environment=_environment(p),
        kms_key_arn=p.text("KmsKeyArn", field="kms_key_arn") if "KmsKeyArn" in data else None,
        tracing=_tracing(p) if "TracingConfig" in data else TracingMode.PASS_THROUGH,
        vpc=_vpc(p) if "VpcConfig" in data else None,
        reserved_concurrency=p.integer("ReservedConcurrentExecutions", field="reserved_concurrency")
        if "ReservedConcurrentExecutions" in data
        else None,
        dead_letter_target=_nested_text(p, "DeadLetterConfig", inner="TargetArn", field="dead_letter_target")
        if "DeadLetterConfig" in data
        else None,
        on_failure_destination=settings.on_failure if settings else None,
        on_success_destination=settings.on_success if settings else None,
        maximum_retry_attempts=settings.retries if settings else None,
        layers=_default(p.refs("Layers", LAYER, field="layers"), ()) if "Layers" in data else (),
        code_signing_config=p.ref("CodeSigningConfigArn", CODE_SIGNING_CONFIG, field="code_signing_config")
        if "CodeSigningConfigArn" in data
        else None,
        architectures=_architectures(p) if "Architectures" in data else (Architecture.X86_64,),
        role=p.ref("Role", ROLE, field="role"),
        log_group_name=_log_group(p, ctx) if "LoggingConfig" in data else None,
        tags=_tags(p),
        origin=resource.origin(ctx, p, distinct=not (_REPEATING & data.keys())),
    )
    return fn


def _default(value: Any, default: Any) -> Any:
    return default if value is None else value


def _nested_int(p: Node, outer: str, *, inner: str, field: str, default: int) -> int | Unresolved:
    node = p.node(outer, field=field)
    if isinstance(node, Unresolved):
        return node
    value = node.integer(inner, field=field) if node is not None else None
    return default if value is None else value


def _nested_text(p: Node, outer: str, *, inner: str, field: str) -> str | Unresolved | None:
    node = p.node(outer, field=field)
    if node is None or isinstance(node, Unresolved):
        return node
    return node.text(inner, field=field)


def _code(p: Node, ctx: Context) -> CodeLocation:
    raw = p.data.get("Code")
    if type(raw) is MarkedDict and type(raw.get(LOCAL_PATH_KEY)) is str:  # a plain local path (no intrinsic)
        p.note("code", "Code")
        return _local_code(raw[LOCAL_PATH_KEY], ctx)
    value = p.value("Code")
    if value is MISSING:
        return CodeLocation()
    p.note("code", "Code")
    if isinstance(value, str):
        return _local_code(value, ctx)
    node = p.node("Code")
    if node is None:
        return CodeLocation()
    if isinstance(node, Unresolved):
        return CodeLocation(local_path=node)
    if node.has(LOCAL_PATH_KEY):
        local = node.text(LOCAL_PATH_KEY)
        return _local_code(local, ctx) if isinstance(local, str) else CodeLocation(local_path=local)
    return CodeLocation(
        s3_bucket=node.text("S3Bucket"),
        s3_key=node.text("S3Key"),
        image_uri=node.text("ImageUri"),
        inline=node.has("ZipFile"),
    )


def _local_code(path: str, ctx: Context) -> CodeLocation:
    """A local path (relative to the template's directory) or an `s3://bucket/key` URI."""
    return _code_at(path, ctx.file)


@lru_cache(maxsize=4096)
def _code_at(path: str, file: str) -> CodeLocation:
    """`_local_code` for `path` in the template `file` (functions of a template share a few paths)."""
    if path.startswith("s3://"):
        bucket, _, key = path[len("s3://") :].partition("/")
        return CodeLocation(s3_bucket=bucket, s3_key=key or None)
    if posixpath.isabs(path):
        return CodeLocation(local_path=path)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(file), path.replace("\\", "/")))
    return CodeLocation(local_path=joined)


def _environment(p: Node) -> tuple[EnvVar, ...] | Unresolved:
    raw = p.data.get("Environment")
    if raw is None:
        return ()
    if type(raw) is MarkedDict:  # a plain `Environment: {Variables: {...}}` (no intrinsic): read directly
        inner = raw.get("Variables")
        if type(inner) is MarkedDict and len(inner) != 1:
            return _plain_environment(p, raw, inner)
    return _environment_nodes(p)


def _plain_environment(p: Node, env: MarkedDict, variables: MarkedDict) -> tuple[EnvVar, ...]:
    """`_environment_nodes` for literal mappings, without a Node for each (two a function)."""
    fields = p.fields
    line = p.line_of("Environment")
    if line is None:  # the origin keeps the first line of a pointer: the one of `Variables` only counts then
        line = env.key_lines.get("Variables") or (env.line if env.line > 0 else None)
    if line is not None:
        fields.append(("environment", line))
    out: list[EnvVar] = []
    key_lines, start = variables.key_lines, variables.line if variables.line > 0 else None
    ctx = p.ctx
    for key, raw in variables.items():
        if type(key) is not str:
            _add_variable(out, _variables_node(p, env, variables), key, fields)
            continue
        line = key_lines.get(key) or start
        if type(raw) is str:  # most values are plain text: nothing to resolve
            if line is not None:
                fields.append((f"environment.{key}", line))
            out.append(_plain_variable(key, raw))
            continue
        if type(raw) is MarkedDict and len(raw) == 1:
            reason = raw.get(UNRESOLVED_KEY)
            if type(reason) is str:  # a value the compiler marked unknown: what the resolver and
                if line is not None:  # `_references_in` give for it, without the calls
                    fields.append((f"environment.{key}", line))
                out.append(EnvVar(name=key, value=Unresolved(reason)))
                continue
        # What `_add_variable` does through `Node.value` and `Node.as_text`, without the Node.
        value = ctx.resolver.resolve(raw) if isinstance(raw, dict) and len(raw) == 1 else raw
        if value is None or value is NO_VALUE:
            continue
        if line is not None:
            fields.append((f"environment.{key}", line))
        if type(value) is str or isinstance(value, Unresolved):
            text: str | Unresolved = value
        elif isinstance(value, Link):
            text = Unresolved(value.describe())
        else:
            text = _variables_node(p, env, variables).as_text(value, key, line=line)
        out.append(EnvVar(name=key, value=text, references=_references_in(ctx, raw)))
    return tuple(out)


def _variables_node(p: Node, env: MarkedDict, variables: MarkedDict) -> Node:
    return p.child(env, "Environment", line=None).child(variables, "Variables", line=None)


def _environment_nodes(p: Node) -> tuple[EnvVar, ...] | Unresolved:
    recorded = len(p.fields)
    env = p.node("Environment", field="environment")
    if env is None:
        return ()
    if isinstance(env, Unresolved):
        return env
    # The origin keeps the first line of a pointer: the one of `Variables` only counts when that is it.
    variables = env.node("Variables", field="environment" if len(p.fields) == recorded else None)
    if variables is None:
        return ()
    if isinstance(variables, Unresolved):
        return variables
    out: list[EnvVar] = []
    fields = p.fields
    key_lines, start = (
        variables.data.key_lines if isinstance(variables.data, MarkedDict) else {},
        variables.line,
    )
    for key, raw in variables.data.items():
        if type(raw) is str and type(key) is str:  # most values are plain text: nothing to resolve
            line = key_lines.get(key) or start
            if line is not None:
                fields.append((f"environment.{key}", line))
            out.append(_plain_variable(key, raw))
            continue
        _add_variable(out, variables, key, fields)
    return tuple(out)


def _add_variable(out: list[EnvVar], variables: Node, key: Any, fields: list[tuple[str, int]]) -> None:
    """Append the variable `key` whose value is an expression (or not text) to `out`."""
    value = variables.value(key)
    if value is MISSING:
        return
    name = str(key)
    line = variables.line_of(key)
    if line is not None:
        fields.append((f"environment.{name}", line))
    out.append(
        EnvVar(
            name=name,
            value=variables.as_text(value, name, line=line),
            references=_references(variables, name),
        )
    )


@lru_cache(maxsize=4096)
def _plain_variable(name: str, value: str) -> EnvVar:
    """A variable with a literal value; functions repeat the same few (`STAGE: prod`), so they share one."""
    return EnvVar(name=name, value=value)


def _references(node: Node, key: str) -> tuple[ValueReference, ...]:
    """The resources of the template an expression under `key` is built from."""
    return _references_in(node.ctx, node.data.get(key))


def _references_in(ctx: Context, raw: Any) -> tuple[ValueReference, ...]:
    """The resources of the template the expression `raw` is built from."""
    if not isinstance(raw, dict | list):
        return ()
    if isinstance(raw, dict) and len(raw) == 1:
        if type(raw.get(UNRESOLVED_KEY)) is str:  # a value marked unknown
            return ()
        name = raw.get("Ref")
        if type(name) is str:  # `!Ref Name`: what `links_in` finds, directly
            return (ValueReference(key=ctx.key(name), attribute=None),) if name in ctx.types else ()
    found = (
        ValueReference(key=ctx.key(link.logical_id), attribute=link.attribute) for link in links_in(ctx, raw)
    )
    return tuple(dict.fromkeys(found))


def _tracing(p: Node) -> TracingMode | Unresolved:
    config = p.node("TracingConfig", field="tracing")
    if isinstance(config, Unresolved):
        return config
    mode = config.choice("Mode", TracingMode, field="tracing") if config is not None else None
    return TracingMode.PASS_THROUGH if mode is None else mode


def _vpc(p: Node) -> VpcConfig | Unresolved | None:
    config = p.node("VpcConfig", field="vpc")
    if config is None or isinstance(config, Unresolved):
        return config
    subnets = _default(config.refs("SubnetIds", SUBNET, field="vpc.subnet_ids"), ())
    groups = _default(config.refs("SecurityGroupIds", SECURITY_GROUP, field="vpc.security_group_ids"), ())
    if subnets == () and groups == ():
        return None  # an empty VpcConfig detaches the function from any VPC
    return VpcConfig(
        subnet_ids=subnets,
        security_group_ids=groups,
        ipv6_allowed_for_dual_stack=_default(config.flag("Ipv6AllowedForDualStack"), False),
    )


def _architectures(p: Node) -> tuple[Architecture | Unresolved, ...]:
    items = p.items("Architectures", field="architectures")
    if items is None:
        return (Architecture.X86_64,)
    if isinstance(items, Unresolved):
        return (items,)
    out: list[Architecture | Unresolved] = []
    for value, line in items:
        text = p.as_text(value, "Architectures", line=line)
        out.append(
            text
            if isinstance(text, Unresolved)
            else p.as_choice(text, Architecture, key="Architectures", line=line)
        )
    return tuple(out) or (Architecture.X86_64,)


def _log_group(p: Node, ctx: Context) -> str | Unresolved | None:
    config = p.node("LoggingConfig", field="log_group_name")
    if config is None or isinstance(config, Unresolved):
        return config
    value = config.value("LogGroup")
    if value is MISSING:
        return None
    config.note("log_group_name", "LogGroup")
    if isinstance(value, Link) and ctx.types.get(value.logical_id) in LOG_GROUP:
        body = ctx.resources[value.logical_id].get("Properties")
        if isinstance(body, dict):
            group = Node(body, ctx=ctx, where=value.logical_id, fields=[])
            name = group.text("LogGroupName")
            if isinstance(name, str):
                return name
        return ctx.key(value.logical_id)
    return config.as_text(value, "LogGroup", line=config.line_of("LogGroup"))


def _tags(p: Node) -> tuple[tuple[str, str | Unresolved], ...] | Unresolved:
    value = p.data.get("Tags")
    if type(value) is not MarkedList:  # a list is read as it is written, without `value`
        value = p.value("Tags")
        if value is MISSING:
            return ()
    p.note("tags", "Tags")
    if type(value) is MarkedList and not value:  # `Tags: []`, as the Serverless Framework writes
        return ()
    if isinstance(value, dict):
        node = p.node("Tags")
        if not isinstance(node, Node):
            return () if node is None else node
        return tuple((name, node.as_text(v, name, line=line)) for name, v, line in node.entries())
    plain = _plain_tags(value)
    if plain is not None:
        return plain
    tags = p.nodes("Tags")
    if tags is None:
        return ()
    if isinstance(tags, Unresolved):
        return tags
    out: list[tuple[str, str | Unresolved]] = []
    for tag in tags:
        key = tag.text("Key")
        if isinstance(key, str):
            out.append((key, tag.text("Value") or ""))
    return tuple(out)


def _plain_tags(value: Any) -> tuple[tuple[str, str], ...] | None:
    """A tag list whose entries are all `{Key: text, Value: text}` mappings, read directly; else None."""
    if not isinstance(value, list):
        return None
    out: list[tuple[str, str]] = []
    for item in value:
        if type(item) is not MarkedDict or len(item) != 2:
            return None
        key, text = item.get("Key"), item.get("Value")
        if type(key) is not str or type(text) is not str:
            return None
        out.append((key, text))
    return tuple(out)


def map_version(resource: Resource, ctx: Context) -> FunctionVersion:
    """An AWS::Lambda::Version."""
    p = resource.properties(ctx)
    target = function_target(p, "FunctionName", field="function")
    return FunctionVersion(
        key=ctx.key(resource.logical_id),
        function=target.function if target else p.missing("FunctionName"),
        origin=resource.origin(ctx, p),
    )


def map_alias(resource: Resource, ctx: Context) -> Alias:
    """An AWS::Lambda::Alias."""
    p = resource.properties(ctx)
    target = function_target(p, "FunctionName", field="function")
    return Alias(
        key=ctx.key(resource.logical_id),
        function=target.function if target else p.missing("FunctionName"),
        name=p.required(p.text("Name", field="name"), "Name"),
        function_version=p.required(
            p.ref("FunctionVersion", VERSION, field="function_version"), "FunctionVersion"
        ),
        origin=resource.origin(ctx, p),
    )


def map_layer(resource: Resource, ctx: Context) -> LayerVersion:
    """An AWS::Lambda::LayerVersion."""
    p = resource.properties(ctx)
    return LayerVersion(
        key=ctx.key(resource.logical_id),
        name=p.text("LayerName", field="name") or GENERATED,
        compatible_runtimes=_default(p.texts("CompatibleRuntimes", field="compatible_runtimes"), ()),
        origin=resource.origin(ctx, p),
    )


def map_layer_permission(resource: Resource, ctx: Context) -> LayerPermission:
    """An AWS::Lambda::LayerVersionPermission."""
    p = resource.properties(ctx)
    return LayerPermission(
        key=ctx.key(resource.logical_id),
        layer=p.required(p.ref("LayerVersionArn", LAYER, field="layer"), "LayerVersionArn"),
        principal=p.required(p.text("Principal", field="principal"), "Principal"),
        organization_id=p.text("OrganizationId", field="organization_id"),
        origin=resource.origin(ctx, p),
    )


def map_code_signing_config(resource: Resource, ctx: Context) -> CodeSigningConfig:
    """An AWS::Lambda::CodeSigningConfig."""
    p = resource.properties(ctx)
    publishers = p.node("AllowedPublishers", field="signing_profile_version_arns")
    profiles: tuple[str | Unresolved, ...] | Unresolved
    if isinstance(publishers, Node):
        profiles = _default(
            publishers.texts("SigningProfileVersionArns", field="signing_profile_version_arns"), ()
        )
    else:
        profiles = publishers if isinstance(publishers, Unresolved) else ()
    policies = p.node("CodeSigningPolicies", field="untrusted_artifact_on_deployment")
    policy: UntrustedArtifactPolicy | Unresolved | None = None
    if isinstance(policies, Node):
        policy = policies.choice(
            "UntrustedArtifactOnDeployment", UntrustedArtifactPolicy, field="untrusted_artifact_on_deployment"
        )
    elif isinstance(policies, Unresolved):
        policy = policies
    return CodeSigningConfig(
        key=ctx.key(resource.logical_id),
        signing_profile_version_arns=profiles,
        untrusted_artifact_on_deployment=UntrustedArtifactPolicy.WARN if policy is None else policy,
        origin=resource.origin(ctx, p),
    )
