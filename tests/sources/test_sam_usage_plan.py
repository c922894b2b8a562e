"""SAM `Auth.UsagePlan`: the generated usage plan throttles the API-key routes of its APIs."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Throttling
from sources.cfn.load import load

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  PartnerApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
          Throttle: {RateLimit: 5, BurstLimit: 10}
  SharedA:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: SHARED
          Throttle: {RateLimit: 7}
  SharedB:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: SHARED
  NoPlan:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: NONE
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Partner:
          Type: Api
          Properties: {RestApiId: !Ref PartnerApi, Path: /a, Method: get}
        SharedA:
          Type: Api
          Properties: {RestApiId: !Ref SharedA, Path: /b, Method: get}
        SharedB:
          Type: Api
          Properties: {RestApiId: !Ref SharedB, Path: /c, Method: get}
        NoPlan:
          Type: Api
          Properties: {RestApiId: !Ref NoPlan, Path: /d, Method: get}
        Open:
          Type: Api
          Properties:
            RestApiId: !Ref PartnerApi
            Path: /open
            Method: get
            Auth: {ApiKeyRequired: false}
"""


def test_usage_plans_throttle_the_key_routes_of_their_apis(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    throttles = {route.origin.resource: route.throttling for route in output.inventory.api_routes}
    assert throttles == {
        "PartnerApi/GET /a": Throttling(rate_limit=5.0, burst_limit=10),
        "PartnerApi/GET /open": None,
        "SharedA/GET /b": Throttling(rate_limit=7.0),
        "SharedB/GET /c": Throttling(rate_limit=7.0),
        "NoPlan/GET /d": None,
    }
    assert output.diagnostics == ()
