"""Serverless environments: the `environment` field points at the function's block, else the provider's."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

TEXT = """\
service: env
provider:
  name: aws
  runtime: python3.13
  environment:             # provider environment
    SHARED: one
functions:
  own:
    handler: app.handler
    environment:           # own environment
      DB_PASSWORD: ${ssm:/db/password}
  inherited:
    handler: app.handler
"""


def _load(tmp_path: Path) -> Inventory:
    path = tmp_path / "serverless.yml"
    path.write_text(TEXT, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert diagnostics == ()
    assert inventory is not None
    return inventory


def _line(marker: str) -> int:
    (found,) = [n for n, text in enumerate(TEXT.splitlines(), start=1) if marker in text]
    return found


def test_environment_points_at_the_functions_block_else_the_providers(tmp_path: Path) -> None:
    own, inherited = _load(tmp_path).functions
    assert own.origin.line_of("environment") == _line("# own environment")
    assert inherited.origin.line_of("environment") == _line("# provider environment")
    # each variable keeps its own line
    assert own.origin.line_of("environment.DB_PASSWORD") == _line("DB_PASSWORD")
    assert inherited.origin.line_of("environment.SHARED") == _line("SHARED: one")


def test_yes_no_on_off_are_text_as_the_framework_reads_them(tmp_path: Path) -> None:
    """The framework parses its files with js-yaml (YAML 1.2): only `true`/`false` are booleans, so
    `FEATURE: on` deploys the variable `on`, in the service file and in the files it includes."""
    (tmp_path / "flags.yml").write_text("LEGACY: no\nVERBOSE: True\n", encoding="utf-8")
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: flags\n"
        "provider:\n"
        "  name: aws\n"
        "  runtime: python3.13\n"
        "  environment: ${file(./flags.yml)}\n"
        "functions:\n"
        "  own:\n"
        "    handler: app.handler\n"
        "    environment:\n"
        "      FEATURE: on\n"
        "      DEBUG: yes\n"
        "      Off: n\n"
        "      STRICT: false\n",
        encoding="utf-8",
    )
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})

    assert diagnostics == ()
    assert inventory is not None
    (function,) = inventory.functions
    assert isinstance(function.environment, tuple)
    assert {variable.name: variable.value for variable in function.environment} == {
        "LEGACY": "no",
        "VERBOSE": "true",
        "FEATURE": "on",
        "DEBUG": "yes",
        "Off": "n",
        "STRICT": "false",
    }
