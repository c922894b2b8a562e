"""Maps what invokes functions: event source mappings and S3, SNS, EventBridge and Scheduler triggers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Final

from lambdasec.model import EventSourceMapping, PushTrigger, TriggerKind, Unresolved
from lambdasec.sources.cloudformation.intrinsics import Link
from lambdasec.sources.cloudformation.properties import MISSING, Context, Node, Resource
from lambdasec.sources.cloudformation.queues import QUEUE
from lambdasec.sources.cloudformation.references import function_in_expression, function_target
from lambdasec.sources.cloudformation.sam_pull_events import EVENT_TYPE_KEY

__all__ = [
    "map_bucket_notifications",
    "map_bucket_triggers",
    "map_cognito_triggers",
    "map_event_rule_triggers",
    "map_event_source_mapping",
    "map_existing_bucket",
    "map_existing_user_pool",
    "map_iot_rule",
    "map_log_subscription",
    "map_schedule",
    "map_sns_subscription",
    "map_target_group",
    "map_topic_subscriptions",
]

# The event source a resource type is, for `EventSourceArn: !GetAtt Queue.Arn`.
_KIND_BY_TYPE: Final = {
    "AWS::SQS::Queue": TriggerKind.SQS,
    "AWS::Kinesis::Stream": TriggerKind.KINESIS,
    "AWS::Kinesis::StreamConsumer": TriggerKind.KINESIS,
    "AWS::DynamoDB::Table": TriggerKind.DYNAMODB,
    "AWS::DynamoDB::GlobalTable": TriggerKind.DYNAMODB,
    "AWS::MSK::Cluster": TriggerKind.KAFKA,
    "AWS::MSK::ServerlessCluster": TriggerKind.KAFKA,
    "AWS::AmazonMQ::Broker": TriggerKind.MQ,
    "AWS::DocDB::DBCluster": TriggerKind.DOCUMENTDB,
}
# ... and the service segment of a literal ARN.
_KIND_BY_SERVICE: Final = {
    "sqs": TriggerKind.SQS,
    "kinesis": TriggerKind.KINESIS,
    "dynamodb": TriggerKind.DYNAMODB,
    "kafka": TriggerKind.KAFKA,
    "mq": TriggerKind.MQ,
    "rds": TriggerKind.DOCUMENTDB,
}
# ... and the SAM event type a generated mapping came from, or a property only one service takes.
_KIND_BY_SAM_EVENT: Final = {
    "SQS": TriggerKind.SQS,
    "Kinesis": TriggerKind.KINESIS,
    "DynamoDB": TriggerKind.DYNAMODB,
    "MSK": TriggerKind.KAFKA,
    "SelfManagedKafka": TriggerKind.KAFKA,
    "MQ": TriggerKind.MQ,
    "DocumentDB": TriggerKind.DOCUMENTDB,
}
_KIND_BY_PROPERTY: Final = {
    "Queues": TriggerKind.MQ,
    "AmazonManagedKafkaEventSourceConfig": TriggerKind.KAFKA,
    "Topics": TriggerKind.KAFKA,
    "DocumentDBEventSourceConfig": TriggerKind.DOCUMENTDB,
}
# `${...}` in an `Fn::Sub` text; its content may hold colons (`${AWS::Region}`).
_SUB_PLACEHOLDER: Final = re.compile(r"\$\{[^}]*\}")


def map_event_source_mapping(resource: Resource, ctx: Context) -> EventSourceMapping:
    """An AWS::Lambda::EventSourceMapping; its kind comes from the source ARN's service."""
    p = resource.properties(ctx)
    target = function_target(p, "FunctionName", field="function")
    source = p.value("EventSourceArn")
    kind: TriggerKind | Unresolved
    if p.has("SelfManagedEventSource"):
        kind = TriggerKind.KAFKA
    elif isinstance(source, Link):
        kind = _KIND_BY_TYPE.get(ctx.types.get(source.logical_id, ""), TriggerKind.OTHER)
    elif isinstance(source, str):
        parts = source.split(":")
        kind = _KIND_BY_SERVICE.get(parts[2], TriggerKind.OTHER) if len(parts) > 2 else TriggerKind.OTHER
    elif isinstance(source, Unresolved):
        service = arn_service(p.data.get("EventSourceArn"))
        known = _KIND_BY_SERVICE.get(service, TriggerKind.OTHER) if service else None
        kind = known if known is not None else Unresolved(f"service of {source.reason}")
    else:
        kind = Unresolved("EventSourceArn is missing")
    if isinstance(kind, Unresolved) or kind is TriggerKind.OTHER:
        kind = _kind_by_properties(p, resource) or kind
    destinations = p.node("DestinationConfig")
    on_failure = None
    if isinstance(destinations, Node):
        failure = destinations.node("OnFailure")
        if isinstance(failure, Node):
            on_failure = failure.text("Destination", field="on_failure_destination")
        elif isinstance(failure, Unresolved):
            on_failure = failure
    return EventSourceMapping(
        key=ctx.key(resource.logical_id),
        function=target.function if target else p.missing("FunctionName"),
        kind=kind,
        qualifier=target.qualifier if target else None,
        event_source_arn=p.ref("EventSourceArn", QUEUE, field="event_source_arn"),
        batch_size=p.integer("BatchSize", field="batch_size"),
        enabled=_or_true(p.flag("Enabled", field="enabled")),
        on_failure_destination=on_failure,
        maximum_retry_attempts=p.integer("MaximumRetryAttempts", field="maximum_retry_attempts"),
        origin=resource.origin(ctx, p),
    )


