"""Matching calls and returned responses against the sink table: which argument values reach which sink."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final

from tree_sitter import Node

from lambdasec.model import FlowStep, SinkKind
from lambdasec.records import record
from lambdasec.sources.code.javascript.specs import (
    GLOBAL_SINKS,
    LOG_METHODS,
    METHOD_SINKS,
    MODULE_SINKS,
    NOSQL_COMMANDS,
    NOSQL_FIELDS,
    REDIRECT_STATUSES,
    REMOVERS,
    RESPONSE_CHAINS,
    RESPONSE_SINKS,
    TMP_WRITERS,
    SinkSpec,
)
from lambdasec.sources.code.javascript.syntax import FUNCTIONS, line, note, unwrap
from lambdasec.sources.code.javascript.values import CLEAN, RESPONSE, Hit, Value, join_all

__all__ = ["REMOVERS", "CallSite", "check", "redirect"]

_FIXED_TARGET: Final = re.compile(r"^(https?://[^*/]+/|/[^/*\\])")
_URL_FIELDS: Final = ("url", "uri", "baseURL", "hostname", "host", "path", "href")
_QUERY_FIELDS: Final = ("text", "sql")
_LOGGER_NAMES: Final = frozenset({"logger", "log", "LOGGER", "Logger"})
_NOT_MONGO: Final = ("lodash", "underscore", "ramda", "Array", "Object")


@record
class CallSite:
    """A call as the engine evaluated it: callee as written and resolved, receiver and argument values."""

    node: Node
    written: str
    qname: str | None
    method: str
    receiver: Value | None
    args: Sequence[Value]
    arg_nodes: Sequence[Node]
    new: bool = False


def check(call: CallSite, *, display: str) -> Iterator[Hit]:
    """The hits of `call`: one per sink kind whose relevant arguments carry labels."""
    spec = _spec(call)
    if spec is not None:
        value, certain, suffix = _relevant(call, spec)
        if value.labels and spec.kind not in value.safe and not _fixed_redirect(spec.kind, value):
            if spec.kind is SinkKind.PATH and (value.text or "").startswith("/tmp"):
                suffix = " (under /tmp)"
            yield _hit(call, spec.kind, value, display=display, certain=certain, suffix=suffix)
    if call.method in LOG_METHODS and call.receiver is not None and _is_logger(call):
        value = join_all(arg.only_data() for arg in call.args)
        if value.labels:
            yield _hit(call, SinkKind.LOG, value, display=display)
    qname = call.qname or ""
    if (
        qname.rpartition(".")[2] in TMP_WRITERS
        and len(call.args) >= 2
        and qname.startswith(("fs.", "fs-extra."))
    ):
        path = call.args[0].text
        if path is not None and (path == "/tmp" or path.startswith("/tmp/")) and call.args[1].labels:
            yield _hit(call, SinkKind.TMP_WRITE, call.args[1].only_data(), display=display, path_text=path)


def redirect(node: Node, value: Value, *, display: str) -> Hit | None:
    """A returned response that redirects (3xx with a Location header) to a target the event sets."""
    status = value.field("statusCode")
    headers = value.field("headers")
    if status is None or headers is None or status.text not in REDIRECT_STATUSES:
        return None
    location = headers.field("Location") or headers.field("location") or CLEAN
    if (
        not location.labels
        or SinkKind.REDIRECT in location.safe
        or _fixed_redirect(SinkKind.REDIRECT, location)
    ):
        return None
    where = _location_pair(node) or node  # the header, when the response is written where it is returned
    step = FlowStep(file=display, line=line(where), note=note(where))
    return Hit(
        SinkKind.REDIRECT,
        "Location",
        display,
        line(where),
        where.start_point.column,
        location.only_data(),
        step,
    )


def _location_pair(node: Node) -> Node | None:
    """The `Location: ...` property inside the object literal `node`, if it is written there."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "pair":
            key = current.child_by_field_name("key")
            if (
                key is not None
                and key.text is not None
                and key.text.strip(b"'\"`") in (b"Location", b"location")
            ):
                return current
        if current.type in ("return_statement", "object", "pair", "parenthesized_expression"):
            stack.extend(reversed(current.named_children))
    return None


