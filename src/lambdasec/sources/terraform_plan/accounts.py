"""The ARN of each role of a plan: planned, or built from the account its provider's caller identity read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.sources.terraform_plan.document import Plan, module_names

__all__ = ["role_arns"]

_CALLER: Final = re.compile(
    r"^(?:(?P<module>.+)\.)?data\.aws_caller_identity\.(?P<name>[A-Za-z_][\w-]*)(?:\[.*\])?$"
)
_ACCOUNT: Final = re.compile(r"^\d{12}$")
_PARTITION: Final = re.compile(r"^arn:(aws[a-z-]*):")
_PATH: Final = re.compile(r"^/(?:[\x21-\x7e]*/)?$")
# A resource of the configuration: its module call names and its address inside the module.
_Local = tuple[tuple[str, ...], str]


def role_arns(plan: Plan) -> dict[str, str]:
    """The ARN of each `aws_iam_role` of `plan` whose ARN is known, by resource address.

    A role the plan creates has no ARN before apply, but its ARN is `arn:<partition>:iam::<account>:role
    <path><name>`: when its name and path are planned and the `data.aws_caller_identity` sources read with
    the same provider configuration (`provider_config_key`: the account the role is created in) give one
    account, that ARN is the role's. With no such caller identity, or several accounts, it stays unknown.
    """
    providers = _provider_keys(plan.config_root)
    accounts = _caller_accounts(plan, providers)
    out: dict[str, str] = {}
    for resource in plan.resources:
        if resource.type != "aws_iam_role":
            continue
        planned = resource.values.get("arn")
        if isinstance(planned, str) and planned:
            out[resource.address] = planned
            continue
        name, path = resource.values.get("name"), resource.values.get("path")
        key = providers.get((tuple(module_names(resource.module)), f"{resource.type}.{resource.name}"))
        found = accounts.get(key, set()) if key is not None else set()
        if isinstance(name, str) and name and isinstance(path, str) and _PATH.match(path) and len(found) == 1:
            partition, account = next(iter(found))
            out[resource.address] = f"arn:{partition}:iam::{account}:role{path}{name}"
    return out


def _caller_accounts(plan: Plan, providers: Mapping[_Local, str]) -> dict[str, set[tuple[str, str]]]:
    """`(partition, account id)` of the caller identities the plan read, by provider configuration key."""
    out: dict[str, set[tuple[str, str]]] = {}
    for address, values in plan.data_values.items():
        match = _CALLER.match(address)
        if match is None:
            continue
        account, arn = values.get("account_id"), values.get("arn")
        partition = _PARTITION.match(arn) if isinstance(arn, str) else None
        key = providers.get(
            (tuple(module_names(match["module"] or "")), f"data.aws_caller_identity.{match['name']}")
        )
        if key is not None and isinstance(account, str) and _ACCOUNT.match(account) and partition is not None:
            out.setdefault(key, set()).add((partition[1], account))
    return out


def _provider_keys(config: Mapping[str, Any], names: tuple[str, ...] = ()) -> dict[_Local, str]:
    """The `provider_config_key` of every resource and data source of the configuration, by module call
    names and local address (`aws_iam_role.r`, `data.aws_caller_identity.c`)."""
    out: dict[_Local, str] = {}
    for resource in config.get("resources") or ():
        if not isinstance(resource, Mapping):
            continue
        address, key = resource.get("address"), resource.get("provider_config_key")
        if isinstance(address, str) and isinstance(key, str) and key:
            out[(names, address)] = key
    calls = config.get("module_calls")
    for name, call in calls.items() if isinstance(calls, Mapping) else ():
        module = call.get("module") if isinstance(call, Mapping) else None
        if isinstance(module, Mapping):
            out.update(_provider_keys(module, (*names, name)))
    return out
