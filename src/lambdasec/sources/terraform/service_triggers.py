"""Maps Terraform triggers from other services: Cognito user pool hooks, IoT rules, load balancer targets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from lambdasec.model import Origin, PushTrigger, SourceKind, TriggerKind, Unresolved
from lambdasec.sources.terraform.reader import Reader
from lambdasec.sources.terraform.triggers import is_function, named_source

__all__ = ["map_cognito_triggers", "map_iot_rule", "map_target_group_attachment"]


def map_cognito_triggers(r: Reader) -> Iterator[PushTrigger]:
    """The function hooks of an `aws_cognito_user_pool`'s `lambda_config` block."""
    config = r.nested("lambda_config")
    if config is None:
        return
    for hook, raw in config.items():
        if isinstance(raw, list):  # custom_email_sender / custom_sms_sender: { lambda_arn, lambda_version }
            raw = raw[0].get("lambda_arn") if raw and isinstance(raw[0], Mapping) else None
            body = config[hook][0] if raw is not None else None
            attr = "lambda_arn"
        else:
            body, attr = config, hook
        if hook.startswith("__") or hook == "kms_key_id" or body is None or not is_function(raw):
            continue
        entry = Reader(block=r.block, scope=r.scope)
        function = entry.text(attr, field="function", body=body)
        name = f"lambda_config/{hook}"
        yield PushTrigger(
            key=f"{r.key}/{name}",
            function=function or Unresolved(f"{hook}: required attribute missing"),
            kind=TriggerKind.COGNITO,
            source=r.key,
            detail=hook,
            origin=_part(r, entry, name, line=dict(entry.fields).get("function")),
        )


def map_iot_rule(r: Reader) -> Iterator[PushTrigger]:
    """The `lambda` actions of an `aws_iot_topic_rule`."""
    sql = r.text("sql", field="detail")
    enabled = r.flag("enabled", field="enabled")
    for index, body in enumerate(r.nested_all("lambda")):
        if not is_function(body.get("function_arn")):
            continue
        entry = Reader(block=r.block, scope=r.scope)
        function = entry.text("function_arn", field="function", body=body)
        name = f"lambda/{index}"
        yield PushTrigger(
            key=f"{r.key}/{name}",
            function=function or Unresolved("function_arn: required attribute missing"),
            kind=TriggerKind.IOT,
            source=r.key,
            detail=sql,
            enabled=True if enabled is None else enabled,
            origin=_part(r, entry, name, line=_start(body)),
        )


def map_target_group_attachment(r: Reader) -> Iterator[PushTrigger]:
    """An `aws_lb_target_group_attachment` whose target is a function: the load balancer invokes it."""
    if not is_function(r.block.body.get("target_id")):
        return
    function = r.text("target_id", field="function")
    yield PushTrigger(
        key=r.key,
        function=function or Unresolved("target_id: required attribute missing"),
        kind=TriggerKind.ALB,
        source=named_source(r, "target_group_arn"),
        origin=r.origin(),
    )


def _start(body: Mapping[str, Any]) -> int | None:
    line = body.get("__start_line__")
    return line if isinstance(line, int) else None


def _part(r: Reader, entry: Reader, name: str, *, line: int | None) -> Origin:
    return Origin(
        source=SourceKind.TERRAFORM,
        file=r.block.file.display,
        line=line if line is not None else r.block.line,
        resource=f"{r.block.address}/{name}",
        fields=tuple(entry.fields),
    )
