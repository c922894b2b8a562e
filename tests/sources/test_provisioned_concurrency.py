"""Provisioned concurrency read from every infrastructure source, with the lines that set it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, Origin, ProvisionedConcurrency, SourceKind, Unresolved
from lambdasec.sources import InputFile, source_for
from lambdasec.sources.discover import discover
from lambdasec.sources.terraform_plan import map_plan, parse_plan

APP = Path(__file__).resolve().parent / "equivalence" / "app"


def _load(root: Path) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    found = discover([root])
    by_kind: dict[SourceKind, list[InputFile]] = {}
    for item in found.files:
        by_kind.setdefault(item.kind, []).append(item)
    parts: list[Inventory] = []
    diagnostics: list[Diagnostic] = []
    for kind, files in sorted(by_kind.items()):
        output = source_for(kind).load(tuple(files), root=found.root)
        parts.append(output.inventory)
        diagnostics.extend(output.diagnostics)
    return Inventory.merge(parts), tuple(diagnostics)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _fields(setting: ProvisionedConcurrency) -> dict[str, int]:
    return dict(setting.origin.fields)


CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Warm:
    Type: Number
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: checkout
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::111122223333:role/checkout
      Code: {ZipFile: "def handler(e, c): pass"}
  FnVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Fn
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: !Ref Warm
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      Name: live
      FunctionName: !Ref Fn
      FunctionVersion: !GetAtt FnVersion.Version
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 20
  Cold:
    Type: AWS::Lambda::Alias
    Properties:
      Name: cold
      FunctionName: !Ref Fn
      FunctionVersion: !GetAtt FnVersion.Version
"""


def test_cloudformation_alias_and_version_settings(tmp_path: Path) -> None:
    inv, diagnostics = _load(_write(tmp_path, "template.yaml", CFN))

    assert diagnostics == ()
    assert inv.provisioned_concurrency == (
        ProvisionedConcurrency(
            key="template.yaml#Live",
            function="template.yaml#Fn",
            qualifier="live",
            executions=20,
            origin=Origin(source=SourceKind.CLOUDFORMATION, file="template.yaml", line=20, resource="Live"),
        ),
        ProvisionedConcurrency(
            key="template.yaml#FnVersion",
            function="template.yaml#Fn",
            qualifier=Unresolved("version number of FnVersion is assigned at deploy time"),
            executions=Unresolved("parameter Warm has no default"),
            origin=Origin(
                source=SourceKind.CLOUDFORMATION, file="template.yaml", line=14, resource="FnVersion"
            ),
        ),
    )
    live, version = inv.provisioned_concurrency
    assert _fields(live) == {"function": 24, "qualifier": 23, "executions": 27}
    assert _fields(version) == {"function": 17, "executions": 19}
    (fn,) = inv.functions
    assert inv.provisioned_concurrency_of(fn) == (live, version)


SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: checkout
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
"""


def test_sam_setting_is_on_the_generated_alias(tmp_path: Path) -> None:
    inv, diagnostics = _load(_write(tmp_path, "template.yaml", SAM))

    assert diagnostics == ()
    (setting,) = inv.provisioned_concurrency
    assert setting == ProvisionedConcurrency(
        key="template.yaml#FnAliaslive",
        function="template.yaml#Fn",
        qualifier="live",
        executions=5,
        origin=Origin(source=SourceKind.SAM, file="template.yaml", line=11, resource="FnAliaslive"),
    )
    assert _fields(setting) == {"function": 11, "qualifier": 11, "executions": 13}
    assert [a.name for a in inv.aliases_of(inv.functions[0])] == ["live"]
    assert inv.provisioned_concurrency_of(inv.functions[1]) == ()


TERRAFORM = """\
resource "aws_lambda_function" "checkout" {
  function_name = "checkout"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = "arn:aws:iam::111122223333:role/checkout"
  filename      = "app.zip"
  publish       = true
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.checkout.function_name
  function_version = aws_lambda_function.checkout.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 20
}

variable "warm" {
  type = number
}

resource "aws_lambda_provisioned_concurrency_config" "version" {
  function_name                     = aws_lambda_function.checkout.function_name
  qualifier                         = aws_lambda_function.checkout.version
  provisioned_concurrent_executions = var.warm
}

