"""Tests of the rule engine: crash isolation, coverage counts, options, and rule loading/validation."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from factories import TODAY, make_function, make_inventory, make_url
from lambdasec.data import DataFiles
from lambdasec.errors import ConfigError
from lambdasec.findings import Category, Finding, RuleCoverage, Severity
from lambdasec.model import AuthType, Inventory, SourceKind, Unresolved
from lambdasec.rules import InvalidRuleError, RuleSet, load_rules, validate_rules
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.engine import build_options, run_rules
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.code import analyze_code
from lambdasec.sources.discover import discover

EXAMPLE_APP = Path(__file__).resolve().parents[1] / "examples" / "orders-app"

DOC = """
## What it does
Test rule.

## Why is this bad?
It is a test.

## Example
### SAM
bad

Use instead: good

### CloudFormation
bad

Use instead: good

## References
- none
"""


def _check_crash(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    yield ctx.finding(inv.functions[0], message="before the crash")
    raise KeyError("Variables")


CRASHING = replace(
    inventory_rule(
        id="LS998",
        name="crashing-rule",
        severity=Severity.LOW,
        category=Category.DATA,
        cwe=(),
        scope=Scope.FUNCTIONS,
    )(_check_crash),
    doc=DOC,
)


def test_crashing_rule_gives_ls000_and_other_rules_still_run() -> None:
    rules = load_rules()
    inv = make_inventory(
        functions=[make_function("a"), make_function("b")],
        function_urls=[make_url("a", auth_type=AuthType.NONE)],
    )
    findings, coverage = run_rules((CRASHING, *rules), inv, today=TODAY, data=DataFiles(), options={})
    by_rule = {f.rule: f for f in findings}
    crash = by_rule["LS000"]
    assert (
        crash.message
        == "Rule LS998 (crashing-rule) crashed with KeyError: 'Variables'; its checks did not run"
    )
    assert crash.severity is Severity.HIGH
    assert crash.resource.id == "LS998"
    props = dict(crash.properties)
    assert props["crashed_rule"] == "LS998"
    assert "Traceback (most recent call last)" in props["traceback"]
    assert "traceback" not in crash.message.lower()
    assert "LS201" in by_rule  # the rules after the crash ran
    assert coverage["LS998"] == RuleCoverage(
        evaluated=0, unevaluated=(("a", "LS998 crashed (KeyError)"), ("b", "LS998 crashed (KeyError)"))
    )
    assert "LS000" not in coverage
    assert [f.message for f in findings if f.rule == "LS998"] == ["before the crash"]


def test_coverage_counts_evaluated_and_unevaluated_subjects() -> None:
    inv = make_inventory(
        function_urls=[
            make_url("a", key="A"),
            make_url("b", key="B", auth_type=Unresolved("!Ref P")),
            make_url("c", key="C", auth_type=AuthType.AWS_IAM),
        ]
    )
    ls201 = load_rules().get("LS201")
    assert ls201 is not None
    _, coverage = run_rules([ls201], inv, today=TODAY, data=DataFiles(), options={})
    assert coverage == {"LS201": RuleCoverage(evaluated=2, unevaluated=(("B", "auth type unknown: !Ref P"),))}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Opts:
    limit: int = 3
    accounts: tuple[str, ...] = ()
    ratio: float = 0.5


def test_options_are_typed_and_validated() -> None:
    rule = replace(CRASHING, options=_Opts)
    assert build_options(rule, {}) == _Opts()
    assert build_options(rule, {"limit": 5, "accounts": ["1", "2"], "ratio": 1}) == _Opts(
        limit=5, accounts=("1", "2"), ratio=1.0
    )
    with pytest.raises(
        ConfigError, match=r"unknown option `colour` \(options of LS998: accounts, limit, ratio\)"
    ):
        build_options(rule, {"colour": "red"})
    with pytest.raises(ConfigError, match="expected int, got str 'x'"):
        build_options(rule, {"limit": "x"})
    with pytest.raises(ConfigError, match="expected int, got bool True"):
        build_options(rule, {"limit": True})
    with pytest.raises(ConfigError, match="takes no options"):
        build_options(CRASHING, {"limit": 1})


def test_run_rules_rejects_bad_options_for_selected_rules_only() -> None:
    rules = load_rules()
    with pytest.raises(ConfigError, match=r"\[tool.lambdasec.options.LS401\]: unknown option `days`"):
        run_rules(rules, Inventory(), today=TODAY, data=DataFiles(), options={"LS401": {"days": 1}})
    selected = rules.select(include=None, exclude=frozenset({"LS401"}))
    findings, _ = run_rules(
        selected, Inventory(), today=TODAY, data=DataFiles(), options={"LS401": {"days": 1}}
    )
    assert findings == []
    with pytest.raises(ConfigError, match=r"\[tool.lambdasec.options.LS999\]: no rule LS999"):
        run_rules(rules, Inventory(), today=TODAY, data=DataFiles(), options={"LS999": {}})


def test_load_rules_finds_the_built_in_rules_sorted() -> None:
    assert [r.id for r in load_rules()] == [
        "LS000",
        "LS101",
        "LS102",
        "LS103",
        "LS104",
        "LS105",
        "LS106",
        "LS107",
        "LS108",
        "LS109",
        "LS110",
        "LS111",
        "LS201",
        "LS202",
        "LS203",
        "LS204",
        "LS205",
        "LS206",
        "LS207",
        "LS208",
        "LS209",
        "LS301",
        "LS302",
        "LS303",
        "LS304",
        "LS305",
        "LS306",
        "LS307",
        "LS401",
        "LS402",
        "LS403",
        "LS404",
        "LS405",
        "LS406",
        "LS410",
        "LS411",
        "LS420",
        "LS421",
        "LS422",
        "LS423",
        "LS501",
        "LS502",
        "LS503",
        "LS504",
        "LS505",
        "LS506",
        "LS507",
        "LS508",
        "LS509",
        "LS510",
        "LS601",
        "LS602",
        "LS603",
    ]


def test_select_by_id_or_name_keeps_internal_and_rejects_unknown() -> None:
    rules = load_rules()
    assert [
        r.id
        for r in rules.select(include=frozenset({"LS201", "env-var-plaintext-secret"}), exclude=frozenset())
    ] == [
        "LS000",
        "LS201",
        "LS301",
    ]
    assert "LS401" not in [
        r.id for r in rules.select(include=None, exclude=frozenset({"runtime-deprecated"}))
    ]
    with pytest.raises(ConfigError, match="unknown rule LS999"):
        rules.select(include=frozenset({"LS999"}), exclude=frozenset())
    assert rules.get("ls201") is rules.get("function-url-auth-none")
    assert rules.get("LS999") is None


def test_validation_reports_every_broken_declaration() -> None:
    good = load_rules().get("LS201")
    assert good is not None
    broken = [
        replace(good, id="LS2011"),
        replace(good, name="Function_URL", id="LS203"),
        replace(good, id="LS301", name="other-name"),
        replace(good, id="LS204", name="third", doc="## What it does\nx"),
        good,
        replace(good, name="function-url-auth-none", id="LS205"),
    ]
    with pytest.raises(InvalidRuleError) as info:
        validate_rules(broken)
    text = str(info.value)
    assert (
        "LS2011 (lambdasec.rules.exposure.function_url_auth_none): id must match LS followed by three digits"
        in text
    )
    assert "name `Function_URL` must be kebab-case" in text
    assert "category `exposure` does not match the id (LS3xx is `data`)" in text
    assert "module `function_url_auth_none` must be named after the rule: `other_name`" in text
    assert (
        "LS204 (lambdasec.rules.exposure.function_url_auth_none): docstring lacks `## Why is this bad?`"
        in text
    )
    assert "`## Example` lacks `### SAM` for a declared source" in text
    assert "LS205: name `function-url-auth-none` already used by LS2011" in text


def test_ruleset_is_iterable_and_sized() -> None:
    rules = load_rules()
    assert isinstance(rules, RuleSet)
    assert len(rules) == len(rules.rules) == len(list(rules))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sharing the rules forks processes")
def test_rules_shared_with_forked_processes_give_the_same_findings_and_coverage() -> None:
    found = discover([EXAMPLE_APP])
    inventory = CloudFormationSource().load(found.files, root=found.root).inventory
    rules = (CRASHING, *load_rules())

    def run(processes: int) -> tuple[list[Finding], dict[str, RuleCoverage]]:
        return run_rules(rules, inventory, today=TODAY, data=DataFiles(), options={}, processes=processes)

    here, shared = run(0), run(2)

    assert shared[0] == here[0]  # same findings, same order (rule by rule)
    assert list(shared[1].items()) == list(here[1].items())
    assert {f.rule for f in here[0]} >= {"LS000", "LS201"}


@pytest.mark.parametrize("processes", [0, 2])
def test_rules_that_read_no_code_start_before_the_code_analysis_ends(processes: int) -> None:
    """With `code`, the rules over code units see the whole inventory it returns, the others the
    infrastructure; code runs once, and the findings and coverage are those of the whole inventory."""
    found = discover([EXAMPLE_APP])
    cfn = CloudFormationSource().load(found.files, root=found.root).inventory
    code_files = tuple(item for item in found.files if item.kind is SourceKind.CODE)
    whole = Inventory.merge([cfn, analyze_code(cfn, code_files, root=found.root).inventory])
    rules = load_rules()
    calls: list[int] = []

    def code() -> Inventory:
        calls.append(len(whole.code_units))
        return whole

    split = run_rules(rules, cfn, today=TODAY, data=DataFiles(), options={}, processes=processes, code=code)
    at_once = run_rules(rules, whole, today=TODAY, data=DataFiles(), options={}, processes=processes)

    assert calls == [len(whole.code_units)]
    assert whole.code_units and not cfn.code_units
    assert split[0] == at_once[0]
    assert list(split[1].items()) == list(at_once[1].items())
    assert {f.rule for f in at_once[0]} & {rule.id for rule in rules if rule.scope.reads_code}
