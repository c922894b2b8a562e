"""API Gateway in templates: REST and HTTP APIs, OpenAPI bodies, routes to functions, auth and stages."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    Api,
    ApiKind,
    ApiRoute,
    ApiStage,
    AuthorizationKind,
    Authorizer,
    Origin,
    SourceKind,
    Throttling,
    Unresolved,
)
from sources.cfn.load import diagnostics, fields, line, load

REST = """
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: r}
  AuthFn:
    Type: AWS::Lambda::Function
    Properties: {Role: r}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: orders}
  Orders:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: orders
  OrderId:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !Ref Orders
      PathPart: "{id}"
  ListOrders:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Orders
      HttpMethod: get
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  GetOrder:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref OrderId
      HttpMethod: GET
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref TokenAuth
      ApiKeyRequired: true
      Integration:
        Type: AWS_PROXY
        Uri: !Join ["", ["arn:aws:apigateway:", !Ref AWS::Region, ":lambda:path/2015-03-31/functions/", !GetAtt Fn.Arn, "/invocations"]]
  Mock:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration: {Type: MOCK}
  TokenAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Type: TOKEN
      AuthorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      TracingEnabled: true
      AccessLogSetting: {DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:api, Format: $context.requestId}
      MethodSettings:
        - {ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50}
        - {ResourcePath: "/~1orders", HttpMethod: GET, ThrottlingRateLimit: 5}
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages: [{ApiId: !Ref Api, Stage: !Ref Prod}]
      Throttle: {RateLimit: 10, BurstLimit: 20}
