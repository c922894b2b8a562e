"""LS201 function-url-auth-none: function URLs that accept unauthenticated requests."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import FunctionUrl, Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label
from lambdasec.rules._reachability import role_admin_grant, url_is_public


@inventory_rule(
    id="LS201",
    name="function-url-auth-none",
    severity=Severity.HIGH,
    category=Category.EXPOSURE,
    cwe=("CWE-306",),
    scope=Scope.FUNCTION_URLS,
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
        owasp_serverless=("SAS-2", "SAS-5"), security_hub=("Lambda.1",), practice="authentication"
    ),
)
def function_url_auth_none(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags Lambda function URLs whose authentication type is `NONE`, which lets anyone on the
    internet invoke the function over HTTPS. The severity is raised to critical when the function's
    execution role has administrator access (the check of LS101 execution-role-admin-access).

    ## Why is this bad?
    A function URL with `AuthType: NONE` is a public HTTPS endpoint. Anyone who learns the URL
    (from a browser history, a log, a mobile app bundle, or by scanning `*.lambda-url.*.on.aws`)
    can call the function as often as they like, with any payload, and the function runs with the
    full permissions of its execution role. Unless the handler authenticates every request itself,
    this exposes the function's data and actions to the world and lets attackers run up its cost.
    When the execution role is an administrator of the account, one flaw in the handler hands the
    whole account to anyone on the internet.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig:
          AuthType: NONE
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig:
          AuthType: AWS_IAM
    ```

    ### CloudFormation
    ```yaml
    OrdersApiUrl:
      Type: AWS::Lambda::Url
      Properties:
        TargetFunctionArn: !GetAtt OrdersApi.Arn
        AuthType: NONE
    ```

    Use instead:

    ```yaml
    OrdersApiUrl:
      Type: AWS::Lambda::Url
      Properties:
        TargetFunctionArn: !GetAtt OrdersApi.Arn
        AuthType: AWS_IAM
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function_url" "orders_api" {
      function_name      = aws_lambda_function.orders_api.function_name
      authorization_type = "NONE"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function_url" "orders_api" {
      function_name      = aws_lambda_function.orders_api.function_name
      authorization_type = "AWS_IAM"
    }
    ```

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        url: true
    ```

    Use instead:

    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        url:
          authorizer: aws_iam
    ```

    ### CDK
    ```ts
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    ```

    Use instead:

    ```ts
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    ```

    ## Known problems
    A URL whose handler verifies a signature itself (for example a webhook checking an HMAC header)
    is still reported: suppress it with a reason, such as
    `# lambdasec: ignore[LS201] -- Stripe webhook, signature verified in handler`.
    A URL whose auth type comes from a parameter or variable is reported as not evaluated.
    The severity stays high when the role cannot be judged (not in the scanned sources, or a
    policy with unresolved values).

    ## References
    - AWS Lambda Developer Guide: Control access to Lambda function URLs,
      https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    - AWS Security Hub: Lambda function URLs should not allow public access
    - CWE-306: Missing Authentication for Critical Function, https://cwe.mitre.org/data/definitions/306.html
    """
    for url in inv.function_urls:
        match url_is_public(url):
            case True:
                yield _finding(inv, ctx, url)
            case Unresolved(reason=reason):
                ctx.unevaluated(url, reason=f"auth type unknown: {reason}")
            case False:
                pass


def _finding(inv: Inventory, ctx: RuleContext, url: FunctionUrl) -> Finding:
    fn = inv.function(url.function)
    message = f"Function URL of `{_function_name(inv, url)}` allows unauthenticated invocation"
    grant = role_admin_grant(inv, fn)
    if grant is None:
        return ctx.finding(url, field="auth_type", message=message)
    return ctx.finding(
        url,
        field="auth_type",
        severity=Severity.CRITICAL,
        message=f"{message}, and its execution role has administrator access through {grant.what}",
        properties={"role_admin_access": "true"},
    )


def _function_name(inv: Inventory, url: FunctionUrl) -> str:
    fn = inv.function(url.function)
    if fn is not None:
        return fn.display_name
    return url.function if isinstance(url.function, str) else resource_label(url.origin)
