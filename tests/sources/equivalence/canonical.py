"""A source-independent dump of an Inventory, for comparing the same application written in several sources.

What is dropped or normalized, and why:

- Origins (file, line, resource address, construct path) and inventory keys: they say where an object was
  written, which is what differs between sources by design.
- References between objects (a function's role, a permission's function, a route's API, an event source's
  queue) hold source-specific keys, names or ARNs. They are resolved through the Inventory and shown as
  what they point at: functions by name, roles by the names of the functions that use them, queues by
  name.
- Role, policy and API names: CDK generates them (`WorkerRoleDefaultPolicy1A2B3C4D`) and Serverless names
  them after the service and stage, so a role is known by its functions, a policy by its kind, ARN and
  statements, and an API by its kind, routes and stages.
- `Unresolved` reasons name the source's own expression (`!GetAtt OrdersQueue.Arn`,
  `aws_sqs_queue.orders.arn`, `module.x.aws_sqs_queue.orders.arn`): only the fact that a value is unknown is
  kept.
- Code locations: a SAM `CodeUri`, a Terraform `filename`, a Serverless package and a CDK asset are
  different files for the same handler.
- Tags that a tool adds on its own (`lambda:createdBy: SAM`, `aws:cdk:*`) are left out; tags a user wrote
  are kept.
- `Permission.implicit`: whether a grant restates another setting is the source's bookkeeping; who may
  invoke what is kept.
- An AWS managed policy is compared by its ARN (`managed_policy_arns`). The Terraform sources also list an
  `aws_iam_role_policy_attachment` of one as a policy without a document, so that a finding can point at
  the attachment block: that entry is left out.
- The order of actions and resources inside a statement means nothing to IAM, and
  `aws_iam_policy_document` renders them in an order of its own: they are sorted.
- A push trigger is compared by its function, kind, detail (schedule expression, event pattern) and whether
  it is enabled; its source is a bucket, topic or bus name in one source and an inventory key in another.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from enum import Enum
from typing import Any, Final

from lambdasec.model import (
    EventSourceMapping,
    FunctionUrl,
    Inventory,
    LambdaFunction,
    Permission,
    Policy,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Unresolved,
)

__all__ = ["UNKNOWN", "canonical"]

UNKNOWN: Final = "<unresolved>"
_DROPPED: Final = frozenset({"origin", "references", "fields"})
_TOOL_TAGS: Final = ("lambda:createdBy", "aws:cdk:", "aws:cloudformation:")


def canonical(inv: Inventory) -> dict[str, Any]:
    """The inventory as plain, sorted data without anything that depends on how it was written."""
    return {
        "functions": {_name(fn): _function(fn) for fn in inv.functions},
        "roles": sorted((_role(inv, role) for role in inv.roles), key=repr),
        "permissions": sorted((_permission(inv, p) for p in inv.permissions), key=repr),
        "function_urls": sorted((_url(inv, url) for url in inv.function_urls), key=repr),
        "event_source_mappings": sorted((_esm(inv, esm) for esm in inv.event_source_mappings), key=repr),
        "push_triggers": sorted(
            (
                {
                    "function": _function_name(inv, trigger.function),
                    "kind": _plain(trigger.kind),
                    "detail": _plain(trigger.detail),
                    "enabled": _plain(trigger.enabled),
                }
                for trigger in inv.push_triggers
            ),
            key=repr,
        ),
        "api_routes": sorted(
            (
                {
                    "api": _api_kind(inv, route.api),
                    "method": _plain(route.method),
                    "path": _plain(route.path),
                    "function": _function_name(inv, route.function),
                    "authorization": _plain(route.authorization),
                    "api_key_required": _plain(route.api_key_required),
                    "throttling": _plain(route.throttling),
                }
                for route in inv.api_routes
            ),
            key=repr,
        ),
        "api_stages": sorted(
            (
                {
                    "api": _api_kind(inv, stage.api),
                    "name": _plain(stage.name),
                    "throttling": _plain(stage.throttling),
                    "access_logging": _plain(stage.access_logging),
                    "tracing": _plain(stage.tracing),
                }
                for stage in inv.api_stages
            ),
            key=repr,
        ),
        "log_groups": sorted(
            (
                {
                    "name": _plain(group.name),
                    "retention_days": _plain(group.retention_days),
                    "kms_key_id": _plain(group.kms_key_id),
                }
                for group in inv.log_groups
            ),
            key=repr,
        ),
        "provisioned_concurrency": sorted(
            (
                {
                    "function": _function_name(inv, setting.function),
                    "qualifier": _plain(setting.qualifier),
                    "executions": _plain(setting.executions),
                }
                for setting in inv.provisioned_concurrency
            ),
            key=repr,
        ),
        "queues": sorted(
            (
                {"name": _plain(q.name), "dead_letter_target": _plain(q.dead_letter_target)}
                for q in inv.queues
            ),
            key=repr,
        ),
    }


def _name(fn: LambdaFunction) -> str:
    return fn.name if isinstance(fn.name, str) else UNKNOWN


def _function(fn: LambdaFunction) -> dict[str, Any]:
    out = _fields(fn, skip={"name", "arn", "code", "role", "tags"})
    out["environment"] = (
        UNKNOWN
        if isinstance(fn.environment, Unresolved)
        else {var.name: _plain(var.value) for var in fn.environment}
    )
    out["tags"] = (
        UNKNOWN
        if isinstance(fn.tags, Unresolved)
        else {k: _plain(v) for k, v in fn.tags if not k.startswith(_TOOL_TAGS)}
    )
    return out


def _function_name(inv: Inventory, ref: str | Unresolved | None) -> str | None:
    if ref is None:
        return None
    fn = inv.function(ref)
    return _name(fn) if fn is not None else f"<not found: {_plain(ref)}>"


def _role(inv: Inventory, role: Role) -> dict[str, Any]:
    return {
        "functions": sorted(_name(fn) for fn in inv.functions_using(role)),
        "trust_policy": _document(role.trust_policy),
        "policies": sorted((_policy(p) for p in role.policies if not _attachment(p)), key=repr),
        "managed_policy_arns": sorted(str(_plain(arn)) for arn in role.managed_policy_arns if _aws(arn)),
        "permissions_boundary": _plain(role.permissions_boundary),
    }


def _aws(arn: str | Unresolved) -> bool:
    """AWS managed policy ARNs; customer managed ones are compared through the policies they attach."""
    return not isinstance(arn, str) or arn.startswith("arn:aws:iam::aws:policy/")


def _attachment(policy: Policy) -> bool:
    return policy.kind is PolicyKind.AWS_MANAGED and isinstance(policy.document, Unresolved)


def _policy(policy: Policy) -> dict[str, Any]:
    return {"kind": _plain(policy.kind), "document": _document(policy.document)}


def _document(document: PolicyDocument | Unresolved | None) -> Any:
    if not isinstance(document, PolicyDocument):
        return _plain(document)
    return sorted((_statement(s) for s in document.statements), key=repr)


def _statement(statement: Statement) -> dict[str, Any]:
    out = _fields(statement, skip={"sid"}, top=False)
    for name in ("actions", "not_actions", "resources", "not_resources"):
        if isinstance(out[name], list):
            out[name] = sorted(out[name])
    return out


def _permission(inv: Inventory, grant: Permission) -> dict[str, Any]:
    out = _fields(grant, skip={"function", "implicit"})
    out["function"] = _function_name(inv, grant.function)
    return out


def _url(inv: Inventory, url: FunctionUrl) -> dict[str, Any]:
    out = _fields(url, skip={"function"})
    out["function"] = _function_name(inv, url.function)
    return out


def _esm(inv: Inventory, esm: EventSourceMapping) -> dict[str, Any]:
    out = _fields(esm, skip={"function", "event_source_arn"})
    out["function"] = _function_name(inv, esm.function)
    queue = inv.queue(esm.event_source_arn) if esm.event_source_arn is not None else None
    out["queue"] = _plain(queue.name) if queue is not None else _plain(esm.event_source_arn)
    return out


def _api_kind(inv: Inventory, ref: str | Unresolved) -> str:
    api = inv.api(ref)
    return _plain(api.kind) if api is not None else f"<not found: {_plain(ref)}>"


def _fields(obj: Any, *, skip: Iterable[str], top: bool = True) -> dict[str, Any]:
    """The fields of `obj` as plain data; a top-level object's inventory `key` is dropped."""
    skipped = set(skip) | _DROPPED | ({"key"} if top else set())
    return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in skipped}


def _plain(value: Any) -> Any:
    if isinstance(value, Unresolved):
        return UNKNOWN
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value, skip=(), top=False)
    return value
