"""Model-level tests of LS421 security-group-unrestricted-egress."""

from __future__ import annotations

import dataclasses

from factories import make_function, make_inventory, make_origin, run
from lambdasec.findings import Severity
from lambdasec.model import LambdaFunction, SecurityGroup, SecurityGroupRule, Unresolved, VpcConfig
from lambdasec.rules.operations.security_group_unrestricted_egress import (
    security_group_unrestricted_egress as rule,
)


def group(
    name: str, *egress: SecurityGroupRule, default: bool = False, unresolved: str | None = None
) -> SecurityGroup:
    rules: tuple[SecurityGroupRule, ...] | Unresolved | None = egress
    if default:
        rules = None
    elif unresolved is not None:
        rules = Unresolved(unresolved)
    fields = {f"egress.{i}": 20 + i for i in range(len(egress))}
    return SecurityGroup(key=name, name=name, egress=rules, origin=make_origin(name, 10, fields=fields))


def in_vpc(name: str, *groups: str | Unresolved) -> LambdaFunction:
    fn = make_function(name)
    return dataclasses.replace(fn, vpc=VpcConfig(subnet_ids=("a", "b"), security_group_ids=groups))


GROUPS = [
    group("default", default=True),
    group(
        "all",
        SecurityGroupRule(protocol="tcp", from_port=443, to_port=443, cidr_ipv4="10.0.0.0/8"),
        SecurityGroupRule(protocol="-1", cidr_ipv6="::/0"),
    ),
    group("all-tcp", SecurityGroupRule(protocol="tcp", from_port=0, to_port=65535, cidr_ipv4="0.0.0.0/0")),
    group("https", SecurityGroupRule(protocol="tcp", from_port=443, to_port=443, cidr_ipv4="0.0.0.0/0")),
    group("peer", SecurityGroupRule(protocol="-1", peer_group="db")),
    group("param-cidr", SecurityGroupRule(protocol="-1", cidr_ipv4=Unresolved("!Ref Cidr"))),
    group("param-list", unresolved="!If [Locked, ...]"),
]


def test_default_and_open_egress_are_reported_per_function() -> None:
    result = run(
        rule,
        make_inventory(
            functions=[
                in_vpc("api", "default"),
                in_vpc("worker", "default", "all"),
                in_vpc("tcp", "all-tcp"),
            ],
            security_groups=GROUPS,
        ),
    )
    assert [(f.function, f.location.line, f.severity) for f in result.findings] == [
        ("api", 10, Severity.MEDIUM),
        ("worker", 10, Severity.MEDIUM),
        ("worker", 21, Severity.MEDIUM),
        ("tcp", 20, Severity.LOW),
    ]
    assert result.findings[0].message == (
        "Security group `default` of `api` declares no egress rule, so it keeps the AWS default of all "
        "outbound traffic to `0.0.0.0/0`: code running in the function can send its data and credentials "
        "to any host on the internet"
    )
    assert result.findings[2].message == (
        "Security group `all` of `worker` allows all outbound traffic to `::/0`, so code running in the "
        "function can send its data and credentials to any host on the internet"
    )
    assert result.findings[3].message.startswith("Security group `all-tcp` of `tcp` allows every `tcp` port")
    assert result.findings[0].resource.type == "security_group"


def test_narrow_egress_passes_and_unknowns_are_not_evaluated() -> None:
    functions = [
        in_vpc("https", "https", "peer"),
        in_vpc("param-cidr", "param-cidr"),
        in_vpc("param-list", "param-list"),
        in_vpc("by-id", "sg-0123"),
        in_vpc("by-param", Unresolved("!Ref GroupId")),
        dataclasses.replace(
            make_function("groups-param"),
            vpc=VpcConfig(subnet_ids=(), security_group_ids=Unresolved("!Ref G")),
        ),
        make_function("no-vpc"),
    ]
    result = run(rule, make_inventory(functions=functions, security_groups=GROUPS))
    assert result.findings == []
    assert result.coverage.unevaluated == (
        ("param-cidr", "an egress rule of `param-cidr` is not known statically"),
        ("param-list", "egress rules of `param-list` unknown: !If [Locked, ...]"),
        ("by-id", "security group `sg-0123` is not defined in the scanned sources"),
        ("by-param", "security group unknown: !Ref GroupId"),
        ("groups-param", "security groups unknown: !Ref G"),
    )
