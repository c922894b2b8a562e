"""LS411 timeout-above-trigger-limit: function timeouts longer than their trigger waits, or than a maximum."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import ApiKind, Inventory, LambdaFunction, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._reachability import api_kind, api_label

# The longest API Gateway waits for a Lambda integration, by API kind (seconds).
INTEGRATION_TIMEOUT_S: Mapping[ApiKind, int] = {
    ApiKind.REST: 29,
    ApiKind.HTTP: 30,
    ApiKind.WEBSOCKET: 29,
}
# Used when the route's API is not in the scanned sources: the most lenient API Gateway limit.
UNKNOWN_API_TIMEOUT_S = 30


@record
class TimeoutAboveTriggerLimitOptions:
    """Settings of LS411."""

    max_timeout: int | None = None


@record
class TriggerLimit:
    """The tightest wait of a function's synchronous triggers."""

    seconds: float
    trigger: str


@inventory_rule(
    id="LS411",
    name="timeout-above-trigger-limit",
    severity=Severity.LOW,
    category=Category.OPERATIONS,
    cwe=("CWE-400",),
    scope=Scope.FUNCTIONS,
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
    options=TimeoutAboveTriggerLimitOptions,
    standards=Standards(owasp_serverless=("SAS-6",), practice="denial-of-wallet protection"),
)
def timeout_above_trigger_limit(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose timeout is longer than their trigger can wait for them: API Gateway
    stops waiting for a Lambda integration after 29 seconds (REST and WebSocket APIs) or 30
    seconds (HTTP APIs). With the `max-timeout` option set, it also flags any function whose
    timeout is above that maximum. Function URLs are not a limit: they wait up to 15 minutes, the
    longest a function can run.

    An integration's own `TimeoutInMillis` (also the SAM event property) replaces the default:
    shorter values are tighter limits, and on Regional and private REST APIs a value above 29
    seconds means the account's quota was raised (up to 300 seconds).

    ## Why is this bad?
    When the function runs longer than API Gateway waits, the caller gets a `504` while the
    function keeps running, and billing, to its own timeout. Clients retry, so a slow dependency
    or a request crafted to be slow multiplies the work: every retry starts another long
    execution that nobody will read, which holds concurrency and money (denial of wallet) and can
    repeat side effects. A timeout matched to the trigger fails fast and frees the capacity.

    ## Example
    ### SAM
    ```yaml
    GetOrderFunction:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 120
        Events:
          GetOrder:
            Type: Api
            Properties:
              Path: /orders/{id}
              Method: get
    ```

    Use instead:

    ```yaml
    GetOrderFunction:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 28
        Events:
          GetOrder:
            Type: Api
            Properties:
              Path: /orders/{id}
              Method: get
    ```

    ### CloudFormation
    ```yaml
    GetOrderFunction:
      Type: AWS::Lambda::Function
      Properties:
        Timeout: 120
    ```

    Use instead (with the function behind an API Gateway method):

    ```yaml
    GetOrderFunction:
      Type: AWS::Lambda::Function
      Properties:
        Timeout: 28
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "report" {
      function_name = "report"
      timeout       = 60
      # ...
    }

    resource "aws_api_gateway_integration" "report" {
      # ...
      type = "AWS_PROXY"
      uri  = aws_lambda_function.report.invoke_arn
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "report" {
      function_name = "report"
      timeout       = 29
      # ...
    }
    ```

    ### Serverless
    ```yaml
    functions:
      report:
        handler: app.handler
        timeout: 60
        events:
          - http:
              path: report
              method: get
    ```

    Use instead:

    ```yaml
    functions:
      report:
        handler: app.handler
        timeout: 29
        events:
          - http:
              path: report
              method: get
    ```

    ### CDK
    ```ts
    const report = new lambda.Function(this, "Report", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      timeout: Duration.seconds(60),
    });
    api.root.addResource("report").addMethod("GET", new apigateway.LambdaIntegration(report));
    ```

    Use instead:

    ```ts
    const report = new lambda.Function(this, "Report", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      timeout: Duration.seconds(29),
    });
    api.root.addResource("report").addMethod("GET", new apigateway.LambdaIntegration(report));
    ```

    ## Known problems
    A REST API whose integration timeout quota was raised but whose integrations do not set
    `TimeoutInMillis` is judged against 29 seconds. When a route's API is not in the scanned
    sources, the HTTP API limit (30 seconds) is assumed. Asynchronous and poll-based triggers are
    not limits. A timeout from a parameter is reported as not evaluated when the function has an
    API trigger or `max-timeout` is set.
    In Terraform the integration's `timeout_milliseconds` (`aws_api_gateway_integration`,
    `aws_apigatewayv2_integration`) plays the part of `TimeoutInMillis`. In serverless.yml a function
    without `timeout` takes `provider.timeout` and is reported on that line; the framework's default is 6 s.

    ## Options
    - `max-timeout` (integer seconds, default none): report every function whose timeout is above
      this value, whatever its triggers.

    ## References
    - Amazon API Gateway Developer Guide: Amazon API Gateway quotas (integration timeout),
      https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
    - AWS Lambda Developer Guide: Configure Lambda function timeout,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
    - CWE-400: Uncontrolled Resource Consumption, https://cwe.mitre.org/data/definitions/400.html
    """
    options: TimeoutAboveTriggerLimitOptions = ctx.options or TimeoutAboveTriggerLimitOptions()
    for fn in inv.functions:
        limit = _trigger_limit(inv, fn)
        if limit is None and options.max_timeout is None:
            continue
        match fn.timeout_s:
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"timeout unknown: {reason}")
            case int() as timeout if limit is not None and timeout > limit.seconds:
                yield ctx.finding(
                    fn,
                    field="timeout_s",
                    message=(
                        f"`{fn.display_name}` has a {timeout} s timeout but {limit.trigger} stops waiting "
                        f"after {limit.seconds:g} s, so callers get an error while it keeps running and "
                        f"billing for up to {timeout - limit.seconds:g} s more"
                    ),
                    properties={"timeout_s": str(timeout), "trigger_limit_s": f"{limit.seconds:g}"},
                )
            case int() as timeout if options.max_timeout is not None and timeout > options.max_timeout:
                yield ctx.finding(
                    fn,
                    field="timeout_s",
                    message=(
                        f"`{fn.display_name}` has a {timeout} s timeout, above the configured maximum of "
                        f"{options.max_timeout} s, so a stuck or abused invocation runs and bills that long"
                    ),
                    properties={"timeout_s": str(timeout), "max_timeout_s": str(options.max_timeout)},
                )


def _trigger_limit(inv: Inventory, fn: LambdaFunction) -> TriggerLimit | None:
    """The shortest integration timeout among the API routes that invoke `fn`.

    A route's own integration timeout (`TimeoutInMillis`) wins over its API kind's default.
    """
    tightest: TriggerLimit | None = None
    for route in inv.routes_to(fn):
        kind = api_kind(inv, route)
        seconds: float = INTEGRATION_TIMEOUT_S[kind] if kind is not None else UNKNOWN_API_TIMEOUT_S
        trigger = _describe(inv, kind, route.api)
        if isinstance(route.integration_timeout_ms, int) and route.integration_timeout_ms > 0:
            seconds = route.integration_timeout_ms / 1000
            trigger = f"{trigger} with its {route.integration_timeout_ms} ms integration timeout"
        if tightest is None or seconds < tightest.seconds:
            tightest = TriggerLimit(seconds=seconds, trigger=trigger)
    return tightest


def _describe(inv: Inventory, kind: ApiKind | None, api: str | Unresolved) -> str:
    match kind:
        case None:
            return "API Gateway"
        case ApiKind.WEBSOCKET:
            return f"API Gateway (WebSocket API `{api_label(inv, api)}`)"
        case _:
            return f"API Gateway ({kind.value.upper()} API `{api_label(inv, api)}`)"
