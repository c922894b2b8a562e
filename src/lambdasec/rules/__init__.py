"""Rule discovery and validation: load_rules() -> RuleSet. Nothing registers at import time."""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import re
import sys
from collections.abc import Iterable, Iterator
from importlib.machinery import PathFinder
from types import ModuleType

from lambdasec.errors import ConfigError, LambdasecError
from lambdasec.findings import Category
from lambdasec.records import record
from lambdasec.rules._api import RULE_ID, RULE_NAME, SOURCE_HEADINGS, Rule, doc_subsections

__all__ = [
    "ENTRY_POINT_GROUP",
    "InvalidRuleError",
    "RuleSet",
    "discover_rules",
    "load_rules",
    "may_declare_plugins",
    "validate_rules",
]

ENTRY_POINT_GROUP = "lambdasec.rules"

# The category each hundreds digit of an id stands for (style.md 4.1); LS9xx is free for users.
CATEGORY_BY_DIGIT: dict[str, Category] = {
    "0": Category.INTERNAL,
    "1": Category.IDENTITY,
    "2": Category.EXPOSURE,
    "3": Category.DATA,
    "4": Category.OPERATIONS,
    "5": Category.CODE,
    "6": Category.SUPPLY_CHAIN,
}
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "References")
INTERNAL_MODULE = "lambdasec.rules.internal"
_SKIPPED_MODULES = re.compile(r"(^|\.)(_[^.]*|engine)$")


class InvalidRuleError(LambdasecError):
    """A rule (built in or from a plugin) breaks the declaration contract."""


@record(kw_only=False)
class RuleSet:
    """Validated rules sorted by id."""

    rules: tuple[Rule, ...]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, ref: str) -> Rule | None:
        """The rule with id (any case) or name `ref`."""
        wanted = ref.strip()
        for rule in self.rules:
            if rule.id == wanted.upper() or rule.name == wanted.lower():
                return rule
        return None

    def select(self, *, include: frozenset[str] | None, exclude: frozenset[str]) -> RuleSet:
        """The rules in `include` (all when None) minus `exclude`, by id or name.

        Internal rules (LS0xx, emitted by the engine itself) are always kept. Unknown ids raise ConfigError.
        """
        wanted = self._resolve(include, what="rules") if include is not None else None
        dropped = self._resolve(exclude, what="skip-rules")
        return RuleSet(
            tuple(
                rule
                for rule in self.rules
                if rule.category is Category.INTERNAL
                or ((wanted is None or rule.id in wanted) and rule.id not in dropped)
            )
        )

    def _resolve(self, refs: Iterable[str], *, what: str) -> set[str]:
        ids: set[str] = set()
        unknown: list[str] = []
        for ref in refs:
            rule = self.get(ref)
            if rule is None:
                unknown.append(ref)
            else:
                ids.add(rule.id)
        if unknown:
            raise ConfigError(f"{what}: unknown rule {', '.join(sorted(unknown))} (see `lambdasec rules`)")
        return ids


@functools.cache
def load_rules() -> RuleSet:
    """Every built-in rule and every rule of the `lambdasec.rules` entry-point group, validated."""
    return discover_rules(include_plugins=True)


def discover_rules(package: ModuleType | None = None, *, include_plugins: bool = False) -> RuleSet:
    """Import every module under `package` (default `lambdasec.rules`) and collect its `Rule` objects.

    A rule belongs to the module that defines its check function; names re-exported elsewhere are
    not counted twice.
    """
    root = package or importlib.import_module(__name__)
    rules: list[Rule] = []
    for info in pkgutil.walk_packages(root.__path__, prefix=root.__name__ + "."):
        if _SKIPPED_MODULES.search(info.name):
            continue
        rules.extend(_rules_of(importlib.import_module(info.name)))
    if include_plugins:
        rules.extend(_plugin_rules())
    validate_rules(rules)
    return RuleSet(tuple(sorted(rules, key=lambda r: r.id)))


def _rules_of(module: ModuleType) -> list[Rule]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, Rule) and value.module == module.__name__
    ]


