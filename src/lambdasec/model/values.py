"""The `Unresolved` sentinel: a value a source could not determine."""

from __future__ import annotations

from typing import TypeGuard, TypeVar

from lambdasec.records import record

T = TypeVar("T")


@record(kw_only=False)
class Unresolved:
    """A value the source could not determine statically, with the reason why.

    `reason` names the expression or failure, e.g. `!Ref AuthParam`, `var.url_auth`
    or `GetFunctionUrlConfig: AccessDenied`. Rules must treat it as unknown, never as absent.
    """

    reason: str

    def __str__(self) -> str:
        return f"<unresolved: {self.reason}>"


def is_known(value: T | Unresolved) -> TypeGuard[T]:
    """True when `value` is a concrete value rather than `Unresolved`."""
    return not isinstance(value, Unresolved)
