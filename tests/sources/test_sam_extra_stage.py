"""SAM's extra REST API stage named `Stage`: created by default, removed by any OpenApiVersion."""

from __future__ import annotations

from pathlib import Path

from sources.cfn.load import load

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{globals}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
{version}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Implicit:
          Type: Api
          Properties:
            Path: /a
            Method: get
        Explicit:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /b
            Method: get
"""


def _stages(tmp_path: Path, *, globals_: str = "", version: str = "") -> set[tuple[str, str]]:
    output = load(tmp_path, TEMPLATE.format(globals=globals_, version=version))
    return {(str(stage.api).rpartition("#")[2], str(stage.name)) for stage in output.inventory.api_stages}


def test_sam_creates_a_stage_named_stage_by_default(tmp_path: Path) -> None:
    assert _stages(tmp_path) == {
        ("Api", "prod"),
        ("Api", "Stage"),
        ("ServerlessRestApi", "Prod"),
        ("ServerlessRestApi", "Stage"),
    }


def test_open_api_version_on_the_api_removes_its_extra_stage(tmp_path: Path) -> None:
    assert _stages(tmp_path, version='      OpenApiVersion: "3.0.1"') == {
        ("Api", "prod"),
        ("ServerlessRestApi", "Prod"),
        ("ServerlessRestApi", "Stage"),
    }


def test_open_api_version_in_globals_removes_every_extra_stage(tmp_path: Path) -> None:
    globals_ = 'Globals:\n  Api:\n    OpenApiVersion: "2.0"'
    assert _stages(tmp_path, globals_=globals_) == {("Api", "prod"), ("ServerlessRestApi", "Prod")}
