"""The human report: diagnostics first, findings grouped by function with the fix, coverage gaps, summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import assert_never

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from lambdasec.findings import (
    ControlSummary,
    Diagnostic,
    DiagnosticLevel,
    Finding,
    RuleCoverage,
    ScanResult,
    Severity,
)
from lambdasec.records import record
from lambdasec.reporters._console import DEFAULT_WIDTH, render_text

OTHER_RESOURCES = "Resources without a function"
MAX_FIX_LINES = 12
MAX_REASONS = 3
FIX_INDENT = " " * len("Fix: ")


@record
class TerminalReporter:
    """Readable text for a terminal; `verbose` also lists suppressed findings, `quiet` keeps only problems."""

    color: bool = False
    verbose: bool = False
    quiet: bool = False
    width: int = DEFAULT_WIDTH

    def render(self, result: ScanResult) -> str:
        """The report as text (with ANSI colours when `color`)."""
        return render_text(self._sections(result), color=self.color, width=self.width)

    def _sections(self, result: ScanResult) -> Iterator[RenderableType]:
        """The report's blocks, separated by blank lines."""
        blocks: list[list[RenderableType]] = []
        if not self.quiet:
            blocks.append([Text(f"{result.tool.name} {result.tool.version}", style="bold")])
        if result.diagnostics:
            blocks.append(list(_diagnostics(result)))
        active = sorted(result.active_findings, key=_finding_order)
        for title, findings in _groups(active):
            blocks.append([Text(title, style="bold underline"), _finding_table(findings)])
        if not active and not self.quiet:
            blocks.append([Text("No findings.", style="green")])
        suppressed = sorted((f for f in result.findings if f.suppressed is not None), key=_finding_order)
        if self.verbose and suppressed:
            blocks.append([Text("Suppressed", style="bold underline"), _finding_table(suppressed)])
        gaps = coverage_lines(result.coverage)
        if gaps and not self.quiet:
            blocks.append([Text("Not evaluated", style="bold underline"), *gaps])
        if result.controls and not self.quiet:
            blocks.append(
                [
                    Text(f"Compliance ({result.profile} profile)", style="bold underline"),
                    controls_table(result.controls),
                ]
            )
        if not self.quiet:
            blocks.append([summary_line(result)])
        for i, block in enumerate(blocks):
            if i:
                yield Text()
            yield from block


def controls_table(controls: Sequence[ControlSummary]) -> Table:
    """Per Security Hub control: functions passing, failing and not evaluated, then its title."""
    table = Table.grid(padding=(0, 2))
    for header in ("Control", "Pass", "Fail", "N/E"):
        table.add_column(header, no_wrap=True, justify="left" if header == "Control" else "right")
    table.add_column("Title")
    table.add_row(*(Text(h, style="bold") for h in ("Control", "Pass", "Fail", "N/E", "Title")))
    for control in controls:
        title = control.title
        if control.unattributed:
            title += f" ({_plural(control.unattributed, 'finding')} on resources without a function)"
        table.add_row(
            control.control,
            Text(str(control.passed), style="green"),
            Text(str(control.failed), style="bold red" if control.failed else ""),
            Text(str(control.unevaluated), style="yellow" if control.unevaluated else ""),
            title,
        )
    return table


def summary_line(result: ScanResult) -> Text:
    """Functions scanned, unsuppressed findings per severity, suppressed count, completeness."""
    counts = result.counts()
    functions = f"{result.functions} function{'' if result.functions == 1 else 's'} scanned"
    per_severity = ", ".join(f"{counts[str(s)]} {s}" for s in sorted(Severity, key=lambda s: -s.rank))
    suppressed = len(result.findings) - len(result.active_findings)
    text = Text(f"{functions}: {per_severity}; {suppressed} suppressed. ")
    errors = sum(1 for d in result.diagnostics if d.level is DiagnosticLevel.ERROR)
    if errors:
        text.append(f"Scan INCOMPLETE ({_plural(errors, 'error')}).", style="bold red")
    else:
        text.append("Scan complete.")
    return text


def fix_text(remediation: str) -> str:
    """The first paragraph of a remediation, and the snippet it introduces when it ends with a colon."""
    paragraphs = _paragraphs(remediation)
    if not paragraphs:
        return ""
    lines = paragraphs[0]
    if lines[-1].rstrip().endswith(":") and len(paragraphs) > 1:
        lines = lines + paragraphs[1]
    shown = [line for line in lines if not line.lstrip().startswith("```")]
    if shown and shown[0].strip().lower() == "use instead:":
        shown = shown[1:]  # the terminal labels it "Fix:" already
    if len(shown) > MAX_FIX_LINES:
        shown = [*shown[:MAX_FIX_LINES], "..."]
    return "\n".join(shown)


