"""Maps Lambda blocks: functions, permissions, function URLs, aliases, event source mappings, log groups."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from lambdasec.model import (
    Alias,
    Architecture,
    AuthType,
    CodeLocation,
    Condition,
    Cors,
    EnvVar,
    EventSourceMapping,
    FunctionUrl,
    LambdaFunction,
    LogGroup,
    PackageType,
    Permission,
    TracingMode,
    TriggerKind,
    Unresolved,
    VpcConfig,
)
from lambdasec.records import record
from lambdasec.sources.terraform.calls import Key, json_text
from lambdasec.sources.terraform.dynamic import scope_of
from lambdasec.sources.terraform.layers import function_layers
from lambdasec.sources.terraform.reader import Reader
from lambdasec.sources.terraform.references import references_in
from lambdasec.sources.terraform.tags import resource_tags

__all__ = [
    "Archives",
    "archive_sources",
    "map_alias",
    "map_event_source_mapping",
    "map_function",
    "map_function_url",
    "map_log_group",
    "map_permission",
]

_REQUIRED: Final = "required attribute missing"
_KIND_BY_TYPE: Final = {
    "aws_sqs_queue": TriggerKind.SQS,
    "aws_kinesis_stream": TriggerKind.KINESIS,
    "aws_dynamodb_table": TriggerKind.DYNAMODB,
    "aws_msk_cluster": TriggerKind.KAFKA,
    "aws_mq_broker": TriggerKind.MQ,
    "aws_docdb_cluster": TriggerKind.DOCUMENTDB,
}
_KIND_BY_SERVICE: Final = {
    "sqs": TriggerKind.SQS,
    "kinesis": TriggerKind.KINESIS,
    "dynamodb": TriggerKind.DYNAMODB,
    "kafka": TriggerKind.KAFKA,
    "mq": TriggerKind.MQ,
    "rds": TriggerKind.DOCUMENTDB,
}
# `/aws/lambda/${aws_lambda_function.f.function_name}`, or of one instance (`f[each.key]`)
_LOG_FUNCTION: Final = re.compile(
    r"^/aws/lambda/\$\{(aws_lambda_function\.[A-Za-z_][\w-]*(?:\[[^\]]+\])?)\.function_name\}$"
)


def _required(value: str | Unresolved | None, attr: str) -> str | Unresolved:
    return Unresolved(f"{attr}: {_REQUIRED}") if value is None else value


# The resource type in an inventory key (`main.tf#module.m.aws_sqs_queue.q`) or in a reference's text.
_KEY_TYPE: Final = re.compile(r"(?:#|\.)(aws_[a-z0-9_]+)\.[\w-]+(?:\[[^\]]*\])?$")
_REFERENCE_TYPE: Final = re.compile(r"^(aws_[a-z0-9_]+)\.[\w-]+(?:\[[^\]]*\])?\.\w+$")

# A value that is one `jsonencode(...)` call (its result is kept as a structure until text is needed).
_JSONENCODE: Final = re.compile(r"^\$\{\s*jsonencode\(.*\)\s*\}$", re.DOTALL)

# `filename = data.archive_file.NAME.output_path`: the package is built from that archive's sources.
_ARCHIVE_OUTPUT: Final = re.compile(r"^\$\{data\.archive_file\.([\w-]+)\.output_path\}$")


@record(kw_only=False)
class Archives:
    """The directory (or file) each `data "archive_file"` zips, relative to the scanned root: by the
    block's name, and by the package it writes (its `output_path`, relative to the scanned root too)."""

    by_name: Mapping[str, str | Unresolved | None]
    by_output: Mapping[str, str | Unresolved | None]


def archive_sources(readers: list[Reader]) -> Archives:
    """The sources of the module's `data "archive_file"` blocks."""
    by_name: dict[str, str | Unresolved | None] = {}
    by_output: dict[str, str | Unresolved | None] = {}
    for r in readers:
        name = r.block.address.rpartition(".")[2]
        by_name[name] = r.file_path("source_dir", field="source") or r.file_path(
            "source_file", field="source"
        )
        if by_name[name] is None and ("source_content" in r.block.body or "source" in r.block.body):
            # the package's files are text written in the configuration, not files of the scanned tree
            by_name[name] = Unresolved(f"{r.block.address} zips text written in the configuration")
        output = r.file_path("output_path", field="output")
        if isinstance(output, str):
            by_output.setdefault(output, by_name[name])
    return Archives(by_name=by_name, by_output=by_output)