def _spec(call: CallSite) -> SinkSpec | None:
    qname = call.qname or ""
    last = call.written.rpartition(".")[2]
    if qname in MODULE_SINKS:
        return MODULE_SINKS[qname]
    if qname in GLOBAL_SINKS and qname == call.written:
        if qname == "eval" and call.args and _parenthesized(call.args[0].text):
            return SinkSpec(SinkKind.DESERIALIZATION)
        return GLOBAL_SINKS[qname]
    if call.new:
        return SinkSpec(SinkKind.NOSQL, (0,), "dynamo") if last in NOSQL_COMMANDS else None
    if call.method in RESPONSE_SINKS and call.receiver is not None and _response(call.receiver):
        return RESPONSE_SINKS[call.method]
    if call.method in METHOD_SINKS and not qname.startswith(("fs", "JSON", "console", "Math", "Object")):
        spec = METHOD_SINKS[call.method]
        params = call.args[0] if call.args else None
        if call.method == "query" and params is not None and any(params.field(n) for n in NOSQL_FIELDS):
            return SinkSpec(SinkKind.NOSQL, (0,), "dynamo")
        if spec.condition == "mongo" and qname.startswith(_NOT_MONGO):
            return None
        return spec
    return None


def _relevant(call: CallSite, spec: SinkSpec) -> tuple[Value, bool, str]:
    """The value reaching the sink's dangerous position, whether it is certain, and a note suffix."""
    args = call.args
    picked = [args[index] for index in spec.args if index < len(args)]
    match spec.condition:
        case "spawn":
            shell = any(_flag(arg, "shell") for arg in args)
            return join_all(arg.only_data() for arg in (picked if shell else picked[:1])), True, ""
        case "string":
            if not call.arg_nodes or unwrap(call.arg_nodes[0]).type in FUNCTIONS or args[0].func is not None:
                return CLEAN, True, ""
        case "yaml":
            options = args[1] if len(args) > 1 else None
            schema = options.field("schema") if options is not None else None
            if schema is None:
                return _data(picked), False, " (unsafe by default in js-yaml before 4.0)"
            if "FULL" not in (schema.qname or "") and "unsafe" not in (schema.qname or "").lower():
                return CLEAN, True, ""
        case "noent":
            if not any(_flag(arg, "noent") for arg in args):
                return CLEAN, True, ""
        case "sql" if picked and picked[0].fields is not None:
            return join_all(picked[0].field(name) or CLEAN for name in _QUERY_FIELDS).only_data(), True, ""
        case "url" if picked and picked[0].fields is not None:
            return join_all(picked[0].field(name) or CLEAN for name in _URL_FIELDS).only_data(), True, ""
        case "dynamo":
            params = picked[0] if picked else CLEAN
            if params.fields is None:
                return CLEAN, True, ""
            return join_all(params.field(name) or CLEAN for name in NOSQL_FIELDS).only_data(), True, ""
        case "root":
            options = args[1] if len(args) > 1 else None
            root = options.field("root") if options is not None else None
            if root is not None and not root.labels:
                return CLEAN, True, ""
        case "mongo":
            query = picked[0] if picked else CLEAN
            if query.fields is not None:
                return (query.field("$where") or CLEAN).only_data(), True, ""
            return query.only_data(), True, ""
    return _data(picked), True, ""


def _parenthesized(shape: str | None) -> bool:
    """`eval("(" + data + ")")`: how serialized JavaScript (serialize-javascript) is read back."""
    return shape is not None and shape.startswith("(") and shape.endswith(")")


def _data(values: Sequence[Value]) -> Value:
    return join_all(value.only_data() for value in values)


def _flag(value: Value, name: str) -> bool:
    found = value.field(name)
    return found is not None and found.text == "true"


def _response(receiver: Value) -> bool:
    """An Express route's `res`, or what a chained call on it returns (`res.status(302)`)."""
    qname = receiver.qname
    if qname == RESPONSE:
        return True
    head, _, method = (qname or "").removesuffix("()").rpartition(".")
    return head == RESPONSE and method in RESPONSE_CHAINS and (qname or "").endswith("()")


def _is_logger(call: CallSite) -> bool:
    receiver = call.receiver
    assert receiver is not None
    qname = receiver.qname or ""
    if qname == "console" or qname.startswith("@aws-lambda-powertools/logger"):
        return True
    head = call.written.rpartition(".")[0]
    return head.rpartition(".")[2] in _LOGGER_NAMES


def _fixed_redirect(kind: SinkKind, value: Value) -> bool:
    return kind is SinkKind.REDIRECT and value.text is not None and bool(_FIXED_TARGET.match(value.text))


def _hit(
    call: CallSite,
    kind: SinkKind,
    value: Value,
    *,
    display: str,
    certain: bool = True,
    suffix: str = "",
    path_text: str | None = None,
) -> Hit:
    node = call.node
    step = FlowStep(file=display, line=line(node), note=note(node) + suffix)
    return Hit(
        kind, call.written, display, line(node), node.start_point.column, value, step, certain, path_text
    )
