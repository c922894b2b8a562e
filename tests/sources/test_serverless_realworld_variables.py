"""serverless.yml variables as real services write them: fallback chains and `${file(...)}` includes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, LambdaFunction, SourceKind, TracingMode, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless


def _load(
    tmp_path: Path, text: str, *, environ: dict[str, str] | None = None, options: dict[str, str] | None = None
) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    path = tmp_path / "serverless.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ=environ or {}, options=options or {})
    assert inventory is not None
    return inventory, diagnostics


def _environment(function: LambdaFunction) -> dict[str, object]:
    assert not isinstance(function.environment, Unresolved)
    return {variable.name: variable.value for variable in function.environment}


def _messages(diagnostics: tuple[Diagnostic, ...]) -> set[tuple[int | None, str]]:
    return {(d.line, d.message) for d in diagnostics}


FALLBACKS = """\
service: todos
custom:
  table: "${opt:stage, self:provider.stage}_todos"
provider:
  name: aws
  stage: staging
  region: eu-west-1
functions:
  fn:
    handler: h.handler
    environment:
      STAGE: ${opt:stage, self:provider.stage}
      REGION: ${opt:region, self:provider.region}
      TABLE: ${self:custom.table}
      CHAIN: ${env:FIRST, env:SECOND, 'third'}
      FROM_SECOND: ${env:UNSET, env:SECOND_SET}
      MISSING_KEY: ${self:custom.nothing, 'plain'}
      NUMBER: ${self:custom.nothing, 7}
      LAST_UNKNOWN: ${env:UNSET, ssm:/todos/key}
      URL_TEXT: ${env:UNSET, 'https://example.com/a,b'}
"""


def test_an_unquoted_variable_fallback_is_read_like_a_variable(tmp_path: Path) -> None:
    """`${opt:stage, self:provider.stage}` is the stage, not the text `self:provider.stage`."""
    inventory, diagnostics = _load(tmp_path, FALLBACKS, environ={"SECOND_SET": "second"})
    (function,) = inventory.functions

    assert function.name == "todos-staging-fn"
    assert _environment(function) == {
        "STAGE": "staging",
        "REGION": "eu-west-1",
        "TABLE": "staging_todos",
        "CHAIN": "third",
        "FROM_SECOND": "second",
        "MISSING_KEY": "plain",
        "NUMBER": "7",
        "LAST_UNKNOWN": Unresolved("${env:UNSET, ssm:/todos/key}"),
        "URL_TEXT": "https://example.com/a,b",
    }
    assert diagnostics == ()


def test_options_win_over_the_fallback(tmp_path: Path) -> None:
    inventory, _ = _load(tmp_path, FALLBACKS, options={"stage": "prod"}, environ={"FIRST": "first"})
    (function,) = inventory.functions

    environment = _environment(function)
    assert (environment["STAGE"], environment["TABLE"], environment["CHAIN"]) == (
        "prod",
        "prod_todos",
        "first",
    )


INCLUDES = """\
service: ${file(./config.json):service}
provider:
  name: aws
  stage: dev
custom:
  secrets: ${file(./secrets.${opt:stage, self:provider.stage}.yml)}
  fallback: ${file(./absent.yml):value, 'from-fallback'}
functions:
  fn:
    handler: h.handler
    environment:
      API_KEY: ${self:custom.secrets.API_KEY}
      NESTED: ${file(./config.json):nested.level}
      ABSENT: ${file(./absent.yml):value}
      FALLBACK: ${self:custom.fallback}
      CODE: ${file(./config.js):value}
      BROKEN: ${file(./broken.yml):value}
resources:
  Resources:
    Role: ${file(./role.yml)}
