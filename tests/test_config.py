"""Tests of configuration loading: files, keys, validation errors and command-line overrides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lambdasec.config import IgnoreEntry, Settings, load_settings, parse_rule_list
from lambdasec.errors import ConfigError
from lambdasec.findings import Severity

FULL = """
[tool.other]
x = 1

[tool.lambdasec]
rules = ["LS201", "ls301"]
skip-rules = ["runtime-deprecated"]
fail-on = "medium"
allow-incomplete = true

[tool.lambdasec.options.LS401]
warn-days = 90

[[tool.lambdasec.ignore]]
rule = "LS201"
resource = "WebhookUrl"
reason = "Stripe webhook, signature verified in handler"
expires = 2027-01-31

[[tool.lambdasec.ignore]]
rule = "ls301"
file = "legacy/*.yaml"
reason = "legacy stack, being removed"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_configuration(tmp_path: Path) -> None:
    assert load_settings(config_file=None, root=tmp_path) == Settings()
    settings = Settings()
    assert settings.rules is None
    assert settings.skip_rules == frozenset()
    assert settings.fail_on is Severity.HIGH
    assert settings.ignores == ()
    assert dict(settings.rule_options) == {}
    assert settings.allow_incomplete is False


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", FULL)
    settings = load_settings(config_file=None, root=tmp_path)
    assert settings.rules == frozenset({"LS201", "LS301"})
    assert settings.skip_rules == frozenset({"runtime-deprecated"})
    assert settings.fail_on is Severity.MEDIUM
    assert settings.allow_incomplete is True
    assert {k: dict(v) for k, v in settings.rule_options.items()} == {"LS401": {"warn-days": 90}}
    assert settings.ignores == (
        IgnoreEntry(
            rule="LS201",
            resource="WebhookUrl",
            file=None,
            reason="Stripe webhook, signature verified in handler",
            expires=date(2027, 1, 31),
        ),
        IgnoreEntry(rule="LS301", resource=None, file="legacy/*.yaml", reason="legacy stack, being removed"),
    )
    assert settings.config_file == path


def test_lambdasec_toml_wins_and_uses_top_level_keys(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", FULL)
    write(tmp_path, ".lambdasec.toml", 'fail-on = "critical"\n')
    settings = load_settings(config_file=None, root=tmp_path)
    assert settings.fail_on is Severity.CRITICAL
    assert settings.rules is None


def test_pyproject_without_table_is_ignored_unless_explicit(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_settings(config_file=None, root=tmp_path) == Settings()
    with pytest.raises(ConfigError, match=r"pyproject.toml: no \[tool.lambdasec\] table"):
        load_settings(config_file=path, root=tmp_path)


def test_explicit_file(tmp_path: Path) -> None:
    path = write(tmp_path, "ci.toml", 'skip-rules = "LS401, LS301"\n')
    assert load_settings(config_file=path, root=tmp_path).skip_rules == frozenset({"LS401", "LS301"})
    with pytest.raises(ConfigError, match=r"missing.toml: cannot read configuration"):
        load_settings(config_file=tmp_path / "missing.toml", root=tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "fail-on = 'severe'",
            r"\.lambdasec\.toml: fail-on: must be one of low, medium, high, critical, not 'severe'",
        ),
        ("colour = 1", r"\.lambdasec\.toml: colour: unknown key"),
        ("allow-incomplete = 'yes'", r"allow-incomplete: must be true or false, not 'yes'"),
        ("rules = [1]", r"rules: must be a list of rule ids or names"),
        ("[options.LS2O1]\nx = 1", r"options\.LS2O1: not a rule id"),
        ("[options]\nLS201 = 1", r"options\.LS201: must be a table"),
        ("[[ignore]]\nrule = 'LS201'", r"ignore\[0\]: `reason` is mandatory"),
        ("[[ignore]]\nrule = 'LS201'\nreason = '  '", r"ignore\[0\]: `reason` is mandatory"),
        ("[[ignore]]\nrule = 'public'\nreason = 'x'", r"ignore\[0\]: `rule` must be a rule id"),
        ("[[ignore]]\nrule = 'LS201'\nreason = 'x'\nid = 'y'", r"ignore\[0\]: unknown key `id`"),
        ("[[ignore]]\nrule = 'LS201'\nreason = 'x'\nexpires = 'soon'", r"`expires` must be a date"),
        ("rules = [", r"invalid TOML"),
    ],
)
def test_problems_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, ".lambdasec.toml", text + "\n")
    with pytest.raises(ConfigError, match=message):
        load_settings(config_file=None, root=tmp_path)


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.lambdasec]\nfail-on = 'x'\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: tool.lambdasec.fail-on: must be one of"):
        load_settings(config_file=None, root=tmp_path)


def test_expires_as_string_date(tmp_path: Path) -> None:
    write(tmp_path, ".lambdasec.toml", "[[ignore]]\nrule = 'LS201'\nreason = 'x'\nexpires = '2027-02-01'\n")
    assert load_settings(config_file=None, root=tmp_path).ignores[0].expires == date(2027, 2, 1)


def test_overrides_layer_over_the_file() -> None:
    base = Settings(rules=frozenset({"LS201"}), skip_rules=frozenset({"LS401"}), fail_on=Severity.MEDIUM)
    assert base.with_overrides() == base
    layered = base.with_overrides(
        rules=frozenset({"LS301"}),
        skip_rules=frozenset({"LS202"}),
        fail_on=Severity.LOW,
        allow_incomplete=True,
    )
    assert layered.rules == frozenset({"LS301"})
    assert layered.skip_rules == frozenset({"LS401", "LS202"})
    assert layered.fail_on is Severity.LOW
    assert layered.allow_incomplete is True


def test_parse_rule_list() -> None:
    assert parse_rule_list(" ls201,LS301 , function-url-auth-none,,") == frozenset(
        {"LS201", "LS301", "function-url-auth-none"}
    )
