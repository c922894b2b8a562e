"""Which functions handle sensitive data: secret-named environment variables or secret reads in the role."""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache

from lambdasec.model import Effect, Inventory, LambdaFunction, Role, Unresolved
from lambdasec.secrets import sensitive_variable

__all__ = ["SECRET_READS", "secret_reads", "sensitive_variables"]

# Actions that read secrets; a role allowing one of them (or a wildcard covering it) handles secrets.
SECRET_READS = (
    "secretsmanager:getsecretvalue",
    "secretsmanager:batchgetsecretvalue",
    "ssm:getparameter",
    "ssm:getparameters",
    "ssm:getparametersbypath",
)


def sensitive_variables(fn: LambdaFunction) -> tuple[str, ...] | Unresolved:
    """Names of the function's environment variables that hold sensitive data (see `sensitive_variable`)."""
    if isinstance(fn.environment, Unresolved):
        return fn.environment
    return tuple(
        var.name
        for var in fn.environment
        if sensitive_variable(var.name, var.value if isinstance(var.value, str) else None)
    )


def secret_reads(inv: Inventory, fn: LambdaFunction) -> str | None:
    """The first action of the function's role that reads secrets, if any (unknown policies are skipped)."""
    role = inv.role_of(fn)
    if not isinstance(role, Role):
        return None
    for policy in role.policies:
        if isinstance(policy.document, Unresolved):
            continue
        for statement in policy.document.statements:
            if statement.effect is not Effect.ALLOW or not isinstance(statement.actions, tuple):
                continue
            for action in statement.actions:
                if isinstance(action, str) and _reads_secrets(action):
                    return action
    return None


@lru_cache(maxsize=4096)
def _reads_secrets(action: str) -> bool:
    pattern = action.lower()
    return any(fnmatchcase(read, pattern) for read in SECRET_READS)
