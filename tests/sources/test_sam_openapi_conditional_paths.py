"""SAM API defaults reach the methods of a `DefinitionBody` path item chosen by `Fn::If`."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import AuthorizationKind
from sources.cfn.load import load

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Conditions:
  Legacy: !Equals [true, false]
Resources:
  Authorizer:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/}
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/}
  RestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        DefaultAuthorizer: Token
        Authorizers:
          Token:
            FunctionArn: !GetAtt Authorizer.Arn
      DefinitionBody:
        openapi: "3.0"
        paths:
          /orders:
            Fn::If:
              - Legacy
              - post:
                  x-amazon-apigateway-integration: {type: http_proxy, uri: https://legacy.example.com/}
              - post:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    httpMethod: POST
                    uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Token
        Authorizers:
          Token:
            FunctionArn: !GetAtt Authorizer.Arn
            AuthorizerPayloadFormatVersion: "2.0"
            EnableSimpleResponses: true
      DefinitionBody:
        openapi: "3.0"
        paths:
          /orders:
            Fn::If:
              - Legacy
              - get:
                  x-amazon-apigateway-integration: {type: http_proxy, uri: https://legacy.example.com/}
              - get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    httpMethod: POST
                    uri: !GetAtt Fn.Arn
                    payloadFormatVersion: "2.0"
"""  # noqa: E501


def test_default_authorizer_and_api_key_apply_inside_both_branches(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    routes = {
        route.origin.resource: (route.function, route.authorization, route.authorizer, route.api_key_required)
        for route in output.inventory.api_routes
    }
    assert routes == {
        "RestApi/POST /orders": (
            "template.yaml#Fn",
            AuthorizationKind.CUSTOM,
            "template.yaml#RestApi/authorizers/Token",
            True,
        ),
        "HttpApi/GET /orders": (
            "template.yaml#Fn",
            AuthorizationKind.CUSTOM,
            "template.yaml#HttpApi/authorizers/Token",
            False,
        ),
    }
    assert output.diagnostics == ()
