"""Model-level tests of the code rules (LS501-LS510) and the code data rules (LS306, LS307)."""

from __future__ import annotations

import pytest

from factories import make_function, make_inventory, run
from lambdasec.findings import Confidence, Severity, TraceStep
from lambdasec.model import (
    CodeFile,
    CodeUnit,
    Flow,
    FlowStep,
    HandlerMatch,
    Language,
    Origin,
    SinkKind,
    SourceKind,
    Taint,
)
from lambdasec.rules._api import Rule
from lambdasec.rules.code._flows import for_language
from lambdasec.rules.code.code_injection import code_injection
from lambdasec.rules.code.nosql_injection import nosql_injection
from lambdasec.rules.code.open_redirect import open_redirect
from lambdasec.rules.code.path_traversal import path_traversal
from lambdasec.rules.code.server_side_request_forgery import server_side_request_forgery
from lambdasec.rules.code.shell_command_injection import shell_command_injection
from lambdasec.rules.code.sql_injection import sql_injection
from lambdasec.rules.code.template_injection import template_injection
from lambdasec.rules.code.unsafe_deserialization import unsafe_deserialization
from lambdasec.rules.code.xml_external_entities import xml_external_entities
from lambdasec.rules.data.secret_written_to_tmp import secret_written_to_tmp
from lambdasec.rules.data.sensitive_data_logged import sensitive_data_logged

UNIT_KEY = "src/app.py:handler"


def make_unit(
    *, key: str = UNIT_KEY, file: str = "src/app.py", function: str | None = "OrdersApi"
) -> CodeUnit:
    return CodeUnit(
        key=key,
        file=file,
        symbol="handler",
        language=Language.PYTHON,
        function=function,
        match=HandlerMatch.INFRASTRUCTURE if function else HandlerMatch.SHAPE,
        origin=Origin(source=SourceKind.CODE, file=file, line=3, resource=key),
    )


def make_flow(
    sink: SinkKind,
    *,
    callee: str = "subprocess.run",
    taints: frozenset[Taint] = frozenset({Taint.EVENT}),
    source: str = "event['body']",
    line: int = 9,
    ordinal: int = 1,
    certain: bool = True,
    unit: str = UNIT_KEY,
    function: str | None = "OrdersApi",
) -> Flow:
    key = f"{unit}#{sink}:{callee}:{ordinal}"
    return Flow(
        key=key,
        unit=unit,
        function=function,
        sink=sink,
        callee=callee,
        taints=taints,
        steps=(
            FlowStep(file="src/app.py", line=5, note=source),
            FlowStep(file="src/app.py", line=6, note='cmd = f"ls {name}"'),
            FlowStep(file="src/util.py", line=line, note=f"{callee}(cmd, shell=True)"),
        ),
        certain=certain,
        origin=Origin(source=SourceKind.CODE, file="src/util.py", line=line, resource=key),
    )


SINK_RULES: list[tuple[Rule, SinkKind, str]] = [
    (shell_command_injection, SinkKind.SHELL, "shell command"),
    (code_injection, SinkKind.CODE, "code evaluation"),
    (sql_injection, SinkKind.SQL, "SQL statement"),
    (nosql_injection, SinkKind.NOSQL, "NoSQL query"),
    (unsafe_deserialization, SinkKind.DESERIALIZATION, "deserialization"),
    (path_traversal, SinkKind.PATH, "file path"),
    (server_side_request_forgery, SinkKind.SSRF, "request URL"),
    (xml_external_entities, SinkKind.XXE, "XML parser"),
    (template_injection, SinkKind.TEMPLATE, "template"),
    (open_redirect, SinkKind.REDIRECT, "redirect"),
]