def _paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated blocks; a fenced code block is one block even with blank lines inside."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    fence = False
    for line in text.strip().splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        if not fence and not line.strip():
            if current:
                paragraphs.append(current)
            current = []
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _diagnostics(result: ScanResult) -> Iterator[RenderableType]:
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    if errors:
        yield Text(
            f"INCOMPLETE SCAN: {_plural(len(errors), 'input')} could not be read fully, "
            "so findings may be missing.",
            style="bold red",
        )
    else:
        yield Text("Warnings", style="bold yellow underline")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column()
    for diagnostic in sorted(result.diagnostics, key=_diagnostic_order):
        table.add_row(
            Text(str(diagnostic.level).upper(), style=_diagnostic_style(diagnostic.level)),
            Text(diagnostic.source, style="dim"),
            Text(f"{_diagnostic_where(diagnostic)}{diagnostic.message}"),
        )
    yield table


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[int, tuple[str, int, str, str]]:
    return (0 if diagnostic.level is DiagnosticLevel.ERROR else 1, diagnostic.sort_key())


def _diagnostic_where(diagnostic: Diagnostic) -> str:
    if diagnostic.file is None:
        return ""
    return f"{diagnostic.file}:{diagnostic.line}: " if diagnostic.line is not None else f"{diagnostic.file}: "


def _diagnostic_style(level: DiagnosticLevel) -> str:
    match level:
        case DiagnosticLevel.ERROR:
            return "bold red"
        case DiagnosticLevel.WARNING:
            return "yellow"
        case _:
            assert_never(level)


def _finding_order(finding: Finding) -> tuple[int, tuple[str, int, str, str, str]]:
    return (-finding.severity.rank, finding.sort_key())


def _groups(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by function name (sorted), then those that belong to no function."""
    by_function: dict[str, list[Finding]] = defaultdict(list)
    others: list[Finding] = []
    for finding in findings:
        if finding.function is None:
            others.append(finding)
        else:
            by_function[finding.function].append(finding)
    groups = [(f"Function {name}", by_function[name]) for name in sorted(by_function)]
    if others:
        groups.append((OTHER_RESOURCES, others))
    return groups


def _finding_table(findings: Sequence[Finding]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=8)
    table.add_column()
    for finding in findings:
        table.add_row(
            Text(str(finding.severity).upper(), style=_severity_style(finding.severity)), _body(finding)
        )
    return table


def _body(finding: Finding) -> Group:
    parts: list[RenderableType] = [
        Text.assemble(
            (finding.rule, "bold"),
            " ",
            finding.name,
            "  ",
            (_where(finding), "cyan"),
        ),
        Text(finding.message),
    ]
    if finding.trace:
        parts.append(Text("Trace:", style="dim"))
        parts.extend(
            Text(f"  {i}. {step.file}:{step.line}  {step.note}", style="dim")
            for i, step in enumerate(finding.trace, start=1)
        )
    fix = fix_text(finding.remediation)
    if fix:
        first, *rest = fix.splitlines()
        parts.append(Text.assemble(("Fix: ", "green"), first))
        parts.extend(Text(FIX_INDENT + line) for line in rest)
    if finding.suppressed is not None:
        reason = f"Suppressed ({finding.suppressed.kind}): {finding.suppressed.reason}"
        if finding.suppressed.expires is not None:
            reason += f" (expires {finding.suppressed.expires})"
        parts.append(Text(reason, style="dim"))
    return Group(*parts)


def _where(finding: Finding) -> str:
    """`file:line (resource)` when the finding has a file, else the resource id (an ARN for live AWS)."""
    location = finding.location
    if location.file is None:
        return finding.resource.id
    where = location.file if location.line is None else f"{location.file}:{location.line}"
    construct = finding.resource.construct_path
    return f"{where} ({finding.resource.id}{f', {construct}' if construct else ''})"


def _severity_style(severity: Severity) -> str:
    match severity:
        case Severity.CRITICAL:
            return "bold white on red"
        case Severity.HIGH:
            return "bold red"
        case Severity.MEDIUM:
            return "yellow"
        case Severity.LOW:
            return "cyan"
        case _:
            assert_never(severity)


def coverage_lines(coverage: Mapping[str, RuleCoverage]) -> list[Text]:
    """One line per rule that could not judge some subjects, with how many and why."""
    lines: list[Text] = []
    for rule_id in sorted(coverage):
        unevaluated = coverage[rule_id].unevaluated
        if not unevaluated:
            continue
        resources = {resource for resource, _ in unevaluated}
        reasons = sorted({reason for _, reason in unevaluated})
        shown = "; ".join(reasons[:MAX_REASONS])
        if len(reasons) > MAX_REASONS:
            shown += f"; and {len(reasons) - MAX_REASONS} more"
        lines.append(Text(f"{rule_id}: {_plural(len(resources), 'resource')} not evaluated ({shown})"))
    return lines


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
