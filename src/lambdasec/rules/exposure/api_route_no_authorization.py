"""LS207 api-route-no-authorization: API Gateway routes that invoke a function for anyone."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._reachability import api_label, function_label, route_is_public, route_label


@inventory_rule(
    id="LS207",
    name="api-route-no-authorization",
    severity=Severity.HIGH,
    category=Category.EXPOSURE,
    cwe=("CWE-306",),
    scope=Scope.API_ROUTES,
    sources=frozenset(
        {
            SourceKind.SAM,
            SourceKind.CLOUDFORMATION,
            SourceKind.TERRAFORM,
            SourceKind.TERRAFORM_PLAN,
            SourceKind.SERVERLESS,
            SourceKind.CDK,
        }
    ),
    standards=Standards(
        owasp_serverless=("SAS-2", "SAS-5"), security_hub=("APIGateway.8",), practice="authentication"
    ),
)
def api_route_no_authorization(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags API Gateway REST methods and HTTP API routes that invoke a Lambda function with no
    authorizer (Lambda, Cognito or JWT), no IAM authorization and no required API key, unless the
    REST API's resource policy keeps anonymous callers from the internet out.
    CORS preflight routes (`OPTIONS`) are not reported.

    ## Why is this bad?
    Such a route is a public HTTPS endpoint in front of the function: anyone who finds the API's
    URL can call it as often as API Gateway's throttling allows, with any payload, and the function
    runs with its execution role's permissions. Unless the handler authenticates every request
    itself, its data and actions are open to the internet, and each call is billed to you.

    ## Example
    ### SAM
    ```yaml
    GetOrderFunction:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          GetOrder:
            Type: Api
            Properties:
              Path: /orders/{id}
              Method: get
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Api
      Properties:
        StageName: prod
        Auth:
          DefaultAuthorizer: CognitoAuthorizer
          Authorizers:
            CognitoAuthorizer:
              UserPoolArn: !GetAtt UserPool.Arn
    GetOrderFunction:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          GetOrder:
            Type: Api
            Properties:
              RestApiId: !Ref OrdersApi
              Path: /orders/{id}
              Method: get
    ```

    ### CloudFormation
    ```yaml
    GetOrderMethod:
      Type: AWS::ApiGateway::Method
      Properties:
        RestApiId: !Ref OrdersApi
        ResourceId: !Ref OrderResource
        HttpMethod: GET
        AuthorizationType: NONE
        Integration:
          Type: AWS_PROXY
          IntegrationHttpMethod: POST
          Uri: !Sub
            - arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Arn}/invocations
            - Arn: !GetAtt GetOrder.Arn
    ```

    Use instead:

    ```yaml
    GetOrderMethod:
      Type: AWS::ApiGateway::Method
      Properties:
        RestApiId: !Ref OrdersApi
        ResourceId: !Ref OrderResource
        HttpMethod: GET
        AuthorizationType: COGNITO_USER_POOLS
        AuthorizerId: !Ref CognitoAuthorizer
        Integration:
          Type: AWS_PROXY
          IntegrationHttpMethod: POST
          Uri: !Sub
            - arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Arn}/invocations
            - Arn: !GetAtt GetOrder.Arn
    ```

    ### Terraform
    ```hcl
    resource "aws_api_gateway_method" "list_orders" {
      rest_api_id   = aws_api_gateway_rest_api.shop.id
      resource_id   = aws_api_gateway_resource.orders.id
      http_method   = "GET"
      authorization = "NONE"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_api_gateway_method" "list_orders" {
      rest_api_id   = aws_api_gateway_rest_api.shop.id
      resource_id   = aws_api_gateway_resource.orders.id
      http_method   = "GET"
      authorization = "COGNITO_USER_POOLS"
      authorizer_id = aws_api_gateway_authorizer.cognito.id
    }
    ```

    ### Serverless
    ```yaml
    functions:
      orders:
        handler: app.handler
        events:
          - http:
              path: orders
              method: get
    ```

    Use instead:

    ```yaml
    functions:
      orders:
        handler: app.handler
        events:
          - http:
              path: orders
              method: get
              authorizer: aws_iam
    ```

    ### CDK
    ```ts
    const orders = api.root.addResource("orders");
    orders.addMethod("GET", new apigateway.LambdaIntegration(fn));
    ```

    Use instead:

    ```ts
    const orders = api.root.addResource("orders");
    orders.addMethod("GET", new apigateway.LambdaIntegration(fn), {
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizer: new apigateway.CognitoUserPoolsAuthorizer(this, "Users", { cognitoUserPools: [users] }),
    });
    ```

    ## Known problems
    A route that is public on purpose (a health check, a webhook that verifies a signature in the
    handler, a login endpoint) is still reported: suppress it with a reason. Routes whose
    authorization or API key requirement comes from a parameter are reported as not evaluated.
    WebSocket APIs check authorization only on `$connect`: only that route is judged, and other
    WebSocket routes are never reported. A REST API's resource policy (`Policy`, the body's
    `x-amazon-apigateway-policy`, SAM's `Auth.ResourcePolicy`, `aws_api_gateway_rest_api_policy`,
    serverless.yml's `provider.apiGateway.resourcePolicy`) is read for an anonymous request from
    the internet: a route it lets in only from VPC endpoints (`aws:SourceVpce`), listed IP ranges
    or AWS accounts, or that it denies, is not reported (API Gateway also denies routes that no
    statement allows); a time window, `aws:SecureTransport` or a deny list restricts no one. A
    policy, or a statement of it, that cannot be read or judged (a condition on another key, a
    stage name from a parameter that the policy depends on) leaves the route not evaluated. An
    API's private endpoint type without a policy is not taken into account.
    An HTTP API route (`aws_apigatewayv2_route`) without `authorization_type` is open and is
    reported on its block. In serverless.yml, an `authorizer` whose value cannot be resolved (an `${ssm:...}`
    variable) leaves the route not evaluated.

    ## References
    - Amazon API Gateway Developer Guide: Controlling and managing access to a REST API,
      https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    - Amazon API Gateway Developer Guide: Controlling access to HTTP APIs with authorizers,
      https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html
    - AWS Security Hub control APIGateway.8: API Gateway routes should specify an authorization type
    - CWE-306: Missing Authentication for Critical Function, https://cwe.mitre.org/data/definitions/306.html
    """
    for route in inv.api_routes:
        match route_is_public(inv, route):
            case True:
                yield ctx.finding(
                    route,
                    field="authorization",
                    message=(
                        f"Route `{route_label(route)}` of API `{api_label(inv, route.api)}` invokes "
                        f"`{function_label(inv, route.function)}` with no authorizer, IAM authorization "
                        "or API key, so anyone on the internet can call it"
                    ),
                )
            case Unresolved(reason=reason):
                ctx.unevaluated(route, reason=f"authorization unknown: {reason}")
            case False:
                pass
