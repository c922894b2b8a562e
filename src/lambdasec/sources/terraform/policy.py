"""Policy documents in Terraform: jsonencode and heredoc JSON, and data "aws_iam_policy_document" blocks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from lambdasec.model import (
    Condition,
    Effect,
    Origin,
    PolicyDocument,
    Principal,
    PrincipalKind,
    SourceKind,
    Statement,
    Unresolved,
)
from lambdasec.sources.terraform.expressions import DocumentRef, Scope
from lambdasec.sources.terraform.hcl import Block, start_line

__all__ = ["document_from_data", "document_from_value"]

_KINDS: Final = {kind.value: kind for kind in PrincipalKind if kind is not PrincipalKind.ANY}
MaybeTexts = tuple[str | Unresolved, ...] | Unresolved | None


def document_from_value(
    value: Any, *, owner: str, origin: Origin, documents: Mapping[str, PolicyDocument]
) -> PolicyDocument | Unresolved:
    """A resolved policy value (JSON text, a jsonencode'd object or a data document reference)."""
    if isinstance(value, DocumentRef):
        found = documents.get(value.address)
        return found if found is not None else Unresolved(f"{value.address}.json")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return Unresolved(f"policy is not JSON: {value[:60]}")
    if isinstance(value, Unresolved):
        return value
    if not isinstance(value, Mapping):
        return Unresolved(f"policy is not a JSON object: {value}")
    raw = value.get("Statement", [])
    statements = [raw] if isinstance(raw, Mapping) else raw if isinstance(raw, list) else None
    if statements is None:
        return Unresolved(f"Statement `{raw}`")
    return PolicyDocument(
        statements=tuple(
            _json_statement(s, owner=owner, origin=origin, index=i) for i, s in enumerate(statements)
        ),
        origin=_at(origin, owner, line=origin.line),
    )


def _at(
    origin: Origin, resource: str, *, line: int | None, fields: tuple[tuple[str, int], ...] = ()
) -> Origin:
    return Origin(source=SourceKind.TERRAFORM, file=origin.file, line=line, resource=resource, fields=fields)


def _json_statement(raw: Any, *, owner: str, origin: Origin, index: int) -> Statement:
    if not isinstance(raw, Mapping):
        return Statement(
            effect=Unresolved(f"statement {index} is not an object"),
            origin=_at(origin, f"{owner}/Statement/{index}", line=origin.line),
        )
    sid = raw.get("Sid")
    label = sid if isinstance(sid, str) and sid else str(index)
    return Statement(
        sid=sid if isinstance(sid, str) else None,
        effect=_effect(raw.get("Effect")),
        actions=_texts(raw, "Action"),
        not_actions=_texts(raw, "NotAction"),
        resources=_texts(raw, "Resource"),
        not_resources=_texts(raw, "NotResource"),
        principals=_json_principals(raw, "Principal"),
        not_principals=_json_principals(raw, "NotPrincipal"),
        conditions=_json_conditions(raw.get("Condition")),
        origin=_at(origin, f"{owner}/Statement/{label}", line=origin.line),
    )


def _effect(value: Any) -> Effect | Unresolved:
    if isinstance(value, Unresolved):
        return value
    return Effect(value) if value in ("Allow", "Deny") else Unresolved(f"Effect `{value}`")


def _text(value: Any) -> str | Unresolved:
    if isinstance(value, str | Unresolved):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return Unresolved(f"`{value}`")


def _listed(value: Any, key: str) -> tuple[str | Unresolved, ...] | Unresolved:
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, list):
        return tuple(_text(v) for v in value)
    if isinstance(value, str):
        return (value,)
    return Unresolved(f"{key} `{value}`")


def _texts(raw: Mapping[str, Any], key: str) -> MaybeTexts:
    return _listed(raw[key], key) if key in raw else None


def _json_principals(raw: Mapping[str, Any], key: str) -> tuple[Principal, ...] | Unresolved | None:
    if key not in raw:
        return None
    value = raw[key]
    if value == "*":
        return (Principal(kind=PrincipalKind.ANY, values=("*",)),)
    if isinstance(value, Unresolved):
        return value
    if not isinstance(value, Mapping):
        return Unresolved(f"{key} `{value}`")
    out: list[Principal] = []
    for kind_name, ids in value.items():
        kind = _KINDS.get(kind_name)
        values = _listed(ids, key)
        if kind is None:
            return Unresolved(f"{key} type `{kind_name}`")
        if isinstance(values, Unresolved):
            return values
        out.append(Principal(kind=kind, values=values))
    return tuple(out)


