"""REST API endpoint types (`Api.endpoint_type`, `Api.vpc_endpoint_ids`) from every source."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Api, EndpointType, Inventory, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform_plan import map_plan, parse_plan
from sources.cfn.load import load

ROOT = Path(__file__).resolve().parent / "terraform" / "private_api"
PROVIDER = "registry.terraform.io/hashicorp/aws"
ENDPOINT = "vpce-0a1b2c3d4e5f67890"


def _endpoints(apis: tuple[Api, ...]) -> dict[str, tuple[object, object, int | None, int | None]]:
    """resource -> (endpoint type, VPC endpoint ids, line of the type, line of the ids)."""
    return {
        api.origin.resource: (
            api.endpoint_type,
            api.vpc_endpoint_ids,
            dict(api.origin.fields).get("endpoint_type"),
            dict(api.origin.fields).get("vpc_endpoint_ids"),
        )
        for api in apis
    }


CFN = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Kind:
    Type: String
Resources:
  Private:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: private
      EndpointConfiguration:
        Types: [PRIVATE]
        VpcEndpointIds: [vpce-0a1b2c3d4e5f67890]
  Regional:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: regional
      EndpointConfiguration: {Types: [regional]}
  Chosen:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: chosen
      EndpointConfiguration:
        Types: [!Ref Kind]
  Plain:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: plain
"""


def test_cloudformation_endpoint_configuration(tmp_path: Path) -> None:
    output = load(tmp_path, CFN)
    assert output.diagnostics == ()
    assert _endpoints(output.inventory.apis) == {
        "Private": (EndpointType.PRIVATE, (ENDPOINT,), 11, 12),
        "Regional": (EndpointType.REGIONAL, (), 17, None),
        "Chosen": (Unresolved("parameter Kind has no default"), (), 23, None),
        "Plain": (None, (), None, None),
    }


SAM = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Kind:
    Type: String
Globals:
  Api:
    EndpointConfiguration: PRIVATE
Resources:
  ObjectApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration:
        Type: PRIVATE
        VPCEndpointIds:
          - vpce-0a1b2c3d4e5f67890
  ParamApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration: !Ref Kind
  RegionalApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration: REGIONAL
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src
      Events:
        Get:
          Type: Api
          Properties:
            Path: /x
            Method: get
"""


def test_sam_string_object_parameter_and_globals(tmp_path: Path) -> None:
    """The string form, the `{Type, VPCEndpointIds}` form, a parameter, and Globals (implicit API)."""
    output = load(tmp_path, SAM)
    assert output.diagnostics == ()
    assert _endpoints(output.inventory.apis) == {
        "ObjectApi": (EndpointType.PRIVATE, (ENDPOINT,), 15, 16),
        "ParamApi": (Unresolved("parameter Kind has no default"), (), 22, None),
        "RegionalApi": (EndpointType.REGIONAL, (), 27, None),
        "ServerlessRestApi": (EndpointType.PRIVATE, (), 8, None),
    }


SERVERLESS = """\
service: shop

provider:
  name: aws
  runtime: python3.13
{provider}
functions:
  orders:
    handler: app.handler
    events:
      - http:
          path: orders
          method: get
"""


def _serverless(tmp_path: Path, provider: str, *, warnings: tuple[str, ...] = ()) -> Inventory:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVERLESS.format(provider=provider), encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert inventory is not None
    assert tuple(d.message for d in diagnostics) == warnings
    return inventory


def test_serverless_private_with_vpc_endpoint_ids(tmp_path: Path) -> None:
    provider = f"  endpointType: private\n  vpcEndpointIds:\n    - {ENDPOINT}\n"
    inventory = _serverless(tmp_path, provider)
    assert _endpoints(inventory.apis) == {"ApiGatewayRestApi": (EndpointType.PRIVATE, (ENDPOINT,), 6, 7)}


def test_serverless_regional_and_default(tmp_path: Path) -> None:
    assert _endpoints(_serverless(tmp_path, "  endpointType: REGIONAL\n").apis) == {
        "ApiGatewayRestApi": (EndpointType.REGIONAL, (), 6, None)
    }
    assert _endpoints(_serverless(tmp_path, "").apis) == {"ApiGatewayRestApi": (None, (), None, None)}


def test_serverless_unresolved_endpoint_type(tmp_path: Path) -> None:
    unset = "`${env:ENDPOINT_TYPE}`: environment variable `ENDPOINT_TYPE` is not set"
    inventory = _serverless(tmp_path, "  endpointType: ${env:ENDPOINT_TYPE}\n", warnings=(unset,))
    ((endpoint_type, ids, line, _),) = _endpoints(inventory.apis).values()
    assert isinstance(endpoint_type, Unresolved)
    assert (ids, line) == ((), 6)


def test_terraform_endpoint_configuration() -> None:
    item = InputFile(path=ROOT / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=ROOT)
    assert output.diagnostics == ()
    assert _endpoints(output.inventory.apis) == {
        "aws_api_gateway_rest_api.private": (EndpointType.PRIVATE, (ENDPOINT,), 8, 9),
        "aws_api_gateway_rest_api.regional": (EndpointType.REGIONAL, (), 16, None),
        "aws_api_gateway_rest_api.chosen": (Unresolved("var.kind"), (), 23, None),
        "aws_api_gateway_rest_api.plain": (None, (), None, None),
    }


def test_terraform_plan_endpoint_configuration() -> None:
    apis = {
        "private": {
            "name": "private",
            "endpoint_configuration": [{"types": ["PRIVATE"], "vpc_endpoint_ids": [ENDPOINT]}],
        },
        "plain": {"name": "plain", "endpoint_configuration": []},
    }
    resources = [
        {
            "address": f"aws_api_gateway_rest_api.{name}",
            "mode": "managed",
            "type": "aws_api_gateway_rest_api",
            "name": name,
            "provider_name": PROVIDER,
            "values": values,
        }
        for name, values in apis.items()
    ]
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}}}
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    found = {api.origin.resource: (api.endpoint_type, api.vpc_endpoint_ids) for api in map_plan(parsed).apis}
    assert found == {
        "aws_api_gateway_rest_api.private": (EndpointType.PRIVATE, (ENDPOINT,)),
        "aws_api_gateway_rest_api.plain": (None, ()),
    }
