"""LS402 tracing-not-active: functions without active X-Ray tracing."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Confidence, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, TracingMode, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule


@inventory_rule(
    id="LS402",
    name="tracing-not-active",
    severity=Severity.LOW,
    category=Category.OPERATIONS,
    cwe=("CWE-778",),
    scope=Scope.FUNCTIONS,
    confidence=Confidence.HIGH,
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
    standards=Standards(
        owasp_serverless=("SAS-10",), security_hub=("Lambda.7",), practice="logging and monitoring"
    ),
)
def tracing_not_active(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose X-Ray tracing mode is not `Active`: tracing left out (Lambda's default is
    `PassThrough`) or set to `PassThrough` explicitly.

    ## Why is this bad?
    With `PassThrough` a function is traced only when its caller has already sampled the request,
    which most event sources (S3, SQS, EventBridge, schedules, function URLs) never do. Its
    invocations and the AWS calls it makes then leave no trace: an incident responder cannot follow
    a request through the function, see which downstream calls it made, or spot the slow or failing
    dependency. AWS Security Hub control Lambda.7 requires `Active`.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Tracing: PassThrough
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Tracing: Active   # or once for every function under Globals: Function: Tracing: Active
    ```

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        TracingConfig:
          Mode: PassThrough
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        TracingConfig:
          Mode: Active
    ```

    The execution role also needs `xray:PutTraceSegments` and `xray:PutTelemetryRecords` (the AWS
    managed policy `AWSXRayDaemonWriteAccess`); SAM adds it when `Tracing: Active` is set.

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      tracing_config {
        mode = "PassThrough"
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      tracing_config {
        mode = "Active"
      }
    }
    ```

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        tracing: PassThrough
    ```

    Use instead:

    ```yaml
    provider:
      tracing:
        lambda: true   # Active for every function of the service; or `tracing: Active` per function
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      tracing: lambda.Tracing.PASS_THROUGH,
    });
    ```

    Use instead:

    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      tracing: lambda.Tracing.ACTIVE, // CDK adds the X-Ray write permissions to the role
    });
    ```

    ## Known problems
    Functions traced another way (OpenTelemetry through the ADOT layer to a non-X-Ray backend) are
    still reported; suppress them with a reason. A mode from a parameter without a default is reported
    as not evaluated.

    ## References
    - AWS Lambda Developer Guide: Visualize Lambda function invocations using AWS X-Ray,
      https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
    - AWS Security Hub: [Lambda.7] Lambda functions should have AWS X-Ray active tracing enabled,
      https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html
    - CWE-778: Insufficient Logging, https://cwe.mitre.org/data/definitions/778.html
    """
    for fn in inv.functions:
        match fn.tracing:
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"tracing mode unknown: {reason}")
            case TracingMode.PASS_THROUGH:
                yield ctx.finding(
                    fn,
                    field="tracing",
                    message=(
                        f"X-Ray tracing of `{fn.display_name}` is `PassThrough`, so its invocations are "
                        "traced only when the caller already sampled them"
                    ),
                )
            case TracingMode.ACTIVE:
                pass