"""


def _write_includes(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(
        '{"service": "included", "nested": {"level": "${sls:stage}-deep"}}', encoding="utf-8"
    )
    (tmp_path / "secrets.dev.yml").write_text("API_KEY: key-for-dev\n", encoding="utf-8")
    (tmp_path / "config.js").write_text("module.exports = {value: 1}\n", encoding="utf-8")
    (tmp_path / "broken.yml").write_text("a: [unclosed\n", encoding="utf-8")
    (tmp_path / "role.yml").write_text(
        textwrap.dedent(
            """\
            Type: AWS::IAM::Role
            Properties:
              RoleName: included-role
              AssumeRolePolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: {Service: lambda.amazonaws.com}
                    Action: sts:AssumeRole
            """
        ),
        encoding="utf-8",
    )


def test_yaml_and_json_files_are_read_next_to_the_service(tmp_path: Path) -> None:
    """Values and whole resources come from the included files; their variables resolve too."""
    _write_includes(tmp_path)
    inventory, diagnostics = _load(tmp_path, INCLUDES)
    (function,) = inventory.functions

    assert function.name == "included-dev-fn"
    assert _environment(function) == {
        "API_KEY": "key-for-dev",
        "NESTED": "dev-deep",
        "ABSENT": Unresolved("${file(./absent.yml):value}"),
        "FALLBACK": "from-fallback",
        "CODE": Unresolved("${file(./config.js):value}"),
        "BROKEN": Unresolved("${file(./broken.yml):value}"),
    }
    assert sorted((role.key, role.name) for role in inventory.roles) == [
        ("serverless.yml#IamRoleLambdaExecution", "included-dev-us-east-1-lambdaRole"),
        ("serverless.yml#Role", "included-role"),
    ]
    role = next(role for role in inventory.roles if role.name == "included-role")
    assert role.origin.line == 20  # the line that includes the file
    assert _messages(diagnostics) == {
        (
            17,
            "`${file(./broken.yml):value}`: `broken.yml` is not valid YAML: "
            "while parsing a flow sequence did not find expected ',' or ']'",
        ),
    }


def test_a_file_including_itself_is_diagnosed(tmp_path: Path) -> None:
    (tmp_path / "loop.yml").write_text("value: ${file(./loop.yml):value}\n", encoding="utf-8")
    inventory, diagnostics = _load(
        tmp_path,
        """\
        service: loops
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            environment:
              LOOP: ${file(./loop.yml):value}
        """,
    )
    (function,) = inventory.functions

    assert _environment(function) == {"LOOP": Unresolved("${file(./loop.yml):value}")}
    assert _messages(diagnostics) == {(8, "`${file(./loop.yml):value}` includes itself")}


def test_plugin_construct_variables_are_unknown_without_a_diagnostic(tmp_path: Path) -> None:
    """serverless-lift's `${construct:jobs.queueUrl}` is a known source whose value is not in the file."""
    inventory, diagnostics = _load(
        tmp_path,
        """\
        service: lifted
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            environment:
              QUEUE_URL: ${construct:jobs.queueUrl}
        """,
    )
    (function,) = inventory.functions

    assert _environment(function) == {"QUEUE_URL": Unresolved("${construct:jobs.queueUrl}")}
    assert diagnostics == ()


def test_str_to_bool_reads_the_resolved_text_as_a_boolean(tmp_path: Path) -> None:
    inventory, diagnostics = _load(
        tmp_path,
        """\
        service: flags
        custom:
          trace: "true"
        provider:
          name: aws
        functions:
          traced:
            handler: h.handler
            tracing: ${strToBool(${self:custom.trace})}
          untraced:
            handler: h.handler
            tracing: ${strToBool(${env:TRACE, '0'})}
          unknown:
            handler: h.handler
            tracing: ${strToBool(maybe)}
        """,
    )

    assert {f.name: f.tracing for f in inventory.functions} == {
        "flags-dev-traced": TracingMode.ACTIVE,
        "flags-dev-untraced": TracingMode.PASS_THROUGH,
        "flags-dev-unknown": Unresolved("${strToBool(maybe)}"),
    }
    assert diagnostics == ()


def test_a_file_source_can_be_a_fallback_and_settings_come_from_a_shared_config(tmp_path: Path) -> None:
    """`stage: ${opt:stage, file(../config.yml):defaultStage}`, as services sharing one config write it."""
    (tmp_path / "config.yml").write_text(
        "project: shop\nplatform: aws\ndefaultStage: qa\nregion: eu-central-1\nretention: 14\n",
        encoding="utf-8",
    )
    service = tmp_path / "api"
    service.mkdir()
    inventory, diagnostics = _load(
        service,
        """\
        service: ${file(../config.yml):project}-api
        provider:
          name: ${file(../config.yml):platform}
          stage: ${opt:stage, file(../config.yml):defaultStage}
          region: ${file(../config.yml):region}
          logRetentionInDays: ${file(../config.yml):retention}
        functions:
          fn:
            handler: h.handler
        """,
    )

    assert diagnostics == ()
    (function,) = inventory.functions
    (role,) = inventory.roles
    (group,) = inventory.log_groups
    assert (function.name, role.name, group.retention_days) == (
        "shop-api-qa-fn",
        "shop-api-qa-eu-central-1-lambdaRole",
        14,
    )