def _kind_by_properties(p: Node, resource: Resource) -> TriggerKind | None:
    """The source service told by a SAM event type or by properties only one service takes."""
    metadata = resource.body.get("Metadata")
    event_type = metadata.get(EVENT_TYPE_KEY) if isinstance(metadata, dict) else None
    if isinstance(event_type, str) and event_type in _KIND_BY_SAM_EVENT:
        return _KIND_BY_SAM_EVENT[event_type]
    for key, kind in _KIND_BY_PROPERTY.items():
        if p.data.get(key) is not None:
            return kind
    return None


def arn_service(raw: Any) -> str | None:
    """The service segment of an ARN built with `Fn::Sub` or `Fn::Join` when it is written literally.

    `!Sub arn:${AWS::Partition}:kafka:${AWS::Region}:...` is a Kafka cluster whatever the region and
    account are; None when the segment itself comes from a parameter or another expression.
    """
    text: str | None = None
    if isinstance(raw, dict) and len(raw) == 1:
        name, arg = next(iter(raw.items()))
        if name == "Fn::Sub":
            template = arg[0] if isinstance(arg, list) and arg else arg
            text = _SUB_PLACEHOLDER.sub("\x00", template) if isinstance(template, str) else None
        elif name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            pieces = [part if isinstance(part, str) else "\x00" for part in arg[1]]
            text = arg[0].join(pieces) if isinstance(arg[0], str) else None
    if text is None:
        return None
    parts = text.split(":")
    if len(parts) < 3 or parts[0] != "arn" or not parts[2] or "\x00" in parts[2]:
        return None
    return parts[2]


def _or_true(value: bool | Unresolved | None) -> bool | Unresolved:
    return True if value is None else value


def _state_enabled(p: Node) -> bool | Unresolved:
    """The `State` of an EventBridge rule or Scheduler schedule: only `DISABLED` switches it off."""
    state = p.text("State", field="enabled")
    if state is None or isinstance(state, Unresolved):
        return _or_true(state)
    return state.upper() != "DISABLED"


def _is_function(ctx: Context, raw: Any) -> bool:
    """True when an ARN expression names a Lambda function (of this template or a literal ARN)."""
    value = ctx.resolver.resolve(raw)
    if isinstance(value, Link):
        return ctx.types.get(value.logical_id, "").startswith("AWS::Lambda::")
    if isinstance(value, str):
        return ":lambda:" in value and ":function:" in value
    found = function_in_expression(ctx, raw)
    return isinstance(found, str)


def _source_name(p: Node, key: str, *, resource: Resource, ctx: Context) -> str | Unresolved:
    """The static name of a source resource, else its inventory key."""
    name = p.text(key, field="source")
    return name if isinstance(name, str) else ctx.key(resource.logical_id)


