"""AWS account ids in principals: the account a principal names, and references to the own account."""

from __future__ import annotations

import re

from lambdasec.model import Unresolved

__all__ = ["account_of", "arn_account", "is_own_account_reference"]

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_PRINCIPAL_ARN = re.compile(r"^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):")
_ANY_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
# How the CloudFormation source describes a value built from `AWS::AccountId` alone (the Unresolved
# reason): `!Ref AWS::AccountId`, `!Sub ${AWS::AccountId}`, `!Sub arn:aws:iam::${AWS::AccountId}:root`, ...
_OWN_ACCOUNT = re.compile(
    r"^!Sub (?:arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):(?:iam|sts)::)?\$\{AWS::AccountId\}(?::.*)?$"
)


def account_of(principal: str) -> str | None:
    """The account an AWS principal names (`111122223333`, `arn:aws:iam::111122223333:root|role/x`)."""
    text = principal.strip()
    if _ACCOUNT_ID.match(text):
        return text
    found = _PRINCIPAL_ARN.match(text)
    return found.group(1) if found else None


def arn_account(arn: str | Unresolved | None) -> str | None:
    """The account id field of an ARN (`arn:aws:lambda:eu-west-1:111122223333:function:f`), when literal."""
    if not isinstance(arn, str):
        return None
    found = _ANY_ARN.match(arn.strip())
    return found.group(1) if found else None


def is_own_account_reference(value: Unresolved) -> bool:
    """True when an unresolved principal is the scanned template's own account (`AWS::AccountId`).

    The CloudFormation source leaves `AWS::AccountId` unresolved and describes the expression in the
    reason; a principal that is only that account, or its root or a role or user ARN in it, is recognised
    here, whatever follows the account (a role name from a parameter). A parameter naming the account is not.
    """
    reason = " ".join(value.reason.split())
    return reason == "!Ref AWS::AccountId" or _OWN_ACCOUNT.match(reason) is not None
