"""Maps one parsed template to an Inventory: resources by type, then the joins between them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from lambdasec.findings import Diagnostic
from lambdasec.model import (
    DeclaredIgnore,
    Inventory,
    ManagedPolicy,
    Policy,
    PushTrigger,
    SecurityGroupRule,
    Unresolved,
)
from lambdasec.records import record
from lambdasec.sources.cloudformation.access import map_function_url, map_permission
from lambdasec.sources.cloudformation.apigateway import map_apis
from lambdasec.sources.cloudformation.cloudfront import map_distribution
from lambdasec.sources.cloudformation.concurrency import map_provisioned_concurrency
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.functions import (
    InvokeSettings,
    map_alias,
    map_code_signing_config,
    map_function,
    map_layer,
    map_layer_permission,
    map_version,
    read_invoke_config,
)
from lambdasec.sources.cloudformation.iam import (
    collect_attachments,
    inline_policy,
    map_managed_policy,
    map_role,
)
from lambdasec.sources.cloudformation.intrinsics import Resolver
from lambdasec.sources.cloudformation.nested import nested_resources, warn_nested
from lambdasec.sources.cloudformation.network import DATA_STORE_TYPES, map_data_store, map_subnet
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.queues import map_queue
from lambdasec.sources.cloudformation.resources import map_log_group, map_security_group, read_rule_resource
from lambdasec.sources.cloudformation.state_machines import map_state_machine
from lambdasec.sources.cloudformation.template import Template
from lambdasec.sources.cloudformation.trails import map_trail
from lambdasec.sources.cloudformation.triggers import (
    map_bucket_notifications,
    map_bucket_triggers,
    map_cognito_triggers,
    map_event_rule_triggers,
    map_event_source_mapping,
    map_existing_bucket,
    map_existing_user_pool,
    map_iot_rule,
    map_log_subscription,
    map_schedule,
    map_sns_subscription,
    map_target_group,
    map_topic_subscriptions,
)
from lambdasec.sources.yaml_loader import MarkedDict, line_of

__all__ = ["Mapped", "map_template"]


@record
class Mapped:
    """The inventory of one template and what could not be understood."""

    inventory: Inventory
    diagnostics: tuple[Diagnostic, ...]


def map_template(template: Template) -> Mapped:
    """Every modelled resource of `template`, with origins in its file."""
    diagnostics = Diagnostics(file=template.file, source=template.source)
    resolver = Resolver(
        template.body,
        diagnostics=diagnostics,
        pseudo=dict(template.pseudo),
        parameters=dict(template.parameters),
    )
    included, included_types = _included(template.body, resolver, diagnostics=diagnostics)
    ctx = Context(
        file=template.file,
        source=template.source,
        resolver=resolver,
        diagnostics=diagnostics,
        resources=included,
        types=included_types,
    )
    declared = template.body["Resources"]
    types = ctx.types
    key_lines = declared.key_lines if type(declared) is MarkedDict else {}
    start = line_of(declared)
    resources: list[Resource] = []
    by_type: dict[str, list[Resource]] = {}
    for lid, body in ctx.resources.items():
        type_ = types[lid]
        resource = Resource(logical_id=lid, type=type_, body=body, line=key_lines.get(lid) or start)
        resources.append(resource)
        listed = by_type.get(type_)
        if listed is None:
            by_type[type_] = [resource]
        else:
            listed.append(resource)

    def of(type_: str) -> list[Resource]:
        return by_type.get(type_, [])

    invoke: dict[str | Unresolved, InvokeSettings] = {}
    for resource in of("AWS::Lambda::EventInvokeConfig"):
        found = read_invoke_config(resource, ctx)
        if found is not None:
            invoke.setdefault(found[0], found[1])
    managed = [map_managed_policy(r, ctx) for r in of("AWS::IAM::ManagedPolicy")]
    inline: list[tuple[Policy, tuple[str | Unresolved, ...]]] = [
        inline_policy(r, ctx) for r in of("AWS::IAM::Policy")
    ]
    attachments = collect_attachments(managed, inline, role_names=_role_names(of("AWS::IAM::Role"), ctx))
    separate: dict[str, tuple[list[SecurityGroupRule], list[SecurityGroupRule]]] = {}
    for resource in of("AWS::EC2::SecurityGroupIngress") + of("AWS::EC2::SecurityGroupEgress"):
        rule = read_rule_resource(resource, ctx)
        if rule is not None and isinstance(rule[0], str):
            separate.setdefault(rule[0], ([], []))[1 if rule[1] else 0].append(rule[2])
    apis = map_apis(resources, ctx, by_type=by_type)
    managed_policies: list[ManagedPolicy] = [policy for policy, _ in managed]
    inventory = Inventory(
        functions=tuple(map_function(r, ctx, invoke=invoke) for r in of("AWS::Lambda::Function")),
        roles=tuple(map_role(r, ctx, attachments=attachments) for r in of("AWS::IAM::Role")),
        managed_policies=tuple(managed_policies),
        permissions=tuple(map_permission(r, ctx) for r in of("AWS::Lambda::Permission")),
        function_urls=tuple(map_function_url(r, ctx) for r in of("AWS::Lambda::Url")),
        event_source_mappings=tuple(
            map_event_source_mapping(r, ctx) for r in of("AWS::Lambda::EventSourceMapping")
        ),
        push_triggers=tuple(_push_triggers(by_type, ctx)),
        apis=tuple(apis.apis),
        api_stages=tuple(apis.stages),
        api_routes=tuple(apis.routes),
        authorizers=tuple(apis.authorizers),
        versions=tuple(map_version(r, ctx) for r in of("AWS::Lambda::Version")),
        aliases=tuple(map_alias(r, ctx) for r in of("AWS::Lambda::Alias")),
        provisioned_concurrency=tuple(
            provisioned
            for r in of("AWS::Lambda::Alias") + of("AWS::Lambda::Version")
            if (provisioned := map_provisioned_concurrency(r, ctx)) is not None
        ),
        layers=tuple(map_layer(r, ctx) for r in of("AWS::Lambda::LayerVersion")),
        layer_permissions=tuple(
            map_layer_permission(r, ctx) for r in of("AWS::Lambda::LayerVersionPermission")
        ),
        code_signing_configs=tuple(
            map_code_signing_config(r, ctx) for r in of("AWS::Lambda::CodeSigningConfig")
        ),
        # The CDK's `logRetention` sets a function log group's retention through `Custom::LogRetention`.
        log_groups=tuple(
            map_log_group(r, ctx) for r in (*of("AWS::Logs::LogGroup"), *of("Custom::LogRetention"))
        ),
        security_groups=tuple(
            map_security_group(r, ctx, separate=separate) for r in of("AWS::EC2::SecurityGroup")
        ),
        subnets=tuple(map_subnet(r, ctx) for r in of("AWS::EC2::Subnet")),
        data_stores=tuple(map_data_store(r, ctx) for type_ in DATA_STORE_TYPES for r in of(type_)),
        queues=tuple(map_queue(r, ctx) for r in of("AWS::SQS::Queue")),
        trails=tuple(map_trail(r, ctx) for r in of("AWS::CloudTrail::Trail")),
    )
    warn_nested(list(nested_resources(by_type)), ctx)
    declared = [ignore for r in resources if "Metadata" in r.body for ignore in _ignores(r, ctx)]
    inventory = dataclasses.replace(inventory, declared_ignores=tuple(_with_parts(declared, inventory)))
    return Mapped(inventory=inventory, diagnostics=diagnostics.items)


def _with_parts(declared: list[DeclaredIgnore], inventory: Inventory) -> Iterator[DeclaredIgnore]:
    """The declared ignores, repeated for the objects a resource contains (`Api/GET /orders`, ...)."""
    yield from declared
    by_resource: dict[str, list[DeclaredIgnore]] = {}
    for ignore in declared:
        by_resource.setdefault(ignore.resource, []).append(ignore)
    if not by_resource:
        return
    seen: set[str] = set()
    for field in dataclasses.fields(Inventory):
        for item in getattr(inventory, field.name):
            origin = getattr(item, "origin", None)
            resource = origin.resource if origin is not None else ""
            owner = resource.split("/", 1)[0]
            if owner != resource and owner in by_resource and resource not in seen:
                seen.add(resource)
                yield from (dataclasses.replace(ignore, resource=resource) for ignore in by_resource[owner])


def _included(
    body: MarkedDict, resolver: Resolver, *, diagnostics: Diagnostics
) -> tuple[dict[str, MarkedDict], dict[str, str]]:
    """Resources that are mappings with a type and whose `Condition` is not known to be false, and
    their types."""
    out: dict[str, MarkedDict] = {}
    types: dict[str, str] = {}
    resources = body["Resources"]
    for logical_id, resource in resources.items():
        type_ = resource.get("Type") if type(resource) is MarkedDict else None
        if type(type_) is str and "Condition" not in resource:
            lid = str(logical_id)
            out[lid] = resource  # the usual resource, as the checks below would keep it
            types[lid] = type_
            continue
        line = line_of(resources, logical_id)
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            diagnostics.warn(f"resource `{logical_id}` has no `Type`; ignored", line)
            continue
        if not isinstance(resource, MarkedDict):
            marked = MarkedDict(line or 0)
            marked.update(resource)
            resource = marked
        if resolver.included(resource):
            out[str(logical_id)] = resource
            types[str(logical_id)] = str(resource["Type"])
    return out, types


def _role_names(roles: list[Resource], ctx: Context) -> dict[str, str]:
    """Static role names -> inventory keys, for policies that attach by name."""
    names: dict[str, str] = {}
    for resource in roles:
        name = resource.properties(ctx).text("RoleName")
        if isinstance(name, str):
            names.setdefault(name, ctx.key(resource.logical_id))
    return names


_PUSH: dict[str, Callable[[Resource, Context], Iterator[PushTrigger]]] = {
    "AWS::S3::Bucket": map_bucket_triggers,
    "Custom::S3BucketNotifications": map_bucket_notifications,
    "Custom::S3": map_existing_bucket,
    "Custom::CognitoUserPool": map_existing_user_pool,
    "AWS::SNS::Subscription": map_sns_subscription,
    "AWS::SNS::Topic": map_topic_subscriptions,
    "AWS::Events::Rule": map_event_rule_triggers,
    "AWS::Scheduler::Schedule": map_schedule,
    "AWS::Logs::SubscriptionFilter": map_log_subscription,
    "AWS::ElasticLoadBalancingV2::TargetGroup": map_target_group,
    "AWS::Cognito::UserPool": map_cognito_triggers,
    "AWS::IoT::TopicRule": map_iot_rule,
    "AWS::CloudFront::Distribution": map_distribution,
    "AWS::StepFunctions::StateMachine": map_state_machine,
}


def _push_triggers(by_type: dict[str, list[Resource]], ctx: Context) -> Iterator[PushTrigger]:
    for type_, read in _PUSH.items():
        for resource in by_type.get(type_, []):
            yield from read(resource, ctx)


def _ignores(resource: Resource, ctx: Context) -> Iterator[DeclaredIgnore]:
    """`Metadata: {lambdasec: {ignore: [{id: LS201, reason: ...}]}}` on a resource."""
    metadata = resource.body.get("Metadata")
    settings = metadata.get("lambdasec") if isinstance(metadata, dict) else None
    if settings is None:
        return
    node = Node(MarkedDict(resource.line or 0), ctx=ctx, where=resource.logical_id, fields=[])
    entries = settings.get("ignore") if isinstance(settings, dict) else None
    if not isinstance(entries, list):
        line = line_of(metadata, "lambdasec")
        node.wrong("Metadata.lambdasec.ignore", "a list of {id, reason}", value=entries, line=line)
        return
    for index, entry in enumerate(entries):
        line = line_of(entries, index)
        if isinstance(entry, str):
            yield DeclaredIgnore(
                rule=entry, reason="", file=ctx.file, resource=resource.logical_id, line=line
            )
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            reason = entry.get("reason")
            yield DeclaredIgnore(
                rule=entry["id"],
                reason=reason if isinstance(reason, str) else "",
                file=ctx.file,
                resource=resource.logical_id,
                line=line,
            )
        else:
            node.wrong(f"Metadata.lambdasec.ignore[{index}]", "{id, reason}", value=entry, line=line)
