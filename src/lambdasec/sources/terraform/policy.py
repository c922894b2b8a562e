"""Policy documents in Terraform: jsonencode and heredoc JSON, and data "aws_iam_policy_document" blocks."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
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
from lambdasec.sources.terraform.calls import DataInstance
from lambdasec.sources.terraform.dynamic import expand_blocks, scope_of
from lambdasec.sources.terraform.expressions import DocumentRef, Key, Scope
from lambdasec.sources.terraform.hcl import Block, start_line

__all__ = ["document_from_data", "document_from_value", "documents_of"]

_KINDS: Final = {kind.value: kind for kind in PrincipalKind if kind is not PrincipalKind.ANY}
# Merged documents: sources before the block's own statements, overrides after them.
_SOURCES: Final = ("source_policy_documents", "source_json")
_OVERRIDES: Final = ("override_policy_documents", "override_json")
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
    if isinstance(value, DataInstance) or not isinstance(value, Mapping):
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
    if isinstance(value, Key):
        # A reference to a declared resource (`aws_sqs_queue.orders.arn`): its ARN exists only after apply.
        return Unresolved(f"{value.partition('#')[2]} (known after apply)")
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
        return (_text(value),)
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


def documents_of(blocks: Iterable[Block], scope: Scope) -> dict[str, PolicyDocument]:
    """Every `data "aws_iam_policy_document"` by address, documents it merges in built first."""
    pending = {block.address: block for block in blocks}
    done: dict[str, PolicyDocument] = {}

    def build(address: str, trail: frozenset[str]) -> None:
        block = pending[address]
        for ref in _merged_refs(block, scope):
            if ref in pending and ref not in done and ref not in trail:
                build(ref, trail | {address})
        done[address] = document_from_data(block, scope, documents=done)

    for address in pending:
        if address not in done:
            build(address, frozenset())
    return done


def _merged_refs(block: Block, scope: Scope) -> list[str]:
    refs: list[str] = []
    for attr in (*_SOURCES, *_OVERRIDES):
        if attr in block.body:
            value = scope.resolve(block.body[attr])
            items = value if isinstance(value, list) else [value]
            refs.extend(item.address for item in items if isinstance(item, DocumentRef))
    return refs


def document_from_data(
    block: Block, scope: Scope, *, documents: Mapping[str, PolicyDocument] | None = None
) -> PolicyDocument:
    """A `data "aws_iam_policy_document"` block; each statement block has its own origin and lines.

    Statements of `source_policy_documents` (and `source_json`) come first, then the block's own statements,
    then those of `override_policy_documents` (and `override_json`); as in the AWS provider, a statement
    with a non-empty `sid` replaces an earlier statement with the same `sid` in place. A merged document
    that is not known (not in `documents`, not JSON) becomes one statement with an Unresolved effect.
    """
    known = documents if documents is not None else {}
    file = block.file.display
    origin = Origin(source=SourceKind.TERRAFORM, file=file, line=block.line, resource=block.address)
    statements: list[Statement] = []
    for attr in _SOURCES:
        _merge(statements, _merged(block, attr, scope=scope, documents=known, origin=origin))
    written = expand_blocks(block.body, "statement", scope)
    own = [
        _data_statement(block, body, scope=scope_of(body, scope), index=i)
        for i, body in enumerate(written.blocks)
    ]
    if written.unknown is not None:
        at = _at(origin, f"{block.address}/statement", line=written.line or block.line)
        own.append(_unknown(f"{block.address}: {written.unknown.reason}", at))
    _merge(statements, own)
    for attr in _OVERRIDES:
        _merge(statements, _merged(block, attr, scope=scope, documents=known, origin=origin))
    return PolicyDocument(statements=tuple(statements), origin=origin)


def _merged(
    block: Block, attr: str, *, scope: Scope, documents: Mapping[str, PolicyDocument], origin: Origin
) -> list[Statement]:
    """The statements of the documents one merge attribute names, in order."""
    if attr not in block.body:
        return []
    line = block.attribute_line(attr) or block.line
    at = _at(origin, f"{block.address}/{attr}", line=line)
    value = scope.resolve(block.body[attr])
    if attr.endswith("_json"):
        value = [value]
    if not isinstance(value, list):
        return [_unknown(f"{block.address}.{attr} = {value}", at)]
    out: list[Statement] = []
    for index, item in enumerate(value):
        owner = f"{block.address}/{attr}/{index}"
        document = document_from_value(item, owner=owner, origin=at, documents=documents)
        if isinstance(document, Unresolved):
            out.append(_unknown(f"{block.address}.{attr}: {document.reason}", at))
        else:
            out.extend(document.statements)
    return out


def _unknown(reason: str, origin: Origin) -> Statement:
    return Statement(effect=Unresolved(reason), origin=origin)


def _merge(statements: list[Statement], new: list[Statement]) -> None:
    """Append `new`, a statement with a `sid` replacing the earlier one with the same `sid`."""
    for statement in new:
        index = next((i for i, s in enumerate(statements) if statement.sid and s.sid == statement.sid), None)
        if index is None:
            statements.append(statement)
        else:
            statements[index] = statement


def _blocks(body: Mapping[str, Any], name: str, scope: Scope) -> list[Mapping[str, Any]] | Unresolved:
    """The nested blocks `name` of a statement, `dynamic` ones expanded; Unresolved when not known."""
    expansion = expand_blocks(body, name, scope)
    return expansion.unknown if expansion.unknown is not None else list(expansion.blocks)


def _data_statement(block: Block, body: Mapping[str, Any], *, scope: Scope, index: int) -> Statement:
    fields: list[tuple[str, int]] = []

    def texts(attr: str, field: str) -> MaybeTexts:
        value = scope.resolve(body[attr]) if attr in body else None
        if value is None:
            return None  # an argument set to null is not set
        line = block.attribute_line(attr, body)
        if line is not None:
            fields.append((field, line))
        return _listed(value, attr)

    sid = scope.resolve(body["sid"]) if "sid" in body else None
    label = sid if isinstance(sid, str) and sid else str(index)
    raw_effect = scope.resolve(body["effect"]) if "effect" in body else None
    effect = Effect.ALLOW if raw_effect is None else _effect(raw_effect)
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
    entries = _blocks(body, name, scope)
    if isinstance(entries, Unresolved):
        return entries
    if not entries:
        return None
    out: list[Principal] = []
    for entry in entries:
        inner = scope_of(entry, scope)
        kind_name = inner.resolve(entry.get("type"))
        values = _listed(inner.resolve(entry.get("identifiers", [])), "identifiers")
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
    entries = _blocks(body, "condition", scope)
    if isinstance(entries, Unresolved):
        return entries
    out: list[Condition] = []
    for entry in entries:
        inner = scope_of(entry, scope)
        test = inner.resolve(entry.get("test"))
        variable = inner.resolve(entry.get("variable"))
        values = _listed(inner.resolve(entry.get("values", [])), "values")
        if isinstance(test, Unresolved):
            return test
        if isinstance(variable, Unresolved):
            return variable
        if isinstance(values, Unresolved):
            return values
        out.append(Condition(operator=str(test), key=str(variable), values=values))
    return tuple(out)
