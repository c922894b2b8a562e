"""`--stage` and `--param` (and the configuration's `stage` and `params`) reach the Serverless source."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lambdasec import scan as scan_module
from lambdasec._cli import main
from lambdasec.config import load_settings
from lambdasec.errors import ConfigError
from lambdasec.model import EnvVar, Inventory, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import ServerlessSource
from lambdasec.sources.serverless.params import parse_cli_param

SERVICE = """\
service: shop
provider:
  name: aws
  runtime: python3.12
  stage: ${opt:stage, 'dev'}
  environment:
    DOMAIN: ${param:domain}
    STAGE: ${sls:stage}
    DEBUG: ${self:custom.debug.${sls:stage}}
    OWNER: ${param:owner}
    FROM_DOTENV: ${env:LEVEL, 'none'}
params:
  default:
    domain: ${sls:stage}.preview.example.com
  prod:
    domain: example.com
custom:
  debug:
    dev: "true"
    prod: "false"
functions:
  api:
    handler: app.handler
"""


@pytest.fixture
def service(tmp_path: Path) -> Path:
    (tmp_path / "serverless.yml").write_text(SERVICE, encoding="utf-8")
    (tmp_path / ".env.prod").write_text("LEVEL=prod-level\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def inventories(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Inventory]]:
    """The inventory each scan hands to the rules."""
    seen: list[Inventory] = []
    run_rules = scan_module.run_rules

    def recording(rules: Any, inventory: Inventory, **kwargs: Any) -> Any:
        seen.append(inventory)
        return run_rules(rules, inventory, **kwargs)

    monkeypatch.setattr(scan_module, "run_rules", recording)
    monkeypatch.delenv("LEVEL", raising=False)
    yield seen


def _scan(directory: Path, inventories: list[Inventory], *args: str) -> tuple[str, dict[str, object]]:
    """The one function's name and its environment after `lambdasec scan DIRECTORY --format json ARGS`."""
    report = directory / "out" / "report.json"
    code = main(["scan", str(directory), "--format", "json", "--output", str(report), *args])
    assert code == 0
    [function] = inventories[-1].functions
    assert not isinstance(function.environment, Unresolved)
    environment: dict[str, object] = {var.name: var.value for var in function.environment}
    return str(function.name), environment


def test_without_options_the_file_defaults_apply(service: Path, inventories: list[Inventory]) -> None:
    assert _scan(service, inventories) == (
        "shop-dev-api",
        {
            "DOMAIN": "dev.preview.example.com",
            "STAGE": "dev",
            "DEBUG": "true",
            "OWNER": Unresolved("${param:owner}"),
            "FROM_DOTENV": "none",
        },
    )


def test_stage_picks_the_stage_settings_params_and_dotenv(
    service: Path, inventories: list[Inventory]
) -> None:
    assert _scan(service, inventories, "--stage", "prod") == (
        "shop-prod-api",
        {
            "DOMAIN": "example.com",
            "STAGE": "prod",
            "DEBUG": "false",
            "OWNER": Unresolved("${param:owner}"),
            "FROM_DOTENV": "prod-level",
        },
    )


def test_params_win_over_the_stage_params_and_the_last_one_wins(
    service: Path, inventories: list[Inventory]
) -> None:
    args = ("--stage", "prod", "--param", "domain=cli.example.com", "--param=owner=a=b")
    assert _scan(service, inventories, *args, "--param", "domain=last.example.com") == (
        "shop-prod-api",
        {
            "DOMAIN": "last.example.com",
            "STAGE": "prod",
            "DEBUG": "false",
            "OWNER": "a=b",
            "FROM_DOTENV": "prod-level",
        },
    )


