"""The logical ids and names the Serverless Framework gives what it generates."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

__all__ = [
    "ROLE_ID",
    "alias_id",
    "alphanumeric",
    "function_id",
    "function_name",
    "log_group_id",
    "normalized",
    "per_function_role_id",
]

ROLE_ID: Final = "IamRoleLambdaExecution"
_NOT_ALNUM: Final = re.compile(r"[^0-9A-Za-z]")


def normalized(name: str) -> str:
    """The framework's `normalizeName`: `-` -> `Dash`, `_` -> `Underscore`, first letter upper."""
    text = name.replace("-", "Dash").replace("_", "Underscore")
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=4096)  # event kinds (`sqs`, `http`) repeat on every function
def alphanumeric(name: str) -> str:
    """The framework's `normalizeNameToAlphaNumericOnly` (bucket and topic ids)."""
    return normalized(_NOT_ALNUM.sub("", name))


def function_id(key: str) -> str:
    """`createOrder` -> `CreateOrderLambdaFunction`."""
    return f"{normalized(key)}LambdaFunction"


def alias_id(key: str) -> str:
    """The `provisioned` alias a function with provisioned concurrency has (SAM's AutoPublishAlias name)."""
    return f"{function_id(key)}Aliasprovisioned"


def log_group_id(key: str) -> str:
    """`createOrder` -> `CreateOrderLogGroup`."""
    return f"{normalized(key)}LogGroup"


def per_function_role_id(key: str) -> str:
    """The role the serverless-iam-roles-per-function plugin creates for a function."""
    return f"{normalized(key)}IamRoleLambdaExecution"


def function_name(*, service: str, stage: str, key: str) -> str:
    """The deployed name of a function without an explicit `name`: `<service>-<stage>-<key>`."""
    return f"{service}-{stage}-{key}"
