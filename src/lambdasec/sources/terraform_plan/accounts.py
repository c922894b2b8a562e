"""The ARNs of a plan's roles and functions: planned, or built from their provider's account and region."""

from __future__ import annotations

import re
from typing import Final

from lambdasec.sources.terraform_plan.document import Plan, PlanResource
from lambdasec.sources.terraform_plan.providers import Providers

__all__ = ["function_arns", "role_arns"]

_PATH: Final = re.compile(r"^/(?:[\x21-\x7e]*/)?$")
_REGION: Final = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
_FUNCTION_NAME: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def role_arns(plan: Plan, *, providers: Providers | None = None) -> dict[str, str]:
    """The ARN of each `aws_iam_role` of `plan` whose ARN is known, by resource address.

    A role the plan creates has no ARN before apply, but its ARN is `arn:<partition>:iam::<account>:role
    <path><name>`: when its name and path are planned and the provider configuration it is created with
    (`provider_config_key`) has one known account (`Providers`: the caller identities read with it, the
    planned ARNs of the resources it already manages), that ARN is the role's. Otherwise it stays unknown.
    """
    providers = providers or Providers.of(plan)
    out: dict[str, str] = {}
    for resource in plan.resources:
        if resource.type != "aws_iam_role":
            continue
        planned = resource.values.get("arn")
        if isinstance(planned, str) and planned:
            out[resource.address] = planned
            continue
        name, path = resource.values.get("name"), resource.values.get("path")
        account = providers.account(providers.key_of(resource))
        if isinstance(name, str) and name and isinstance(path, str) and _PATH.match(path) and account:
            partition, account_id = account
            out[resource.address] = f"arn:{partition}:iam::{account_id}:role{path}{name}"
    return out


def function_arns(plan: Plan, *, providers: Providers | None = None) -> dict[str, str]:
    """The ARN of each `aws_lambda_function` of `plan` whose ARN is known, by resource address.

    A function the plan creates has no ARN before apply, but its ARN is `arn:<partition>:lambda:<region>:
    <account>:function:<name>`: when its name is planned, its provider configuration has one known account
    (as for roles), and its region is known, that ARN is the function's. The region is the function's own
    planned `region` (AWS provider 6), else its provider configuration's (`Providers`). Otherwise the ARN
    stays unknown.
    """
    providers = providers or Providers.of(plan)
    out: dict[str, str] = {}
    for resource in plan.resources:
        if resource.type != "aws_lambda_function":
            continue
        planned = resource.values.get("arn")
        if isinstance(planned, str) and planned:
            out[resource.address] = planned
            continue
        name = resource.values.get("function_name")
        key = providers.key_of(resource)
        account = providers.account(key)
        region = _function_region(resource, providers.region(key))
        if isinstance(name, str) and _FUNCTION_NAME.match(name) and account and region is not None:
            partition, account_id = account
            out[resource.address] = f"arn:{partition}:lambda:{region}:{account_id}:function:{name}"
    return out


def _function_region(resource: PlanResource, provider_region: str | None) -> str | None:
    """The region `resource` is created in: its own planned `region`, unless its configuration sets a
    region the plan does not know, else its provider configuration's region."""
    own = resource.values.get("region")
    if isinstance(own, str) and _REGION.match(own):
        return own
    if own is not None or "region" in resource.expressions or resource.unknown.get("region") is not None:
        return None
    return provider_region
