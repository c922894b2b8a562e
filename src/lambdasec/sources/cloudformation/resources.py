"""Maps resources around functions: log groups and security groups with their separate rules."""

from __future__ import annotations

from collections.abc import Mapping

from lambdasec.model import LogGroup, SecurityGroup, SecurityGroupRule, Unresolved
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.references import GENERATED, SECURITY_GROUP

__all__ = ["ALL_TRAFFIC", "SeparateRules", "map_log_group", "map_security_group", "read_rule_resource"]

# The egress rule AWS gives every new security group.
ALL_TRAFFIC = SecurityGroupRule(protocol="-1", cidr_ipv4="0.0.0.0/0")

SeparateRules = Mapping[str, tuple[list[SecurityGroupRule], list[SecurityGroupRule]]]


def map_log_group(resource: Resource, ctx: Context) -> LogGroup:
    """An AWS::Logs::LogGroup."""
    p = resource.properties(ctx)
    return LogGroup(
        key=ctx.key(resource.logical_id),
        name=p.text("LogGroupName", field="name") or GENERATED,
        retention_days=p.integer("RetentionInDays", field="retention_days"),
        kms_key_id=p.text("KmsKeyId", field="kms_key_id"),
        origin=resource.origin(ctx, p),
    )


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
