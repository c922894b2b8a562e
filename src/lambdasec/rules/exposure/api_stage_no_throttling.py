"""LS208 api-stage-no-throttling: API stages in front of functions with no throttling limit."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import ApiRoute, ApiStage, Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label
from lambdasec.rules._reachability import api_label, api_unreachable, function_label, is_throttled, join_and


@inventory_rule(
    id="LS208",
    name="api-stage-no-throttling",
    severity=Severity.MEDIUM,
    category=Category.EXPOSURE,
    cwe=("CWE-770",),
    scope=Scope.API_STAGES,
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
    standards=Standards(owasp_serverless=("SAS-6",), practice="rate limiting"),
)
def api_stage_no_throttling(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags API Gateway stages that route requests to Lambda functions without any throttling of
    their own: no stage-wide rate or burst limit (`MethodSettings` for `/*` `*` on REST APIs,
    `DefaultRouteSettings` on HTTP APIs), and some function routes with neither a per-route limit
    nor a usage plan limit (a usage plan throttles the routes that require its API keys).
    A stage of a private REST API (endpoint type `PRIVATE`) without a resource policy is not
    reported: no one can call it. One with a policy is judged like any other stage, since the
    callers it admits through VPC endpoints can flood it too.

    ## Why is this bad?
    Without a stage limit the only brake is the account-wide API Gateway quota (10,000 requests
    per second per region by default) and Lambda's account concurrency (1,000 by default). One
    client, or a botnet, can push every function behind the stage to that ceiling: the bill grows
    with each request (denial of wallet), and because concurrency is shared across the account,
    every other function in the account starts being throttled too (denial of service).

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Api
      Properties:
        StageName: prod
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Api
      Properties:
        StageName: prod
        MethodSettings:
          - ResourcePath: "/*"
            HttpMethod: "*"
            ThrottlingRateLimit: 50
            ThrottlingBurstLimit: 100
    ```

    ### CloudFormation
    ```yaml
    HttpApiStage:
      Type: AWS::ApiGatewayV2::Stage
      Properties:
        ApiId: !Ref HttpApi
        StageName: $default
        AutoDeploy: true
    ```

    Use instead:

    ```yaml
    HttpApiStage:
      Type: AWS::ApiGatewayV2::Stage
      Properties:
        ApiId: !Ref HttpApi
        StageName: $default
        AutoDeploy: true
        DefaultRouteSettings:
          ThrottlingRateLimit: 50
          ThrottlingBurstLimit: 100
    ```

    ### Terraform
    ```hcl
    resource "aws_apigatewayv2_stage" "default" {
      api_id      = aws_apigatewayv2_api.http.id
      name        = "$default"
      auto_deploy = true
    }
    ```

    Use instead:

    ```hcl
    resource "aws_apigatewayv2_stage" "default" {
      api_id      = aws_apigatewayv2_api.http.id
      name        = "$default"
      auto_deploy = true
      default_route_settings {
        throttling_rate_limit  = 20
        throttling_burst_limit = 40
      }
    }
    ```

    ### Serverless
    ```yaml
    provider:
      name: aws
    functions:
      partnerOrders:
        handler: app.handler
        events:
          - http:
              path: partner/orders
              method: get
    ```

    Use instead:

    ```yaml
    provider:
      name: aws
      apiGateway:
        usagePlan:
          throttle:
            rateLimit: 5
            burstLimit: 10
    functions:
      partnerOrders:
        handler: app.handler
        events:
          - http:
              path: partner/orders
              method: get
              private: true
    ```

    ### CDK
    ```ts
    new apigateway.LambdaRestApi(this, "Shop", { handler: fn });
    ```

    Use instead:

    ```ts
    new apigateway.LambdaRestApi(this, "Shop", {
      handler: fn,
      deployOptions: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    });
    ```

    ## Known problems
    A per-method limit in a stage's `MethodSettings` is attributed to the route on every stage of
    the API. Usage plans only count for routes that require an API key. Throttling configured
    outside the scanned templates (the console, an AWS WAF rate-based rule, a CloudFront
    distribution in front of the API) is not seen. SAM creates an extra stage named `Stage`
    unless `OpenApiVersion` is set; it has none of the named stage's settings and is reported too.
    Stages whose throttling comes from a parameter are reported as not evaluated.
    In Terraform, REST stages are throttled by `aws_api_gateway_method_settings` (`method_path = "*/*"`
    for the stage, `resource/METHOD` for one method) and by `aws_api_gateway_usage_plan` `throttle_settings`;
    a stage created by `aws_api_gateway_deployment` `stage_name` and the `$default` stage of a quick-create
    HTTP API have no settings and are reported. serverless.yml has no stage throttling setting: the
    framework's stages are reported on `provider` unless every function route is `private` under a
    usage plan with a `throttle`; limits added by plugins or by overriding the generated stage are not seen.

    ## References
    - Amazon API Gateway Developer Guide: Throttle requests to your REST APIs,
      https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
    - Amazon API Gateway Developer Guide: Throttle requests to your HTTP APIs,
      https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
    - OWASP API Security Top 10 2023, API4: Unrestricted Resource Consumption
    - CWE-770: Allocation of Resources Without Limits or Throttling,
      https://cwe.mitre.org/data/definitions/770.html
    """
    routes_by_api: dict[str, list[ApiRoute]] = {}
    for route in inv.api_routes:
        if isinstance(route.api, str):
            routes_by_api.setdefault(route.api, []).append(route)
    for stage in inv.api_stages:
        routes = routes_by_api.get(stage.api, []) if isinstance(stage.api, str) else []
        if isinstance(stage.api, Unresolved):
            ctx.unevaluated(stage, reason=f"API unknown: {stage.api.reason}")
            continue
        match is_throttled(stage.throttling):
            case True:
                continue
            case Unresolved(reason=reason):
                ctx.unevaluated(stage, reason=f"stage throttling unknown: {reason}")
                continue
        open_routes = [route for route in routes if is_throttled(route.throttling) is False]
        unknown = [route for route in routes if isinstance(is_throttled(route.throttling), Unresolved)]
        if open_routes:
            match api_unreachable(inv, stage.api):
                case True:  # a private API without a resource policy: no one can call it
                    pass
                case Unresolved(reason=reason):
                    ctx.unevaluated(stage, reason=reason)
                case False:
                    yield _finding(inv, ctx, stage=stage, routes=open_routes)
        elif unknown:
            ctx.unevaluated(stage, reason=f"throttling of route `{unknown[0].origin.resource}` unknown")


def _finding(inv: Inventory, ctx: RuleContext, *, stage: ApiStage, routes: list[ApiRoute]) -> Finding:
    functions = sorted({function_label(inv, route.function) for route in routes})
    names = join_and([f"`{name}`" for name in functions])
    them = "it" if len(functions) == 1 else "them"
    stage_name = stage.name if isinstance(stage.name, str) else resource_label(stage.origin)
    return ctx.finding(
        stage,
        field="throttling",
        function=functions[0] if len(functions) == 1 else None,
        message=(
            f"Stage `{stage_name}` of API `{api_label(inv, stage.api)}` has no throttling limit in front of "
            f"{names}, so one client can drive {them} to the account's concurrency and cost limits"
        ),
        properties={"functions": ",".join(functions)},
    )
