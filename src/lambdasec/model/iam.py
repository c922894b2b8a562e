"""IAM model: policy documents, statements, principals, conditions, managed policies and roles."""

from __future__ import annotations

from enum import StrEnum

from lambdasec.model.origin import Origin
from lambdasec.model.values import Unresolved
from lambdasec.records import record

# A string that a source could resolve, or the reason it could not.
MaybeStr = str | Unresolved


class Effect(StrEnum):
    """Statement effect."""

    ALLOW = "Allow"
    DENY = "Deny"


class PrincipalKind(StrEnum):
    """The key of a principal entry (`"*"` is ANY)."""

    ANY = "*"
    AWS = "AWS"
    SERVICE = "Service"
    FEDERATED = "Federated"
    CANONICAL_USER = "CanonicalUser"


@record
class Principal:
    """One principal entry of a statement: a kind and its identifiers (`*` allowed)."""

    kind: PrincipalKind
    values: tuple[MaybeStr, ...]

    @property
    def is_public(self) -> bool:
        """True for `"*"` or `{"AWS": "*"}`: anyone, in any account."""
        return self.kind is PrincipalKind.ANY or (
            self.kind is PrincipalKind.AWS and any(v == "*" for v in self.values)
        )


@record
class Condition:
    """One condition clause: operator (e.g. `StringEquals`), context key and values."""

    operator: str
    key: str
    values: tuple[MaybeStr, ...]


@record
class Statement:
    """A policy statement. `None` for a list means the element is absent.

    Exactly one of `actions`/`not_actions` is normally set, likewise for resources and principals.
    """

    sid: str | None = None
    effect: Effect | Unresolved
    actions: tuple[MaybeStr, ...] | Unresolved | None = None
    not_actions: tuple[MaybeStr, ...] | Unresolved | None = None
    resources: tuple[MaybeStr, ...] | Unresolved | None = None
    not_resources: tuple[MaybeStr, ...] | Unresolved | None = None
    principals: tuple[Principal, ...] | Unresolved | None = None
    not_principals: tuple[Principal, ...] | Unresolved | None = None
    conditions: tuple[Condition, ...] | Unresolved = ()
    origin: Origin


@record
class PolicyDocument:
    """An IAM policy document."""

    statements: tuple[Statement, ...]
    origin: Origin


class PolicyKind(StrEnum):
    """How a policy is attached to a role."""

    INLINE = "inline"
    CUSTOMER_MANAGED = "customer-managed"
    AWS_MANAGED = "aws-managed"


@record
class Policy:
    """A named policy as seen from the role it applies to.

    For managed policies `arn` is the policy ARN (or the inventory key of a managed policy
    declared in the same source); `document` is Unresolved when the text is not known
    (for example an AWS managed policy when the offline catalog lacks it).
    """

    name: MaybeStr
    kind: PolicyKind
    arn: MaybeStr | None = None
    document: PolicyDocument | Unresolved
    origin: Origin


@record
class ManagedPolicy:
    """A customer managed policy declared in a source (AWS::IAM::ManagedPolicy, aws_iam_policy)."""

    key: str
    name: MaybeStr
    arn: MaybeStr | None
    document: PolicyDocument | Unresolved
    origin: Origin


@record
class Role:
    """An IAM role.

    `policies` holds inline policies and attached managed policies with their documents where known.
    `managed_policy_arns` lists every attached managed policy ARN (or Unresolved), including
    those whose documents are not known.
    """

    key: str
    name: MaybeStr
    arn: MaybeStr | None = None
    trust_policy: PolicyDocument | Unresolved | None
    policies: tuple[Policy, ...] = ()
    managed_policy_arns: tuple[MaybeStr, ...] = ()
    permissions_boundary: MaybeStr | None = None
    origin: Origin
