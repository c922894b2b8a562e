"""An Api event whose authorizer is not known statically leaves the route's authorization unknown."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import AuthorizationKind, Unresolved
from sources.cfn.load import load

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  AuthName:
    Type: String
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Runtime: python3.13
      Events:
        Unknown:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /unknown
            Method: get
            Auth:
              Authorizer: !Ref AuthName
        Open:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /open
            Method: get
"""


def test_an_authorizer_from_a_parameter_is_unresolved_not_none(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    routes = {route.path: route.authorization for route in output.inventory.api_routes}
    assert routes == {
        "/unknown": Unresolved("undefined security scheme authorizer !Ref AuthName"),
        "/open": AuthorizationKind.NONE,
    }