def _code_path(r: Reader, archives: Archives) -> str | Unresolved | None:
    """The function's local package: its `filename`, or the sources of the archive_file it names or
    whose package it is (`filename = "lambda.zip"` with an archive writing `lambda.zip`)."""
    raw = r.block.body.get("filename")
    match = _ARCHIVE_OUTPUT.match(raw) if isinstance(raw, str) else None
    if match is not None and match[1] in archives.by_name:
        r.text("filename", field="code")  # records the line of the setting
        return archives.by_name[match[1]]
    path = r.file_path("filename", field="code")
    if isinstance(path, str) and path in archives.by_output:
        return archives.by_output[path]
    return path


def map_function(r: Reader, *, archives: Archives | None = None) -> LambdaFunction:
    """An `aws_lambda_function`."""
    tracing = r.nested("tracing_config")
    dlq = r.nested("dead_letter_config")
    storage = r.nested("ephemeral_storage")
    logging = r.nested("logging_config")
    memory = r.integer("memory_size", field="memory_mb")
    timeout = r.integer("timeout", field="timeout_s")
    size = r.integer("size", field="ephemeral_storage_mb", body=storage) if storage else None
    return LambdaFunction(
        key=r.key,
        name=_required(r.text("function_name", field="name"), "function_name"),
        runtime=r.text("runtime", field="runtime"),
        handler=r.text("handler", field="handler"),
        package_type=r.choice("package_type", PackageType, field="package_type") or PackageType.ZIP,
        code=CodeLocation(
            local_path=_code_path(r, archives or Archives(by_name={}, by_output={})),
            s3_bucket=r.text("s3_bucket", field="code"),
            s3_key=r.text("s3_key", field="code"),
            image_uri=r.text("image_uri", field="code"),
        ),
        memory_mb=128 if memory is None else memory,
        timeout_s=3 if timeout is None else timeout,
        ephemeral_storage_mb=512 if size is None else size,
        environment=_environment(r),
        kms_key_arn=r.text("kms_key_arn", field="kms_key_arn"),
        tracing=(r.choice("mode", TracingMode, field="tracing", body=tracing) if tracing else None)
        or _dynamic(r, "tracing_config")
        or TracingMode.PASS_THROUGH,
        vpc=_vpc(r),
        reserved_concurrency=_reserved(r),
        dead_letter_target=r.text("target_arn", field="dead_letter_target", body=dlq)
        if dlq
        else _dynamic(r, "dead_letter_config"),
        layers=function_layers(r),
        code_signing_config=r.text("code_signing_config_arn", field="code_signing_config"),
        architectures=_architectures(r),
        role=_required(r.text("role", field="role"), "role"),
        log_group_name=r.text("log_group", field="log_group_name", body=logging) if logging else None,
        tags=resource_tags(r),
        origin=r.origin(),
    )


_DYNAMIC_FIELDS: Final = {
    "vpc_config": "vpc",
    "tracing_config": "tracing",
    "dead_letter_config": "dead_letter_target",
    "environment": "environment",
}


def _reserved(r: Reader) -> int | Unresolved | None:
    value = r.integer("reserved_concurrent_executions", field="reserved_concurrency")
    return None if value == -1 else value