resource "aws_lambda_provisioned_concurrency_config" "partial" {
  function_name = "checkout"
}
"""


def test_terraform_through_the_alias_and_unknown_values(tmp_path: Path) -> None:
    inv, _ = _load(_write(tmp_path, "main.tf", TERRAFORM))

    def origin(name: str, line: int) -> Origin:
        address = f"aws_lambda_provisioned_concurrency_config.{name}"
        return Origin(source=SourceKind.TERRAFORM, file="main.tf", line=line, resource=address)

    assert inv.provisioned_concurrency == (
        ProvisionedConcurrency(
            key="main.tf#aws_lambda_provisioned_concurrency_config.live",
            function="main.tf#aws_lambda_function.checkout",
            qualifier="live",
            executions=20,
            origin=origin("live", 16),
        ),
        ProvisionedConcurrency(
            key="main.tf#aws_lambda_provisioned_concurrency_config.version",
            function="main.tf#aws_lambda_function.checkout",
            qualifier=Unresolved("aws_lambda_function.checkout.version"),
            executions=Unresolved("var.warm"),
            origin=origin("version", 26),
        ),
        ProvisionedConcurrency(
            key="main.tf#aws_lambda_provisioned_concurrency_config.partial",
            function="checkout",
            qualifier=Unresolved("qualifier: required attribute missing"),
            executions=Unresolved("provisioned_concurrent_executions: required attribute missing"),
            origin=origin("partial", 32),
        ),
    )
    live, version, partial = inv.provisioned_concurrency
    assert _fields(live) == {"function": 17, "qualifier": 18, "executions": 19}
    assert _fields(version) == {"function": 27, "qualifier": 28, "executions": 29}
    assert _fields(partial) == {"function": 33}
    (fn,) = inv.functions
    assert inv.provisioned_concurrency_of(fn) == (live, version, partial)


def _plan_resource(kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name, "values": values}


def _plan_config(kind: str, name: str, expressions: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "expressions": expressions,
    }


def test_terraform_plan_resolves_the_alias() -> None:
    fn = {"function_name": "checkout", "runtime": "python3.12", "handler": "app.handler", "version": "3"}
    alias = {"name": "live", "function_name": "checkout", "function_version": "3"}
    setting = {"function_name": "checkout", "qualifier": "live", "provisioned_concurrent_executions": 20}
    refs = {
        "function_name": {"references": ["aws_lambda_alias.live.function_name", "aws_lambda_alias.live"]},
        "qualifier": {"references": ["aws_lambda_alias.live.name", "aws_lambda_alias.live"]},
        "provisioned_concurrent_executions": {"constant_value": 20},
    }
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    _plan_resource("aws_lambda_function", "checkout", fn),
                    _plan_resource("aws_lambda_alias", "live", alias),
                    _plan_resource("aws_lambda_provisioned_concurrency_config", "live", setting),
                ]
            }
        },
        "configuration": {
            "root_module": {
                "resources": [
                    _plan_config(
                        "aws_lambda_function", "checkout", {"function_name": {"constant_value": "checkout"}}
                    ),
                    _plan_config(
                        "aws_lambda_alias",
                        "live",
                        {
                            "name": {"constant_value": "live"},
                            "function_name": {"references": ["aws_lambda_function.checkout.function_name"]},
                        },
                    ),
                    _plan_config("aws_lambda_provisioned_concurrency_config", "live", refs),
                ]
            }
        },
    }
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)

    inv = map_plan(parsed)

    (found,) = inv.provisioned_concurrency
    assert (found.key, found.function, found.qualifier, found.executions) == (
        "plan.json#aws_lambda_provisioned_concurrency_config.live",
        "plan.json#aws_lambda_function.checkout",
        "live",
        20,
    )
    assert (found.origin.source, found.origin.resource) == (
        SourceKind.TERRAFORM_PLAN,
        "aws_lambda_provisioned_concurrency_config.live",
    )
    assert inv.provisioned_concurrency_of(inv.functions[0]) == (found,)


SERVERLESS = """\
service: shop
provider:
  name: aws
  runtime: python3.12
functions:
  warm:
    handler: app.warm
    provisionedConcurrency: 3
  off:
    handler: app.off
    provisionedConcurrency: 0
"""


def test_serverless_creates_the_provisioned_alias(tmp_path: Path) -> None:
    inv, diagnostics = _load(_write(tmp_path, "serverless.yml", SERVERLESS))

    assert diagnostics == ()
    (setting,) = inv.provisioned_concurrency
    assert (setting.function, setting.qualifier, setting.executions) == (
        "serverless.yml#WarmLambdaFunction",
        "provisioned",
        3,
    )
    assert (setting.origin.source, setting.origin.file, setting.origin.line) == (
        SourceKind.SERVERLESS,
        "serverless.yml",
        8,
    )
    assert _fields(setting)["executions"] == 8
    warm, off = inv.functions
    assert [a.name for a in inv.aliases_of(warm)] == ["provisioned"]
    assert inv.aliases_of(off) == ()


def test_cdk_alias_points_at_its_construct() -> None:
    inv, _ = _load(APP / "cdk")

    (setting,) = inv.provisioned_concurrency
    fn = inv.function(setting.function)
    assert fn is not None
    assert (fn.name, setting.qualifier, setting.executions) == ("shop-get-order", "provisioned", 5)
    assert (setting.origin.source, setting.origin.resource, setting.origin.construct_path) == (
        SourceKind.CDK,
        "GetOrderAlias8E3B5D1F",
        "ShopStack/GetOrderAlias/Resource",
    )
