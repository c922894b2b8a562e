"""Meta-tests of the rule registry: ids, names, docs, fixture parity with declared sources, generated docs."""

from __future__ import annotations

import re

import pytest

from harness.fixtures import fixture_dirs, rule_folders
from lambdasec._dev import gen_docs
from lambdasec.findings import Category
from lambdasec.model import SourceKind
from lambdasec.rules import REQUIRED_SECTIONS, load_rules, rule_problems
from lambdasec.rules._api import RULE_ID, SOURCE_HEADINGS, Rule, doc_subsections

RULES = load_rules()
CHECKED = [rule for rule in RULES if rule.category is not Category.INTERNAL]


def test_ids_and_names_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(ids) == len(set(ids))
    assert len(names) == len(set(names))
    assert all(RULE_ID.match(rule_id) for rule_id in ids)


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_declaration_is_valid(rule: Rule) -> None:
    assert rule_problems(rule) == []
    assert all(heading in rule.sections for heading in REQUIRED_SECTIONS)


@pytest.mark.parametrize("rule", CHECKED, ids=lambda r: r.id)
def test_an_example_per_declared_source(rule: Rule) -> None:
    examples = doc_subsections(rule.sections["Example"])
    for source in rule.sources:
        heading = SOURCE_HEADINGS[source]
        assert heading in examples, f"{rule.id} lacks ### {heading}"
        assert rule.remediation(source).startswith("Use instead"), f"{rule.id} {heading} has no fix"


def test_fixture_folders_are_named_after_registered_rules() -> None:
    registered = {f"{rule.id}-{rule.name}" for rule in RULES}
    assert [p.name for p in rule_folders() if p.name not in registered] == []


@pytest.mark.parametrize("rule", CHECKED, ids=lambda r: r.id)
def test_a_fixture_per_declared_source_with_expect_and_ok(rule: Rule) -> None:
    dirs = {d.source: d for d in fixture_dirs() if d.rule == rule.id}
    for source in rule.sources:
        assert source.value in dirs, f"{rule.id}: no fixture folder for {source.value}"
        fixture = dirs[source.value]
        kinds = {a.kind for path in fixture.files() for a in fixture.annotations(path) if a.rule == rule.id}
        kinds |= {e.kind for e in fixture.sidecar() if e.rule == rule.id}
        assert {"expect", "ok"} <= kinds, f"{fixture.label} needs at least one expect and one ok"


@pytest.mark.parametrize("rule", CHECKED, ids=lambda r: r.id)
def test_todo_annotations_are_documented_under_known_problems(rule: Rule) -> None:
    known = " ".join(rule.sections.get("Known problems", "").split()).lower()
    for fixture in fixture_dirs():
        entries = [a for path in fixture.files() for a in fixture.annotations(path)] + fixture.sidecar()
        for entry in entries:
            if entry.rule != rule.id or not entry.kind.startswith("todo-"):
                continue
            where = f"{fixture.label}: {entry.kind} {entry.rule}"
            assert entry.note, f"{where} needs a `-- note` naming the known problem"
            assert " ".join(entry.note.split()).lower() in known, (
                f"{where}: `{entry.note}` is not mentioned under ## Known problems"
            )


def test_docs_are_not_stale() -> None:
    assert gen_docs.stale_files(gen_docs.DEFAULT_OUT, gen_docs.rendered_pages(RULES)) == []


def test_gen_docs_check_exits_1_when_stale(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path))
    assert gen_docs.main(["--check", "--out", str(out)]) == 1
    assert gen_docs.main(["--out", str(out)]) == 0
    assert gen_docs.main(["--check", "--out", str(out)]) == 0
    (out / "LS999-gone.md").write_text("old", encoding="utf-8")
    assert gen_docs.main(["--check", "--out", str(out)]) == 1
    assert gen_docs.main(["--out", str(out)]) == 0
    assert not (out / "LS999-gone.md").exists()
    assert re.search(
        r"\| LS201 \| \[function-url-auth-none\]", (out / "index.md").read_text(encoding="utf-8")
    )


CODE_LANGUAGES = ("python", "javascript", "typescript")


@pytest.mark.parametrize("rule", [r for r in CHECKED if SourceKind.CODE in r.sources], ids=lambda r: r.id)
def test_a_code_rule_has_expect_and_ok_fixtures_in_every_language(rule: Rule) -> None:
    (fixture,) = [d for d in fixture_dirs() if d.rule == rule.id and d.source == SourceKind.CODE.value]
    for language in CODE_LANGUAGES:
        folder = fixture.path / language
        files = [path for path in fixture.files() if folder in path.parents]
        kinds = {a.kind for path in files for a in fixture.annotations(path) if a.rule == rule.id}
        assert {"expect", "ok"} <= kinds, f"{fixture.label}/{language} needs at least one expect and one ok"
