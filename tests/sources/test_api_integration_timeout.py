"""Integration timeouts (`TimeoutInMillis`) of API routes: REST methods, HTTP API integrations, SAM events."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Unresolved
from sources.cfn.load import fields, line, load

CFN = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Millis:
    Type: Number
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "x"}
  RestApi:
    Type: AWS::ApiGateway::RestApi
  Short:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !GetAtt RestApi.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        TimeoutInMillis: 10000
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  FromParameter:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !GetAtt RestApi.RootResourceId
      HttpMethod: PUT
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        TimeoutInMillis: !Ref Millis
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Default:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !GetAtt RestApi.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
  HttpIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref HttpApi
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
      PayloadFormatVersion: "2.0"
      TimeoutInMillis: 15000
  HttpRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref HttpApi
      RouteKey: GET /orders
      Target: !Sub integrations/${HttpIntegration}
"""

SAM = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Rest:
          Type: Api
          Properties:
            Path: /a
            Method: get
            TimeoutInMillis: 12000
        Http:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Path: /b
            Method: get
            TimeoutInMillis: 8000
        Plain:
          Type: Api
          Properties:
            Path: /c
            Method: get
"""


def test_cloudformation_integration_timeouts(tmp_path: Path) -> None:
    routes = {route.origin.resource: route for route in load(tmp_path, CFN).inventory.api_routes}
    timeouts = {resource: route.integration_timeout_ms for resource, route in routes.items()}
    assert timeouts == {
        "Short": 10000,
        "FromParameter": Unresolved("parameter Millis has no default"),
        "Default": None,
        "HttpRoute": 15000,
    }
    assert fields(routes["Short"])["integration_timeout_ms"] == line(CFN, "TimeoutInMillis: 10000")


def test_sam_event_timeouts_reach_the_routes(tmp_path: Path) -> None:
    routes = load(tmp_path, SAM).inventory.api_routes
    assert {route.origin.resource: route.integration_timeout_ms for route in routes} == {
        "ServerlessRestApi/GET /a": 12000,
        "ServerlessRestApi/GET /c": None,
        "HttpApi/GET /b": 8000,
    }
