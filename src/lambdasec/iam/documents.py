"""Policy documents given as JSON (AWS managed policies, API responses) turned into model objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from lambdasec.model import (
    Condition,
    Effect,
    Origin,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Statement,
    Unresolved,
)

__all__ = ["parse_document"]

_KINDS = {kind.value: kind for kind in PrincipalKind if kind is not PrincipalKind.ANY}


def parse_document(raw: Mapping[str, Any], *, origin: Origin) -> PolicyDocument:
    """A JSON policy document as a `PolicyDocument`; statements get origins `<resource>/Statement/<sid|n>`.

    Elements of an unexpected shape become `Unresolved` (never silently dropped).
    """
    statements = raw.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        statements = []
    return PolicyDocument(
        statements=tuple(_statement(s, origin=origin, index=i) for i, s in enumerate(statements)),
        origin=origin,
    )


def _statement(raw: Any, *, origin: Origin, index: int) -> Statement:
    here = replace(origin, resource=f"{origin.resource}/Statement/{index}", fields=())
    if not isinstance(raw, Mapping):
        return Statement(effect=Unresolved(f"statement {index} is not a mapping"), origin=here)
    sid = raw.get("Sid")
    label = sid if isinstance(sid, str) and sid else str(index)
    effect = raw.get("Effect")
    return Statement(
        sid=sid if isinstance(sid, str) else None,
        effect=Effect(effect) if effect in ("Allow", "Deny") else Unresolved(f"Effect `{effect}`"),
        actions=_texts(raw, "Action"),
        not_actions=_texts(raw, "NotAction"),
        resources=_texts(raw, "Resource"),
        not_resources=_texts(raw, "NotResource"),
        principals=_principals(raw, "Principal"),
        not_principals=_principals(raw, "NotPrincipal"),
        conditions=_conditions(raw.get("Condition")),
        origin=replace(here, resource=f"{origin.resource}/Statement/{label}"),
    )


def _texts(raw: Mapping[str, Any], key: str) -> tuple[str | Unresolved, ...] | Unresolved | None:
    if key not in raw:
        return None
    value = raw[key]
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v if isinstance(v, str) else Unresolved(f"{key} entry `{v}`") for v in value)
    return Unresolved(f"{key} `{value}`")


def _principals(raw: Mapping[str, Any], key: str) -> tuple[Principal, ...] | Unresolved | None:
    if key not in raw:
        return None
    value = raw[key]
    if value == "*":
        return (Principal(kind=PrincipalKind.ANY, values=("*",)),)
    if not isinstance(value, Mapping):
        return Unresolved(f"{key} `{value}`")
    out: list[Principal] = []
    for kind_name, ids in value.items():
        kind = _KINDS.get(kind_name)
        if kind is None:
            return Unresolved(f"{key} type `{kind_name}`")
        listed = [ids] if isinstance(ids, str) else ids if isinstance(ids, list) else []
        out.append(Principal(kind=kind, values=tuple(str(i) for i in listed)))
    return tuple(out)


def _conditions(raw: Any) -> tuple[Condition, ...] | Unresolved:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        return Unresolved(f"Condition `{raw}`")
    out: list[Condition] = []
    for operator, clauses in raw.items():
        if not isinstance(clauses, Mapping):
            return Unresolved(f"Condition operator `{operator}`")
        for key, values in clauses.items():
            listed = values if isinstance(values, list) else [values]
            out.append(
                Condition(operator=str(operator), key=str(key), values=tuple(_text(v) for v in listed))
            )
    return tuple(out)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
