"""Terraform plan JSON: a provider configuration's account and region, from the ARNs of what it manages."""

from __future__ import annotations

import json
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.sources.terraform_plan import map_plan, parse_plan
from lambdasec.sources.terraform_plan.accounts import function_arns, role_arns
from lambdasec.sources.terraform_plan.document import Plan
from lambdasec.sources.terraform_plan.providers import Providers

ACCOUNT = "111122223333"
OTHER = "444455556666"
PROVIDER = "registry.terraform.io/hashicorp/aws"
Pair = tuple[dict[str, Any], dict[str, Any]]


def _managed(
    kind: str, name: str, values: dict[str, Any], *, provider: str, expressions: dict[str, Any] | None = None
) -> Pair:
    planned = {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": PROVIDER,
        "values": values,
    }
    config = {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_config_key": provider,
        "expressions": {key: {"constant_value": value} for key, value in (expressions or {}).items()},
    }
    return planned, config


def _new_function(name: str, *, provider: str) -> Pair:
    return _managed(
        "aws_lambda_function",
        name,
        {"function_name": name},
        provider=provider,
        expressions={"function_name": name},
    )


def _new_role(name: str, *, provider: str) -> Pair:
    return _managed(
        "aws_iam_role", name, {"name": name, "path": "/"}, provider=provider, expressions={"name": name}
    )


def _caller(account: str, *, provider: str) -> Pair:
    read = {
        "address": "data.aws_caller_identity.current",
        "mode": "data",
        "type": "aws_caller_identity",
        "name": "current",
        "provider_name": PROVIDER,
        "values": {"account_id": account, "arn": f"arn:aws:iam::{account}:user/deploy", "id": account},
    }
    config = {
        "address": "data.aws_caller_identity.current",
        "mode": "data",
        "type": "aws_caller_identity",
        "name": "current",
        "provider_config_key": provider,
    }
    return read, config


