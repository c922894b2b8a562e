"""Turn the taint flows of one sink kind into findings: message, trace, function and confidence."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from functools import cache

from lambdasec.findings import Confidence, Finding, TraceStep
from lambdasec.model import CodeUnit, Flow, Inventory, Language, SinkKind, Taint
from lambdasec.records import record
from lambdasec.rules._api import RuleContext

__all__ = ["FlowView", "for_language", "injection_message", "report_flows", "source_text"]

# The longest source expression quoted in a message; longer ones are cut with an ellipsis.
_MAX_SOURCE = 60
# A trailing description the analyzers add to a source note: `event (the event)`.
_DESCRIPTION = re.compile(r"\s+\([^()]*\)$")
# The fence info strings of snippets in each language's fix; TypeScript code takes JavaScript fixes too.
_FENCES: dict[Language, frozenset[str]] = {
    Language.PYTHON: frozenset({"python", "py"}),
    Language.JAVASCRIPT: frozenset({"javascript", "js"}),
    Language.TYPESCRIPT: frozenset({"typescript", "ts", "javascript", "js"}),
}
_LANGUAGES = frozenset({"python", "py", "javascript", "js", "typescript", "ts"})


@record
class FlowView:
    """What a message is built from: who (function or handler), the source as written, and the flow.

    `source` is None when the trace has no step before the sink (the sink reads the source itself).
    """

    subject: str
    source: str | None
    flow: Flow

    @property
    def quoted(self) -> str:
        """` (`source`)` to follow a description of the data, or nothing without a source step."""
        return f" (`{self.source}`)" if self.source else ""


MessageBuilder = Callable[[FlowView], str]


def report_flows(
    inv: Inventory,
    ctx: RuleContext,
    *,
    sink: SinkKind,
    taints: frozenset[Taint],
    message: MessageBuilder,
    accept: Callable[[Flow], bool] | None = None,
) -> Iterator[Finding]:
    """Findings for the flows into `sink` that carry any of `taints` (and pass `accept`), one per flow.

    Handlers whose file could not be parsed are declared not evaluated rather than passed.
    """
    units = {unit.key: unit for unit in inv.code_units}
    unparsed = {code_file.key for code_file in inv.code_files if not code_file.parsed}
    for unit in inv.code_units:
        if unit.file in unparsed:
            ctx.unevaluated(unit, reason=f"`{unit.file}` could not be parsed")
    for flow in inv.flows:
        if flow.sink is not sink or not flow.taints & taints or (accept is not None and not accept(flow)):
            continue
        function = inv.function(flow.function) if flow.function is not None else None
        function_name = function.display_name if function is not None else None
        handler = units.get(flow.unit)
        view = FlowView(
            subject=f"`{function_name}`" if function_name else _handler_name(handler, flow),
            source=source_text(flow),
            flow=flow,
        )
        finding = ctx.finding(
            flow,
            origin=flow.origin,
            message=message(view),
            function=function_name,
            confidence=Confidence.HIGH if flow.certain else Confidence.MEDIUM,
            trace=tuple(TraceStep(file=step.file, line=step.line, note=step.note) for step in flow.steps),
            properties={
                "sink": str(flow.sink),
                "callee": flow.callee,
                "taints": ",".join(sorted(str(taint) for taint in flow.taints)),
            },
        )
        if handler is not None:
            finding = dataclasses.replace(
                finding, remediation=for_language(finding.remediation, handler.language)
            )
        yield finding


def injection_message(what: str) -> MessageBuilder:
    """`orders-api` passes `event['body']` to `subprocess.run` (shell command)."""

    def build(view: FlowView) -> str:
        source = f"`{view.source}`" if view.source else "event data"
        return f"{view.subject} passes {source} to `{view.flow.callee}` ({what})"

    return build


def source_text(flow: Flow) -> str | None:
    """The source of the flow as its first step shows it, shortened and without backticks.

    None when the trace holds the sink alone: its note is the sink call, not a source.
    """
    if len(flow.steps) < 2:
        return None
    text = _DESCRIPTION.sub("", " ".join(flow.steps[0].note.replace("`", "").split()))
    if not text:
        return None
    return text if len(text) <= _MAX_SOURCE else text[: _MAX_SOURCE - 3] + "..."


def _handler_name(unit: CodeUnit | None, flow: Flow) -> str:
    if unit is None:
        return f"Handler `{flow.unit}`"
    return f"Handler `{unit.symbol}` in `{unit.file}`"


@cache
def for_language(remediation: str, language: Language) -> str:
    """The fix without the snippets written for other languages (a rule's fix shows Python and JavaScript).

    Prose and snippets in no particular language stay; when no snippet is left for `language`,
    the fix is returned whole.
    """
    kept: list[str] = []
    block: list[str] = []
    fence: str | None = None
    found = False
    for line in remediation.splitlines():
        stripped = line.strip()
        if fence is None and stripped.startswith("```"):
            fence = stripped[3:].strip().lower()
            block = [line]
            continue
        if fence is not None:
            block.append(line)
            if stripped == "```":
                if fence not in _LANGUAGES or fence in _FENCES[language]:
                    found = found or fence in _FENCES[language]
                    kept.extend(block)
                elif kept and not kept[-1].strip():
                    kept.pop()  # the blank line that separated the dropped snippet
                fence = None
            continue
        kept.append(line)
    return "\n".join(kept).strip() if found else remediation