def test_configured_stage_and_params_are_overridden_by_the_command_line(
    service: Path, inventories: list[Inventory]
) -> None:
    (service / ".lambdasec.toml").write_text(
        'stage = "prod"\n[params]\nowner = "from-config"\ndomain = "config.example.com"\n', encoding="utf-8"
    )
    assert _scan(service, inventories) == (
        "shop-prod-api",
        {
            "DOMAIN": "config.example.com",
            "STAGE": "prod",
            "DEBUG": "false",
            "OWNER": "from-config",
            "FROM_DOTENV": "prod-level",
        },
    )
    assert _scan(service, inventories, "--stage", "dev", "--param", "domain=cli.example.com") == (
        "shop-dev-api",
        {
            "DOMAIN": "cli.example.com",
            "STAGE": "dev",
            "DEBUG": "true",
            "OWNER": "from-config",
            "FROM_DOTENV": "none",
        },
    )


def test_settings_layer_stage_and_params(tmp_path: Path) -> None:
    config = 'stage = "prod"\n[params]\na = "1"\nb = "2"\n'
    (tmp_path / ".lambdasec.toml").write_text(config, encoding="utf-8")
    settings = load_settings(config_file=None, root=tmp_path)
    assert (settings.stage, dict(settings.params)) == ("prod", {"a": "1", "b": "2"})
    cli = settings.with_overrides(stage="qa", params={"b": "3", "c": ""})
    assert (cli.stage, dict(cli.params)) == ("qa", {"a": "1", "b": "3", "c": ""})
    unchanged = settings.with_overrides()
    assert (unchanged.stage, unchanged.params) == ("prod", settings.params)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("domain=example.com", ("domain", "example.com")),
        ("url=https://x/?a=b", ("url", "https://x/?a=b")),
        ("empty=", ("empty", "")),
        ("dotted.key= spaced ", ("dotted.key", " spaced ")),
    ],
)
def test_param_is_split_at_the_first_equals_sign(text: str, expected: tuple[str, str]) -> None:
    assert parse_cli_param(text) == expected


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("domain", "lambdasec: error: --param: `domain` is not KEY=VALUE\n"),
        ("=value", "lambdasec: error: --param: `=value` has no parameter name before `=`\n"),
        (" =value", "lambdasec: error: --param: ` =value` has no parameter name before `=`\n"),
    ],
)
def test_malformed_param_is_a_usage_error(
    service: Path, argument: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["scan", str(service), "--param", argument]) == 2
    assert capsys.readouterr() == ("", message)


def test_empty_stage_is_a_usage_error(service: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["scan", str(service), "--stage", ""]) == 2
    assert capsys.readouterr() == ("", "lambdasec: error: --stage: the stage name is empty\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stage = 1", 'stage: must be a stage name such as "prod", not 1'),
        ('stage = " "', "stage: must be a stage name such as \"prod\", not ' '"),
        ('params = ["a"]', "params: must be a table of parameter values"),
        ("[params]\nport = 8080\n", "params.port: must be a string, not 8080"),
        ('[params]\n"" = "x"\n', "params: a parameter needs a name"),
    ],
)
def test_configured_stage_and_params_are_validated(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".lambdasec.toml").write_text(textwrap.dedent(text) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(config_file=None, root=tmp_path)


def test_worker_processes_receive_the_stage_and_params(service: Path) -> None:
    second = service / "other"
    second.mkdir()
    (second / "serverless.yml").write_text(
        SERVICE.replace("service: shop", "service: other"), encoding="utf-8"
    )
    files = tuple(
        InputFile(path=path, display=str(path.relative_to(service)), kind=SourceKind.SERVERLESS)
        for path in (service / "serverless.yml", second / "serverless.yml")
    )
    source = ServerlessSource(options={"stage": "prod"}, params={"owner": "ops"}, workers=2)
    functions = source.load(files, root=service).inventory.functions
    assert [
        (function.name, function.environment)
        for function in functions
        if not isinstance(function.environment, Unresolved)
    ] == [
        (
            name,
            (
                EnvVar(name="DOMAIN", value="example.com"),
                EnvVar(name="STAGE", value="prod"),
                EnvVar(name="DEBUG", value="false"),
                EnvVar(name="OWNER", value="ops"),
                EnvVar(name="FROM_DOTENV", value=level),
            ),
        )
        for name, level in (("shop-prod-api", "prod-level"), ("other-prod-api", "none"))
    ]