def _plan(resources: list[Pair], data: list[Pair] = ()) -> Plan:  # type: ignore[assignment]
    raw = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [planned for planned, _ in resources]}},
        "prior_state": {"values": {"root_module": {"resources": [read for read, _ in data]}}},
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws"},
                "aws.workloads": {"name": "aws", "alias": "workloads"},
            },
            "root_module": {"resources": [config for _, config in [*resources, *data]]},
        },
    }
    parsed = parse_plan(json.dumps(raw), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return parsed


def _existing(
    kind: str, name: str, arn: str, *, provider: str = "aws.workloads", region: str | None = None
) -> Pair:
    """A resource the plan keeps, whose ARN is known (`region`: the region its configuration sets)."""
    if region is None:
        return _managed(kind, name, {"arn": arn}, provider=provider)
    values = {"arn": arn, "region": region}
    return _managed(kind, name, values, provider=provider, expressions={"region": region})


def test_existing_resources_give_their_providers_account_and_region() -> None:
    plan = _plan(
        [
            _existing("aws_iam_role", "deployer", f"arn:aws:iam::{ACCOUNT}:role/deployer"),
            _existing("aws_sqs_queue", "jobs", f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs"),
            _new_function("sync", provider="aws.workloads"),
            _new_role("sync", provider="aws.workloads"),
        ]
    )
    providers = Providers.of(plan)
    assert (providers.account("aws.workloads"), providers.region("aws.workloads")) == (
        ("aws", ACCOUNT),
        "eu-west-1",
    )
    assert function_arns(plan) == {
        "aws_lambda_function.sync": f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:sync"
    }
    assert role_arns(plan) == {
        "aws_iam_role.deployer": f"arn:aws:iam::{ACCOUNT}:role/deployer",
        "aws_iam_role.sync": f"arn:aws:iam::{ACCOUNT}:role/sync",
    }
    assert {fn.origin.resource: fn.arn for fn in map_plan(plan).functions} == {
        "aws_lambda_function.sync": f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:sync"
    }


def test_a_global_arn_gives_no_region_and_a_resource_in_its_own_region_neither() -> None:
    plan = _plan(
        [
            _existing("aws_iam_role", "deployer", f"arn:aws:iam::{ACCOUNT}:role/deployer"),
            _existing(
                "aws_sqs_queue",
                "replica",
                f"arn:aws:sqs:us-west-2:{ACCOUNT}:replica",
                region="us-west-2",
            ),
            _new_function("sync", provider="aws.workloads"),
        ]
    )
    providers = Providers.of(plan)
    assert (providers.account("aws.workloads"), providers.region("aws.workloads")) == (("aws", ACCOUNT), None)
    assert function_arns(plan) == {}


def test_arns_that_may_name_another_account_or_provider_say_nothing() -> None:
    plan = _plan(
        [
            _existing(
                "aws_sns_topic_subscription",
                "partner",
                f"arn:aws:sns:eu-west-1:{OTHER}:events:0f3c1e6a-1b2c-4d5e-8f90-123456789abc",
            ),
            _existing("aws_sqs_queue", "default", f"arn:aws:sqs:eu-west-1:{OTHER}:jobs", provider="aws"),
            _new_role("sync", provider="aws.workloads"),
        ]
    )
    providers = Providers.of(plan)
    assert providers.account("aws.workloads") is None
    assert providers.account("aws") == ("aws", OTHER)
    assert role_arns(plan) == {}


def test_arns_and_caller_identity_disagreeing_give_no_account() -> None:
    plan = _plan(
        [
            _existing("aws_iam_role", "deployer", f"arn:aws:iam::{OTHER}:role/deployer", provider="aws"),
            _new_role("api", provider="aws"),
        ],
        [_caller(ACCOUNT, provider="aws")],
    )
    assert Providers.of(plan).account("aws") is None
    assert role_arns(plan) == {"aws_iam_role.deployer": f"arn:aws:iam::{OTHER}:role/deployer"}


def _read(kind: str, label: str, values: dict[str, Any], *, provider: str, **expressions: Any) -> Pair:
    """A data source read while planning, with the constant arguments `expressions`."""
    address = f"data.{kind}.{label}"
    read = {"address": address, "mode": "data", "type": kind, "name": label, "values": values}
    config = {
        "address": address,
        "mode": "data",
        "type": kind,
        "name": label,
        "provider_config_key": provider,
        "expressions": {key: {"constant_value": value} for key, value in expressions.items()},
    }
    return read, config


def test_data_sources_looking_up_by_name_give_their_providers_account_and_region() -> None:
    deployer = _read(
        "aws_iam_role",
        "deployer",
        {"name": "deployer", "arn": f"arn:aws:iam::{ACCOUNT}:role/deployer"},
        provider="aws.workloads",
        name="deployer",
    )
    jobs = _read(
        "aws_sqs_queue",
        "jobs",
        {"name": "jobs", "arn": f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs"},
        provider="aws.workloads",
        name="jobs",
    )
    plan = _plan([_new_function("sync", provider="aws.workloads")], [deployer, jobs])
    assert function_arns(plan) == {
        "aws_lambda_function.sync": f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:sync"
    }


def test_data_sources_that_may_read_another_account_say_nothing() -> None:
    shared = _read(
        "aws_lambda_function",
        "shared",
        {"function_name": "shared", "arn": f"arn:aws:lambda:eu-west-1:{OTHER}:function:shared"},
        provider="aws.workloads",
        function_name=f"arn:aws:lambda:eu-west-1:{OTHER}:function:shared",
    )
    key = _read(
        "aws_kms_key",
        "partner",
        {"arn": f"arn:aws:kms:eu-west-1:{OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
        provider="aws.workloads",
    )
    plan = _plan([_new_role("sync", provider="aws.workloads")], [shared, key])
    assert Providers.of(plan).account("aws.workloads") is None
    assert role_arns(plan) == {}