def _plugin_rules() -> list[Rule]:
    if not may_declare_plugins():
        return []
    from importlib.metadata import entry_points

    found: list[Rule] = []
    for point in entry_points(group=ENTRY_POINT_GROUP):
        loaded = point.load()
        if isinstance(loaded, Rule):
            found.append(loaded)
        elif isinstance(loaded, ModuleType):
            found.extend(_rules_of(loaded))
        elif isinstance(loaded, Iterable) and all(isinstance(item, Rule) for item in loaded):
            found.extend(loaded)
        else:
            raise InvalidRuleError(
                f"entry point `{point.name}` ({point.value}) is not a Rule, a module or a list of rules"
            )
    return found


def may_declare_plugins() -> bool:
    """False only when no installed distribution can declare a `lambdasec.rules` entry point.

    A quick look that spares most runs importlib.metadata (about 20 ms to import and to read every
    distribution, against 2 ms here): the `entry_points.txt` of each `*.dist-info` and `*.egg-info`
    directory on sys.path is searched for the group's name. What it cannot look into that way (a zip, an egg
    or a non-string entry on sys.path, a distribution finder besides the standard one) answers True:
    importlib.metadata decides.
    """
    if any(finder is not PathFinder and hasattr(finder, "find_distributions") for finder in sys.meta_path):
        return True
    group = ENTRY_POINT_GROUP.encode()
    for entry in sys.path:
        if not isinstance(entry, str):
            return True
        directory = entry or "."
        if directory.lower().endswith(".egg") or os.path.isfile(directory):
            return True
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            if not name.lower().endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(directory, name, "entry_points.txt"), "rb") as stream:
                    if group in stream.read():
                        return True
            except OSError:
                continue
    return False


def validate_rules(rules: Iterable[Rule]) -> None:
    """Raise InvalidRuleError listing every broken declaration (ids, names, modules, categories, docs)."""
    problems: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for rule in rules:
        problems.extend(f"{rule.id} ({rule.module}): {problem}" for problem in rule_problems(rule))
        if rule.id in seen_ids:
            problems.append(f"{rule.id}: id declared twice ({seen_ids[rule.id]} and {rule.module})")
        if rule.name in seen_names:
            problems.append(f"{rule.id}: name `{rule.name}` already used by {seen_names[rule.name]}")
        seen_ids.setdefault(rule.id, rule.module)
        seen_names.setdefault(rule.name, rule.id)
    if problems:
        raise InvalidRuleError("invalid rule declarations:\n  " + "\n  ".join(problems))


def rule_problems(rule: Rule) -> list[str]:
    """What is wrong with one rule's declaration, as sentences (empty when valid)."""
    problems: list[str] = []
    if not RULE_ID.match(rule.id):
        problems.append("id must match LS followed by three digits")
    if not RULE_NAME.match(rule.name):
        problems.append(f"name `{rule.name}` must be kebab-case")
    module_leaf = rule.module.rpartition(".")[2]
    if rule.category is Category.INTERNAL:
        if rule.module != INTERNAL_MODULE and rule.module.startswith("lambdasec."):
            problems.append(f"internal rules live in {INTERNAL_MODULE}")
    elif module_leaf != rule.name.replace("-", "_"):
        problems.append(
            f"module `{module_leaf}` must be named after the rule: `{rule.name.replace('-', '_')}`"
        )
    digit = rule.id[2:3]
    expected = CATEGORY_BY_DIGIT.get(digit)
    if expected is not None and rule.category is not expected:
        problems.append(f"category `{rule.category}` does not match the id (LS{digit}xx is `{expected}`)")
    sections = rule.sections
    problems.extend(f"docstring lacks `## {name}`" for name in REQUIRED_SECTIONS if name not in sections)
    examples = doc_subsections(sections.get("Example", ""))
    for heading in sorted({SOURCE_HEADINGS[source] for source in rule.sources}):
        if heading not in examples:
            problems.append(f"`## Example` lacks `### {heading}` for a declared source")
        elif "Use instead" not in examples[heading]:
            problems.append(f"`### {heading}` example lacks a `Use instead:` fix")
    return problems
