"""Condition clauses classified: what a context key is about, and whether the clause narrows a grant."""

from __future__ import annotations

from enum import StrEnum

from lambdasec.model import Condition, Unresolved
from lambdasec.records import record

__all__ = ["ALWAYS_PRESENT", "ConditionInfo", "ConditionKind", "classify"]


class ConditionKind(StrEnum):
    """The family of a condition key."""

    SOURCE_ARN = "source-arn"
    SOURCE_ACCOUNT = "source-account"
    ORGANIZATION = "organization"
    ACCOUNT = "account"
    PRINCIPAL = "principal"
    RESOURCE_TAG = "resource-tag"
    REQUEST_TAG = "request-tag"
    PRINCIPAL_TAG = "principal-tag"
    FUNCTION_URL_AUTH_TYPE = "function-url-auth-type"
    PASSED_TO_SERVICE = "passed-to-service"
    NETWORK = "network"
    TRANSPORT = "transport"
    MFA = "mfa"
    CALLED_VIA = "called-via"
    TIME = "time"
    REGION = "region"
    POLICY_VARIABLE = "policy-variable"
    OTHER_GLOBAL = "other-global"
    SERVICE = "service"


_EXACT = {
    "aws:sourcearn": ConditionKind.SOURCE_ARN,
    "aws:sourceaccount": ConditionKind.SOURCE_ACCOUNT,
    "aws:sourceowner": ConditionKind.SOURCE_ACCOUNT,
    "aws:principalorgid": ConditionKind.ORGANIZATION,
    "aws:principalorgpaths": ConditionKind.ORGANIZATION,
    "aws:resourceorgid": ConditionKind.ORGANIZATION,
    "aws:resourceorgpaths": ConditionKind.ORGANIZATION,
    "aws:sourceorgid": ConditionKind.ORGANIZATION,
    "aws:sourceorgpaths": ConditionKind.ORGANIZATION,
    "aws:principalaccount": ConditionKind.ACCOUNT,
    "aws:resourceaccount": ConditionKind.ACCOUNT,
    "aws:principalarn": ConditionKind.PRINCIPAL,
    "aws:principaltype": ConditionKind.PRINCIPAL,
    "aws:principalservicename": ConditionKind.PRINCIPAL,
    "aws:principalservicenameslist": ConditionKind.PRINCIPAL,
    "aws:principalisawsservice": ConditionKind.PRINCIPAL,
    "aws:userid": ConditionKind.PRINCIPAL,
    "aws:username": ConditionKind.PRINCIPAL,
    "aws:tagkeys": ConditionKind.REQUEST_TAG,
    "lambda:functionurlauthtype": ConditionKind.FUNCTION_URL_AUTH_TYPE,
    "iam:passedtoservice": ConditionKind.PASSED_TO_SERVICE,
    "aws:sourceip": ConditionKind.NETWORK,
    "aws:sourcevpc": ConditionKind.NETWORK,
    "aws:sourcevpce": ConditionKind.NETWORK,
    "aws:vpcsourceip": ConditionKind.NETWORK,
    "aws:sourcevpcarn": ConditionKind.NETWORK,
    "aws:ec2instancesourcevpc": ConditionKind.NETWORK,
    "aws:ec2instancesourceprivateipv4": ConditionKind.NETWORK,
    "aws:securetransport": ConditionKind.TRANSPORT,
    "aws:multifactorauthpresent": ConditionKind.MFA,
    "aws:multifactorauthage": ConditionKind.MFA,
    "aws:calledvia": ConditionKind.CALLED_VIA,
    "aws:calledviafirst": ConditionKind.CALLED_VIA,
    "aws:calledvialast": ConditionKind.CALLED_VIA,
    "aws:viaawsservice": ConditionKind.CALLED_VIA,
    "aws:currenttime": ConditionKind.TIME,
    "aws:epochtime": ConditionKind.TIME,
    "aws:tokenissuetime": ConditionKind.TIME,
    "aws:requestedregion": ConditionKind.REGION,
}
_PREFIXES = (
    ("aws:resourcetag/", ConditionKind.RESOURCE_TAG),
    ("aws:requesttag/", ConditionKind.REQUEST_TAG),
    ("aws:principaltag/", ConditionKind.PRINCIPAL_TAG),
)
_NEVER_NARROWING = frozenset({ConditionKind.TRANSPORT})
# Keys in every request a role's credentials make (IAM: global condition context keys).
ALWAYS_PRESENT = frozenset(
    {
        "aws:principalarn",
        "aws:principalaccount",
        "aws:principaltype",
        "aws:userid",
        "aws:currenttime",
        "aws:epochtime",
        "aws:requestedregion",
        "aws:securetransport",
    }
)


@record
class ConditionInfo:
    """One condition clause with its family and whether it narrows the statement.

    `restricts` is False for clauses whose values do not narrow: `aws:SecureTransport`, a
    `...Like` on `*`, a `Null` check that only requires the key (`presence_only` for the last
    two: they still require the key to be in the request). `if_exists` clauses restrict only
    when the key is present. `narrows_requests` is what the evaluator uses for a request made
    with a role's credentials: presence-only clauses narrow unless the key is always present.
    """

    condition: Condition
    kind: ConditionKind
    restricts: bool
    if_exists: bool
    presence_only: bool = False

    @property
    def narrows_requests(self) -> bool:
        """True when some request made with the role's own credentials fails the clause."""
        if self.presence_only:
            return self.condition.key.lower() not in ALWAYS_PRESENT
        return self.restricts


def classify(condition: Condition) -> ConditionInfo:
    """Classify one condition clause."""
    key = condition.key.lower()
    operator = condition.operator
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists").split(":")[-1]
    kind = _kind(key)
    values = condition.values
    known = [v for v in values if not isinstance(v, Unresolved)]
    complete = bool(known) and len(known) == len(values)
    anything = base in ("StringLike", "ArnLike") and complete and "*" in known
    presence_only = base == "Null" and complete and all(v.lower() == "false" for v in known)
    restricts = not (kind in _NEVER_NARROWING or anything or presence_only)
    return ConditionInfo(
        condition=condition,
        kind=kind,
        restricts=restricts,
        if_exists=if_exists,
        presence_only=anything or presence_only,
    )


def _kind(key: str) -> ConditionKind:
    found = _EXACT.get(key)
    if found is not None:
        return found
    for prefix, kind in _PREFIXES:
        if key.startswith(prefix):
            return kind
    service, _, name = key.partition(":")
    if name.startswith(("resourcetag/", "existingobjecttag/", "buckettag/")):
        return ConditionKind.RESOURCE_TAG
    if name.startswith("requesttag/"):
        return ConditionKind.REQUEST_TAG
    return ConditionKind.OTHER_GLOBAL if service == "aws" else ConditionKind.SERVICE
