"""The terminal report: grouping, fixes, diagnostics, coverage gaps, colour and environment independence."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lambdasec.findings import Diagnostic, DiagnosticLevel, RuleCoverage, ScanResult, Severity, ToolInfo
from lambdasec.reporters.terminal import TerminalReporter, fix_text


def test_suppressed_counted_but_listed_only_when_verbose(result: ScanResult) -> None:
    plain = TerminalReporter().render(result)
    verbose = TerminalReporter(verbose=True).render(result)
    assert "LS102" not in plain
    assert "2 suppressed" in plain
    assert "Suppressed (inline): legacy role, removal tracked in OPS-12" in verbose


def test_incomplete_scan_is_announced_first(result: ScanResult) -> None:
    lines = TerminalReporter().render(result).splitlines()
    assert lines[2] == "INCOMPLETE SCAN: 1 input could not be read fully, so findings may be missing."
    assert lines[-1] == (
        "2 functions scanned: 1 critical, 1 high, 0 medium, 1 low; 2 suppressed. Scan INCOMPLETE (1 error)."
    )


def test_warnings_only_do_not_make_the_scan_incomplete() -> None:
    result = ScanResult(
        tool=ToolInfo(version="0.1.0"),
        findings=(),
        diagnostics=(Diagnostic(level=DiagnosticLevel.WARNING, source="aws", message="slow"),),
        functions=1,
    )
    assert TerminalReporter().render(result) == (
        "lambdasec 0.1.0\n"
        "\n"
        "Warnings\n"
        "WARNING  aws  slow\n"
        "\n"
        "No findings.\n"
        "\n"
        "1 function scanned: 0 critical, 0 high, 0 medium, 0 low; 0 suppressed. Scan complete.\n"
    )


def test_quiet_clean_scan_prints_nothing() -> None:
    result = ScanResult(tool=ToolInfo(version="0.1.0"), findings=(), functions=3)
    assert TerminalReporter(quiet=True).render(result) == ""


def test_coverage_line_lists_distinct_reasons() -> None:
    result = ScanResult(
        tool=ToolInfo(version="0.1.0"),
        findings=(),
        coverage={
            "LS201": RuleCoverage(
                evaluated=1,
                unevaluated=(("A", "auth type depends on `!Ref X`"), ("B", "auth type depends on `!Ref X`")),
            ),
            "LS202": RuleCoverage(
                evaluated=1,
                unevaluated=(("A", "r1"), ("A", "r2"), ("A", "r3"), ("A", "r4"), ("A", "r5")),
            ),
            "LS203": RuleCoverage(evaluated=3),
        },
    )
    text = TerminalReporter().render(result)
    assert "Not evaluated\n" in text
    assert "LS201: 2 resources not evaluated (auth type depends on `!Ref X`)\n" in text
    assert "LS202: 1 resource not evaluated (r1; r2; r3; and 2 more)\n" in text
    assert "LS203" not in text


def test_findings_grouped_by_function_then_resources_without_one(result: ScanResult) -> None:
    ls201, ls401 = result.findings[0], result.findings[1]
    grouped = ScanResult(
        tool=result.tool,
        findings=(
            replace(ls201, function=None, severity=Severity.CRITICAL),
            replace(ls401, function="zeta"),
            replace(ls401, function="alpha", severity=Severity.LOW, fingerprint="sha256:other"),
        ),
    )
    headings = [line for line in TerminalReporter().render(grouped).splitlines() if not line.startswith(" ")]
    assert headings == [
        "lambdasec 0.1.0",
        "",
        "Function alpha",
        "LOW       LS501 sql-injection  src/app.py:14 (OrdersApi)",
        "",
        "Function zeta",
        "CRITICAL  LS501 sql-injection  src/app.py:14 (OrdersApi)",
        "",
        "Resources without a function",
        "CRITICAL  LS201 function-url-auth-none  template.yaml:12 (OrdersApiUrl)",
        "",
        "0 functions scanned: 2 critical, 0 high, 0 medium, 1 low; 0 suppressed. Scan complete.",
    ]


def test_live_finding_shows_its_arn(result: ScanResult) -> None:
    live = replace(result.findings[4], suppressed=None)
    text = TerminalReporter().render(ScanResult(tool=result.tool, findings=(live,)))
    assert "HIGH      LS000 internal-error  arn:aws:lambda:us-east-1:111122223333:function:billing\n" in text


def test_colour_only_when_asked(result: ScanResult) -> None:
    assert "\x1b[" not in TerminalReporter(color=False).render(result)
    assert "\x1b[" in TerminalReporter(color=True).render(result)


def test_environment_does_not_change_the_output(result: ScanResult, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_plain = TerminalReporter(color=False).render(result)
    expected_color = TerminalReporter(color=True).render(result)
    for name, value in {
        "TERM": "dumb",
        "COLUMNS": "40",
        "LINES": "5",
        "NO_COLOR": "1",
        "FORCE_COLOR": "1",
        "TTY_COMPATIBLE": "1",
        "TTY_INTERACTIVE": "1",
    }.items():
        monkeypatch.setenv(name, value)
    assert TerminalReporter(color=False).render(result) == expected_plain
    assert TerminalReporter(color=True).render(result) == expected_color


def test_width_wraps_long_messages(result: ScanResult) -> None:
    narrow = TerminalReporter(width=60).render(result)
    assert max(len(line) for line in narrow.splitlines()) <= 60


@pytest.mark.parametrize(
    ("remediation", "expected"),
    [
        ("", ""),
        ("Set `RetentionInDays`.", "Set `RetentionInDays`."),
        ("First line\nsecond line.\n\nLater paragraph.", "First line\nsecond line."),
        (
            "Use instead:\n\n```yaml\nA: 1\n\nB: 2\n```\n\nAfterwards.",
            "A: 1\n\nB: 2",
        ),
        ("Use instead:\n```hcl\nx = 1\n```", "x = 1"),
        ("Use instead:", ""),
        (
            "Use instead (scope it to one account):\n```yaml\nP: 1\n```",
            "Use instead (scope it to one account):\nP: 1",
        ),
        (
            "Fix:\n\n" + "\n".join(f"line {i}" for i in range(20)),
            "Fix:\n" + "\n".join([*(f"line {i}" for i in range(11)), "..."]),
        ),
    ],
)
def test_fix_text(remediation: str, expected: str) -> None:
    assert fix_text(remediation) == expected
