"""serverless.yml variables: self, opt, sls, env and aws:region resolved; outside sources Unresolved."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

TEMPLATE = """\
service: vars
custom:
  tier: gold
  gold: {limit: 512}
  loop: ${self:custom.loop}
provider:
  name: aws
  stage: ${opt:stage, 'qa'}
  region: ${opt:region, "eu-central-1"}
functions:
  fn:
    handler: h.handler
    memorySize: ${self:custom.${self:custom.tier}.limit}
    environment:
      STAGE: ${sls:stage}
      REGION: ${aws:region}
      FROM_ENV: ${env:API_URL}
      ENV_DEFAULT: ${env:MISSING, 'fallback'}
      PREFIXED: api-${self:service}-${sls:stage}
      SECRET: ${ssm:/vars/secret}
      FILE: ${file(./config.json):key}
      STACK: prefix-${cf:other-stack.Output}
      ACCOUNT: ${aws:accountId}
      CFN_SUB: !Sub "arn:${AWS::Partition}:s3:::${Bucket}"
      ODD: ${weird:thing}
      NO_ENV: ${env:NOT_SET}
      LOOP: ${self:custom.loop}
      NUMBER: ${self:custom.gold.limit}
"""


def _load(
    tmp_path: Path, *, options: dict[str, str] | None = None
) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    path = tmp_path / "serverless.yml"
    path.write_text(textwrap.dedent(TEMPLATE), encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(
        item, environ={"API_URL": "https://api.example.com"}, options=options or {}
    )
    assert inventory is not None
    return inventory, diagnostics


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    return _load(tmp_path)


def test_values_resolve_or_stay_unresolved_with_the_expression(
    loaded: tuple[Inventory, tuple[Diagnostic, ...]],
) -> None:
    inventory, _ = loaded
    (fn,) = inventory.functions
    assert not isinstance(fn.environment, Unresolved)

    assert fn.name == "vars-qa-fn"
    assert fn.memory_mb == 512
    assert {v.name: v.value for v in fn.environment} == {
        "STAGE": "qa",
        "REGION": "eu-central-1",
        "FROM_ENV": "https://api.example.com",
        "ENV_DEFAULT": "fallback",
        "PREFIXED": "api-vars-qa",
        "SECRET": Unresolved("${ssm:/vars/secret}"),
        "FILE": Unresolved("${file(./config.json):key}"),
        "STACK": Unresolved("${cf:other-stack.Output}"),
        "ACCOUNT": Unresolved("${aws:accountId}"),
        "CFN_SUB": Unresolved("!Sub arn:${AWS::Partition}:s3:::${Bucket}"),
        "ODD": Unresolved("${weird:thing}"),
        "NO_ENV": Unresolved("${env:NOT_SET}"),
        "LOOP": Unresolved("${self:custom.loop}"),
        "NUMBER": "512",
    }


def test_unknown_sources_missing_environment_and_cycles_are_diagnosed_with_lines(
    loaded: tuple[Inventory, tuple[Diagnostic, ...]],
) -> None:
    _, diagnostics = loaded
    serverless = {(d.level, d.line, d.message) for d in diagnostics if d.source == "serverless"}

    assert serverless == {
        ("error", 25, "unknown variable source `weird` in `${weird:thing}`"),
        ("warning", 26, "`${env:NOT_SET}`: environment variable `NOT_SET` is not set"),
        ("warning", 5, "`${self:custom.loop}` refers to itself"),
        ("warning", 24, "!Ref to undefined parameter or resource `Bucket`"),
    }


def test_provider_stage_and_region_default_like_the_framework(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: plain\n"
        "provider:\n"
        "  name: aws\n"
        "functions:\n"
        "  fn:\n"
        "    name: ${self:service}-${self:provider.stage}-${self:provider.region}\n"
        "    handler: h.handler\n",
        encoding="utf-8",
    )
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})

    assert diagnostics == ()
    assert inventory is not None
    assert [f.name for f in inventory.functions] == ["plain-dev-us-east-1"]


def test_options_override_the_stage_and_region(tmp_path: Path) -> None:
    inventory, _ = _load(tmp_path, options={"stage": "prod", "region": "us-west-2"})
    (fn,) = inventory.functions
    assert not isinstance(fn.environment, Unresolved)

    assert fn.name == "vars-prod-fn"
    assert {v.name: v.value for v in fn.environment if v.name in ("STAGE", "REGION")} == {
        "STAGE": "prod",
        "REGION": "us-west-2",
    }