def _environment(r: Reader) -> tuple[EnvVar, ...] | Unresolved:
    block = r.nested("environment")
    if block is None:
        return _dynamic(r, "environment") or ()
    if "variables" not in block:
        return ()
    r.note("environment", r.block.attribute_line("variables", block))
    scope = scope_of(block, r.scope)
    raw = block["variables"]
    known = not isinstance(raw, dict)
    if known:
        resolved = scope.resolve(raw)
        if isinstance(resolved, Unresolved):
            return resolved
        if not isinstance(resolved, dict):
            return r.wrong("variables", "a map", value=resolved, body=block)
        raw = resolved
    out: list[EnvVar] = []
    for name, value in raw.items():
        if name.startswith("__"):
            continue
        r.note(f"environment.{name}", r.block.attribute_line(name, block))
        resolved = value if known else scope.resolve(value)
        if isinstance(resolved, bool):
            resolved = "true" if resolved else "false"
        elif isinstance(resolved, int | float):
            resolved = str(resolved)
        elif isinstance(resolved, dict | list) and _JSONENCODE.match(str(value)):
            resolved = json_text(resolved)
        elif not isinstance(resolved, str | Unresolved):
            resolved = r.wrong(name, "a string", value=resolved, body=block)
        out.append(EnvVar(name=name, value=resolved, references=references_in(value, scope)))
    return tuple(out)


def _dynamic(r: Reader, name: str) -> Unresolved | None:
    """Unresolved when the nested block `name` comes from a `dynamic` block whose `for_each` is unknown."""
    return r.unknown_blocks(name, field=_DYNAMIC_FIELDS[name])


def _vpc(r: Reader) -> VpcConfig | Unresolved | None:
    block = r.nested("vpc_config")
    if block is None:
        return _dynamic(r, "vpc_config")
    r.note("vpc", r.block.attribute_line("subnet_ids", block))
    subnets = r.texts("subnet_ids", field="vpc.subnet_ids", body=block)
    groups = r.texts("security_group_ids", field="vpc.security_group_ids", body=block)
    dual = r.flag("ipv6_allowed_for_dual_stack", field="vpc", body=block)
    if subnets == () and groups == ():
        return None  # empty lists detach the function from any VPC
    return VpcConfig(
        subnet_ids=() if subnets is None else subnets,
        security_group_ids=() if groups is None else groups,
        ipv6_allowed_for_dual_stack=False if dual is None else dual,
    )


def _architectures(r: Reader) -> tuple[Architecture | Unresolved, ...]:
    values = r.texts("architectures", field="architectures")
    if values is None:
        return (Architecture.X86_64,)
    if isinstance(values, Unresolved):
        return (values,)
    out: list[Architecture | Unresolved] = []
    for value in values:
        try:
            out.append(value if isinstance(value, Unresolved) else Architecture(value))
        except ValueError:
            out.append(Unresolved(f"architectures = {value}"))
    return tuple(out)


def map_permission(r: Reader) -> Permission:
    """An `aws_lambda_permission`: one statement of the function's resource-based policy."""
    via_url = r.flag("invoked_via_function_url", field="conditions")
    conditions: tuple[Condition, ...] = ()
    if via_url is True:
        conditions = (Condition(operator="Bool", key="lambda:InvokedViaFunctionUrl", values=("true",)),)
    return Permission(
        key=r.key,
        function=_required(r.text("function_name", field="function"), "function_name"),
        qualifier=r.text("qualifier", field="qualifier"),
        action=_required(r.text("action", field="action"), "action"),
        principal=_required(r.text("principal", field="principal"), "principal"),
        source_arn=r.text("source_arn", field="source_arn"),
        source_account=r.text("source_account", field="source_account"),
        principal_org_id=r.text("principal_org_id", field="principal_org_id"),
        function_url_auth_type=r.choice("function_url_auth_type", AuthType, field="function_url_auth_type"),
        event_source_token=r.text("event_source_token", field="event_source_token"),
        conditions=conditions,
        origin=r.origin(),
    )


def map_function_url(r: Reader) -> FunctionUrl:
    """An `aws_lambda_function_url` with its CORS settings."""
    cors = r.nested("cors")
    return FunctionUrl(
        key=r.key,
        function=_required(r.text("function_name", field="function"), "function_name"),
        qualifier=r.text("qualifier", field="qualifier"),
        auth_type=r.choice("authorization_type", AuthType, field="auth_type")
        or Unresolved(f"authorization_type: {_REQUIRED}"),
        cors=_cors(r, cors) if cors is not None else None,
        invoke_mode=r.text("invoke_mode", field="invoke_mode") or "BUFFERED",
        origin=r.origin(),
    )


