"""Settings: `[tool.lambdasec]` in pyproject.toml or .lambdasec.toml, read with tomllib and validated."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lambdasec.errors import ConfigError
from lambdasec.levels import Severity
from lambdasec.profiles import Profile
from lambdasec.records import record

__all__ = ["CONFIG_FILES", "IgnoreEntry", "Settings", "load_settings", "parse_rule_list"]

# Looked up in the scan root, first match wins; pyproject.toml only counts with a [tool.lambdasec] table.
CONFIG_FILES = (".lambdasec.toml", "pyproject.toml")
_RULE_ID = re.compile(r"^LS\d{3}$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_TOP_KEYS = frozenset(
    {
        "rules",
        "skip-rules",
        "fail-on",
        "allow-incomplete",
        "options",
        "ignore",
        "profile",
        "var-files",
        "vars",
        "stage",
        "params",
    }
)
_IGNORE_KEYS = frozenset({"rule", "resource", "file", "reason", "expires"})


@record
class IgnoreEntry:
    """A configured suppression: a rule, optionally narrowed to a resource id or a file glob."""

    rule: str
    resource: str | None = None
    file: str | None = None
    reason: str
    expires: date | None = None


@record
class Settings:
    """What the user configured; defaults are what lambdasec does with no configuration."""

    rules: frozenset[str] | None = None
    skip_rules: frozenset[str] = frozenset()
    fail_on: Severity = Severity.HIGH
    ignores: tuple[IgnoreEntry, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    allow_incomplete: bool = False
    config_file: Path | None = None
    profile: Profile = Profile.DEFAULT
    var_files: tuple[Path, ...] = ()
    # Terraform variables by name (`vars`, `--var`), applied after the variable files.
    variables: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # The Serverless Framework stage (`stage`, `--stage`; None: the file's) and its parameters (`params`,
    # `--param`), which win over the file's stage parameters.
    stage: str | None = None
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def with_overrides(
        self,
        *,
        rules: frozenset[str] | None = None,
        skip_rules: frozenset[str] | None = None,
        fail_on: Severity | None = None,
        allow_incomplete: bool | None = None,
        profile: Profile | None = None,
        var_files: tuple[Path, ...] | None = None,
        variables: Mapping[str, Any] | None = None,
        stage: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Settings:
        """These settings with command-line values layered on top; None keeps the configured value.

        `--rules` replaces the configured selection; `--skip-rules` adds to the configured skips;
        `--var-file`s come after the configured `var-files` (later files win, as with Terraform);
        `--var`s override the configured `vars` of the same name; `--stage` replaces the configured
        `stage`, and `--param`s override the configured `params` of the same name.
        """
        return dataclasses.replace(
            self,
            rules=rules if rules is not None else self.rules,
            skip_rules=self.skip_rules | skip_rules if skip_rules is not None else self.skip_rules,
            fail_on=fail_on if fail_on is not None else self.fail_on,
            allow_incomplete=self.allow_incomplete if allow_incomplete is None else allow_incomplete,
            profile=self.profile if profile is None else profile,
            var_files=self.var_files + var_files if var_files is not None else self.var_files,
            variables=(
                MappingProxyType({**self.variables, **variables}) if variables is not None else self.variables
            ),
            stage=self.stage if stage is None else stage,
            params=MappingProxyType({**self.params, **params}) if params is not None else self.params,
        )


def parse_rule_list(text: str) -> frozenset[str]:
    """`"LS201, ls301,function-url-auth-none"` -> a set of ids/names (ids upper-cased)."""
    items = (item.strip() for item in text.split(","))
    return frozenset(item.upper() if item.upper().startswith("LS") else item for item in items if item)


def load_settings(*, config_file: Path | None, root: Path) -> Settings:
    """Read the explicit `config_file`, else the first of CONFIG_FILES in `root`; defaults when none.

    Every problem raises ConfigError naming the file and the key.
    """
    if config_file is not None:
        table = _table_of(config_file, required=True)
        return _settings(table or {}, source=config_file)
    for name in CONFIG_FILES:
        path = root / name
        if path.is_file():
            table = _table_of(path, required=False)
            if table is not None:
                return _settings(table, source=path)
    return Settings()


def _table_of(path: Path, *, required: bool) -> Mapping[str, Any] | None:
    """The lambdasec table of a TOML file: `[tool.lambdasec]`, or the top level outside pyproject.toml."""
    import tomllib  # only scans with a configuration file pay for the TOML parser

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    tool = document.get("tool")
    if isinstance(tool, dict) and "lambdasec" in tool:
        table = tool["lambdasec"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: `tool.lambdasec` must be a table")
        return table
    if path.name == "pyproject.toml":
        if required:
            raise ConfigError(f"{path}: no [tool.lambdasec] table")
        return None
    return document


def _settings(table: Mapping[str, Any], *, source: Path) -> Settings:
    prefix = f"{source}: " + ("tool.lambdasec." if source.name == "pyproject.toml" else "")
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{prefix}{unknown[0]}: unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
    rules = table.get("rules")
    return Settings(
        rules=_rule_ids(rules, where=f"{prefix}rules") if rules is not None else None,
        skip_rules=_rule_ids(table.get("skip-rules", []), where=f"{prefix}skip-rules"),
        fail_on=_severity(table.get("fail-on", "high"), where=f"{prefix}fail-on"),
        allow_incomplete=_bool(table.get("allow-incomplete", False), where=f"{prefix}allow-incomplete"),
        rule_options=_options(table.get("options", {}), where=f"{prefix}options"),
        ignores=_ignores(table.get("ignore", []), where=f"{prefix}ignore"),
        config_file=source,
        profile=_profile(table.get("profile", "default"), where=f"{prefix}profile"),
        var_files=_paths(table.get("var-files", []), base=source.parent, where=f"{prefix}var-files"),
        variables=_variables(table.get("vars", {}), where=f"{prefix}vars"),
        stage=_stage(table.get("stage"), where=f"{prefix}stage"),
        params=_params(table.get("params", {}), where=f"{prefix}params"),
    )


def _rule_ids(value: Any, *, where: str) -> frozenset[str]:
    if isinstance(value, str):
        return parse_rule_list(value)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: must be a list of rule ids or names")
    return parse_rule_list(",".join(value))


def _severity(value: Any, *, where: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ConfigError(
            f"{where}: must be one of {', '.join(s.value for s in Severity)}, not {value!r}"
        ) from None


def _profile(value: Any, *, where: str) -> Profile:
    try:
        return Profile(value)
    except ValueError:
        raise ConfigError(
            f"{where}: must be one of {', '.join(p.value for p in Profile)}, not {value!r}"
        ) from None


def _bool(value: Any, *, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: must be true or false, not {value!r}")
    return value


def _options(value: Any, *, where: str) -> Mapping[str, Mapping[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of per-rule tables, e.g. [tool.lambdasec.options.LS401]")
    options: dict[str, Mapping[str, Any]] = {}
    for rule, settings in value.items():
        if not _RULE_ID.match(rule):
            raise ConfigError(f"{where}.{rule}: not a rule id (LS followed by three digits)")
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}.{rule}: must be a table")
        options[rule] = MappingProxyType(dict(settings))
    return MappingProxyType(options)


def _ignores(value: Any, *, where: str) -> tuple[IgnoreEntry, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: must be an array of tables ([[tool.lambdasec.ignore]])")
    return tuple(_ignore(item, where=f"{where}[{index}]") for index, item in enumerate(value))


def _ignore(item: Any, *, where: str) -> IgnoreEntry:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(item) - _IGNORE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` (known: {', '.join(sorted(_IGNORE_KEYS))})")
    rule = item.get("rule")
    if not isinstance(rule, str) or not _RULE_ID.match(rule.upper()):
        raise ConfigError(f"{where}: `rule` must be a rule id such as LS201")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{where}: `reason` is mandatory (why is {rule} acceptable here?)")
    return IgnoreEntry(
        rule=rule.upper(),
        resource=_optional_str(item, "resource", where=where),
        file=_optional_str(item, "file", where=where),
        reason=reason.strip(),
        expires=_expires(item.get("expires"), where=where),
    )


def _paths(value: Any, *, base: Path, where: str) -> tuple[Path, ...]:
    """A list of file paths, relative ones taken from the configuration file's directory."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(f"{where}: must be a list of file paths")
    return tuple(base / item for item in value)


