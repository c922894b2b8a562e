"""Whether an optional setting (a DLQ, a destination, a key) is configured when its value is an expression."""

from __future__ import annotations

from lambdasec.model import Unresolved

__all__ = ["configured"]


def configured(value: str | Unresolved | None) -> bool | Unresolved:
    """True when the setting is present, False when absent.

    A reference such as `!GetAtt Dlq.Arn` is Unresolved in the model but still a setting that is
    present; only a value chosen by a condition that could not be evaluated (`!If`) may be absent,
    and stays Unresolved.
    """
    if value is None:
        return False
    if isinstance(value, Unresolved) and value.reason.startswith("!If"):
        return value
    return True
