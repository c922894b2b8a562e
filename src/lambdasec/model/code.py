"""Handler code in the model: code files, handler units joined to their function, taint flows, secrets."""

from __future__ import annotations

from enum import StrEnum

from lambdasec.model.origin import Origin
from lambdasec.model.triggers import TriggerKind
from lambdasec.records import record


class Language(StrEnum):
    """The languages whose handler code is analysed."""

    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"


class HandlerMatch(StrEnum):
    """How a handler was found: named by the infrastructure, or recognized by its shape alone."""

    INFRASTRUCTURE = "infrastructure"
    SHAPE = "shape"


class Taint(StrEnum):
    """What a value in the code carries, as far as the analysis can tell.

    `EVENT` is data an invoker controls (a field of the event, given the function's triggers);
    `EVENT_WHOLE` the event object itself; `CREDENTIAL` an Authorization header, a cookie, a token or
    a password; `ENVIRONMENT` the whole process environment; `SECRET` a value fetched from Secrets
    Manager or Parameter Store, or held in a secret-named variable.
    """

    EVENT = "event"
    EVENT_WHOLE = "event-whole"
    CREDENTIAL = "credential"
    ENVIRONMENT = "environment"
    SECRET = "secret"


class SinkKind(StrEnum):
    """Where tainted data becomes dangerous; each kind is judged by one rule."""

    SHELL = "shell"
    CODE = "code"
    SQL = "sql"
    NOSQL = "nosql"
    DESERIALIZATION = "deserialization"
    PATH = "path"
    SSRF = "ssrf"
    XXE = "xxe"
    TEMPLATE = "template"
    REDIRECT = "redirect"
    LOG = "log"
    TMP_WRITE = "tmp-write"


@record
class CodeFile:
    """A source file of handler code (or packaged with it) that was read and parsed.

    `key` is the path relative to the scanned root; `parsed` is False when the file could not be
    parsed (a diagnostic says why), so its code was not analysed.
    """

    key: str
    language: Language
    parsed: bool = True
    origin: Origin


@record
class CodeUnit:
    """A handler entry point: the file and symbol Lambda calls, joined to the function that runs it.

    `key` is `<file>:<symbol>` (plus `@<function key>` when the same handler serves several functions);
    `function` the inventory key of the function, None for a handler found by shape alone. `triggers`
    lists the event sources and push triggers of the function and `http` is True when an API route or a
    function URL invokes it: together they decide which parts of the event an invoker controls. A
    handler with neither (found by shape, or invoked directly) treats the whole event as untrusted.
    """

    key: str
    file: str
    symbol: str
    language: Language
    function: str | None = None
    match: HandlerMatch = HandlerMatch.INFRASTRUCTURE
    triggers: tuple[TriggerKind, ...] = ()
    http: bool = False
    origin: Origin


@record
class FlowStep:
    """One step of a taint flow: where the value went and what it was there."""

    file: str
    line: int
    note: str


@record
class Flow:
    """Tainted data reaching a sink, unsanitized, on some path from a handler.

    `sink` is the kind of sink, `callee` the call as written (`subprocess.run`, `cursor.execute`),
    `taints` what the value reaching it carries, `steps` the trace from the source (first) to the sink
    (last). `origin` points at the sink: its file and line, with the unit key as resource and a
    field pointer `sink` so fingerprints tell two sinks of one handler apart without using lines.
    `certain` is False when part of the path is assumed (an unknown callee passing taint through).
    """

    key: str
    unit: str
    function: str | None
    sink: SinkKind
    callee: str
    taints: frozenset[Taint]
    steps: tuple[FlowStep, ...]
    certain: bool = True
    origin: Origin


@record
class CodeSecret:
    """A credential written into a code or packaged file; `masked` is the only form of the value kept."""

    key: str
    file: str
    kind: str
    masked: str
    function: str | None = None
    origin: Origin
