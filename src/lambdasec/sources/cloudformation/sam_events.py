"""A SAM function's `Events`: dispatch, and push sources (S3, SNS, schedules, rules, logs, IoT, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lambdasec.sources.cloudformation.sam_api_events import api_event, http_api_event
from lambdasec.sources.cloudformation.sam_context import Event, Expander, FunctionRef
from lambdasec.sources.cloudformation.sam_marks import copy_dict, keep, key_line, node, put, seq
from lambdasec.sources.cloudformation.sam_policies import RoleParts, service_trust_policy
from lambdasec.sources.cloudformation.sam_pull_events import PULL_EVENTS, pull_event
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["expand_events"]

_ACCOUNT = {"Ref": "AWS::AccountId"}


def expand_events(
    ex: Expander, fn: FunctionRef, events: Any, *, parts: RoleParts | None, events_line: int
) -> None:
    """Generate what each event of `fn` produces; malformed events are warned about and skipped."""
    if events is None:
        return
    if not isinstance(events, dict):
        ex.warn(f"`Events` of `{fn.logical_id}` must be a mapping; events ignored", events_line)
        return
    for name, spec in events.items():
        line = key_line(events, name, events_line)
        kind = spec.get("Type") if isinstance(spec, dict) else None
        if not isinstance(name, str) or not isinstance(kind, str):
            ex.warn(f"event `{name}` of `{fn.logical_id}` must be a mapping with a `Type`; ignored", line)
            continue
        props = spec.get("Properties")
        if props is None:
            props = MarkedDict(line)
        if not isinstance(props, dict):
            ex.warn(f"`Properties` of event `{name}` must be a mapping; ignored", line)
            continue
        if not isinstance(props, MarkedDict):
            props = copy_dict(props, line)
        handler = _HANDLERS.get(kind)
        if handler is None and kind in PULL_EVENTS:
            handler = pull_event
        if handler is None:
            ex.warn(f"event type `{kind}` of `{fn.logical_id}.{name}` is not expanded; ignored", line)
            continue
        handler(ex, Event(fn=fn, name=name, props=props, line=line, parts=parts), kind)


def _required(ex: Expander, event: Event, *keys: str) -> bool:
    missing = [key for key in keys if event.props.get(key) is None]
    if missing:
        names = ", ".join(f"`{key}`" for key in missing)
        ex.warn(f"event `{event.fn.logical_id}.{event.name}` lacks {names}; ignored", event.line)
    return not missing


def _s3(ex: Expander, event: Event, _kind: str) -> None:
    if not _required(ex, event, "Bucket", "Events"):
        return
    bucket_ref = event.props["Bucket"]
    bucket_id = bucket_ref.get("Ref") if isinstance(bucket_ref, dict) else None
    bucket = ex.out.get(bucket_id) if isinstance(bucket_id, str) else None
    if not isinstance(bucket, dict):
        ex.warn("S3 events must `!Ref` a bucket defined in the same template; ignored", event.at("Bucket"))
        return
    permission = ex.permission(event, "s3.amazonaws.com", extra=(("SourceAccount", _ACCOUNT),))
    kinds = event.props["Events"] if isinstance(event.props["Events"], list) else [event.props["Events"]]
    line = event.line
    updated = copy_dict(bucket, line)
    properties = copy_dict(bucket.get("Properties"), line)
    notifications = copy_dict(properties.get("NotificationConfiguration"), line)
    configs = seq(line, [])
    existing = notifications.get("LambdaConfigurations")
    if isinstance(existing, list):
        configs = seq(getattr(existing, "line", 0) or line, existing, getattr(existing, "item_lines", None))
    for kind in kinds:
        config = node(line, [("Event", kind), ("Function", event.fn.arn_ref(line))])
        keep(config, event.props, "Filter")
        configs.append(config)
        configs.item_lines.append(line)
    put(notifications, "LambdaConfigurations", configs, key_line(notifications, "LambdaConfigurations", line))
    put(
        properties,
        "NotificationConfiguration",
        notifications,
        key_line(properties, "NotificationConfiguration", line),
    )
    put(updated, "Properties", properties, key_line(updated, "Properties", line))
    depends = updated.get("DependsOn", [])
    depends = [depends] if isinstance(depends, str) else list(depends) if isinstance(depends, list) else []
    put(updated, "DependsOn", seq(line, [*depends, permission]), key_line(updated, "DependsOn", line))
    ex.out[bucket_id] = updated


def _sns(ex: Expander, event: Event, _kind: str) -> None:
    if not _required(ex, event, "Topic"):
        return
    topic = event.props["Topic"]
    line = event.line
    subscription = node(line, [("TopicArn", topic)])
    subscription.key_lines["TopicArn"] = event.at("Topic")
    for key in ("Region", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy"):
        keep(subscription, event.props, key)
    sqs = event.props.get("SqsSubscription")
    if not sqs:
        ex.permission(event, "sns.amazonaws.com", extra=(("SourceArn", topic),))
        put(subscription, "Protocol", "lambda", line)
        put(subscription, "Endpoint", event.fn.arn_ref(line), line)
        ex.emit(event.logical_id, "AWS::SNS::Subscription", subscription, line=line, owner=event.fn)
        return
    options = sqs if isinstance(sqs, dict) else {}
    queue_arn, queue_url = options.get("QueueArn"), options.get("QueueUrl")
    if queue_arn is None or queue_url is None:
        queue_id = f"{event.logical_id}Queue"
        ex.emit(queue_id, "AWS::SQS::Queue", node(line), line=line, owner=event.fn)
        queue_arn = node(line, [("Fn::GetAtt", [queue_id, "Arn"])])
        queue_url = node(line, [("Ref", queue_id)])
    statement = {
        "Action": "sqs:SendMessage",
        "Effect": "Allow",
        "Principal": "*",
        "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
    }
    policy = node(
        line,
        [("Queues", [queue_url]), ("PolicyDocument", {"Version": "2012-10-17", "Statement": [statement]})],
    )
    policy_id = options.get("QueuePolicyLogicalId") or f"{event.logical_id}QueuePolicy"
    ex.emit(str(policy_id), "AWS::SQS::QueuePolicy", policy, line=line, owner=event.fn)
    put(subscription, "Protocol", "sqs", line)
    put(subscription, "Endpoint", queue_arn, line)
    ex.emit(event.logical_id, "AWS::SNS::Subscription", subscription, line=line, owner=event.fn)
    mapping = node(
        line,
        [
            ("BatchSize", options.get("BatchSize", 10)),
            ("Enabled", options.get("Enabled", True)),
            ("EventSourceArn", queue_arn),
            ("FunctionName", event.fn.name_ref(line)),
        ],
    )
    ex.emit(
        f"{event.logical_id}EventSourceMapping",
        "AWS::Lambda::EventSourceMapping",
        mapping,
        line=line,
        owner=event.fn,
    )
    if event.parts is not None:
        event.parts.add_managed("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole", line)


def _state(ex: Expander, event: Event, out: MarkedDict) -> None:
    if "Enabled" in event.props:
        put(out, "State", "ENABLED" if event.props["Enabled"] else "DISABLED", event.at("Enabled"))
    keep(out, event.props, "State")


def _rule(ex: Expander, event: Event, kind: str) -> None:
    line = event.line
    rule = node(line)
    target = node(line, [("Arn", event.fn.arn_ref(line)), ("Id", f"{event.logical_id}LambdaTarget")])
    if kind == "Schedule":
        if not _required(ex, event, "Schedule"):
            return
        keep(rule, event.props, "Schedule", as_key="ScheduleExpression")
        for key in ("Name", "Description"):
            keep(rule, event.props, key)
    else:
        for key, as_key in (
            ("EventBusName", "EventBusName"),
            ("Pattern", "EventPattern"),
            ("RuleName", "Name"),
        ):
            keep(rule, event.props, key, as_key=as_key)
        custom = event.props.get("Target")
        if isinstance(custom, dict):
            keep(target, custom, "Id")
        for key in ("InputPath", "InputTransformer"):
            keep(target, event.props, key)
    _state(ex, event, rule)
    for key in ("Input", "RetryPolicy"):
        keep(target, event.props, key)
    dlq = event.props.get("DeadLetterConfig")
    if isinstance(dlq, dict):
        put(
            target,
            "DeadLetterConfig",
            node(line, [("Arn", _dlq_arn(ex, event, dlq))]),
            event.at("DeadLetterConfig"),
        )
    put(rule, "Targets", seq(line, [target]), line)
    if ex.emit(event.logical_id, "AWS::Events::Rule", rule, line=line, owner=event.fn):
        ex.permission(
            event, "events.amazonaws.com", extra=(("SourceArn", {"Fn::GetAtt": [event.logical_id, "Arn"]}),)
        )


def _dlq_arn(ex: Expander, event: Event, dlq: Any) -> Any:
    if "Arn" in dlq:
        return dlq["Arn"]
    queue_id = dlq.get("QueueLogicalId") or f"{event.logical_id}Queue"
    ex.emit(str(queue_id), "AWS::SQS::Queue", node(event.line), line=event.line, owner=event.fn)
    return node(event.line, [("Fn::GetAtt", [queue_id, "Arn"])])


def _schedule_v2(ex: Expander, event: Event, _kind: str) -> None:
    if not _required(ex, event, "ScheduleExpression"):
        return
    line = event.line
    schedule = node(line)
    for key in (
        "ScheduleExpression",
        "State",
        "Description",
        "StartDate",
        "EndDate",
        "ScheduleExpressionTimezone",
        "GroupName",
        "KmsKeyArn",
    ):
        keep(schedule, event.props, key)
    if not event.props.get("OmitName") and not keep(schedule, event.props, "Name"):
        put(schedule, "Name", event.logical_id, line)
    if not keep(schedule, event.props, "FlexibleTimeWindow"):
        put(schedule, "FlexibleTimeWindow", {"Mode": "OFF"}, line)
    target = node(line, [("Arn", event.fn.arn_ref(line))])
    dlq = event.props.get("DeadLetterConfig")
    dlq_arn = _dlq_arn(ex, event, dlq) if isinstance(dlq, dict) else None
    if not keep(target, event.props, "RoleArn"):
        role_id = f"{event.logical_id}Role"
        role = node(
            line, [("AssumeRolePolicyDocument", service_trust_policy("scheduler.amazonaws.com", line))]
        )
        statements = [
            {"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": event.fn.arn_ref(line)}
        ]
        policies = [
            {"PolicyName": f"{event.logical_id}LambdaPolicy", "PolicyDocument": {"Statement": statements}}
        ]
        if dlq_arn is not None:
            send = [{"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": dlq_arn}]
            policies.append(
                {"PolicyName": f"{event.logical_id}SQSPolicy", "PolicyDocument": {"Statement": send}}
            )
        put(role, "Policies", policies, line)
        keep(role, event.props, "PermissionsBoundary")
        ex.emit(role_id, "AWS::IAM::Role", role, line=line, owner=event.fn)
        put(target, "RoleArn", {"Fn::GetAtt": [role_id, "Arn"]}, line)
    for key in ("Input", "RetryPolicy"):
        keep(target, event.props, key)
    if dlq_arn is not None:
        put(target, "DeadLetterConfig", {"Arn": dlq_arn}, event.at("DeadLetterConfig"))
    put(schedule, "Target", target, line)
    ex.emit(event.logical_id, "AWS::Scheduler::Schedule", schedule, line=line, owner=event.fn)


def _logs(ex: Expander, event: Event, _kind: str) -> None:
    if not _required(ex, event, "LogGroupName", "FilterPattern"):
        return
    group = event.props["LogGroupName"]
    arn = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*"
    source = {"Fn::Sub": [arn, {"__LogGroupName__": group}]}
    permission = ex.permission(event, "logs.amazonaws.com", extra=(("SourceArn", source),))
    subscription = node(event.line, [("DestinationArn", event.fn.arn_ref(event.line))])
    for key in ("FilterPattern", "LogGroupName"):
        keep(subscription, event.props, key)
    ex.emit(
        event.logical_id,
        "AWS::Logs::SubscriptionFilter",
        subscription,
        line=event.line,
        owner=event.fn,
        extra=(("DependsOn", [permission]),),
    )


def _iot(ex: Expander, event: Event, _kind: str) -> None:
    if not _required(ex, event, "Sql"):
        return
    line = event.line
    rule_arn = {
        "Fn::Sub": [
            "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:rule/${RuleName}",
            {"RuleName": {"Ref": event.logical_id}},
        ]
    }
    ex.permission(event, "iot.amazonaws.com", extra=(("SourceAccount", _ACCOUNT), ("SourceArn", rule_arn)))
    payload = node(
        line, [("RuleDisabled", False), ("Actions", [{"Lambda": {"FunctionArn": event.fn.arn_ref(line)}}])]
    )
    if event.props.get("Enabled") is False:  # not SAM's: how the Serverless compiler passes `enabled: false`
        put(payload, "RuleDisabled", True, event.at("Enabled"))
    keep(payload, event.props, "Sql")
    keep(payload, event.props, "AwsIotSqlVersion")
    ex.emit(
        event.logical_id,
        "AWS::IoT::TopicRule",
        node(line, [("TopicRulePayload", payload)]),
        line=line,
        owner=event.fn,
    )


def _alexa(ex: Expander, event: Event, _kind: str) -> None:
    extra = (("EventSourceToken", event.props["SkillId"]),) if event.props.get("SkillId") is not None else ()
    ex.permission(event, "alexa-appkit.amazon.com", extra=extra)


def _cognito(ex: Expander, event: Event, _kind: str) -> None:
    if not _required(ex, event, "UserPool", "Trigger"):
        return
    pool_ref = event.props["UserPool"]
    pool_id = pool_ref.get("Ref") if isinstance(pool_ref, dict) else None
    pool = ex.out.get(pool_id) if isinstance(pool_id, str) else None
    if not isinstance(pool, dict):
        ex.warn(
            "Cognito events must `!Ref` a user pool defined in the same template; ignored",
            event.at("UserPool"),
        )
        return
    ex.permission(
        event, "cognito-idp.amazonaws.com", extra=(("SourceArn", {"Fn::GetAtt": [pool_id, "Arn"]}),)
    )
    triggers = (
        event.props["Trigger"] if isinstance(event.props["Trigger"], list) else [event.props["Trigger"]]
    )
    line = event.line
    updated = copy_dict(pool, line)
    properties = copy_dict(pool.get("Properties"), line)
    config = copy_dict(properties.get("LambdaConfig"), line)
    for trigger in triggers:
        put(config, trigger, event.fn.arn_ref(line), line)
    put(properties, "LambdaConfig", config, key_line(properties, "LambdaConfig", line))
    put(updated, "Properties", properties, key_line(updated, "Properties", line))
    ex.out[pool_id] = updated


_HANDLERS: dict[str, Callable[[Expander, Event, str], None]] = {
    "Api": api_event,
    "HttpApi": http_api_event,
    "S3": _s3,
    "SNS": _sns,
    "Schedule": _rule,
    "CloudWatchEvent": _rule,
    "EventBridgeRule": _rule,
    "ScheduleV2": _schedule_v2,
    "CloudWatchLogs": _logs,
    "IoTRule": _iot,
    "AlexaSkill": _alexa,
    "Cognito": _cognito,
}
