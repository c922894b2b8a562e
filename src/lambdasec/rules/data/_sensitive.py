"""Which functions handle sensitive data: secret-named environment variables or secret reads in the role."""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache

from lambdasec.model import Effect, Inventory, LambdaFunction, Role, Unresolved
from lambdasec.secrets import sensitive_variable

__all__ = ["SECRET_READS", "SensitiveData"]

# Actions that read secrets; a role allowing one of them (or a wildcard covering it) handles secrets.
SECRET_READS = (
    "secretsmanager:getsecretvalue",
    "secretsmanager:batchgetsecretvalue",
    "ssm:getparameter",
    "ssm:getparameters",
    "ssm:getparametersbypath",
)


class SensitiveData:
    """Sensitive variables and secret reads of an inventory's functions, for one rule run.

    Functions repeat the same variables and share roles: each distinct (name, value) pair and each
    role is judged once.
    """

    __slots__ = ("_inventory", "_reads", "_variables")

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = inventory
        self._variables: dict[tuple[str, str | None], bool] = {}
        self._reads: dict[str, str | None] = {}

    def variables(self, fn: LambdaFunction) -> tuple[str, ...] | Unresolved:
        """Names of the function's environment variables holding sensitive data (`sensitive_variable`)."""
        if isinstance(fn.environment, Unresolved):
            return fn.environment
        judged = self._variables
        names: list[str] = []
        for var in fn.environment:
            pair = (var.name, var.value if isinstance(var.value, str) else None)
            found = judged.get(pair)
            if found is None:
                found = judged[pair] = sensitive_variable(*pair)
            if found:
                names.append(var.name)
        return tuple(names)

    def secret_reads(self, fn: LambdaFunction) -> str | None:
        """The first action of the function's role that reads secrets, if any (unknown policies skipped)."""
        role = self._inventory.role_of(fn)
        if not isinstance(role, Role):
            return None
        if role.key not in self._reads:
            self._reads[role.key] = _secret_reads(role)
        return self._reads[role.key]


def _secret_reads(role: Role) -> str | None:
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