@pytest.mark.parametrize(("rule", "sink", "what"), SINK_RULES, ids=lambda v: getattr(v, "id", str(v)))
def test_each_sink_rule_reports_event_flows_of_its_own_sink_only(
    rule: Rule, sink: SinkKind, what: str
) -> None:
    mine = make_flow(sink, callee="sink_call", line=9)
    not_event = make_flow(sink, callee="sink_call", line=11, ordinal=2, taints=frozenset({Taint.SECRET}))
    others = [
        make_flow(kind, callee="other", line=20 + i) for i, kind in enumerate(SinkKind) if kind is not sink
    ]
    inv = make_inventory(
        functions=[make_function(key="OrdersApi", name="orders-api")],
        code_units=[make_unit()],
        flows=[mine, not_event, *others],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {(rule.id, 9)}
    (finding,) = outcome.findings
    assert finding.message == f"`orders-api` passes `event['body']` to `sink_call` ({what})"
    assert finding.function == "orders-api"
    assert finding.location.file == "src/util.py"
    assert finding.location.source == "code"
    assert (finding.resource.type, finding.resource.id) == ("code_flow", f"{UNIT_KEY}#{sink}:sink_call:1")
    assert finding.confidence is Confidence.HIGH
    assert finding.remediation.startswith("Use instead")
    assert outcome.coverage.evaluated == 1


def test_finding_carries_the_trace_and_flow_properties() -> None:
    inv = make_inventory(
        functions=[make_function(key="OrdersApi", name="orders-api")],
        code_units=[make_unit()],
        flows=[make_flow(SinkKind.SHELL, taints=frozenset({Taint.EVENT, Taint.CREDENTIAL}))],
    )
    (finding,) = run(shell_command_injection, inv).findings
    assert finding.trace == (
        TraceStep(file="src/app.py", line=5, note="event['body']"),
        TraceStep(file="src/app.py", line=6, note='cmd = f"ls {name}"'),
        TraceStep(file="src/util.py", line=9, note="subprocess.run(cmd, shell=True)"),
    )
    assert dict(finding.properties) == {
        "sink": "shell",
        "callee": "subprocess.run",
        "taints": "credential,event",
    }
    assert finding.severity is Severity.CRITICAL


def test_uncertain_flow_is_reported_with_medium_confidence() -> None:
    inv = make_inventory(
        code_units=[make_unit(function=None)], flows=[make_flow(SinkKind.SQL, certain=False)]
    )
    (finding,) = run(sql_injection, inv).findings
    assert finding.confidence is Confidence.MEDIUM


def test_handler_without_function_is_named_by_symbol_and_file() -> None:
    inv = make_inventory(
        code_units=[make_unit(function=None)],
        flows=[make_flow(SinkKind.SHELL, function=None)],
    )
    (finding,) = run(shell_command_injection, inv).findings
    assert finding.message == (
        "Handler `handler` in `src/app.py` passes `event['body']` to `subprocess.run` (shell command)"
    )
    assert finding.function is None


def test_two_sinks_of_one_handler_have_distinct_fingerprints() -> None:
    first = make_flow(SinkKind.SHELL, line=9, ordinal=1)
    second = make_flow(SinkKind.SHELL, line=12, ordinal=2)
    inv = make_inventory(code_units=[make_unit()], flows=[first, second])
    findings = run(shell_command_injection, inv).findings
    assert [f.location.line for f in findings] == [9, 12]
    assert findings[0].fingerprint != findings[1].fingerprint


def test_fingerprint_ignores_the_sink_line() -> None:
    moved = make_inventory(code_units=[make_unit()], flows=[make_flow(SinkKind.SHELL, line=40)])
    here = make_inventory(code_units=[make_unit()], flows=[make_flow(SinkKind.SHELL, line=9)])
    assert run(shell_command_injection, moved).findings[0].fingerprint == (
        run(shell_command_injection, here).findings[0].fingerprint
    )


def test_long_source_is_shortened_and_backticks_dropped() -> None:
    source = "`" + "event['Records'][0]['s3']['object']['key']" * 2 + "`"
    inv = make_inventory(
        code_units=[make_unit(function=None)], flows=[make_flow(SinkKind.PATH, source=source)]
    )
    (finding,) = run(path_traversal, inv).findings
    shown = "event['Records'][0]['s3']['object']['key']event['Records'..."
    assert (
        finding.message
        == f"Handler `handler` in `src/app.py` passes `{shown}` to `subprocess.run` (file path)"
    )


def test_handlers_in_unparsed_files_are_not_evaluated() -> None:
    broken = make_unit(key="src/broken.py:handler", file="src/broken.py")
    inv = make_inventory(
        code_files=[
            CodeFile(
                key="src/broken.py",
                language=Language.PYTHON,
                parsed=False,
                origin=Origin(source=SourceKind.CODE, file="src/broken.py", line=1, resource="src/broken.py"),
            )
        ],
        code_units=[make_unit(), broken],
    )
    outcome = run(shell_command_injection, inv)
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (("src/broken.py:handler", "`src/broken.py` could not be parsed"),)
    assert outcome.coverage.evaluated == 1


@pytest.mark.parametrize(
    ("taints", "what"),
    [
        (frozenset({Taint.EVENT_WHOLE, Taint.EVENT}), "the whole event"),
        (frozenset({Taint.EVENT, Taint.CREDENTIAL}), "a credential"),
        (frozenset({Taint.ENVIRONMENT}), "the whole environment"),
        (frozenset({Taint.SECRET}), "a secret"),
        (frozenset({Taint.SECRET, Taint.CREDENTIAL, Taint.EVENT_WHOLE}), "a credential"),
    ],
)
def test_sensitive_logging_names_what_was_logged(taints: frozenset[Taint], what: str) -> None:
    inv = make_inventory(
        functions=[make_function(key="OrdersApi", name="orders-api")],
        code_units=[make_unit()],
        flows=[make_flow(SinkKind.LOG, callee="logger.info", taints=taints, source="event")],
    )
    (finding,) = run(sensitive_data_logged, inv).findings
    assert finding.message == f"`orders-api` writes {what} (`event`) to the log with `logger.info`"
    assert (finding.rule, finding.severity) == ("LS306", Severity.MEDIUM)


def test_logging_a_plain_event_field_is_not_reported() -> None:
    inv = make_inventory(
        code_units=[make_unit()],
        flows=[
            make_flow(SinkKind.LOG, callee="print", taints=frozenset({Taint.EVENT})),
            make_flow(SinkKind.SHELL, taints=frozenset({Taint.SECRET})),
        ],
    )
    assert run(sensitive_data_logged, inv).findings == []


def test_secret_written_to_tmp_reports_secrets_and_credentials_only() -> None:
    secret = make_flow(
        SinkKind.TMP_WRITE, callee="f.write", taints=frozenset({Taint.SECRET}), source="key", line=9
    )
    credential = make_flow(
        SinkKind.TMP_WRITE,
        callee="f.write",
        taints=frozenset({Taint.EVENT, Taint.CREDENTIAL}),
        source="event['headers']['Authorization']",
        line=14,
        ordinal=2,
    )
    plain = make_flow(SinkKind.TMP_WRITE, callee="f.write", line=20, ordinal=3)
    inv = make_inventory(
        functions=[make_function(key="OrdersApi", name="orders-api")],
        code_units=[make_unit()],
        flows=[secret, credential, plain],
    )
    outcome = run(secret_written_to_tmp, inv)
    assert [(f.location.line, f.message) for f in outcome.findings] == [
        (9, "`orders-api` writes a secret (`key`) to `/tmp` with `f.write` and never removes the file"),
        (
            14,
            "`orders-api` writes a credential (`event['headers']['Authorization']`) to `/tmp` with `f.write` "
            "and never removes the file",
        ),
    ]


def test_description_after_the_source_is_left_out_of_the_message() -> None:
    inv = make_inventory(
        code_units=[make_unit(function=None)],
        flows=[
            make_flow(
                SinkKind.LOG,
                callee="print",
                taints=frozenset({Taint.EVENT_WHOLE, Taint.EVENT}),
                source="event (the event)",
            )
        ],
    )
    (finding,) = run(sensitive_data_logged, inv).findings
    assert (
        finding.message
        == "Handler `handler` in `src/app.py` writes the whole event (`event`) to the log with `print`"
    )


def test_a_whole_event_nobody_writes_is_not_sensitive() -> None:
    # A schedule-only handler: its event is AWS's, so logging it whole is not a leak; a secret still is.
    inv = make_inventory(
        code_units=[make_unit(function=None)],
        flows=[
            make_flow(SinkKind.LOG, callee="print", taints=frozenset({Taint.EVENT_WHOLE})),
            make_flow(
                SinkKind.LOG, callee="logger.info", taints=frozenset({Taint.EVENT_WHOLE, Taint.SECRET})
            ),
        ],
    )
    assert [
        f.message.rpartition("`")[0].rpartition("`")[2] for f in run(sensitive_data_logged, inv).findings
    ] == ["logger.info"]


def test_fix_keeps_the_snippets_of_the_handler_language() -> None:
    fix = (
        "Use instead:\n\n```python\npy()\n```\n\n```javascript\njs()\n```\n\n"
        "```yaml\nkeep: 1\n```\n\nThen rotate."
    )
    assert for_language(fix, Language.PYTHON) == (
        "Use instead:\n\n```python\npy()\n```\n\n```yaml\nkeep: 1\n```\n\nThen rotate."
    )
    assert for_language(fix, Language.TYPESCRIPT) == (
        "Use instead:\n\n```javascript\njs()\n```\n\n```yaml\nkeep: 1\n```\n\nThen rotate."
    )
    python_only = "Use instead:\n\n```python\npy()\n```"
    assert for_language(python_only, Language.JAVASCRIPT) == python_only


def test_a_trace_with_the_sink_alone_names_no_source() -> None:
    lone = Flow(
        key=f"{UNIT_KEY}#log:console.log:1",
        unit=UNIT_KEY,
        function=None,
        sink=SinkKind.LOG,
        callee="console.log",
        taints=frozenset({Taint.EVENT_WHOLE, Taint.EVENT}),
        steps=(FlowStep(file="src/app.py", line=6, note="console.log(JSON.stringify(req))"),),
        origin=Origin(
            source=SourceKind.CODE, file="src/app.py", line=6, resource=f"{UNIT_KEY}#log:console.log:1"
        ),
    )
    shell = make_flow(SinkKind.SHELL, function=None)
    shell = Flow(
        key=shell.key,
        unit=shell.unit,
        function=None,
        sink=shell.sink,
        callee="execSync",
        taints=shell.taints,
        steps=shell.steps[-1:],
        origin=shell.origin,
    )
    inv = make_inventory(code_units=[make_unit(function=None)], flows=[lone, shell])
    (logged,) = run(sensitive_data_logged, inv).findings
    assert (
        logged.message
        == "Handler `handler` in `src/app.py` writes the whole event to the log with `console.log`"
    )
    (injected,) = run(shell_command_injection, inv).findings
    assert (
        injected.message
        == "Handler `handler` in `src/app.py` passes event data to `execSync` (shell command)"
    )
