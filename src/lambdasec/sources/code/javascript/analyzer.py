"""The JavaScript/TypeScript analyzer: parse, find handlers, and turn sink hits into the model's flows."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from typing import Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import (
    CodeUnit,
    Flow,
    FlowStep,
    Language,
    Origin,
    SinkKind,
    SourceKind,
    Taint,
)
from lambdasec.sources.code.analyzer import Analysis, HandlerShape, Package, ParsedFile
from lambdasec.sources.code.event_shapes import Invocation
from lambdasec.sources.code.javascript import handlers
from lambdasec.sources.code.javascript.exports import exported
from lambdasec.sources.code.javascript.parse import SUFFIXES, parse
from lambdasec.sources.code.javascript.routes import request_taints, routes
from lambdasec.sources.code.javascript.syntax import line, note, text
from lambdasec.sources.code.javascript.taint import MAX_WORK, Engine
from lambdasec.sources.code.javascript.values import (
    CLEAN,
    REQUEST,
    RESPONSE,
    FuncRef,
    Hit,
    ParamRef,
    Trace,
    Value,
)

__all__ = ["JavaScriptAnalyzer"]

_EVENT: Final = Value(labels={ParamRef(-1): Trace()})
_REQUEST: Final = Value(labels={ParamRef(-1): Trace()}, qname=REQUEST)
_RESPONSE: Final = Value(qname=RESPONSE)
# A context that is the response and holds the request under `req` (Hono's `c`).
_CONTEXT: Final = Value(labels={ParamRef(-1): Trace()}, qname=RESPONSE)
_TMP_SECRETS: Final = frozenset({Taint.SECRET, Taint.CREDENTIAL})
_LOG_EVENT: Final = re.compile(r"\blogEvent\s*:\s*true\b")


class JavaScriptAnalyzer:
    """Taint analysis of JavaScript and TypeScript handlers (CommonJS and ESM), parsed with tree-sitter."""

    languages: frozenset[Language] = frozenset({Language.JAVASCRIPT, Language.TYPESCRIPT})
    suffixes: tuple[str, ...] = SUFFIXES

    def parse(self, *, path: str, display: str, text: str) -> ParsedFile | Diagnostic:
        """Parse `text`; a syntax error or an oversized file is a Diagnostic naming `display` and the line."""
        return parse(path=path, display=display, text=text)

    def handler_line(self, parsed: ParsedFile, symbol: str) -> int | None:
        """The line of the exported handler `symbol` (dotted for members of an exported object), or None."""
        return handlers.handler_line(parsed, symbol)

    def handler_exports(self, parsed: ParsedFile) -> tuple[str, ...]:
        """The export names a handler setting can reach, as the Node.js runtime loads the module."""
        return handlers.handler_exports(parsed)

    def handler_shapes(self, parsed: ParsedFile) -> tuple[HandlerShape, ...]:
        """Exports that look like Lambda handlers."""
        return handlers.handler_shapes(parsed)

    def analyze(
        self, unit: CodeUnit, *, parsed: ParsedFile, package: Package, invocation: Invocation | None = None
    ) -> Analysis:
        """The flows from `unit`'s event and other sources to sinks, following calls into the package;
        `invocation` is how the unit is invoked (`Invocation.of(unit)` when not given)."""
        policy = Invocation.of(unit) if invocation is None else invocation
        function = handlers.handler_function(parsed, unit.symbol)
        adapters = handlers.ADAPTER_MODULES
        # The code is read first, so that the invocation is asked only what the analysis depends on.
        adapted = any(name in parsed.text for name in adapters) and policy.http()
        if function is None and not adapted:
            return Analysis()
        engine = Engine(package, first=parsed)
        if engine.file(parsed.path) is None:
            return Analysis()
        merged: dict[tuple[str, int, int, SinkKind, str], tuple[Hit, frozenset[Taint], Trace]] = {}
        line_of = unit.origin.line
        if function is not None:
            summary = engine.summary(FuncRef(parsed.path, function, function.start_byte), 0)
            if summary is None:
                return Analysis()
            for hit in summary.hits:
                value = engine.substitute(hit.value, [_EVENT], None)
                _merge(merged, hit, _taints(value, policy.taints), engine)
        for route in routes(engine, parsed, unit.symbol) if adapted else ():
            request = handlers.parameters(route.ref.node)[route.request]
            display = engine.display(route.ref.path)
            step = FlowStep(
                file=display, line=line(request), note=f"{note(request)} (request of {route.label})"
            )
            args = [CLEAN] * route.request + ([_CONTEXT] if route.context else [_REQUEST, _RESPONSE])
            for hit in engine.entry(route.ref, args):
                found = _taints(hit.value, lambda path: request_taints(path, policy))
                if found is not None:
                    found = (found[0], Trace((step, *found[1].steps), found[1].certain))
                _merge(merged, hit, found, engine)
        for hit in _logged_events(parsed, unit.symbol) if "injectLambdaContext" in parsed.text else ():
            merged[(hit.file, hit.line, hit.column, hit.kind, hit.callee)] = (hit, policy.taints(()), Trace())
        diagnostics: tuple[Diagnostic, ...] = ()
        if engine.work > MAX_WORK:
            message = (
                f"analysis of handler `{unit.symbol}` stopped after {MAX_WORK} steps; "
                "flows past that point are not reported"
            )
            warning = Diagnostic(
                level=DiagnosticLevel.WARNING,
                source="code",
                message=message,
                file=parsed.display,
                line=line_of,
            )
            diagnostics = (warning,)
        return Analysis(flows=tuple(_flows(unit, merged.values())), diagnostics=diagnostics)


def _merge(
    merged: dict[tuple[str, int, int, SinkKind, str], tuple[Hit, frozenset[Taint], Trace]],
    hit: Hit,
    resolved: tuple[frozenset[Taint], Trace] | None,
    engine: Engine,
) -> None:
    """Add `hit` (with what its labels carry, `resolved`) to the flows, one per sink call site."""
    if resolved is None:
        return
    taints, trace = resolved
    if hit.kind is SinkKind.TMP_WRITE and not _tmp_secret(hit, taints, engine.removed_paths()):
        return
    trace = Trace(trace.steps, trace.certain and hit.certain)
    key = (hit.file, hit.line, hit.column, hit.kind, hit.callee)
    if key in merged:
        _, known, best = merged[key]
        taints = taints | known
        trace = trace if trace.better(best) else best
    merged[key] = (hit, taints, trace)


def _logged_events(parsed: ParsedFile, symbol: str) -> list[Hit]:
    """Powertools `injectLambdaContext(logger, { logEvent: true })` around the handler logs every event."""
    found = exported(parsed.tree.root_node, symbol)
    if found is None:
        return []
    hits: list[Hit] = []
    stack = [found[0]]
    while stack:
        node = stack.pop()
        callee = node.child_by_field_name("function") if node.type == "call_expression" else None
        if (
            callee is not None
            and text(callee).endswith("injectLambdaContext")
            and _LOG_EVENT.search(text(node))
        ):
            step = FlowStep(file=parsed.display, line=line(node), note=note(node))
            hits.append(
                Hit(
                    SinkKind.LOG,
                    text(callee),
                    parsed.display,
                    line(node),
                    node.start_point.column,
                    Value(),
                    step,
                )
            )
            continue
        stack.extend(node.named_children)
    return hits


def _taints(
    value: Value, judge: Callable[[tuple[str, ...]], frozenset[Taint]]
) -> tuple[frozenset[Taint], Trace] | None:
    """What a hit's labels carry (`judge` judges the event's parts), and the best trace among them."""
    taints: set[Taint] = set()
    best: Trace | None = None
    for label, trace in value.labels.items():
        if isinstance(label, Taint):
            found = frozenset({label})
        elif label.index == -1:
            found = judge(label.path)
        else:
            continue
        if found:
            taints |= found
            best = trace if best is None or trace.better(best) else best
    return (frozenset(taints), best) if best is not None else None


def _tmp_secret(hit: Hit, taints: frozenset[Taint], removed: set[str]) -> bool:
    """A secret written under /tmp to a path the package never removes (nor its directory)."""
    if not taints & _TMP_SECRETS or hit.path_text is None:
        return False
    written = hit.path_text
    for gone in removed:
        if fnmatch.fnmatchcase(written, gone) or (
            written.startswith(gone.rstrip("/") + "/") and gone != "/tmp"
        ):
            return False
    return True


def _flows(unit: CodeUnit, found: Iterable[tuple[Hit, frozenset[Taint], Trace]]) -> list[Flow]:
    ordinals: dict[tuple[SinkKind, str], int] = {}
    flows: list[Flow] = []
    for hit, taints, trace in sorted(found, key=lambda item: (item[0].file, item[0].line, item[0].column)):
        ordinal = ordinals.get((hit.kind, hit.callee), 0) + 1
        ordinals[(hit.kind, hit.callee)] = ordinal
        key = f"{unit.key}#{hit.kind}:{hit.callee}:{ordinal}"
        origin = Origin(
            source=SourceKind.CODE, file=hit.file, line=hit.line, resource=key, fields=(("sink", hit.line),)
        )
        flows.append(
            Flow(
                key=key,
                unit=unit.key,
                function=unit.function,
                sink=hit.kind,
                callee=hit.callee,
                taints=taints,
                steps=(*trace.steps, hit.step),
                certain=trace.certain,
                origin=origin,
            )
        )
    return flows
