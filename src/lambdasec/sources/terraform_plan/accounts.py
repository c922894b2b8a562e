"""The ARNs of a plan's roles and functions: planned, or built from their provider's caller identity."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.sources.terraform_plan.document import Plan, PlanResource, module_names

__all__ = ["function_arns", "role_arns"]

_DATA: Final = re.compile(
    r"^(?:(?P<module>.+)\.)?data\.(?P<type>aws_caller_identity|aws_region)\.(?P<name>[A-Za-z_][\w-]*)"
    r"(?:\[.*\])?$"
)
_ACCOUNT: Final = re.compile(r"^\d{12}$")
_PARTITION: Final = re.compile(r"^arn:(aws[a-z-]*):")
_PATH: Final = re.compile(r"^/(?:[\x21-\x7e]*/)?$")
_REGION: Final = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
_FUNCTION_NAME: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A resource of the configuration: its module call names and its address inside the module.
_Local = tuple[tuple[str, ...], str]


def role_arns(plan: Plan) -> dict[str, str]:
    """The ARN of each `aws_iam_role` of `plan` whose ARN is known, by resource address.

    A role the plan creates has no ARN before apply, but its ARN is `arn:<partition>:iam::<account>:role
    <path><name>`: when its name and path are planned and the `data.aws_caller_identity` sources read with
    the same provider configuration (`provider_config_key`: the account the role is created in) give one
    account, that ARN is the role's. With no such caller identity, or several accounts, it stays unknown.
    """
    configs = _configs(plan.config_root)
    accounts = _caller_accounts(plan, configs)
    out: dict[str, str] = {}
    for resource in plan.resources:
        if resource.type != "aws_iam_role":
            continue
        planned = resource.values.get("arn")
        if isinstance(planned, str) and planned:
            out[resource.address] = planned
            continue
        name, path = resource.values.get("name"), resource.values.get("path")
        found = accounts.get(_provider_key(configs, _local(resource)), set())
        if isinstance(name, str) and name and isinstance(path, str) and _PATH.match(path) and len(found) == 1:
            partition, account = next(iter(found))
            out[resource.address] = f"arn:{partition}:iam::{account}:role{path}{name}"
    return out


def function_arns(plan: Plan) -> dict[str, str]:
    """The ARN of each `aws_lambda_function` of `plan` whose ARN is known, by resource address.

    A function the plan creates has no ARN before apply, but its ARN is `arn:<partition>:lambda:<region>:
    <account>:function:<name>`: when its name is planned, the caller identities read with its provider
    configuration give one account (as for roles), and its region is known, that ARN is the function's.
    The region is the function's own planned `region` (AWS provider 6), else its provider configuration's:
    the `data.aws_region` sources read with it that choose no region themselves, and the provider's
    `region` argument when it is a constant, agreeing on one region. Otherwise the ARN stays unknown.
    """
    configs = _configs(plan.config_root)
    accounts = _caller_accounts(plan, configs)
    regions = _provider_regions(plan, configs)
    out: dict[str, str] = {}
    for resource in plan.resources:
        if resource.type != "aws_lambda_function":
            continue
        planned = resource.values.get("arn")
        if isinstance(planned, str) and planned:
            out[resource.address] = planned
            continue
        name = resource.values.get("function_name")
        key = _provider_key(configs, _local(resource))
        found = accounts.get(key, set())
        region = _function_region(resource, regions.get(key, set()))
        if isinstance(name, str) and _FUNCTION_NAME.match(name) and len(found) == 1 and region is not None:
            partition, account = next(iter(found))
            out[resource.address] = f"arn:{partition}:lambda:{region}:{account}:function:{name}"
    return out


def _function_region(resource: PlanResource, provider_regions: set[str]) -> str | None:
    """The region `resource` is created in: its own planned `region`, unless its configuration sets a
    region the plan does not know, else the one region of its provider configuration."""
    own = resource.values.get("region")
    if isinstance(own, str) and _REGION.match(own):
        return own
    if own is not None or "region" in resource.expressions or resource.unknown.get("region") is not None:
        return None
    return next(iter(provider_regions)) if len(provider_regions) == 1 else None


def _caller_accounts(
    plan: Plan, configs: Mapping[_Local, Mapping[str, Any]]
) -> dict[str, set[tuple[str, str]]]:
    """`(partition, account id)` of the caller identities the plan read, by provider configuration key."""
    out: dict[str, set[tuple[str, str]]] = {}
    for address, values in plan.data_values.items():
        match = _DATA.match(address)
        if match is None or match["type"] != "aws_caller_identity":
            continue
        account, arn = values.get("account_id"), values.get("arn")
        partition = _PARTITION.match(arn) if isinstance(arn, str) else None
        key = _provider_key(configs, _data_local(match))
        if key and isinstance(account, str) and _ACCOUNT.match(account) and partition is not None:
            out.setdefault(key, set()).add((partition[1], account))
    return out


def _provider_regions(plan: Plan, configs: Mapping[_Local, Mapping[str, Any]]) -> dict[str, set[str]]:
    """The regions each provider configuration is known to use, by provider configuration key: its
    constant `region` argument, and the `data.aws_region` sources read with it that set no argument (one
    that names a region reads that region, not the provider's)."""
    out: dict[str, set[str]] = {}
    for key, provider in plan.providers.items():
        expressions = provider.get("expressions") if isinstance(provider, Mapping) else None
        region = expressions.get("region") if isinstance(expressions, Mapping) else None
        value = region.get("constant_value") if isinstance(region, Mapping) else None
        if isinstance(value, str) and _REGION.match(value):
            out.setdefault(key, set()).add(value)
    for address, values in plan.data_values.items():
        match = _DATA.match(address)
        if match is None or match["type"] != "aws_region":
            continue
        config = configs.get(_data_local(match), {})
        provider_key = config.get("provider_config_key")
        names = {values.get(attribute) for attribute in ("name", "region")} - {None}
        if (
            not isinstance(provider_key, str)
            or not provider_key
            or config.get("expressions")
            or len(names) != 1
        ):
            continue
        name = names.pop()
        if isinstance(name, str) and _REGION.match(name):
            out.setdefault(provider_key, set()).add(name)
    return out


def _local(resource: PlanResource) -> _Local:
    return tuple(module_names(resource.module)), f"{resource.type}.{resource.name}"


def _data_local(match: re.Match[str]) -> _Local:
    return tuple(module_names(match["module"] or "")), f"data.{match['type']}.{match['name']}"


def _provider_key(configs: Mapping[_Local, Mapping[str, Any]], local: _Local) -> str:
    """The `provider_config_key` of a resource or data source of the configuration (`""` when unknown)."""
    key = configs.get(local, {}).get("provider_config_key")
    return key if isinstance(key, str) else ""


def _configs(config: Mapping[str, Any], names: tuple[str, ...] = ()) -> dict[_Local, Mapping[str, Any]]:
    """The configuration of every resource and data source, by module call names and local address
    (`aws_iam_role.r`, `data.aws_caller_identity.c`)."""
    out: dict[_Local, Mapping[str, Any]] = {}
    for resource in config.get("resources") or ():
        if isinstance(resource, Mapping) and isinstance(resource.get("address"), str):
            out[(names, resource["address"])] = resource
    calls = config.get("module_calls")
    for name, call in calls.items() if isinstance(calls, Mapping) else ():
        module = call.get("module") if isinstance(call, Mapping) else None
        if isinstance(module, Mapping):
            out.update(_configs(module, (*names, name)))
    return out
