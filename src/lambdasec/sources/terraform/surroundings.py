"""Adds what surrounds a module's functions: network, queues, trails, push triggers, invoke configs, tags."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Final

from lambdasec.model import Inventory
from lambdasec.sources.terraform.cloudfront import map_distribution
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.hcl import TfFile
from lambdasec.sources.terraform.invoke import apply_invoke_configs, read_invoke_config
from lambdasec.sources.terraform.network import (
    DATA_STORE_TYPES,
    SeparateRules,
    collect_rule_resources,
    map_data_store,
    map_security_group,
    map_subnet,
)
from lambdasec.sources.terraform.qualifiers import through_aliases
from lambdasec.sources.terraform.queues import map_queue, read_redrive_policies
from lambdasec.sources.terraform.reader import Reader
from lambdasec.sources.terraform.service_triggers import (
    map_cognito_triggers,
    map_iot_rule,
    map_target_group_attachment,
)
from lambdasec.sources.terraform.state_machines import map_state_machine
from lambdasec.sources.terraform.tags import default_tags, with_defaults
from lambdasec.sources.terraform.trails import map_trail
from lambdasec.sources.terraform.triggers import (
    map_bucket_notification,
    map_event_target,
    map_log_subscription,
    map_schedule,
    map_sns_subscription,
    read_event_rules,
)

__all__ = ["SURROUNDING_TYPES", "with_surroundings"]

# Resource types whose references resolve to their inventory key.
SURROUNDING_TYPES: Final = frozenset(
    {
        "aws_security_group",
        "aws_subnet",
        "aws_sqs_queue",
        "aws_sns_topic",
        "aws_cloudwatch_event_rule",
        "aws_cloudtrail",
        *DATA_STORE_TYPES,
    }
)
_RULE_TYPES: Final = (
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
)


def with_surroundings(
    inventory: Inventory, readers: Callable[[str], list[Reader]], *, files: list[TfFile], scope: Scope
) -> Inventory:
    """`inventory` plus the surrounding resources of the module `readers` reads blocks of, by type.

    Functions get the settings of their event invoke configs and the aws provider's default tags.
    """
    separate = SeparateRules()
    collect_rule_resources((r for kind in _RULE_TYPES for r in readers(kind)), separate)
    redrive = read_redrive_policies(readers("aws_sqs_queue_redrive_policy"))
    rules = read_event_rules(readers("aws_cloudwatch_event_rule"))
    configs = [read_invoke_config(r) for r in readers("aws_lambda_function_event_invoke_config")]
    surroundings = Inventory(
        security_groups=tuple(
            map_security_group(r, separate=separate) for r in readers("aws_security_group")
        ),
        subnets=tuple(map_subnet(r) for r in readers("aws_subnet")),
        data_stores=tuple(map_data_store(r) for kind in DATA_STORE_TYPES for r in readers(kind)),
        queues=tuple(map_queue(r, redrive=redrive) for r in readers("aws_sqs_queue")),
        trails=tuple(map_trail(r) for r in readers("aws_cloudtrail")),
        push_triggers=(
            *(t for r in readers("aws_s3_bucket_notification") for t in map_bucket_notification(r)),
            *(t for r in readers("aws_sns_topic_subscription") for t in map_sns_subscription(r)),
            *(t for r in readers("aws_cloudwatch_event_target") for t in map_event_target(r, rules=rules)),
            *(t for r in readers("aws_scheduler_schedule") for t in map_schedule(r)),
            *(t for r in readers("aws_cloudwatch_log_subscription_filter") for t in map_log_subscription(r)),
            *(t for r in readers("aws_cognito_user_pool") for t in map_cognito_triggers(r)),
            *(t for r in readers("aws_iot_topic_rule") for t in map_iot_rule(r)),
            *(t for r in readers("aws_lb_target_group_attachment") for t in map_target_group_attachment(r)),
            *(t for r in readers("aws_cloudfront_distribution") for t in map_distribution(r)),
            *(t for r in readers("aws_sfn_state_machine") for t in map_state_machine(r)),
        ),
    )
    functions = apply_invoke_configs(inventory.functions, [c for c in configs if c is not None])
    defaults = default_tags(files, scope)
    if defaults:
        functions = tuple(dataclasses.replace(fn, tags=with_defaults(fn.tags, defaults)) for fn in functions)
    return through_aliases(
        Inventory.merge([dataclasses.replace(inventory, functions=functions), surroundings])
    )
