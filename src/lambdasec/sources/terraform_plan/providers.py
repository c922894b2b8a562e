"""What a plan tells of each provider configuration: the account and region its resources are created in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.terraform_plan.document import Plan, PlanResource, as_list, as_mapping, module_names

__all__ = ["Providers"]

_DATA: Final = re.compile(
    r"^(?:(?P<module>.+)\.)?data\.(?P<type>[a-z0-9_]+)\.(?P<name>[A-Za-z_][\w-]*)(?:\[.*\])?$"
)
_ACCOUNT: Final = re.compile(r"^\d{12}$")
_PARTITION: Final = re.compile(r"^arn:(aws[a-z-]*):")
_REGION: Final = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
_ARN: Final = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[^:]*):(?P<account>\d{12}):"
)
# Managed resource types whose planned `arn` is the resource's own ARN, in the account (and, for the
# regional ones, the region) of the provider configuration that manages it. Types whose ARN may name
# another account (a subscription to another account's topic, a rule on another account's event bus) or
# no account (S3 buckets, API Gateway APIs) are not listed.
# Data sources that look a resource up by its name, which finds it in the provider configuration's own
# account (and region); ones that also take an ARN (functions, keys, parameters, secrets) are not listed.
_DATA_GLOBAL_ARN_TYPES: Final = frozenset({"aws_iam_role", "aws_iam_user"})
_DATA_REGIONAL_ARN_TYPES: Final = frozenset({"aws_sqs_queue", "aws_sns_topic", "aws_cloudwatch_log_group"})
_GLOBAL_ARN_TYPES: Final = frozenset(
    {"aws_iam_role", "aws_iam_policy", "aws_iam_user", "aws_iam_group", "aws_iam_instance_profile"}
)
_REGIONAL_ARN_TYPES: Final = frozenset(
    {
        "aws_lambda_function",
        "aws_lambda_alias",
        "aws_lambda_layer_version",
        "aws_lambda_code_signing_config",
        "aws_sqs_queue",
        "aws_sns_topic",
        "aws_cloudwatch_log_group",
        "aws_dynamodb_table",
        "aws_kms_key",
        "aws_sfn_state_machine",
        "aws_secretsmanager_secret",
        "aws_ssm_parameter",
        "aws_kinesis_stream",
        "aws_ecr_repository",
    }
)
# A resource or data source of the configuration: its module call names and its address inside the module.
_Local = tuple[tuple[str, ...], str]


@record
class Providers:
    """The accounts and regions each provider configuration of a plan is known to use, by
    `provider_config_key`, and the caller identity data sources read with it (by address).

    A provider configuration's account is what the `data.aws_caller_identity` sources read with it say,
    and the account of the planned ARNs of the resources it manages (`_GLOBAL_ARN_TYPES`,
    `_REGIONAL_ARN_TYPES`: a role or function that already exists) or looks up by name
    (`_DATA_GLOBAL_ARN_TYPES`, `_DATA_REGIONAL_ARN_TYPES`); its region is its constant `region` argument,
    the `data.aws_region` sources read with it that choose no region themselves, and the region of those
    ARNs of regional resources that set no `region` of their own. It is known when these agree on one
    value.
    """

    configs: Mapping[_Local, Mapping[str, Any]]
    keys: Mapping[_Local, str]
    accounts: Mapping[str, frozenset[tuple[str, str]]]
    regions: Mapping[str, frozenset[str]]
    callers: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, plan: Plan) -> Providers:
        """What `plan` tells of its provider configurations."""
        configs = _configs(plan.config_root)
        keys = {
            place: _configuration_key(config.get("provider_config_key"), place[0], plan.providers)
            for place, config in configs.items()
        }
        accounts: dict[str, set[tuple[str, str]]] = {}
        regions: dict[str, set[str]] = {}
        callers: dict[str, list[str]] = {}
        for address, values in plan.data_values.items():
            match = _DATA.match(address)
            if match is None:
                continue
            config = configs.get(_data_local(match), {})
            key = keys.get(_data_local(match), "")
            if not key:
                continue
            if match["type"] == "aws_caller_identity":
                account, arn = values.get("account_id"), values.get("arn")
                partition = _PARTITION.match(arn) if isinstance(arn, str) else None
                if isinstance(account, str) and _ACCOUNT.match(account) and partition is not None:
                    accounts.setdefault(key, set()).add((partition[1], account))
                    callers.setdefault(key, []).append(address)
                continue
            if match["type"] != "aws_region":
                regional = match["type"] in _DATA_REGIONAL_ARN_TYPES
                if regional or match["type"] in _DATA_GLOBAL_ARN_TYPES:
                    expressions = as_mapping(config.get("expressions"))
                    _from_arn(
                        values, expressions, key=key, regional=regional, accounts=accounts, regions=regions
                    )
                continue
            # A data.aws_region that names a region reads that region, not the provider's.
            names = {
                values.get(attribute)
                for attribute in ("name", "region")
                if isinstance(values.get(attribute), str)
            }
            name = names.pop() if len(names) == 1 and not config.get("expressions") else None
            if name is not None and _REGION.match(name):
                regions.setdefault(key, set()).add(name)
        for key, provider in plan.providers.items():
            region = as_mapping(as_mapping(as_mapping(provider).get("expressions")).get("region"))
            value = region.get("constant_value")
            if isinstance(value, str) and _REGION.match(value):
                regions.setdefault(key, set()).add(value)
        for resource in plan.resources:
            regional = resource.type in _REGIONAL_ARN_TYPES
            if regional or resource.type in _GLOBAL_ARN_TYPES:
                key = keys.get(local(resource), "")
                _from_arn(
                    resource.values,
                    resource.expressions,
                    key=key,
                    regional=regional,
                    accounts=accounts,
                    regions=regions,
                )
        return cls(
            configs=configs,
            keys=keys,
            accounts={key: frozenset(found) for key, found in accounts.items()},
            regions={key: frozenset(found) for key, found in regions.items()},
            callers={key: tuple(sorted(found)) for key, found in callers.items()},
        )

    def key_of(self, resource: PlanResource) -> str:
        """The provider configuration of `resource` (see `_configuration_key`; `""` when the
        configuration does not say)."""
        return self.keys.get(local(resource), "")

    def account(self, key: str) -> tuple[str, str] | None:
        """`(partition, account id)` of provider configuration `key`, when known."""
        found = self.accounts.get(key, frozenset()) if key else frozenset()
        return next(iter(found)) if len(found) == 1 else None

    def region(self, key: str) -> str | None:
        """The region of provider configuration `key`, when known."""
        found = self.regions.get(key, frozenset()) if key else frozenset()
        return next(iter(found)) if len(found) == 1 else None


def _from_arn(
    values: Mapping[str, Any],
    expressions: Mapping[str, Any],
    *,
    key: str,
    regional: bool,
    accounts: dict[str, set[tuple[str, str]]],
    regions: dict[str, set[str]],
) -> None:
    """Add the account and region the planned `arn` among a resource's `values` gives its provider
    configuration `key` (the region only for a `regional` resource that sets no `region` of its own)."""
    arn = values.get("arn")
    match = _ARN.match(arn) if key and isinstance(arn, str) else None
    if match is None:
        return
    accounts.setdefault(key, set()).add((match["partition"], match["account"]))
    own_region = "region" in expressions or values.get("region") not in (None, match["region"])
    if regional and not own_region and _REGION.match(match["region"]):
        regions.setdefault(key, set()).add(match["region"])


def local(resource: PlanResource) -> _Local:
    """The module call names and local address of a managed resource."""
    return tuple(module_names(resource.module)), f"{resource.type}.{resource.name}"


def _data_local(match: re.Match[str]) -> _Local:
    return tuple(module_names(match["module"] or "")), f"data.{match['type']}.{match['name']}"


def _configuration_key(raw: object, names: tuple[str, ...], providers: Mapping[str, Any]) -> str:
    """The key in `configuration.provider_config` of the provider configuration a resource or data source
    of module `names` uses, from its `provider_config_key` (`""` when there is none).

    Terraform 1.2 and later write that key itself (`aws`, `aws.east`, `module.a:aws`). Terraform 0.13 to
    1.1 wrote `<call name>:<provider>` for a resource of a called module (the last call's name only, so
    cousin modules' keys collide), and early 0.12 `provider.<provider>`. Such a key names the module's own
    configuration when the map lists one for its module (`module.a.module.b:aws`); the root module's
    default one when the map lists no other configuration of that provider (whatever a module inherits
    or is passed is then that one); otherwise the module's, by its full path, so that only its own
    resources tell what it is (the `providers` a module call passes are not in the plan).
    """
    if not isinstance(raw, str) or not raw or raw in providers:
        return raw if isinstance(raw, str) else ""
    if raw.startswith("provider."):
        written = raw.removeprefix("provider.")
    else:
        call, colon, written = raw.partition(":")
        if not (colon and names and call == names[-1]):
            return raw
    own = ".".join(f"module.{name}" for name in names) + f":{written}" if names else written
    if own in providers:
        return own
    provider = written.partition(".")[0]
    others = [key for key in providers if key != provider and _provider_of(key) == provider]
    return own if others else provider


def _provider_of(key: str) -> str:
    """The provider a `provider_config` key configures (`aws` of `module.a:aws.east`)."""
    return key.rpartition(":")[2].partition(".")[0]


def _configs(config: Mapping[str, Any], names: tuple[str, ...] = ()) -> dict[_Local, Mapping[str, Any]]:
    """The configuration of every resource and data source, by module call names and local address
    (`aws_iam_role.r`, `data.aws_caller_identity.c`)."""
    out: dict[_Local, Mapping[str, Any]] = {}
    for resource in as_list(config.get("resources")):
        if isinstance(resource, Mapping) and isinstance(resource.get("address"), str):
            out[(names, resource["address"])] = resource
    calls = config.get("module_calls")
    for name, call in calls.items() if isinstance(calls, Mapping) else ():
        module = call.get("module") if isinstance(call, Mapping) else None
        if isinstance(module, Mapping):
            out.update(_configs(module, (*names, name)))
    return out
