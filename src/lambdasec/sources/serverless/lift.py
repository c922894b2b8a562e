"""serverless-lift `queue` constructs: the worker function, its SQS event, and the queues Lift creates."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import key_line, node, put, seq
from lambdasec.sources.serverless.variables import is_unresolved
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["LiftQueues", "lift_queues"]

# Lift grants every function of the service these on each queue (`Queue.permissions()`).
_SEND_ACTIONS: Final = ("sqs:SendMessage", "sqs:ChangeMessageVisibility")
_NOT_ALPHANUMERIC: Final = re.compile(r"[^A-Za-z0-9]")
# Lift's defaults: three receives before the dead-letter queue, one message a batch, a 6 s worker timeout.
_MAX_RETRIES: Final = 3
_BATCH_SIZE: Final = 1
_DEFAULT_TIMEOUT: Final = 6
_DLQ_RETENTION_S: Final = 14 * 24 * 3600


@dataclass(slots=True)
class LiftQueues:
    """What the service's queue constructs add: functions (worker included), resources, role statements."""

    functions: Any
    resources: dict[str, MarkedDict] = field(default_factory=dict)
    statements: list[tuple[MarkedDict, int]] = field(default_factory=list)


def lift_queues(
    document: MarkedDict, functions: Any, *, stack_name: str, diagnostics: Diagnostics
) -> LiftQueues:
    """`functions` with each `type: queue` construct's worker subscribed to its queue, as Lift does.

    A `worker` mapping becomes the function `<id>Worker`; a `worker` naming a function subscribes that
    function. Other construct types are reported as not modelled.
    """
    constructs = document.get("constructs")
    out = LiftQueues(functions=functions)
    if not isinstance(constructs, dict) or is_unresolved(constructs):
        return out
    merged = MarkedDict(getattr(functions, "line", 0) or key_line(document, "constructs", 0))
    if isinstance(functions, dict):
        merged.update(functions)
        if isinstance(functions, MarkedDict):
            merged.key_lines.update(functions.key_lines)
    for construct_id, spec in constructs.items():
        line = key_line(constructs, construct_id, 0)
        kind = spec.get("type") if isinstance(spec, dict) else None
        if kind != "queue":
            diagnostics.warn(f"`constructs.{construct_id}` (serverless-lift `{kind}`) is not modelled", line)
            continue
        _queue(
            str(construct_id), spec, merged, out, stack_name=stack_name, line=line, diagnostics=diagnostics
        )
    out.functions = merged
    return out


def _queue(
    construct_id: str,
    spec: MarkedDict,
    functions: MarkedDict,
    out: LiftQueues,
    *,
    stack_name: str,
    line: int,
    diagnostics: Diagnostics,
) -> None:
    worker = spec.get("worker")
    if isinstance(worker, str):
        name = worker
        target = functions.get(name)
        if not isinstance(target, MarkedDict):
            diagnostics.error(f"`constructs.{construct_id}.worker` names no function `{name}`", line)
            return
    elif isinstance(worker, MarkedDict):
        name = f"{construct_id}Worker"
        target = worker
        functions.key_lines[name] = key_line(spec, "worker", line)
    else:
        diagnostics.error(f"`constructs.{construct_id}` needs a `worker` function", line)
        return
    fifo = spec.get("fifo") is True
    base = f"{stack_name}-{construct_id}"
    queue_id, dlq_id = cdk_id(construct_id, "Queue"), cdk_id(construct_id, "Dlq")
    timeout = target.get("timeout", _DEFAULT_TIMEOUT)
    window = spec.get("maxBatchingWindow", 0)
    dlq = node(line, [("QueueName", f"{base}-dlq.fifo" if fifo else f"{base}-dlq")])
    put(dlq, "MessageRetentionPeriod", _DLQ_RETENTION_S, line)
    queue = node(line, [("QueueName", f"{base}.fifo" if fifo else base)])
    if isinstance(timeout, int) and isinstance(window, int):
        put(queue, "VisibilityTimeout", timeout * 6 + window, line)
    redrive = node(line, [("deadLetterTargetArn", _arn(dlq_id, line))])
    put(redrive, "maxReceiveCount", spec.get("maxRetries", _MAX_RETRIES), key_line(spec, "maxRetries", line))
    put(queue, "RedrivePolicy", redrive, line)
    out.resources[dlq_id] = _resource(dlq, line)
    out.resources[queue_id] = _resource(queue, line)
    event = node(line, [("arn", _arn(queue_id, line))])
    put(event, "batchSize", spec.get("batchSize", _BATCH_SIZE), key_line(spec, "batchSize", line))
    put(event, "maximumBatchingWindow", window, key_line(spec, "maxBatchingWindow", line))
    if "maxConcurrency" in spec:
        put(event, "maximumConcurrency", spec["maxConcurrency"], key_line(spec, "maxConcurrency", line))
    put(event, "functionResponseType", "ReportBatchItemFailures", line)
    functions[name] = _with_event(target, node(line, [("sqs", event)]), line)
    statement = node(line, [("Effect", "Allow"), ("Action", seq(line, list(_SEND_ACTIONS)))])
    put(statement, "Resource", seq(line, [_arn(queue_id, line)]), line)
    out.statements.append((statement, line))


def _with_event(function: MarkedDict, event: MarkedDict, line: int) -> MarkedDict:
    """A copy of `function` whose `events` end with `event` (the construct's own spec is left alone);
    `function` itself when its `events` are not a list, which reading the function reports."""
    events = function.get("events")
    if events is not None and not isinstance(events, MarkedList):
        return function
    copy = MarkedDict(function.line)
    copy.update(function)
    copy.key_lines.update(function.key_lines)
    listed = MarkedList(getattr(events, "line", line))
    if isinstance(events, MarkedList):
        listed.extend(events)
        listed.item_lines.extend(events.item_lines)
    listed.append(event)
    listed.item_lines.append(line)
    copy["events"] = listed
    copy.key_lines.setdefault("events", line)
    return copy


def _resource(properties: MarkedDict, line: int) -> MarkedDict:
    resource = node(line, [("Type", "AWS::SQS::Queue")])
    put(resource, "Properties", properties, line)
    return resource


def _arn(logical_id: str, line: int) -> MarkedDict:
    return node(line, [("Fn::GetAtt", seq(line, [logical_id, "Arn"]))])


def cdk_id(construct_id: str, child: str) -> str:
    """The logical id CDK gives `<construct>/<child>/Resource` in Lift's stack: the path without
    `Resource`, letters and digits only, then the first 8 hex digits of the path's MD5, upper case."""
    path = "/".join((construct_id, child, "Resource"))
    digest = hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()[:8].upper()
    return f"{_NOT_ALPHANUMERIC.sub('', construct_id)}{child}{digest}"
