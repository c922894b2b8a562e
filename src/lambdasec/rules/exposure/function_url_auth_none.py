"""LS201 function-url-auth-none: function URLs that accept unauthenticated requests."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity
from lambdasec.model import AuthType, FunctionUrl, Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule


@inventory_rule(
    id="LS201",
    name="function-url-auth-none",
    severity=Severity.HIGH,
    category=Category.EXPOSURE,
    cwe=("CWE-306",),
    scope=Scope.FUNCTION_URLS,
    sources=frozenset({SourceKind.SAM, SourceKind.CLOUDFORMATION}),
)
def function_url_auth_none(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags Lambda function URLs whose authentication type is `NONE`, which lets anyone on the
    internet invoke the function over HTTPS.

    ## Why is this bad?
    A function URL with `AuthType: NONE` is a public HTTPS endpoint. Anyone who learns the URL
    (from a browser history, a log, a mobile app bundle, or by scanning `*.lambda-url.*.on.aws`)
    can call the function as often as they like, with any payload, and the function runs with the
    full permissions of its execution role. Unless the handler authenticates every request itself,
    this exposes the function's data and actions to the world and lets attackers run up its cost.

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

    ## Known problems
    A URL whose handler verifies a signature itself (for example a webhook checking an HMAC header)
    is still reported: suppress it with a reason, such as
    `# lambdasec: ignore[LS201] -- Stripe webhook, signature verified in handler`.
    A URL whose auth type comes from a parameter or variable is reported as not evaluated.

    ## References
    - AWS Lambda Developer Guide: Control access to Lambda function URLs,
      https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    - AWS Security Hub: Lambda function URLs should not allow public access
    - CWE-306: Missing Authentication for Critical Function, https://cwe.mitre.org/data/definitions/306.html
    """
    for url in inv.function_urls:
        match url.auth_type:
            case AuthType.NONE:
                yield ctx.finding(
                    url,
                    field="auth_type",
                    message=f"Function URL of `{_function_name(inv, url)}` allows unauthenticated invocation",
                )
            case Unresolved(reason=reason):
                ctx.unevaluated(url, reason=f"auth type unknown: {reason}")
            case AuthType.AWS_IAM:
                pass


def _function_name(inv: Inventory, url: FunctionUrl) -> str:
    fn = inv.function(url.function)
    if fn is not None:
        return fn.display_name
    return url.function if isinstance(url.function, str) else url.origin.resource
