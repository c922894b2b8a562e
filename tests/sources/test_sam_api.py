"""SAM transform: Api/HttpApi events and AWS::Serverless::Api/HttpApi -> API Gateway with routes and auth."""

from __future__ import annotations

import json

from lambdasec.sources.cloudformation.sam import SamExpansion, expand_sam
from lambdasec.sources.yaml_loader import load_yaml


def expand(text: str) -> SamExpansion:
    return expand_sam(load_yaml(text), file="template.yaml")


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


def uri(target: str) -> dict[str, str]:
    return {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
        f"${{{target}}}/invocations"
    }


EXECUTE_API = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}"

IMPLICIT = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
        List:
          Type: Api
          Properties:
            Path: /items/
            Method: get
        Item:
          Type: Api
          Properties:
            Path: /items/{id}
            Method: any
"""


def test_implicit_rest_api() -> None:
    result = expand(IMPLICIT)
    assert result.diagnostics == ()
    resources = result.template["Resources"]
    deployments = [k for k in resources if k.startswith("ServerlessRestApiDeployment")]
    assert len(deployments) == 1
    assert sorted(resources) == sorted(
        [
            "Fn",
            "FnRole",
            "FnListPermissionProd",
            "FnItemPermissionProd",
            "ServerlessRestApi",
            deployments[0],
            "ServerlessRestApiProdStage",
        ]
    )
    integration = {"type": "aws_proxy", "httpMethod": "POST", "uri": uri("Fn.Arn")}
    assert plain(resources["ServerlessRestApi"]) == {
        "Type": "AWS::ApiGateway::RestApi",
        "Properties": {
            "Body": {
                "swagger": "2.0",
                "info": {"version": "1.0", "title": {"Ref": "AWS::StackName"}},
                "paths": {
                    "/items/": {"get": {"x-amazon-apigateway-integration": integration, "responses": {}}},
                    "/items/{id}": {
                        "x-amazon-apigateway-any-method": {
                            "x-amazon-apigateway-integration": integration,
                            "responses": {},
                        }
                    },
                },
            }
        },
    }
    assert plain(resources["FnListPermissionProd"]["Properties"]) == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "Fn"},
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": {
            "Fn::Sub": [
                f"{EXECUTE_API}/GET/items",
                {"__ApiId__": {"Ref": "ServerlessRestApi"}, "__Stage__": "*"},
            ]
        },
    }
    assert plain(resources["FnItemPermissionProd"]["Properties"]["SourceArn"])["Fn::Sub"][0] == (
        f"{EXECUTE_API}/*/items/*"
    )
    assert plain(resources["ServerlessRestApiProdStage"]["Properties"]) == {
        "DeploymentId": {"Ref": deployments[0]},
        "RestApiId": {"Ref": "ServerlessRestApi"},
        "StageName": "Prod",
    }


def test_implicit_rest_api_lines_point_at_the_events() -> None:
    resources = expand(IMPLICIT).template["Resources"]
    assert resources.key_lines["ServerlessRestApi"] == 8
    paths = resources["ServerlessRestApi"]["Properties"]["Body"]["paths"]
    assert paths.key_lines == {"/items/": 11, "/items/{id}": 16}
    assert paths["/items/"].key_lines == {"get": 8}
    assert paths["/items/"]["get"].line == 8
    assert resources.key_lines["FnItemPermissionProd"] == 13


AUTH = """\
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      TracingEnabled: true
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          ThrottlingRateLimit: 100
      AccessLogSetting:
        DestinationArn: arn:aws:logs:us-east-1:111122223333:log-group:api
        Format: $context.requestId
      Auth:
        DefaultAuthorizer: Users
        ApiKeyRequired: true
        Authorizers:
          Users:
            UserPoolArn: !GetAtt Pool.Arn
            AuthorizationScopes: [orders/read]
          Token:
            FunctionArn: !GetAtt AuthFn.Arn
            Identity:
              Header: X-Token
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
        Default:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /default, Method: get}
        Open:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /open
            Method: get
            Auth:
              Authorizer: NONE
              ApiKeyRequired: false
        Signed:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /signed
            Method: post
            Auth:
              Authorizer: AWS_IAM
        Custom:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /custom
            Method: put
            Auth:
              Authorizer: Token