def _cors(r: Reader, body: Mapping[str, object]) -> Cors:
    r.note("cors", r.block.attribute_line("allow_origins", body))
    credentials = r.flag("allow_credentials", field="cors.allow_credentials", body=body)
    return Cors(
        allow_origins=r.texts("allow_origins", field="cors.allow_origins", body=body) or (),
        allow_credentials=False if credentials is None else credentials,
        allow_methods=r.texts("allow_methods", field="cors.allow_methods", body=body) or (),
        allow_headers=r.texts("allow_headers", field="cors.allow_headers", body=body) or (),
    )


def map_alias(r: Reader) -> Alias:
    """An `aws_lambda_alias`."""
    return Alias(
        key=r.key,
        function=_required(r.text("function_name", field="function"), "function_name"),
        name=_required(r.text("name", field="name"), "name"),
        function_version=_required(r.text("function_version", field="function_version"), "function_version"),
        origin=r.origin(),
    )


def map_event_source_mapping(r: Reader) -> EventSourceMapping:
    """An `aws_lambda_event_source_mapping`; the service comes from the source's ARN or resource type."""
    raw = r.block.body.get("event_source_arn")
    source = r.value("event_source_arn")
    enabled = r.flag("enabled", field="enabled")
    destination = r.nested("destination_config")
    failure = r.nested("on_failure", destination) if destination else None
    return EventSourceMapping(
        key=r.key,
        function=_required(r.text("function_name", field="function"), "function_name"),
        # a self-managed event source (no ARN) is a Kafka cluster: the only kind Lambda polls that way
        kind=TriggerKind.KAFKA if r.nested("self_managed_event_source") else _kind(raw, source),
        event_source_arn=r.text("event_source_arn", field="event_source_arn"),
        batch_size=r.integer("batch_size", field="batch_size"),
        enabled=True if enabled is None else enabled,
        on_failure_destination=r.text("destination_arn", field="on_failure_destination", body=failure)
        if failure
        else None,
        maximum_retry_attempts=r.integer("maximum_retry_attempts", field="maximum_retry_attempts"),
        origin=r.origin(),
    )


def _kind(raw: object, value: object) -> TriggerKind | Unresolved:
    """The service of an event source: from its ARN, or from the type of the resource it references,
    written (`aws_sqs_queue.q.arn`) or reached through a variable (`each.value.event_source_arn`)."""
    if not isinstance(raw, str):
        return Unresolved(f"event_source_arn = {raw}")
    for text in (raw, value if isinstance(value, str) else None):
        if text is not None and text.startswith("arn:"):
            parts = text.split(":")
            kind = _KIND_BY_SERVICE.get(parts[2]) if len(parts) > 2 else None
            return kind if kind is not None else Unresolved(f"event source {text}")
    match = re.match(r"^\$\{(aws_[a-z0-9_]+)\.", raw)
    if match is None and isinstance(value, Key):
        match = _KEY_TYPE.search(value)
    if match is None and isinstance(value, Unresolved):
        match = _REFERENCE_TYPE.match(value.reason)
    kind = _KIND_BY_TYPE.get(match[1]) if match else None
    return kind if kind is not None else Unresolved(f"event source {raw}")


def _log_function(r: Reader, reference: str) -> str | None:
    """The key of the function a log group is named after (an instance's when the reference has an index)."""
    if "[" not in reference:
        return r.scope.keys.get(reference)
    value = r.scope.resolve("${" + reference + "}")
    return str(value) if isinstance(value, Key) else None


def map_log_group(r: Reader) -> LogGroup:
    """An `aws_cloudwatch_log_group`; a `/aws/lambda/${aws_lambda_function.x.function_name}` name names x."""
    raw = r.block.body.get("name")
    match = _LOG_FUNCTION.match(raw) if isinstance(raw, str) else None
    function = _log_function(r, match[1]) if match else None
    name = r.text("name", field="name")
    retention = r.integer("retention_in_days", field="retention_days")
    return LogGroup(
        key=r.key,
        name=Unresolved("generated by Terraform") if name is None else name,
        retention_days=None if retention == 0 else retention,
        kms_key_id=r.text("kms_key_id", field="kms_key_id"),
        function=function,
        origin=r.origin(),
    )
