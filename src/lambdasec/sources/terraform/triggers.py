"""Maps Terraform push triggers: S3 notifications, SNS subscriptions, EventBridge, schedules, log filters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from lambdasec.model import Origin, PushTrigger, SourceKind, TriggerKind, Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.reader import Reader

__all__ = [
    "EventRule",
    "is_function",
    "map_bucket_notification",
    "map_event_target",
    "map_sns_subscription",
    "named_source",
    "read_event_rules",
    "state_enabled",
]

# A reference to a function or alias, or to one instance of a counted one (`aws_lambda_function.f[each.key]`).
_FUNCTION_REFERENCE: Final = re.compile(
    r"^\$\{aws_lambda_(?:function|alias)\.[\w-]+(?:\[[^\]]+\])?\.(?:arn|invoke_arn|id)\}$"
)
_ADDRESS: Final = re.compile(r"^\$\{((?:data\.)?aws_[a-z0-9_]+\.[\w-]+)\.[\w.\[\]\"]+\}$")


@record
class EventRule:
    """What an `aws_cloudwatch_event_rule` tells its targets: schedule or pattern, and the bus."""

    kind: TriggerKind
    detail: str | Unresolved | None
    source: str | Unresolved | None
    enabled: bool | Unresolved = True


def map_bucket_notification(r: Reader) -> Iterator[PushTrigger]:
    """The `lambda_function` blocks of an `aws_s3_bucket_notification`."""
    source = named_source(r, "bucket")
    for index, body in enumerate(r.nested_all("lambda_function")):
        entry = Reader(block=r.block, scope=r.scope)
        function = entry.text("lambda_function_arn", field="function", body=body)
        events = entry.texts("events", field="detail", body=body)
        detail = ",".join(e for e in events if isinstance(e, str)) if isinstance(events, tuple) else events
        yield PushTrigger(
            key=f"{r.key}/lambda_function/{index}",
            function=function or Unresolved("lambda_function_arn: required attribute missing"),
            kind=TriggerKind.S3,
            source=source,
            detail=detail or None,
            origin=_nested_origin(r, entry, f"lambda_function/{index}", body),
        )


def map_sns_subscription(r: Reader) -> Iterator[PushTrigger]:
    """An `aws_sns_topic_subscription` with protocol `lambda`."""
    protocol = r.text("protocol", field="protocol")
    if not (isinstance(protocol, str) and protocol.lower() == "lambda"):
        return
    function = r.text("endpoint", field="function")
    yield PushTrigger(
        key=r.key,
        function=function or Unresolved("endpoint: required attribute missing"),
        kind=TriggerKind.SNS,
        source=named_source(r, "topic_arn"),
        detail=_json_text(r, "filter_policy"),
        origin=r.origin(),
    )


def read_event_rules(readers: Iterable[Reader]) -> Mapping[str, EventRule]:
    """Every `aws_cloudwatch_event_rule`, by inventory key and by its literal name."""
    rules: dict[str, EventRule] = {}
    for r in readers:
        schedule = r.text("schedule_expression", field="detail")
        bus = r.text("event_bus_name", field="source")
        rule = EventRule(
            kind=TriggerKind.SCHEDULE if schedule is not None else TriggerKind.EVENTBRIDGE,
            detail=schedule if schedule is not None else _json_text(r, "event_pattern"),
            source=bus if bus is not None else ("default" if schedule is None else None),
            enabled=state_enabled(r, legacy="is_enabled"),
        )
        rules[r.key] = rule
        name = r.text("name", field="name")
        if isinstance(name, str):
            rules.setdefault(name, rule)
    return rules


def map_event_target(r: Reader, *, rules: Mapping[str, EventRule]) -> Iterator[PushTrigger]:
    """An `aws_cloudwatch_event_target` whose `arn` is a function; its rule gives the kind and detail."""
    raw = r.block.body.get("arn")
    if not is_function(raw):
        return
    function = r.text("arn", field="function")
    ref = r.text("rule", field="rule")
    rule = rules.get(ref) if isinstance(ref, str) else None
    if rule is None:
        reason = ref.reason if isinstance(ref, Unresolved) else f"rule `{ref}` is not defined in the module"
        rule = EventRule(kind=TriggerKind.EVENTBRIDGE, detail=Unresolved(reason), source=Unresolved(reason))
    yield PushTrigger(
        key=r.key,
        function=function or Unresolved("arn: required attribute missing"),
        kind=rule.kind,
        source=rule.source,
        detail=rule.detail,
        enabled=rule.enabled,
        origin=r.origin(),
    )


def map_schedule(r: Reader) -> Iterator[PushTrigger]:
    """An `aws_scheduler_schedule` whose target is a function."""
    target = r.nested("target")
    if target is None or not is_function(target.get("arn")):
        return
    function = r.text("arn", field="function", body=target)
    yield PushTrigger(
        key=r.key,
        function=function or Unresolved("target.arn: required attribute missing"),
        kind=TriggerKind.SCHEDULE,
        source=r.text("group_name", field="source"),
        detail=r.text("schedule_expression", field="detail"),
        enabled=state_enabled(r),
        origin=r.origin(),
    )


def map_log_subscription(r: Reader) -> Iterator[PushTrigger]:
    """An `aws_cloudwatch_log_subscription_filter` that delivers log events to a function."""
    if not is_function(r.block.body.get("destination_arn")):
        return
    function = r.text("destination_arn", field="function")
    yield PushTrigger(
        key=r.key,
        function=function or Unresolved("destination_arn: required attribute missing"),
        kind=TriggerKind.CLOUDWATCH_LOGS,
        source=named_source(r, "log_group_name"),
        detail=r.text("filter_pattern", field="detail"),
        origin=r.origin(),
    )


def state_enabled(r: Reader, *, legacy: str | None = None) -> bool | Unresolved:
    """`state` of a rule or schedule (only `DISABLED` switches it off), or the older boolean `legacy`.

    Either one saying disabled is enough: a plan holds both, the one not written as the other's echo.
    """
    state = r.text("state", field="enabled")
    flag = r.flag(legacy, field="enabled") if legacy is not None else None
    if (isinstance(state, str) and state.upper() == "DISABLED") or flag is False:
        return False
    if isinstance(state, Unresolved):
        return state
    return flag if isinstance(flag, Unresolved) else True


def is_function(raw: Any) -> bool:
    """True when a target ARN names a Lambda function: a reference to one or a literal function ARN."""
    if not isinstance(raw, str):
        return False
    return bool(_FUNCTION_REFERENCE.match(raw)) or (":lambda:" in raw and ":function:" in raw)


def named_source(r: Reader, attr: str) -> str | Unresolved | None:
    """A bucket or topic: its literal value, else the address of the block it references."""
    value = r.text(attr, field="source")
    raw = r.block.body.get(attr)
    if isinstance(value, Unresolved) and isinstance(raw, str) and (match := _ADDRESS.match(raw)):
        return match[1]
    return value


def _json_text(r: Reader, attr: str) -> str | Unresolved | None:
    """A JSON-valued attribute (event pattern, filter policy) as canonical JSON text."""
    value = r.value(attr, field="detail")
    if value is None or isinstance(value, Unresolved):
        return value
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return Unresolved(f"{attr} is not JSON")
    if _has_unresolved(value):
        return Unresolved(f"{attr} of {r.block.address}")
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _has_unresolved(value: Any) -> bool:
    if isinstance(value, Unresolved):
        return True
    if isinstance(value, Mapping):
        return any(_has_unresolved(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unresolved(v) for v in value)
    return False


def _nested_origin(r: Reader, entry: Reader, part: str, body: Mapping[str, Any]) -> Origin:
    line = body.get("__start_line__")
    return Origin(
        source=SourceKind.TERRAFORM,
        file=r.block.file.display,
        line=line if isinstance(line, int) else r.block.line,
        resource=f"{r.block.address}/{part}",
        fields=tuple(entry.fields),
    )