"""


def test_explicit_rest_api_auth_is_reflected_in_each_route() -> None:
    result = expand(AUTH)
    assert result.diagnostics == ()
    resources = result.template["Resources"]
    paths = plain(resources["Api"]["Properties"]["Body"]["paths"])
    security = {path: methods[next(iter(methods))].get("security") for path, methods in paths.items()}
    assert security == {
        "/default": [{"Users": ["orders/read"]}, {"api_key": []}],
        "/open": [{"NONE": []}],
        "/signed": [{"AWS_IAM": []}, {"api_key": []}],
        "/custom": [{"Token": []}, {"api_key": []}],
    }
    signed = paths["/signed"]["post"]
    assert signed["x-amazon-apigateway-auth"] == {"type": "AWS_IAM"}
    assert signed["x-amazon-apigateway-integration"]["credentials"] == "arn:aws:iam::*:user/*"
    definitions = plain(resources["Api"]["Properties"]["Body"]["securityDefinitions"])
    assert definitions == {
        "Users": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": [{"Fn::GetAtt": ["Pool", "Arn"]}],
            },
        },
        "Token": {
            "type": "apiKey",
            "name": "X-Token",
            "in": "header",
            "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {
                "type": "token",
                "authorizerUri": {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                        "${__FunctionArn__}/invocations",
                        {"__FunctionArn__": {"Fn::GetAtt": ["AuthFn", "Arn"]}},
                    ]
                },
            },
        },
        "AWS_IAM": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "awsSigv4",
        },
        "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
    }
    assert plain(resources["ApiTokenAuthorizerPermission"]["Properties"]) == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Fn::GetAtt": ["AuthFn", "Arn"]},
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": {
            "Fn::Sub": [
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*",
                {"__ApiId__": {"Ref": "Api"}},
            ]
        },
    }
    assert sorted(k for k in resources if "Permission" in k) == [
        "ApiTokenAuthorizerPermission",
        "FnCustomPermissionprod",
        "FnDefaultPermissionprod",
        "FnOpenPermissionprod",
        "FnSignedPermissionprod",
    ]


def test_route_security_lines_point_at_the_auth_that_decided() -> None:
    paths = expand(AUTH).template["Resources"]["Api"]["Properties"]["Body"]["paths"]
    assert paths["/default"]["get"]["security"].item_lines == [15, 16]
    assert paths["/default"]["get"].key_lines["security"] == 15
    assert paths["/open"]["get"]["security"].item_lines == [41]
    assert paths["/signed"]["post"]["security"].item_lines == [50, 16]


def test_stage_settings_are_copied_with_their_lines() -> None:
    resources = expand(AUTH).template["Resources"]
    stage = resources["ApiprodStage"]["Properties"]
    assert plain({k: v for k, v in stage.items() if k not in ("DeploymentId",)}) == {
        "RestApiId": {"Ref": "Api"},
        "StageName": "prod",
        "AccessLogSetting": {
            "DestinationArn": "arn:aws:logs:us-east-1:111122223333:log-group:api",
            "Format": "$context.requestId",
        },
        "MethodSettings": [{"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingRateLimit": 100}],
        "TracingEnabled": True,
    }
    assert {
        k: stage.key_lines[k] for k in ("StageName", "TracingEnabled", "MethodSettings", "AccessLogSetting")
    } == {
        "StageName": 5,
        "TracingEnabled": 6,
        "MethodSettings": 7,
        "AccessLogSetting": 11,
    }
    assert resources.key_lines["ApiprodStage"] == 5
    assert resources["Api"]["Type"] == "AWS::ApiGateway::RestApi"


DEFINITION = """\
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      MergeDefinitions: MERGE
      Auth:
        DefaultAuthorizer: AWS_IAM
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /existing:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/x
          /public:
            get:
              security: [{NONE: []}]
              x-amazon-apigateway-integration: {type: mock}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
        New:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /new, Method: post}
