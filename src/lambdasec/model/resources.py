"""Resources around functions: log groups and security groups."""

from __future__ import annotations

from dataclasses import dataclass

from lambdasec.model.origin import Origin
from lambdasec.model.values import Unresolved

MaybeStr = str | Unresolved
MaybeInt = int | Unresolved


@dataclass(frozen=True, slots=True, kw_only=True)
class LogGroup:
    """A CloudWatch Logs log group; `retention_days` None means never expire."""

    key: str
    name: MaybeStr
    retention_days: MaybeInt | None = None
    kms_key_id: MaybeStr | None = None
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityGroupRule:
    """One ingress or egress rule."""

    protocol: MaybeStr
    from_port: MaybeInt | None = None
    to_port: MaybeInt | None = None
    cidr_ipv4: MaybeStr | None = None
    cidr_ipv6: MaybeStr | None = None
    peer_group: MaybeStr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityGroup:
    """A VPC security group. `egress` None means the AWS default (all traffic to 0.0.0.0/0)."""

    key: str
    name: MaybeStr
    ingress: tuple[SecurityGroupRule, ...] | Unresolved = ()
    egress: tuple[SecurityGroupRule, ...] | Unresolved | None = None
    origin: Origin
