"""SAM transform: the Globals section merged into resources as SAM merges it, with the lines it came from."""

from __future__ import annotations

import json

from lambdasec.sources.cloudformation.sam import SamExpansion, expand_sam
from lambdasec.sources.yaml_loader import load_yaml


def expand(text: str) -> SamExpansion:
    return expand_sam(load_yaml(text), file="template.yaml")


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


GLOBALS = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.11
    Timeout: 10
    Layers: [arn:aws:lambda:us-east-1:111122223333:layer:base:1]
    Environment:
      Variables:
        LOG_LEVEL: INFO
        STAGE: dev
    VpcConfig:
      SubnetIds: [subnet-a]
      SecurityGroupIds: !Ref Groups
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Runtime: python3.12
      Layers: [!Ref Local]
      Environment:
        Variables:
          STAGE: prod
          SECRET: x
      VpcConfig:
        SubnetIds: [subnet-b]
        SecurityGroupIds: [sg-1]
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
  Ignoring:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Runtime, Environment]
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
  IgnoringAll:
    Type: AWS::Serverless::Function
    IgnoreGlobals: "*"
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
"""


def props(name: str) -> object:
    return expand(GLOBALS).template["Resources"][name]["Properties"]


def test_maps_merge_lists_concatenate_scalars_and_intrinsics_are_overridden() -> None:
    fn = props("Fn")
    assert plain({k: fn[k] for k in ("Runtime", "Timeout", "Layers", "Environment", "VpcConfig")}) == {
        "Runtime": "python3.12",
        "Timeout": 10,
        "Layers": ["arn:aws:lambda:us-east-1:111122223333:layer:base:1", {"Ref": "Local"}],
        "Environment": {"Variables": {"LOG_LEVEL": "INFO", "STAGE": "prod", "SECRET": "x"}},
        "VpcConfig": {"SubnetIds": ["subnet-a", "subnet-b"], "SecurityGroupIds": ["sg-1"]},
    }


def test_merged_values_keep_the_line_they_come_from() -> None:
    fn = props("Fn")
    assert fn.key_lines["Runtime"] == 20
    assert fn.key_lines["Timeout"] == 5
    assert fn["Layers"].item_lines == [6, 21]
    assert fn["Environment"]["Variables"].key_lines == {"LOG_LEVEL": 9, "STAGE": 24, "SECRET": 25}
    assert fn["VpcConfig"]["SubnetIds"].item_lines == [12, 27]
    plain_fn = props("Plain")
    assert plain_fn["Runtime"] == "python3.11"
    assert plain_fn.key_lines["Runtime"] == 4
    assert plain_fn["Environment"]["Variables"].key_lines == {"LOG_LEVEL": 9, "STAGE": 10}


def test_ignore_globals() -> None:
    ignoring = props("Ignoring")
    assert "Runtime" not in ignoring
    assert "Environment" not in ignoring
    assert ignoring["Timeout"] == 10
    assert sorted(props("IgnoringAll")) == ["Code", "Handler", "Role", "Tags"]


def test_api_and_http_api_globals_apply_to_implicit_apis() -> None:
    text = """\
Globals:
  Api:
    TracingEnabled: true
    MethodSettings:
      - HttpMethod: "*"
        ResourcePath: /*
        ThrottlingRateLimit: 10
  HttpApi:
    DefaultRouteSettings:
      ThrottlingBurstLimit: 5
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
        Rest:
          Type: Api
          Properties: {Path: /a, Method: get}
        Http:
          Type: HttpApi
"""
    resources = expand(text).template["Resources"]
    stage = resources["ServerlessRestApiProdStage"]["Properties"]
    assert stage["TracingEnabled"] is True
    assert stage.key_lines["TracingEnabled"] == 3
    assert plain(stage["MethodSettings"]) == [
        {"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingRateLimit": 10}
    ]
    http_stage = resources["ServerlessHttpApiApiGatewayDefaultStage"]["Properties"]
    assert plain(http_stage["DefaultRouteSettings"]) == {"ThrottlingBurstLimit": 5}
    assert http_stage.key_lines["DefaultRouteSettings"] == 9


def test_unsupported_globals_are_warnings() -> None:
    text = """\
Globals:
  Function:
    Runtime: python3.12
    Policies: [AdministratorAccess]
  Queue:
    Foo: bar
  Api: []
Resources: {}
"""
    result = expand(text)
    assert sorted((d.line, d.message) for d in result.diagnostics) == [
        (4, "`Policies` is not a supported property of `Globals.Function`; ignored"),
        (5, "`Globals` section `Queue` is not supported by SAM; ignored"),
        (7, "`Globals.Api` must be a mapping; ignored"),
    ]
    assert "Globals" not in result.template