"""  # noqa: E501


def origin(text: str, resource: str, needle: str, *, nth: int = 1) -> Origin:
    at = line(text, needle, nth=nth)
    return Origin(source=SourceKind.CLOUDFORMATION, file="template.yaml", line=at, resource=resource)


def test_rest_api_from_resources_and_methods(tmp_path: Path) -> None:
    out = load(tmp_path, REST)
    assert diagnostics(out) == set()
    inv = out.inventory
    assert inv.apis == (
        Api(key="template.yaml#Api", kind=ApiKind.REST, name="orders", origin=origin(REST, "Api", "  Api:")),
    )
    assert inv.api_routes == (
        ApiRoute(
            key="template.yaml#ListOrders",
            api="template.yaml#Api",
            method="GET",
            path="/orders",
            function="template.yaml#Fn",
            authorization=AuthorizationKind.NONE,
            throttling=Throttling(rate_limit=5.0),
            origin=origin(REST, "ListOrders", "  ListOrders:"),
        ),
        ApiRoute(
            key="template.yaml#GetOrder",
            api="template.yaml#Api",
            method="GET",
            path="/orders/{id}",
            function="template.yaml#Fn",
            authorization=AuthorizationKind.CUSTOM,
            authorizer="template.yaml#TokenAuth",
            api_key_required=True,
            throttling=Throttling(rate_limit=10.0, burst_limit=20),
            origin=origin(REST, "GetOrder", "  GetOrder:"),
        ),
    )
    assert fields(inv.api_routes[0]) == {
        "api": line(REST, "RestApiId: !Ref Api", nth=3),
        "method": line(REST, "HttpMethod: get"),
        "path": line(REST, "ResourceId: !Ref Orders"),
        "function": line(REST, "Uri: !Sub"),
        "authorization": line(REST, "AuthorizationType: NONE"),
    }
    assert inv.authorizers == (
        Authorizer(
            key="template.yaml#TokenAuth",
            api="template.yaml#Api",
            kind=AuthorizationKind.CUSTOM,
            function="template.yaml#AuthFn",
            origin=origin(REST, "TokenAuth", "  TokenAuth:"),
        ),
    )
    assert inv.api_stages == (
        ApiStage(
            key="template.yaml#Prod",
            api="template.yaml#Api",
            name="prod",
            throttling=Throttling(rate_limit=100.0, burst_limit=50),
            access_logging=True,
            tracing=True,
            origin=origin(REST, "Prod", "  Prod:"),
        ),
    )
    assert fields(inv.api_stages[0])["throttling"] == line(REST, 'ResourcePath: "/*"')


BODY = """
Parameters:
  Stage: {Type: String, Default: v1}
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties: {Role: r}
  Authorizer:
    Type: AWS::Lambda::Function
    Properties: {Role: r}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        info: {title: from-body}
        securityDefinitions:
          Lambda:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: token
              authorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Authorizer.Arn}/invocations
          AWS_IAM: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
          api_key: {type: apiKey, name: x-api-key, in: header}
        security: [{Lambda: []}]
        paths:
          /orders:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Orders.Arn}/invocations
            post:
              security: [{AWS_IAM: []}]
              x-amazon-apigateway-auth: {type: AWS_IAM}
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:ext/invocations
          /health:
            x-amazon-apigateway-any-method:
              security: [{NONE: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Orders.Arn}/invocations
          /keyed:
            get:
              security: [{api_key: []}, {Lambda: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Orders.Arn}/invocations
          /mock:
            get:
              x-amazon-apigateway-integration: {type: mock}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: !Ref Stage
      StageDescription:
        ThrottlingRateLimit: 25
        TracingEnabled: true
"""  # noqa: E501


def test_rest_api_from_an_openapi_body(tmp_path: Path) -> None:
    out = load(tmp_path, BODY)
    assert diagnostics(out) == set()
    inv = out.inventory
    assert inv.apis == (
        Api(
            key="template.yaml#Api", kind=ApiKind.REST, name="from-body", origin=origin(BODY, "Api", "  Api:")
        ),
    )
    routes = {route.key: route for route in inv.api_routes}
    assert routes == {
        "template.yaml#Api/GET /orders": ApiRoute(
            key="template.yaml#Api/GET /orders",
            api="template.yaml#Api",
            method="GET",
            path="/orders",
            function="template.yaml#Orders",
            authorization=AuthorizationKind.CUSTOM,
            authorizer="template.yaml#Api/authorizers/Lambda",
            origin=origin(BODY, "Api/GET /orders", "get:"),
        ),
        "template.yaml#Api/POST /orders": ApiRoute(
            key="template.yaml#Api/POST /orders",
            api="template.yaml#Api",
            method="POST",
            path="/orders",
            function="arn:aws:lambda:us-east-1:123456789012:function:ext",
            authorization=AuthorizationKind.AWS_IAM,
            origin=origin(BODY, "Api/POST /orders", "post:"),
        ),
        "template.yaml#Api/ANY /health": ApiRoute(
            key="template.yaml#Api/ANY /health",
            api="template.yaml#Api",
            method="ANY",
            path="/health",
            function="template.yaml#Orders",
            authorization=AuthorizationKind.NONE,
            origin=origin(BODY, "Api/ANY /health", "x-amazon-apigateway-any-method"),
        ),
        "template.yaml#Api/GET /keyed": ApiRoute(
            key="template.yaml#Api/GET /keyed",
            api="template.yaml#Api",
            method="GET",
            path="/keyed",
            function="template.yaml#Orders",
            authorization=AuthorizationKind.CUSTOM,  # API Gateway requires both the authorizer and the key
            authorizer="template.yaml#Api/authorizers/Lambda",
            api_key_required=True,
            origin=origin(BODY, "Api/GET /keyed", "get:", nth=2),
        ),
    }
    assert fields(routes["template.yaml#Api/POST /orders"]) == {
        "authorization": line(BODY, "x-amazon-apigateway-auth:"),
        "function": line(BODY, "uri: arn:aws:apigateway:us-east-1"),
        "method": line(BODY, "post:"),
        "path": line(BODY, "post:"),
    }
    assert inv.authorizers == (
        Authorizer(
            key="template.yaml#Api/authorizers/Lambda",
            api="template.yaml#Api",
            kind=AuthorizationKind.CUSTOM,
            function="template.yaml#Authorizer",
            origin=origin(BODY, "Api/authorizers/Lambda", " Lambda:"),
        ),
    )
    assert inv.api_stages == (
        ApiStage(
            key="template.yaml#Deployment/v1",
            api="template.yaml#Api",
            name="v1",
            throttling=Throttling(rate_limit=25.0),
            tracing=True,
            origin=origin(BODY, "Deployment/v1", "  Deployment:"),
        ),
    )


HTTP = """
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: r}
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: http, ProtocolType: HTTP}
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
      PayloadFormatVersion: "2.0"
  GetItems:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: GET /items
      AuthorizationType: JWT
      AuthorizerId: !Ref Jwt
      Target: !Sub integrations/${Integration}
  Fallback:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: $default
      Target: !Join [/, [integrations, !Ref Integration]]
  Jwt:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Http
      AuthorizerType: JWT
      IdentitySource: [$request.header.Authorization]
      JwtConfiguration: {Audience: [app], Issuer: https://issuer.example.com}
  Default:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: $default
      AutoDeploy: true
      DefaultRouteSettings: {ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5}
      RouteSettings:
        GET /items: {ThrottlingRateLimit: 1}
  Quick:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
      Target: !GetAtt Fn.Arn
  OpenApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Body:
        openapi: "3.0.1"
        info: {title: openapi-http}
        components:
          securitySchemes:
            Jwt:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration: {audience: [app], issuer: https://issuer.example.com}
        paths:
          /things:
            post:
              security: [{Jwt: [write]}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                payloadFormatVersion: "2.0"
                uri: !GetAtt Fn.Arn
"""


def test_http_apis(tmp_path: Path) -> None:
    out = load(tmp_path, HTTP)
    assert diagnostics(out) == set()
    inv = out.inventory
    assert [(api.key, api.kind, api.name) for api in inv.apis] == [
        ("template.yaml#Http", ApiKind.HTTP, "http"),
        ("template.yaml#Quick", ApiKind.HTTP, Unresolved("generated by CloudFormation")),
        ("template.yaml#OpenApi", ApiKind.HTTP, "openapi-http"),
    ]
    routes = {route.key: route for route in inv.api_routes}
    assert routes["template.yaml#GetItems"] == ApiRoute(
        key="template.yaml#GetItems",
        api="template.yaml#Http",
        method="GET",
        path="/items",
        function="template.yaml#Fn",
        authorization=AuthorizationKind.JWT,
        authorizer="template.yaml#Jwt",
        throttling=Throttling(rate_limit=1.0),
        origin=origin(HTTP, "GetItems", "  GetItems:"),
    )
    assert [(r.method, r.path, r.function, r.authorization) for r in routes.values()] == [
        ("ANY", "$default", "template.yaml#Fn", AuthorizationKind.NONE),
        ("POST", "/things", "template.yaml#Fn", AuthorizationKind.JWT),
        ("GET", "/items", "template.yaml#Fn", AuthorizationKind.JWT),
        ("ANY", "$default", "template.yaml#Fn", AuthorizationKind.NONE),
    ]
    assert list(routes) == [
        "template.yaml#Quick/$default",
        "template.yaml#OpenApi/POST /things",
        "template.yaml#GetItems",
        "template.yaml#Fallback",
    ]
    assert [(a.key, a.kind) for a in inv.authorizers] == [
        ("template.yaml#OpenApi/authorizers/Jwt", AuthorizationKind.JWT),
        ("template.yaml#Jwt", AuthorizationKind.JWT),
    ]
    assert [(s.key, s.name, s.throttling, s.access_logging, s.tracing) for s in inv.api_stages] == [
        ("template.yaml#Quick/$default", "$default", None, False, False),
        ("template.yaml#Default", "$default", Throttling(rate_limit=5.0, burst_limit=10), False, False),
    ]
    (fn,) = inv.functions
    assert len(inv.routes_to(fn)) == 4
