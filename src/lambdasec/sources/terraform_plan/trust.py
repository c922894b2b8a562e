"""A trust policy with the AWS principals of the own account written as the caller identity's account."""

from __future__ import annotations

import json
import re
from typing import Any, Final

__all__ = ["own_account_trust"]

# An account id, or the ARN of an IAM or STS principal in an account.
_PRINCIPAL: Final = re.compile(
    r"^(?P<prefix>arn:aws[a-z-]*:(?:iam|sts)::)?(?P<account>\d{12})(?P<suffix>:.+)?$"
)
# Stands for the caller identity's reference while the document is serialised (JSON escapes it as is).
_MARK: Final = "\x00own-account\x00"
_MARK_JSON: Final = json.dumps(_MARK)[1:-1]


def own_account_trust(document: str, *, account: str, reference: str) -> str | None:
    """`document` (a trust policy's JSON text) as a Terraform string, with each `Principal.AWS` value that
    names `account` (its id, or an IAM or STS principal ARN in it) written with `reference` in place of
    the account (`${data.aws_caller_identity.current.account_id}`) and the rest escaped as literal text.

    None when the document is not a JSON policy or names no such principal.
    """
    try:
        policy: Any = json.loads(document)
    except json.JSONDecodeError:
        return None
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    listed = statements if isinstance(statements, list) else [statements]
    changed = False
    for statement in listed:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        if not isinstance(principal, dict):
            continue
        values = principal.get("AWS")
        if isinstance(values, str):
            principal["AWS"], found = _marked(values, account)
            changed |= found
        elif isinstance(values, list):
            marked = [
                _marked(value, account) if isinstance(value, str) else (value, False) for value in values
            ]
            principal["AWS"] = [value for value, _ in marked]
            changed |= any(found for _, found in marked)
    if not changed:
        return None
    return json.dumps(policy).replace("${", "$${").replace(_MARK_JSON, reference)


def _marked(value: str, account: str) -> tuple[str, bool]:
    match = _PRINCIPAL.match(value.strip())
    if match is None or match["account"] != account:
        return value, False
    return (match["prefix"] or "") + _MARK + (match["suffix"] or ""), True