def _json_conditions(raw: Any) -> tuple[Condition, ...] | Unresolved:
    if raw is None:
        return ()
    if isinstance(raw, Unresolved):
        return raw
    if not isinstance(raw, Mapping):
        return Unresolved(f"Condition `{raw}`")
    out: list[Condition] = []
    for operator, clauses in raw.items():
        if not isinstance(clauses, Mapping):
            return Unresolved(f"Condition operator `{operator}`")
        for key, values in clauses.items():
            listed = _listed(values if isinstance(values, list) else [values], "Condition")
            if isinstance(listed, Unresolved):
                return listed
            out.append(Condition(operator=str(operator), key=str(key), values=listed))
    return tuple(out)


def document_from_data(block: Block, scope: Scope) -> PolicyDocument:
    """A `data "aws_iam_policy_document"` block; each statement block has its own origin and lines.

    `source_policy_documents` and `override_policy_documents` are not merged yet: their presence makes
    the document Unresolved at the statement level (see the source's README of known gaps).
    """
    file = block.file.display
    origin = Origin(source=SourceKind.TERRAFORM, file=file, line=block.line, resource=block.address)
    statements: list[Statement] = []
    for index, body in enumerate(_blocks(block.body, "statement")):
        statements.append(_data_statement(block, body, scope=scope, index=index))
    for merged in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
        if merged in block.body:
            line = block.attribute_line(merged)
            statements.append(
                Statement(
                    effect=Unresolved(f"{block.address}.{merged} is not merged"),
                    origin=_at(origin, f"{block.address}/{merged}", line=line or block.line),
                )
            )
    return PolicyDocument(statements=tuple(statements), origin=origin)


def _blocks(body: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = body.get(name, [])
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _data_statement(block: Block, body: Mapping[str, Any], *, scope: Scope, index: int) -> Statement:
    fields: list[tuple[str, int]] = []

    def texts(attr: str, field: str) -> MaybeTexts:
        if attr not in body:
            return None
        line = block.attribute_line(attr, body)
        if line is not None:
            fields.append((field, line))
        return _listed(scope.resolve(body[attr]), attr)

    sid = scope.resolve(body["sid"]) if "sid" in body else None
    label = sid if isinstance(sid, str) and sid else str(index)
    effect: Effect | Unresolved = Effect.ALLOW
    if "effect" in body:
        effect = _effect(scope.resolve(body["effect"]))
    statement_line = start_line(body)
    return Statement(
        sid=sid if isinstance(sid, str) else None,
        effect=effect,
        actions=texts("actions", "actions"),
        not_actions=texts("not_actions", "not_actions"),
        resources=texts("resources", "resources"),
        not_resources=texts("not_resources", "not_resources"),
        principals=_data_principals(body, "principals", scope=scope),
        not_principals=_data_principals(body, "not_principals", scope=scope),
        conditions=_data_conditions(body, scope=scope),
        origin=Origin(
            source=SourceKind.TERRAFORM,
            file=block.file.display,
            line=statement_line,
            resource=f"{block.address}/Statement/{label}",
            fields=tuple(fields),
        ),
    )


def _data_principals(
    body: Mapping[str, Any], name: str, *, scope: Scope
) -> tuple[Principal, ...] | Unresolved | None:
    entries = _blocks(body, name)
    if not entries:
        return None
    out: list[Principal] = []
    for entry in entries:
        kind_name = scope.resolve(entry.get("type"))
        values = _listed(scope.resolve(entry.get("identifiers", [])), "identifiers")
        if isinstance(kind_name, Unresolved):
            return kind_name
        if isinstance(values, Unresolved):
            return values
        if kind_name == "*":
            out.append(Principal(kind=PrincipalKind.ANY, values=("*",)))
            continue
        kind = _KINDS.get(str(kind_name))
        if kind is None:
            return Unresolved(f"principal type `{kind_name}`")
        out.append(Principal(kind=kind, values=values))
    return tuple(out)


def _data_conditions(body: Mapping[str, Any], *, scope: Scope) -> tuple[Condition, ...] | Unresolved:
    out: list[Condition] = []
    for entry in _blocks(body, "condition"):
        test = scope.resolve(entry.get("test"))
        variable = scope.resolve(entry.get("variable"))
        values = _listed(scope.resolve(entry.get("values", [])), "values")
        if isinstance(test, Unresolved):
            return test
        if isinstance(variable, Unresolved):
            return variable
        if isinstance(values, Unresolved):
            return values
        out.append(Condition(operator=str(test), key=str(variable), values=values))
    return tuple(out)