"""


def test_definition_body_is_kept_and_merged_with_event_routes() -> None:
    template = load_yaml(DEFINITION)
    body_before = json.dumps(template["Resources"]["Api"]["Properties"]["DefinitionBody"])
    resources = expand_sam(template, file="t.yaml").template["Resources"]
    assert json.dumps(template["Resources"]["Api"]["Properties"]["DefinitionBody"]) == body_before
    body = resources["Api"]["Properties"]["Body"]
    paths = plain(body["paths"])
    assert sorted(paths) == ["/existing", "/new", "/public"]
    assert paths["/existing"]["get"]["security"] == [{"AWS_IAM": []}]
    assert paths["/existing"]["get"]["x-amazon-apigateway-auth"] == {"type": "AWS_IAM"}
    assert paths["/public"]["get"]["security"] == [{"NONE": []}]
    assert paths["/new"]["post"]["security"] == [{"AWS_IAM": []}]
    assert plain(body["components"]["securitySchemes"]) == {
        "AWS_IAM": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "awsSigv4",
        }
    }
    assert body["paths"].key_lines["/existing"] == 12
    assert body["paths"]["/existing"]["get"].key_lines["security"] == 8
    assert "FnNewPermissionStage" in resources
    assert "ApiStage" in resources


def test_definition_body_without_merge_keeps_the_routes_it_declares() -> None:
    text = DEFINITION.replace("      MergeDefinitions: MERGE\n", "")
    paths = expand(text).template["Resources"]["Api"]["Properties"]["Body"]["paths"]
    assert sorted(paths) == ["/existing", "/public"]


def test_rest_api_id_outside_the_template() -> None:
    result = expand("""\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !ImportValue shared-api
            Path: /x
            Method: get
""")
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (
            11,
            "`RestApiId` of event `Fn.Get` does not reference an API of this template's "
            "`AWS::Serverless::*` resources; permission generated, route unknown",
        )
    ]
    resources = result.template["Resources"]
    assert sorted(resources) == ["Fn", "FnGetPermissionAllStages", "FnRole"]
    assert plain(resources["FnGetPermissionAllStages"]["Properties"]["SourceArn"]) == {
        "Fn::Sub": [
            f"{EXECUTE_API}/GET/x",
            {"__ApiId__": {"Fn::ImportValue": "shared-api"}, "__Stage__": "*"},
        ]
    }


def test_implicit_http_api_default_route() -> None:
    resources = expand("""\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      AutoPublishAlias: live
      Events:
        All:
          Type: HttpApi
