"""Maps resources around functions: log groups and security groups with their separate rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.model import LogGroup, SecurityGroup, SecurityGroupRule, Unresolved
from lambdasec.sources.cloudformation.intrinsics import intrinsic_name
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.references import FUNCTION, GENERATED, SECURITY_GROUP

__all__ = ["ALL_TRAFFIC", "SeparateRules", "map_log_group", "map_security_group", "read_rule_resource"]

# The egress rule AWS gives every new security group.
ALL_TRAFFIC = SecurityGroupRule(protocol="-1", cidr_ipv4="0.0.0.0/0")

SeparateRules = Mapping[str, tuple[list[SecurityGroupRule], list[SecurityGroupRule]]]

_DEFAULT_GROUP_SUB: Final = re.compile(r"^/aws/lambda/\$\{\s*([A-Za-z0-9]+)\s*\}$")
_DEFAULT_GROUP_PREFIX: Final = "/aws/lambda/"


def map_log_group(resource: Resource, ctx: Context) -> LogGroup:
    """An AWS::Logs::LogGroup (or the CDK's `Custom::LogRetention`, which creates one with the same
    properties); a name built from a function (`!Sub /aws/lambda/${Fn}`) links to it."""
    p = resource.properties(ctx)
    name = p.text("LogGroupName", field="name") or GENERATED
    function: str | None = None
    if isinstance(name, Unresolved):
        logical_id = _named_after_function(p.data.get("LogGroupName"), ctx)
        if logical_id is not None:
            function = ctx.key(logical_id)
            name = _function_name(logical_id, ctx) or name
    return LogGroup(
        key=ctx.key(resource.logical_id),
        name=name,
        retention_days=p.integer("RetentionInDays", field="retention_days"),
        kms_key_id=p.text("KmsKeyId", field="kms_key_id") if "KmsKeyId" in p.data else None,
        function=function,
        origin=resource.origin(ctx, p, distinct=True),  # each property above records its own pointer once
    )


def _named_after_function(raw: Any, ctx: Context) -> str | None:
    """The function resource a log group name `/aws/lambda/<that function's name>` is built from."""
    name = intrinsic_name(raw)
    logical_id: str | None = None
    if name == "Fn::Sub":
        arg = raw[name]
        template = arg[0] if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict) else arg
        variables = arg[1] if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict) else {}
        match = _DEFAULT_GROUP_SUB.match(template) if isinstance(template, str) else None
        if match and match.group(1) not in variables:
            logical_id = match.group(1)
    elif name == "Fn::Join":
        arg = raw[name]
        parts = arg[1] if isinstance(arg, list) and len(arg) == 2 and arg[0] == "" else None
        if isinstance(parts, list) and len(parts) == 2 and parts[0] == _DEFAULT_GROUP_PREFIX:
            ref = parts[1].get("Ref") if isinstance(parts[1], dict) and len(parts[1]) == 1 else None
            logical_id = ref if isinstance(ref, str) else None
    return logical_id if logical_id is not None and ctx.types.get(logical_id) in FUNCTION else None


def _function_name(logical_id: str, ctx: Context) -> str | None:
    """`/aws/lambda/<FunctionName>` when the function's name is static."""
    props = ctx.resources[logical_id].get("Properties")
    if not isinstance(props, dict):
        return None
    name = Node(props, ctx=ctx, where=logical_id, fields=[]).text("FunctionName")
    return _DEFAULT_GROUP_PREFIX + name if isinstance(name, str) else None


def _rule(node: Node, *, peer_key: str) -> SecurityGroupRule:
    peer = node.ref(peer_key, SECURITY_GROUP)
    if peer is None:
        peer = node.text("SourcePrefixListId" if peer_key.startswith("Source") else "DestinationPrefixListId")
    return SecurityGroupRule(
        protocol=node.required(node.text("IpProtocol"), "IpProtocol"),
        from_port=node.integer("FromPort"),
        to_port=node.integer("ToPort"),
        cidr_ipv4=node.text("CidrIp"),
        cidr_ipv6=node.text("CidrIpv6"),
        peer_group=peer,
    )


def _rules(
    p: Node, key: str, *, field: str, peer_key: str
) -> tuple[SecurityGroupRule, ...] | Unresolved | None:
    nodes = p.nodes(key, field=field)
    if nodes is None or isinstance(nodes, Unresolved):
        return nodes
    return tuple(_rule(node, peer_key=peer_key) for node in nodes)


def read_rule_resource(
    resource: Resource, ctx: Context
) -> tuple[str | Unresolved, bool, SecurityGroupRule] | None:
    """An AWS::EC2::SecurityGroupIngress/Egress: the group it extends, whether it is egress, the rule."""
    p = resource.properties(ctx)
    egress = resource.type == "AWS::EC2::SecurityGroupEgress"
    group = p.ref("GroupId", SECURITY_GROUP)
    if group is None:
        return None
    peer_key = "DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"
    return group, egress, _rule(p, peer_key=peer_key)


def map_security_group(resource: Resource, ctx: Context, *, separate: SeparateRules) -> SecurityGroup:
    """An AWS::EC2::SecurityGroup; rules declared as separate resources are added to it."""
    p = resource.properties(ctx)
    key = ctx.key(resource.logical_id)
    ingress = _rules(p, "SecurityGroupIngress", field="ingress", peer_key="SourceSecurityGroupId")
    egress = _rules(p, "SecurityGroupEgress", field="egress", peer_key="DestinationSecurityGroupId")
    extra_ingress, extra_egress = separate.get(key, ([], []))
    if extra_ingress and not isinstance(ingress, Unresolved):
        ingress = (*(ingress or ()), *extra_ingress)
    if extra_egress and not isinstance(egress, Unresolved):
        # Separate egress rules add to the default all-traffic rule unless the group lists its own.
        egress = (*(egress if egress is not None else (ALL_TRAFFIC,)), *extra_egress)
    return SecurityGroup(
        key=key,
        name=p.text("GroupName", field="name") or GENERATED,
        ingress=() if ingress is None else ingress,
        egress=egress,
        origin=resource.origin(ctx, p),
    )
