"""LS209 api-access-logging-off: API Gateway stages that write no access log."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label
from lambdasec.rules._reachability import api_label


@inventory_rule(
    id="LS209",
    name="api-access-logging-off",
    severity=Severity.LOW,
    category=Category.EXPOSURE,
    cwe=("CWE-778",),
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
    standards=Standards(
        owasp_serverless=("SAS-10",), security_hub=("APIGateway.9",), practice="logging and monitoring"
    ),
)
def api_access_logging_off(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags API Gateway stages (REST, HTTP and WebSocket) with no access logging destination
    (`AccessLogSetting` on REST stages, `AccessLogSettings` on HTTP and WebSocket stages).

    ## Why is this bad?
    The access log is the only record of who called the API: source IP, caller identity, route,
    status and latency of every request. Without it an abuse of a public route, a credential
    stuffing run against a login endpoint or a denial-of-wallet attack cannot be investigated or
    even noticed, and the function's own logs do not show requests that API Gateway rejected or
    throttled. Execution logging (`LoggingLevel`) is not a substitute: it is sampled, verbose and
    meant for debugging.

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
        AccessLogSetting:
          DestinationArn: !GetAtt OrdersApiAccessLogs.Arn
          Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp"}'
    ```

    ### CloudFormation
    ```yaml
    ProdStage:
      Type: AWS::ApiGateway::Stage
      Properties:
        RestApiId: !Ref OrdersApi
        DeploymentId: !Ref OrdersApiDeployment
        StageName: prod
    ```

    Use instead:

    ```yaml
    ProdStage:
      Type: AWS::ApiGateway::Stage
      Properties:
        RestApiId: !Ref OrdersApi
        DeploymentId: !Ref OrdersApiDeployment
        StageName: prod
        AccessLogSetting:
          DestinationArn: !GetAtt OrdersApiAccessLogs.Arn
          Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp"}'
    ```

    ### Terraform
    ```hcl
    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.shop.id
      deployment_id = aws_api_gateway_deployment.shop.id
      stage_name    = "prod"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.shop.id
      deployment_id = aws_api_gateway_deployment.shop.id
      stage_name    = "prod"
      access_log_settings {
        destination_arn = aws_cloudwatch_log_group.access.arn
        format          = jsonencode({ requestId = "$context.requestId" })
      }
    }
    ```

    ### Serverless
    ```yaml
    provider:
      name: aws
    functions:
      orders:
        handler: app.handler
        events:
          - httpApi:
              path: /orders
              method: get
    ```

    Use instead:

    ```yaml
    provider:
      name: aws
      logs:
        httpApi: true
    functions:
      orders:
        handler: app.handler
        events:
          - httpApi:
              path: /orders
              method: get
    ```

    ### CDK
    ```ts
    new apigateway.LambdaRestApi(this, "Shop", { handler: fn });
    ```

    Use instead:

    ```ts
    new apigateway.LambdaRestApi(this, "Shop", {
      handler: fn,
      deployOptions: {
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    ```

    ## Known problems
    Access logging enabled outside the scanned templates (in the console or by another stack) is
    not seen. SAM creates an extra stage named `Stage` unless `OpenApiVersion` is set; it has no
    access log and is reported too. Stages whose log settings come from a parameter are reported
    as not evaluated.
    In Terraform, a stage created by `aws_api_gateway_deployment` `stage_name` and the `$default` stage
    of a quick-create HTTP API have no access log and are reported. In serverless.yml, the framework's
    stages are reported on `provider` unless `provider.logs.restApi` / `provider.logs.httpApi` is set.

    ## References
    - Amazon API Gateway Developer Guide: Set up CloudWatch logging for REST APIs,
      https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    - Amazon API Gateway Developer Guide: Configuring logging for an HTTP API,
      https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
    - AWS Security Hub control APIGateway.9: Access logging should be configured for API Gateway V2 stages
    - CWE-778: Insufficient Logging, https://cwe.mitre.org/data/definitions/778.html
    """
    for stage in inv.api_stages:
        match stage.access_logging:
            case Unresolved(reason=reason):
                ctx.unevaluated(stage, reason=f"access log settings unknown: {reason}")
            case False:
                name = stage.name if isinstance(stage.name, str) else resource_label(stage.origin)
                yield ctx.finding(
                    stage,
                    field="access_logging",
                    message=(
                        f"Stage `{name}` of API `{api_label(inv, stage.api)}` writes no access log, "
                        "so requests to it, including abuse and attacks, leave no record"
                    ),
                )
            case True:
                pass
