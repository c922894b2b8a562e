"""LS000 internal-error: the finding the engine emits when a rule crashes."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Confidence, Finding, Location, ResourceRef, Severity, fingerprint
from lambdasec.model import Inventory
from lambdasec.rules._api import Rule, RuleContext, Scope, inventory_rule

__all__ = ["internal_error", "internal_error_finding"]


@inventory_rule(
    id="LS000",
    name="internal-error",
    severity=Severity.HIGH,
    category=Category.INTERNAL,
    cwe=(),
    scope=Scope.FUNCTIONS,
    sources=frozenset(),
)
def internal_error(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Reports that a lambdasec rule crashed while evaluating the scanned inventory. The engine emits
    this finding itself; the rule never runs on its own.

    ## Why is this bad?
    A crashed rule evaluated nothing, so the risks it looks for may be present and unreported.
    The scan goes on with the other rules, but its result is incomplete for the crashed rule,
    which is why this finding is high severity and fails a default `--fail-on high` gate.

    ## Example
    `Rule LS301 (env-var-plaintext-secret) crashed with KeyError: 'Variables'; its checks did not run`

    Use instead: report the finding with the input that triggers it (the traceback is in the
    finding's `properties.traceback` in JSON output), and run with `--skip-rules LS301` until a
    fixed release is available.

    ## References
    - lambdasec rule engine contract: `docs/rules/index.md`
    """
    yield from ()


def internal_error_finding(rule: Rule, exc: BaseException) -> Finding:
    """The LS000 finding for `rule` having raised `exc`; the traceback goes in properties only."""
    import traceback  # imported when a rule crashes: 1.5 ms (with textwrap) that other scans never need

    problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Finding(
        rule=internal_error.id,
        name=internal_error.name,
        category=internal_error.category,
        severity=internal_error.severity,
        confidence=Confidence.HIGH,
        cwe=(),
        message=f"Rule {rule.id} ({rule.name}) crashed with {problem}; its checks did not run",
        function=None,
        resource=ResourceRef(type="rule", id=rule.id),
        location=Location(source="lambdasec", file=None, line=None),
        remediation=" ".join(internal_error.sections["Example"].partition("Use instead:")[2].split()),
        fingerprint=fingerprint(rule=internal_error.id, source="lambdasec", resource=rule.id, field=None),
        properties=(
            ("crashed_rule", rule.id),
            ("traceback", "".join(traceback.format_exception(exc)).rstrip()),
        ),
    )
