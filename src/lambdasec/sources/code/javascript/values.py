"""Abstract values of the JavaScript taint analysis: labels with their traces, object fields, known text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field, replace
from typing import Final

from tree_sitter import Node

from lambdasec.model import FlowStep, SinkKind, Taint
from lambdasec.records import record

__all__ = [
    "CLEAN",
    "MAX_LABELS",
    "MAX_STEPS",
    "REQUEST",
    "RESPONSE",
    "FuncRef",
    "Hit",
    "Label",
    "ParamRef",
    "Trace",
    "Value",
    "join",
    "join_all",
]


@record(kw_only=False)
class ParamRef:
    """Data from parameter `index` of the function being summarized, at access `path` below it.

    `exact` is True while the value is that part itself (so a further member access narrows the path);
    index -1 stands for the handler's event. `path` keys are strings, `*` for an index or unknown key.
    """

    index: int
    path: tuple[str, ...] = ()
    exact: bool = True


Label = Taint | ParamRef


@record(kw_only=False)
class Trace:
    """How a label reached a value: the steps so far, and whether every step is certain."""

    steps: tuple[FlowStep, ...] = ()
    certain: bool = True

    def better(self, other: Trace) -> bool:
        """True when this trace is preferred to `other`: certain first, then shorter."""
        return (not self.certain, len(self.steps)) < (not other.certain, len(other.steps))

    def plus(self, step: FlowStep | None, *, certain: bool = True) -> Trace:
        """This trace with `step` appended (unless it repeats the last step)."""
        steps = self.steps
        if step is not None and not (steps and steps[-1] == step):
            steps = (*steps, step) if len(steps) < MAX_STEPS else (*steps[:-1], step)
        return Trace(steps, self.certain and certain)


@record(kw_only=False)
class FuncRef:
    """A function definition: the file (package path) it is in and its node."""

    path: str
    node: Node = field(compare=False)
    start: int = 0


@record
class Value:
    """What the analysis knows about one value.

    `labels` maps each taint or parameter reference to its trace; `fields` is set for an object
    literal (`open` when a spread of unknown shape was merged in); `text` is the string the value
    certainly is, `*` standing for unknown parts; `qname` the module member it is (`child_process.exec`);
    `module` a package file imported as a whole; `func` a function it is; `safe` the sink kinds a
    sanitizer made it harmless for; `resolved` marks a path from path.resolve/normalize; `segments`
    marks the array of a string split at `/`, none of whose elements holds a `/`; `klass` is the
    declaration of the package class the value is an instance of.
    """

    labels: Mapping[Label, Trace] = field(default_factory=dict)
    fields: tuple[tuple[str, Value], ...] | None = None
    open: bool = False
    text: str | None = None
    qname: str | None = None
    module: str | None = None
    func: FuncRef | None = None
    safe: frozenset[SinkKind] = frozenset()
    resolved: bool = False
    segments: bool = False
    klass: FuncRef | None = None

    @property
    def tainted(self) -> bool:
        """True when any label reaches this value."""
        return bool(self.labels)

    def field(self, key: str) -> Value | None:
        """The value of object field `key`, when this is an object literal that has it."""
        if self.fields is None:
            return None
        for name, value in self.fields:
            if name == key:
                return value
        return None

    def with_step(self, step: FlowStep | None, *, certain: bool = True) -> Value:
        """This value with `step` appended to every trace."""
        if not self.labels:
            return self
        return replace(
            self, labels={label: trace.plus(step, certain=certain) for label, trace in self.labels.items()}
        )

    def only_data(self) -> Value:
        """The taint of this value alone, without what it is (module, function, object shape)."""
        return Value(labels=self.labels, text=self.text, safe=self.safe, resolved=self.resolved)


CLEAN: Final = Value()
# The qualified name marking a web framework's request object (an Express route's `req`).
REQUEST: Final = "<web request>"
# The qualified name marking a web framework's response object (an Express route's `res`).
RESPONSE: Final = "<web response>"
# Bounds that keep pathological code (long assignment chains to one object) linear: a trace keeps its
# source and its last steps; a value keeps its first parameter paths (every taint is always kept).
MAX_STEPS: Final = 16
MAX_LABELS: Final = 24


def merge_labels(target: dict[Label, Trace], labels: Mapping[Label, Trace]) -> None:
    """Add `labels` to `target`, keeping the preferred trace per label."""
    for label, trace in labels.items():
        current = target.get(label)
        if current is None:
            if len(target) < MAX_LABELS or isinstance(label, Taint):
                target[label] = trace
        elif trace.better(current):
            target[label] = trace


def join(a: Value, b: Value) -> Value:
    """A value that may be `a` or `b` (after a branch, or parts combined)."""
    if a is b or (
        not b.labels and b.fields is None and b.qname is None and b.func is None and b.module is None
    ):
        return a if b.text == a.text else replace(a, text=None)
    if not a.labels and a.fields is None and a.qname is None and a.func is None and a.module is None:
        return b if b.text == a.text else replace(b, text=None)
    labels: dict[Label, Trace] = dict(a.labels)
    merge_labels(labels, b.labels)
    fields = None
    if a.fields is not None and b.fields is not None:
        merged = dict(a.fields)
        for key, value in b.fields:
            merged[key] = join(merged[key], value) if key in merged else value
        fields = tuple(merged.items())
    return Value(
        labels=labels,
        fields=fields,
        open=a.open or b.open,
        text=a.text if a.text == b.text else None,
        qname=a.qname if a.qname == b.qname else None,
        module=a.module if a.module == b.module else None,
        func=a.func or b.func,
        safe=_safe(a, b),
        resolved=a.resolved and b.resolved,
    )


def _safe(a: Value, b: Value) -> frozenset[SinkKind]:
    """Sink kinds both parts are harmless for (an untainted part is harmless for every kind)."""
    if not a.labels:
        return b.safe
    if not b.labels:
        return a.safe
    return a.safe & b.safe


def join_all(values: Iterable[Value]) -> Value:
    """The join of `values` (CLEAN when there are none)."""
    result: Value | None = None
    for value in values:
        result = value if result is None else join(result, value)
    return result if result is not None else CLEAN


@record(kw_only=False)
class Hit:
    """Data reaching a sink: where (file, line, column), which call, and the value's labels there."""

    kind: SinkKind
    callee: str
    file: str
    line: int
    column: int
    value: Value
    step: FlowStep
    certain: bool = True
    path_text: str | None = None
