"""LS303 log-group-no-retention: function logs that never expire."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, LambdaFunction, LogGroup, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule


@inventory_rule(
    id="LS303",
    name="log-group-no-retention",
    severity=Severity.LOW,
    category=Category.DATA,
    cwe=("CWE-779",),
    scope=Scope.FUNCTIONS,
    sources=frozenset(
        {
            SourceKind.SAM,
            SourceKind.CLOUDFORMATION,
            SourceKind.TERRAFORM,
            SourceKind.SERVERLESS,
            SourceKind.CDK,
            SourceKind.TERRAFORM_PLAN,
        }
    ),
    standards=Standards(owasp_serverless=("SAS-10",), practice="logging and monitoring"),
)
def log_group_no_retention(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose log group keeps logs forever: the log group declared for the function has
    no `RetentionInDays`, or no log group is declared at all. The function's log group is the one its
    `LoggingConfig.LogGroup` names, else the one named `/aws/lambda/<function name>` (also when the
    name is built as `!Sub /aws/lambda/${Function}`).

    ## Why is this bad?
    CloudFormation creates no log group for a function. On the first invocation Lambda creates
    `/aws/lambda/<function name>` itself, with retention "never expire", outside the stack. Logs often
    hold personal data, tokens and request bodies; kept forever they grow the blast radius of any
    leak of log access, break data-retention commitments (GDPR storage limitation), and cost money
    every month. A log group declared in the template with a retention period fixes all three, and is
    deleted with the stack.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Handler: app.handler
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Handler: app.handler
    OrdersApiLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: !Sub /aws/lambda/${OrdersApi}
        RetentionInDays: 30
    ```

    ### CloudFormation
    ```yaml
    OrdersApiLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: /aws/lambda/orders-api
    ```

    Use instead:

    ```yaml
    OrdersApiLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: /aws/lambda/orders-api
        RetentionInDays: 30
    ```

    ### Terraform
    ```hcl
    resource "aws_cloudwatch_log_group" "orders_api" {
      name = "/aws/lambda/${aws_lambda_function.orders_api.function_name}"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_cloudwatch_log_group" "orders_api" {
      name              = "/aws/lambda/${aws_lambda_function.orders_api.function_name}"
      retention_in_days = 30
    }
    ```

    ### Serverless
    ```yaml
    provider:
      name: aws             # no logRetentionInDays: the function log groups keep logs forever
    ```

    Use instead:

    ```yaml
    provider:
      name: aws
      logRetentionInDays: 30
    ```

    ### CDK
    ```ts
    new logs.LogGroup(this, "OrdersApiLogs", {
      logGroupName: `/aws/lambda/${fn.functionName}`,
      retention: logs.RetentionDays.INFINITE,
    });
    ```

    Use instead:

    ```ts
    new logs.LogGroup(this, "OrdersApiLogs", {
      logGroupName: `/aws/lambda/${fn.functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    ```

    A function without a log group of its own gets one with `logGroup: new logs.LogGroup(...)` on the
    `lambda.Function` props.

    ## Known problems
    A log group created outside the scanned templates (by another stack, or a retention set later
    with the CLI) is not seen: a function that names such a group in `LoggingConfig` is reported as not
    evaluated, and one that relies on its default group is reported. A log group whose name is an
    `/aws/lambda/...` expression that cannot be evaluated makes the functions without a known log
    group not evaluated. A log group shared by several functions is reported once.

    ## References
    - AWS Lambda Developer Guide: Sending Lambda function logs to CloudWatch Logs,
      https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    - Amazon CloudWatch Logs User Guide: Change log data retention,
      https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html
    - CWE-779: Logging of Excessive Data, https://cwe.mitre.org/data/definitions/779.html
    """
    shared: dict[str, tuple[LogGroup, list[LambdaFunction]]] = {}
    for fn in inv.functions:
        group = inv.log_group_of(fn)
        if group is None:
            default = f"/aws/lambda/{fn.name}" if isinstance(fn.name, str) else "/aws/lambda/<generated name>"
            yield ctx.finding(
                fn,
                message=(
                    f"`{fn.display_name}` declares no log group, so Lambda creates `{default}` "
                    "with no retention and its logs are kept forever"
                ),
            )
        elif isinstance(group, Unresolved):
            ctx.unevaluated(fn, reason=f"log group unknown: {group.reason}")
        elif isinstance(group.retention_days, Unresolved):
            ctx.unevaluated(fn, reason=f"retention unknown: {group.retention_days.reason}")
        elif group.retention_days is None:
            shared.setdefault(group.key, (group, []))[1].append(fn)
    for group, writers in shared.values():
        yield ctx.finding(
            group,
            field="name",
            function=writers[0].display_name if len(writers) == 1 else None,
            message=(
                f"Log group `{_name(group)}` of {', '.join(f'`{fn.display_name}`' for fn in writers)} "
                "sets no `RetentionInDays`, so its logs are kept forever"
            ),
        )


def _name(group: LogGroup) -> str:
    return group.name if isinstance(group.name, str) else group.origin.resource