def _variables(value: Any, *, where: str) -> Mapping[str, Any]:
    """Terraform variable values by name: strings, numbers, booleans, and arrays and tables of them."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of variable values, e.g. [tool.lambdasec.vars]")
    for name, item in value.items():
        if not _VARIABLE.match(name):
            raise ConfigError(f"{where}.{name}: not a Terraform variable name")
        if not _plain(item):
            raise ConfigError(
                f"{where}.{name}: must be a string, number, boolean, array or table, not {item!r}"
            )
    return MappingProxyType(dict(value))


def _stage(value: Any, *, where: str) -> str | None:
    """A Serverless Framework stage name, or None when not configured."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f'{where}: must be a stage name such as "prod", not {value!r}')
    return value


def _params(value: Any, *, where: str) -> Mapping[str, str]:
    """Serverless Framework parameters by name, as `--param` gives them: strings."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of parameter values, e.g. [tool.lambdasec.params]")
    for name, item in value.items():
        if not name.strip():
            raise ConfigError(f"{where}: a parameter needs a name")
        if not isinstance(item, str):
            raise ConfigError(f"{where}.{name}: must be a string, not {item!r}")
    return MappingProxyType(dict(value))


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(item) for item in value.values())
    return isinstance(value, str | int | float | bool)


def _optional_str(item: Mapping[str, Any], key: str, *, where: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{where}: `{key}` must be a string")
    return value


def _expires(value: Any, *, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: `expires` must be a date such as 2026-12-31, not {value!r}")
