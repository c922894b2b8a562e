"""Text for `lambdasec rules` (the rule table) and `lambdasec rule ID` (one rule's documentation)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from lambdasec.findings import RuleInfo
from lambdasec.reporters._console import DEFAULT_WIDTH, render_text


def render_rule_table(rules: Sequence[RuleInfo], *, color: bool, width: int = DEFAULT_WIDTH) -> str:
    """A table of the rules sorted by id: id, name, severity, category, summary."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("Name", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Category", no_wrap=True)
    table.add_column("Summary")
    for rule in sorted(rules, key=lambda r: r.id):
        table.add_row(rule.id, rule.name, str(rule.severity), str(rule.category), rule.summary)
    return render_text([table], color=color, width=width)


def render_rule_doc(rule: RuleInfo, *, color: bool, width: int = DEFAULT_WIDTH) -> str:
    """The rule's header and its Markdown documentation: rendered by rich with colour, verbatim without."""
    facts = f"severity: {rule.severity} | category: {rule.category} | confidence: {rule.confidence}"
    if rule.cwe:
        facts += " | " + ", ".join(rule.cwe)
    standards = standards_line(rule)
    if standards:
        facts += "\n" + standards
    if not color:
        return f"# {rule.id} {rule.name}\n\n{facts}\n\n{rule.doc.strip()}\n"
    return render_text(
        [Text(f"{rule.id} {rule.name}", style="bold"), Text(facts, style="dim"), Text(), Markdown(rule.doc)],
        color=True,
        width=width,
    )


def standards_line(rule: RuleInfo) -> str:
    """`OWASP Serverless: SAS-5 | Security Hub: Lambda.1 | practice: least privilege`, or "" when unmapped."""
    if rule.standards is None:
        return ""
    parts = []
    if rule.standards.owasp_serverless:
        parts.append("OWASP Serverless: " + ", ".join(rule.standards.owasp_serverless))
    if rule.standards.security_hub:
        parts.append("Security Hub: " + ", ".join(rule.standards.security_hub))
    if rule.standards.practice:
        parts.append(f"practice: {rule.standards.practice}")
    return " | ".join(parts)
