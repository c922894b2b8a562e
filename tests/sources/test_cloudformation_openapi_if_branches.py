"""An OpenAPI `Body` path item or method chosen by `Fn::If` on an unknown condition lists both branches."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import AuthorizationKind
from sources.cfn.load import line, load

TEMPLATE = """
Parameters:
  Stage:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  Never: !Equals [a, b]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "def handler(e, c): pass"}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        securityDefinitions:
          sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
        paths:
          /orders:
            Fn::If:
              - IsProd
              - post:
                  security: [{sigv4: []}]
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
              - post:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
          /items:
            get:
              Fn::If:
                - IsProd
                - x-amazon-apigateway-integration:
                    type: aws_proxy
                    uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
                - !Ref AWS::NoValue
          /known:
            Fn::If:
              - Never
              - get:
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
              - !Ref AWS::NoValue
"""  # noqa: E501


def test_both_branches_give_routes(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    routes = {
        r.origin.resource: (r.method, r.path, r.function, r.authorization, r.origin.line)
        for r in output.inventory.api_routes
    }
    assert routes == {
        "Api/POST /orders": (
            "POST",
            "/orders",
            "template.yaml#Fn",
            AuthorizationKind.AWS_IAM,
            line(TEMPLATE, "- post:", nth=1),
        ),
        "Api/POST /orders (unless IsProd)": (
            "POST",
            "/orders",
            "template.yaml#Fn",
            AuthorizationKind.NONE,
            line(TEMPLATE, "- post:", nth=2),
        ),
        "Api/GET /items": (
            "GET",
            "/items",
            "template.yaml#Fn",
            AuthorizationKind.NONE,
            line(TEMPLATE, "get:"),
        ),
    }
    assert output.diagnostics == ()
