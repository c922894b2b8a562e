"""LS207 api-route-no-authorization: API Gateway routes that invoke a function for anyone."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._reachability import Exposure, api_label, function_label, route_exposure, route_label


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

    A route of a private REST API (endpoint type `PRIVATE`) is not on the internet: it is reached
    only through interface VPC endpoints, and only by callers the API's resource policy allows. It
    is not reported when the API has no resource policy (no one can call it) or when the policy
    admits only given VPC endpoints or VPCs (`aws:SourceVpce`, `aws:SourceVpc`); it is reported
    when the policy lets in any VPC endpoint, since anyone with an AWS account can create one.

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
    stage name from a parameter that the policy depends on) leaves the route not evaluated. A
    private API's policy is read for a request through a VPC endpoint in another account: its
    `aws:SourceVpce`, `aws:SourceVpc` and `aws:SourceVpcArn` conditions keep that caller out
    unless a wildcard takes its endpoint in, `aws:VpcSourceIp` does not (the caller picks its
    addresses), and `aws:SourceIp` is absent from such requests. An endpoint type from a
    parameter leaves the route not evaluated when the answer depends on it.
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
        match route_exposure(inv, route):
            case Exposure.INTERNET:
                yield ctx.finding(
                    route,
                    field="authorization",
                    message=(
                        f"Route `{route_label(route)}` of API `{api_label(inv, route.api)}` invokes "
                        f"`{function_label(inv, route.function)}` with no authorizer, IAM authorization "
                        "or API key, so anyone on the internet can call it"
                    ),
                )
            case Exposure.VPC_ENDPOINTS:
                yield ctx.finding(
                    route,
                    field="authorization",
                    message=(
                        f"Route `{route_label(route)}` of private API `{api_label(inv, route.api)}` invokes "
                        f"`{function_label(inv, route.function)}` with no authorizer, IAM authorization "
                        "or API key, and the API's resource policy lets in any VPC endpoint (no "
                        "`aws:SourceVpce` or `aws:SourceVpc` condition), so anyone can call it through an "
                        "interface VPC endpoint in their own AWS account"
                    ),
                )
            case Unresolved(reason=reason):
                ctx.unevaluated(route, reason=f"authorization unknown: {reason}")
            case Exposure.NONE:
                pass
