"""SAM `Auth.ApiKeyRequired` with authorizers: a route requires both its authorizer and the API key."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import AuthorizationKind
from sources.cfn.load import load

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Users
        ApiKeyRequired: true
        Authorizers:
          Users:
            UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc
          Token:
            FunctionArn: !GetAtt Authorizer.Arn
  Authorizer:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Default:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /default, Method: get}
        Token:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /token, Method: get, Auth: {Authorizer: Token}}
        KeyOnly:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /key, Method: get, Auth: {Authorizer: NONE}}
        Open:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /open
            Method: get
            Auth: {Authorizer: NONE, ApiKeyRequired: false}
"""


def test_routes_keep_their_authorizer_and_require_the_key(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    routes = {
        route.origin.resource: (route.authorization, route.authorizer, route.api_key_required)
        for route in output.inventory.api_routes
    }
    assert routes == {
        "Api/GET /default": (AuthorizationKind.COGNITO, "template.yaml#Api/authorizers/Users", True),
        "Api/GET /token": (AuthorizationKind.CUSTOM, "template.yaml#Api/authorizers/Token", True),
        "Api/GET /key": (AuthorizationKind.NONE, None, True),
        "Api/GET /open": (AuthorizationKind.NONE, None, False),
    }
    assert output.diagnostics == ()
