"""Only rules over code files or units read what the code analysis found: the others run before it ends."""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from types import ModuleType

import pytest

from lambdasec.findings import Category
from lambdasec.rules import Rule, load_rules

# The inventory's collections that the handler code analysis fills.
_CODE_COLLECTIONS = re.compile(r"\.(code_units|code_files|code_secrets|flows)\b")


def _rule_modules(module: ModuleType, seen: set[str] | None = None) -> set[str]:
    """`module` and every `lambdasec.rules` module it uses, followed through their globals."""
    seen = set() if seen is None else seen
    if module.__name__ in seen:
        return seen
    seen.add(module.__name__)
    for value in vars(module).values():
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        if isinstance(name, str) and name.startswith("lambdasec.rules.") and name in sys.modules:
            _rule_modules(sys.modules[name], seen)
    return seen


_NO_CODE = [
    rule
    for rule in load_rules()
    if rule.category is not Category.INTERNAL
    and not rule.scope.reads_code
    and rule.module.startswith("lambdasec.")
]


@pytest.mark.parametrize("rule", _NO_CODE, ids=lambda rule: rule.id)
def test_a_rule_that_does_not_read_code_never_looks_at_the_code_collections(rule: Rule) -> None:
    reading = sorted(
        name
        for name in _rule_modules(importlib.import_module(rule.module))
        if _CODE_COLLECTIONS.search(inspect.getsource(sys.modules[name]))
    )

    assert reading == [], f"{rule.id} is scoped to {rule.scope}, yet reads code collections in {reading}"


def test_the_code_rules_are_the_ones_scoped_to_code() -> None:
    scoped = {rule.id for rule in load_rules() if rule.scope.reads_code}

    assert {"LS305", "LS306", "LS307"} <= scoped
    assert {rule.id for rule in load_rules() if rule.id.startswith("LS5")} <= scoped
