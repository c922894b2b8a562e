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
# The same as `Fn::Join` pieces, as the CDK renders `new AccountRootPrincipal()` or an ARN built from
# `Stack.of(this).account`: `!Join [, [arn:, !Ref AWS::Partition, :iam::, !Ref AWS::AccountId, :root]]`.
_JOIN_OWN_ACCOUNT = re.compile(
    r"^!Join \[, \[(?:arn:, !Ref AWS::Partition, :(?:iam|sts)::, |arn:aws[a-z-]*:(?:iam|sts)::, )?"
    r"!Ref AWS::AccountId(?:, :[^,!\[\]]*)?\]\]$"
)
# The same in Terraform (the caller identity data source, as a whole value or interpolated) and in the
# Serverless Framework (`${aws:accountId}`, which the Serverless source leaves unresolved).
_TF_OWN_ACCOUNT = re.compile(
    r"^(?:arn:(?:aws[a-z-]*|\$\{data\.aws_partition\.[\w-]+\.partition\}):(?:iam|sts)::)?"
    r"\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}(?::.*)?$"
)
_TF_ACCOUNT_ID = re.compile(r"^data\.aws_caller_identity\.[\w-]+\.account_id$")
_SLS_ACCOUNT_ID = "${aws:accountId}"


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

    Terraform's `data.aws_caller_identity.<name>.account_id` and Serverless `${aws:accountId}` count too.
    The CloudFormation source leaves `AWS::AccountId` unresolved and describes the expression in the
    reason; a principal that is only that account, or its root or a role or user ARN in it, is recognised
    here, whatever follows the account (a role name from a parameter). A parameter naming the account is not.
    """
    reason = " ".join(value.reason.split())
    if reason in ("!Ref AWS::AccountId", _SLS_ACCOUNT_ID) or _TF_ACCOUNT_ID.match(reason):
        return True
    return any(
        pattern.match(reason) is not None for pattern in (_OWN_ACCOUNT, _JOIN_OWN_ACCOUNT, _TF_OWN_ACCOUNT)
    )