def map_bucket_triggers(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The Lambda notifications of an AWS::S3::Bucket."""
    p = resource.properties(ctx)
    config = p.node("NotificationConfiguration")
    if not isinstance(config, Node):
        return
    source = _source_name(p, "BucketName", resource=resource, ctx=ctx)
    for index, entry in enumerate(_nodes(config, "LambdaConfigurations")):
        raw = entry.reference("Function", field="function")
        if raw is None:
            continue
        entry.fields.extend(p.fields)
        yield PushTrigger(
            key=ctx.key(f"{resource.logical_id}/LambdaConfigurations/{index}"),
            function=function_in_expression(ctx, raw),
            kind=TriggerKind.S3,
            source=source,
            detail=entry.text("Event", field="detail"),
            origin=ctx.origin(
                f"{resource.logical_id}/LambdaConfigurations/{index}", line=entry.line, fields=entry.fields
            ),
        )


def map_bucket_notifications(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The Lambda notifications the CDK adds to a bucket (`Custom::S3BucketNotifications`, which the CDK
    writes for every `addEventNotification`, on buckets of the stack and imported ones alike)."""
    p = resource.properties(ctx)
    config = p.node("NotificationConfiguration")
    if not isinstance(config, Node):
        return
    bucket = ctx.resolver.resolve(p.data.get("BucketName"))
    source = (
        ctx.key(bucket.logical_id)
        if isinstance(bucket, Link)
        else _source_name(p, "BucketName", resource=resource, ctx=ctx)
    )
    for index, entry in enumerate(_nodes(config, "LambdaFunctionConfigurations")):
        raw = entry.reference("LambdaFunctionArn", field="function")
        if raw is None:
            continue
        events = entry.texts("Events", field="detail", scalar_ok=True)
        entry.fields.extend(p.fields)
        name = f"{resource.logical_id}/LambdaFunctionConfigurations/{index}"
        yield PushTrigger(
            key=ctx.key(name),
            function=function_in_expression(ctx, raw),
            kind=TriggerKind.S3,
            source=source,
            detail=_joined(events),
            origin=ctx.origin(name, line=entry.line, fields=entry.fields),
        )


def map_existing_bucket(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The notifications the Serverless Framework adds to an existing bucket (`s3: {existing: true}`):
    a `Custom::S3` resource with the function, the bucket and one entry per event."""
    return _framework_triggers(
        resource, ctx, entries="BucketConfigs", source="BucketName", detail="Event", kind=TriggerKind.S3
    )


def map_existing_user_pool(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The triggers the Serverless Framework sets on an existing user pool (`cognitoUserPool:
    {existing: true}`): a `Custom::CognitoUserPool` resource with the function, the pool and its triggers."""
    return _framework_triggers(
        resource,
        ctx,
        entries="UserPoolConfigs",
        source="UserPoolName",
        detail="Trigger",
        kind=TriggerKind.COGNITO,
    )


def _framework_triggers(
    resource: Resource, ctx: Context, *, entries: str, source: str, detail: str, kind: TriggerKind
) -> Iterator[PushTrigger]:
    """One trigger per entry of a framework custom resource: `FunctionName`, the source named by
    `source`, and `entries` whose `detail` says what invokes the function. A resource without the
    framework's properties is another custom resource of that type name, and gives nothing."""
    p = resource.properties(ctx)
    raw = p.data.get("FunctionName")
    if raw is None or entries not in p.data:
        return
    p.note("function", "FunctionName")
    function = function_in_expression(ctx, raw)
    named = _source_name(p, source, resource=resource, ctx=ctx)
    for index, entry in enumerate(_nodes(p, entries)):
        entry.fields.extend(p.fields)
        name = f"{resource.logical_id}/{entries}/{index}"
        yield PushTrigger(
            key=ctx.key(name),
            function=function,
            kind=kind,
            source=named,
            detail=entry.text(detail, field="detail"),
            origin=ctx.origin(name, line=entry.line, fields=entry.fields),
        )


def _joined(events: tuple[str | Unresolved, ...] | Unresolved | None) -> str | Unresolved | None:
    """Several event names as one detail (`s3:ObjectCreated:*,s3:ObjectRemoved:*`), as Terraform's are."""
    if not isinstance(events, tuple):
        return events
    unknown = next((event for event in events if isinstance(event, Unresolved)), None)
    return unknown or ",".join(event for event in events if isinstance(event, str)) or None


def map_sns_subscription(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """An AWS::SNS::Subscription with protocol `lambda`."""
    p = resource.properties(ctx)
    protocol = p.text("Protocol")
    if not (isinstance(protocol, str) and protocol.lower() == "lambda"):
        return
    raw = p.reference("Endpoint", field="function")
    if raw is None:
        return
    yield PushTrigger(
        key=ctx.key(resource.logical_id),
        function=function_in_expression(ctx, raw),
        kind=TriggerKind.SNS,
        source=_topic(p, ctx),
        detail=_json_text(p, "FilterPolicy"),
        origin=resource.origin(ctx, p),
    )


def _topic(p: Node, ctx: Context) -> str | Unresolved | None:
    value = p.value("TopicArn")
    if value is MISSING:
        return None
    p.note("source", "TopicArn")
    if isinstance(value, Link) and ctx.types.get(value.logical_id) == "AWS::SNS::Topic":
        return ctx.key(value.logical_id)
    return p.as_text(value, "TopicArn", line=p.line_of("TopicArn"))


def map_topic_subscriptions(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The `lambda` subscriptions listed on an AWS::SNS::Topic."""
    p = resource.properties(ctx)
    source = _source_name(p, "TopicName", resource=resource, ctx=ctx)
    for index, entry in enumerate(_nodes(p, "Subscription")):
        protocol = entry.text("Protocol")
        raw = entry.data.get("Endpoint")
        if not (isinstance(protocol, str) and protocol.lower() == "lambda") or raw is None:
            continue
        entry.note("function", "Endpoint")
        name = f"{resource.logical_id}/Subscription/{index}"
        yield PushTrigger(
            key=ctx.key(name),
            function=function_in_expression(ctx, raw),
            kind=TriggerKind.SNS,
            source=source,
            origin=ctx.origin(name, line=entry.line, fields=entry.fields),
        )


def map_event_rule_triggers(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The function targets of an AWS::Events::Rule (a schedule or an event pattern)."""
    p = resource.properties(ctx)
    schedule = p.text("ScheduleExpression", field="detail")
    kind = TriggerKind.SCHEDULE if schedule is not None else TriggerKind.EVENTBRIDGE
    detail = schedule if schedule is not None else _json_text(p, "EventPattern")
    bus = p.text("EventBusName", field="source")
    source = bus if bus is not None else ("default" if schedule is None else None)
    enabled = _state_enabled(p)
    for index, target in enumerate(_nodes(p, "Targets")):
        raw = target.data.get("Arn")
        if raw is None or not _is_function(ctx, raw):
            continue
        target.note("function", "Arn")
        target.fields.extend(p.fields)
        label = target.text("Id")
        name = f"{resource.logical_id}/Targets/{label if isinstance(label, str) else index}"
        yield PushTrigger(
            key=ctx.key(name),
            function=function_in_expression(ctx, raw),
            kind=kind,
            source=source,
            detail=detail,
            enabled=enabled,
            origin=ctx.origin(name, line=target.line, fields=target.fields),
        )


def map_schedule(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """An AWS::Scheduler::Schedule whose target is a function."""
    p = resource.properties(ctx)
    target = p.node("Target")
    if not isinstance(target, Node):
        return
    raw = target.data.get("Arn")
    if raw is None or not _is_function(ctx, raw):
        return
    target.note("function", "Arn")
    yield PushTrigger(
        key=ctx.key(resource.logical_id),
        function=function_in_expression(ctx, raw),
        kind=TriggerKind.SCHEDULE,
        source=p.text("GroupName", field="source"),
        detail=p.text("ScheduleExpression", field="detail"),
        enabled=_state_enabled(p),
        origin=resource.origin(ctx, p),
    )


def map_log_subscription(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """An AWS::Logs::SubscriptionFilter that delivers log events to a function."""
    p = resource.properties(ctx)
    raw = p.data.get("DestinationArn")
    if raw is None or not _is_function(ctx, raw):
        return
    p.note("function", "DestinationArn")
    yield PushTrigger(
        key=ctx.key(resource.logical_id),
        function=function_in_expression(ctx, raw),
        kind=TriggerKind.CLOUDWATCH_LOGS,
        source=p.text("LogGroupName", field="source"),
        detail=p.text("FilterPattern", field="detail"),
        origin=resource.origin(ctx, p),
    )


def map_target_group(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """An AWS::ElasticLoadBalancingV2::TargetGroup of type `lambda`: the load balancer invokes it."""
    p = resource.properties(ctx)
    kind = p.text("TargetType")
    if not (isinstance(kind, str) and kind.lower() == "lambda"):
        return
    for index, target in enumerate(_nodes(p, "Targets")):
        raw = target.data.get("Id")
        if raw is None:
            continue
        target.note("function", "Id")
        name = f"{resource.logical_id}/Targets/{index}"
        yield PushTrigger(
            key=ctx.key(name),
            function=function_in_expression(ctx, raw),
            kind=TriggerKind.ALB,
            source=ctx.key(resource.logical_id),
            origin=ctx.origin(name, line=target.line, fields=target.fields),
        )


def map_cognito_triggers(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The Lambda triggers of an AWS::Cognito::UserPool (`LambdaConfig`)."""
    p = resource.properties(ctx)
    config = p.node("LambdaConfig")
    if not isinstance(config, Node):
        return
    for hook, value, line in config.entries():
        raw = config.data[hook]
        if isinstance(value, dict):  # CustomEmailSender / CustomSMSSender: {LambdaArn, LambdaVersion}
            raw = value.get("LambdaArn")
        if raw is None or hook == "KMSKeyID" or not _is_function(ctx, raw):
            continue
        name = f"{resource.logical_id}/LambdaConfig/{hook}"
        fields = [("function", line)] if line is not None else []
        yield PushTrigger(
            key=ctx.key(name),
            function=function_in_expression(ctx, raw),
            kind=TriggerKind.COGNITO,
            source=ctx.key(resource.logical_id),
            detail=hook,
            origin=ctx.origin(name, line=line, fields=fields),
        )


def map_iot_rule(resource: Resource, ctx: Context) -> Iterator[PushTrigger]:
    """The Lambda actions of an AWS::IoT::TopicRule."""
    p = resource.properties(ctx)
    payload = p.node("TopicRulePayload")
    if not isinstance(payload, Node):
        return
    sql = payload.text("Sql", field="detail")
    disabled = payload.flag("RuleDisabled", field="enabled")
    enabled = not disabled if isinstance(disabled, bool) else _or_true(disabled)
    for index, action in enumerate(_nodes(payload, "Actions")):
        invoke = action.node("Lambda")
        if not isinstance(invoke, Node) or "FunctionArn" not in invoke.data:
            continue
        invoke.note("function", "FunctionArn")
        action.fields.extend(payload.fields)
        name = f"{resource.logical_id}/Actions/{index}"
        yield PushTrigger(
            key=ctx.key(name),
            function=function_in_expression(ctx, invoke.data["FunctionArn"]),
            kind=TriggerKind.IOT,
            source=ctx.key(resource.logical_id),
            detail=sql,
            enabled=enabled,
            origin=ctx.origin(name, line=action.line, fields=action.fields),
        )


def _json_text(p: Node, key: str) -> str | Unresolved | None:
    """A JSON-valued property (event pattern, filter policy) as canonical JSON text."""
    if not p.has(key):
        return None
    p.note("detail", key)
    value = p.ctx.resolver.deep(p.data[key])
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    except TypeError:
        return Unresolved(p.describe(key))


def _nodes(p: Node, key: str) -> list[Node]:
    nodes = p.nodes(key, own_fields=True)
    return [] if nodes is None or isinstance(nodes, Unresolved) else nodes