""").template["Resources"]
    assert plain(resources["ServerlessHttpApi"]["Properties"]["Body"]["paths"]) == {
        "$default": {
            "x-amazon-apigateway-any-method": {
                "x-amazon-apigateway-integration": {
                    "type": "aws_proxy",
                    "httpMethod": "POST",
                    "uri": uri("FnAliaslive"),
                    "payloadFormatVersion": "2.0",
                },
                "responses": {},
                "isDefaultRoute": True,
            }
        }
    }
    assert plain(resources["FnAllPermission"]["Properties"]) == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "FnAliaslive"},
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": {
            "Fn::Sub": [f"{EXECUTE_API}/*", {"__ApiId__": {"Ref": "ServerlessHttpApi"}, "__Stage__": "*"}]
        },
    }
    assert plain(resources["ServerlessHttpApiApiGatewayDefaultStage"]["Properties"]) == {
        "ApiId": {"Ref": "ServerlessHttpApi"},
        "StageName": "$default",
        "AutoDeploy": True,
        "Tags": {"httpapi:createdBy": "SAM"},
    }


HTTP = """\
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: v1
      DefaultRouteSettings:
        ThrottlingBurstLimit: 20
        ThrottlingRateLimit: 10
      Auth:
        DefaultAuthorizer: Jwt
        EnableIamAuthorizer: true
        Authorizers:
          Jwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: https://issuer.example.com
              audience: [orders]
          Lambda:
            FunctionArn: !GetAtt AuthFn.Arn
            AuthorizerPayloadFormatVersion: "2.0"
            EnableFunctionDefaultPermissions: true
            Identity:
              Headers: [Authorization]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
        Read:
          Type: HttpApi
          Properties: {ApiId: !Ref Http, Path: /orders, Method: GET}
        Health:
          Type: HttpApi
          Properties:
            ApiId: !Ref Http
            Path: /health
            Method: GET
            Auth:
              Authorizer: NONE
        Admin:
          Type: HttpApi
          Properties:
            ApiId: !Ref Http
            Path: /admin
            Method: POST
            Auth:
              Authorizer: AWS_IAM
        Hook:
          Type: HttpApi
          Properties:
            ApiId: !Ref Http
            Path: /hook
            Method: POST
            Auth:
              Authorizer: Lambda
"""


def test_http_api_auth_per_route_and_schemes() -> None:
    result = expand(HTTP)
    assert result.diagnostics == ()
    resources = result.template["Resources"]
    body = resources["Http"]["Properties"]["Body"]
    paths = plain(body["paths"])
    assert {path: methods[next(iter(methods))]["security"] for path, methods in paths.items()} == {
        "/orders": [{"Jwt": []}],
        "/health": [{"NONE": []}],
        "/admin": [{"AWS_IAM": []}],
        "/hook": [{"Lambda": []}],
    }
    assert paths["/admin"]["post"]["x-amazon-apigateway-auth"] == {"type": "AWS_IAM"}
    schemes = plain(body["components"]["securitySchemes"])
    assert sorted(schemes) == ["AWS_IAM", "Jwt", "Lambda"]
    assert schemes["Jwt"] == {
        "type": "oauth2",
        "x-amazon-apigateway-authorizer": {
            "type": "jwt",
            "jwtConfiguration": {"issuer": "https://issuer.example.com", "audience": ["orders"]},
            "identitySource": "$request.header.Authorization",
        },
    }
    assert schemes["Lambda"]["x-amazon-apigateway-authorizer"]["identitySource"] == [
        "$request.header.Authorization"
    ]
    assert body["paths"]["/orders"]["get"]["security"].item_lines == [10]
    assert body["paths"]["/health"]["get"]["security"].item_lines == [40]
    assert plain(resources["Httpv1Stage"]["Properties"]) == {
        "ApiId": {"Ref": "Http"},
        "StageName": "v1",
        "DefaultRouteSettings": {"ThrottlingBurstLimit": 20, "ThrottlingRateLimit": 10},
        "AutoDeploy": True,
        "Tags": {"httpapi:createdBy": "SAM"},
    }
    assert resources["Httpv1Stage"]["Properties"].key_lines["DefaultRouteSettings"] == 6
    assert "HttpLambdaAuthorizerPermission" in resources
    assert plain(resources["FnReadPermission"]["Properties"]["SourceArn"]) == {
        "Fn::Sub": [f"{EXECUTE_API}/GET/orders", {"__ApiId__": {"Ref": "Http"}, "__Stage__": "*"}]
    }


def test_undefined_authorizer_is_a_warning() -> None:
    result = expand("""\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
        Get:
          Type: Api
          Properties:
            Path: /x
            Method: get
            Auth:
              Authorizer: Missing
""")
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (14, "authorizer `Missing` of `Fn.Get` is not defined in the API's `Authorizers`")
    ]
    paths = result.template["Resources"]["ServerlessRestApi"]["Properties"]["Body"]["paths"]
    assert plain(paths["/x"]["get"]["security"]) == [{"Missing": []}]
