"""Resources around functions: log groups, security groups, SQS queues and CloudTrail trails."""

from __future__ import annotations

from lambdasec.model.origin import Origin
from lambdasec.model.values import Unresolved
from lambdasec.records import record

MaybeStr = str | Unresolved
MaybeInt = int | Unresolved


@record
class LogGroup:
    """A CloudWatch Logs log group; `retention_days` None means never expire.

    `function` is the function whose default log group this is (`/aws/lambda/<name>`) when the name is
    built from a reference to that function (`!Sub /aws/lambda/${Fn}`) and so is not known statically.
    """

    key: str
    name: MaybeStr
    retention_days: MaybeInt | None = None
    kms_key_id: MaybeStr | None = None
    function: MaybeStr | None = None
    origin: Origin


@record
class SecurityGroupRule:
    """One ingress or egress rule."""

    protocol: MaybeStr
    from_port: MaybeInt | None = None
    to_port: MaybeInt | None = None
    cidr_ipv4: MaybeStr | None = None
    cidr_ipv6: MaybeStr | None = None
    peer_group: MaybeStr | None = None


@record
class SecurityGroup:
    """A VPC security group. `egress` None means the AWS default (all traffic to 0.0.0.0/0)."""

    key: str
    name: MaybeStr
    ingress: tuple[SecurityGroupRule, ...] | Unresolved = ()
    egress: tuple[SecurityGroupRule, ...] | Unresolved | None = None
    origin: Origin


@record
class Queue:
    """An SQS queue; `dead_letter_target` is its redrive policy's target (None: no redrive policy)."""

    key: str
    name: MaybeStr
    arn: MaybeStr | None = None
    dead_letter_target: MaybeStr | None = None
    origin: Origin


@record
class DataEventSelector:
    """What data events of one resource type a trail records.

    `arn_prefixes` are the ARNs or ARN prefixes selected (an inventory key for a resource in scope);
    empty means every resource of the type (an advanced selector without `resources.ARN`), as does a
    prefix naming no resource (a basic selector's `arn:aws:lambda`).
    """

    resource_type: MaybeStr
    arn_prefixes: tuple[MaybeStr, ...] | Unresolved = ()


@record
class Trail:
    """A CloudTrail trail with the data events its (basic or advanced) event selectors record."""

    key: str
    name: MaybeStr
    is_logging: bool | Unresolved = True
    data_events: tuple[DataEventSelector, ...] | Unresolved = ()
    origin: Origin
