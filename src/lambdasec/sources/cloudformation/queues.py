"""Maps SQS queues with their redrive policy (AWS::SQS::Queue)."""

from __future__ import annotations

import json
from typing import Final

from lambdasec.model import Queue, Unresolved
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.references import GENERATED

__all__ = ["QUEUE", "map_queue"]

QUEUE: Final = frozenset({"AWS::SQS::Queue"})


def map_queue(resource: Resource, ctx: Context) -> Queue:
    """An AWS::SQS::Queue; `RedrivePolicy` may be a mapping or a JSON string."""
    p = resource.properties(ctx)
    return Queue(
        key=ctx.key(resource.logical_id),
        name=p.text("QueueName", field="name") or GENERATED,
        dead_letter_target=_dead_letter_target(p),
        origin=resource.origin(ctx, p),
    )


def _dead_letter_target(p: Node) -> str | Unresolved | None:
    value = p.value("RedrivePolicy")
    if isinstance(value, str):
        p.note("dead_letter_target", "RedrivePolicy")
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return p.wrong("RedrivePolicy", "a mapping or a JSON object", value=value)
        if not isinstance(parsed, dict):
            return p.wrong("RedrivePolicy", "a mapping or a JSON object", value=parsed)
        target = parsed.get("deadLetterTargetArn")
        return target if isinstance(target, str) else p.missing("RedrivePolicy.deadLetterTargetArn")
    policy = p.node("RedrivePolicy", field="dead_letter_target")
    if policy is None or isinstance(policy, Unresolved):
        return policy
    return policy.required(
        policy.ref("deadLetterTargetArn", QUEUE, field="dead_letter_target"), "deadLetterTargetArn"
    )
