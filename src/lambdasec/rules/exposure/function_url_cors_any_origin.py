"""LS206 function-url-cors-any-origin: function URLs whose CORS settings allow every origin."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Cors, FunctionUrl, Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._reachability import function_label

ANY_ORIGIN = "*"


@inventory_rule(
    id="LS206",
    name="function-url-cors-any-origin",
    severity=Severity.MEDIUM,
    category=Category.EXPOSURE,
    cwe=("CWE-942",),
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
    standards=Standards(owasp_serverless=("SAS-6",), practice="secure configuration"),
)
def function_url_cors_any_origin(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags function URLs whose CORS configuration allows every origin (`AllowOrigins` containing
    `*`). The finding is raised to high severity when the same configuration also sets
    `AllowCredentials: true`.

    ## Why is this bad?
    `AllowOrigins: ["*"]` tells every browser that any web page, on any site, may call the URL
    from a visitor's browser and read the response. For an endpoint meant for one front end this
    hands the function's responses to every third-party page a user happens to open, and turns
    the function into a free back end for anyone's site (at your cost).

    With `AllowCredentials: true` the intent is worse: the endpoint asks browsers to send the
    visitor's cookies or HTTP authentication cross-origin and to let any origin read the answer.
    The Fetch standard forbids `Access-Control-Allow-Origin: *` together with
    `Access-Control-Allow-Credentials: true`, so browsers refuse such credentialed responses
    today; AWS documents `*` as "all origins" and does not document reflecting the caller's
    `Origin` instead. The configuration is therefore either broken or one implementation change
    (or one proxy that reflects the origin) away from letting any site act as the signed-in user:
    list the front ends' origins explicitly.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig:
          AuthType: AWS_IAM
          Cors:
            AllowOrigins: ["*"]
            AllowCredentials: true
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig:
          AuthType: AWS_IAM
          Cors:
            AllowOrigins: ["https://shop.example.com"]
            AllowCredentials: true
    ```

    ### CloudFormation
    ```yaml
    OrdersApiUrl:
      Type: AWS::Lambda::Url
      Properties:
        TargetFunctionArn: !GetAtt OrdersApi.Arn
        AuthType: AWS_IAM
        Cors:
          AllowOrigins: ["*"]
    ```

    Use instead:

    ```yaml
    OrdersApiUrl:
      Type: AWS::Lambda::Url
      Properties:
        TargetFunctionArn: !GetAtt OrdersApi.Arn
        AuthType: AWS_IAM
        Cors:
          AllowOrigins: ["https://shop.example.com"]
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function_url" "orders_api" {
      function_name      = aws_lambda_function.orders_api.function_name
      authorization_type = "AWS_IAM"
      cors {
        allow_origins     = ["*"]
        allow_credentials = true
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function_url" "orders_api" {
      function_name      = aws_lambda_function.orders_api.function_name
      authorization_type = "AWS_IAM"
      cors {
        allow_origins     = ["https://shop.example.com"]
        allow_credentials = true
      }
    }
    ```

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        url:
          authorizer: aws_iam
          cors: true
    ```

    Use instead:

    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        url:
          authorizer: aws_iam
          cors:
            allowedOrigins: [https://shop.example.com]
    ```

    ### CDK
    ```ts
    fn.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
      cors: { allowedOrigins: ["*"], allowCredentials: true },
    });
    ```

    Use instead:

    ```ts
    fn.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
      cors: { allowedOrigins: ["https://shop.example.com"], allowCredentials: true },
    });
    ```

    ## Known problems
    An endpoint that is meant to be called from any site (a public, read-only, unauthenticated
    data feed) is still reported: suppress it with a reason. Only the exact origin `*` is
    recognised; origins from parameters are reported as not evaluated unless `*` is also listed.
    When `AllowCredentials` comes from a parameter, the finding keeps medium severity. CORS of HTTP
    APIs (`CorsConfiguration`) is not checked by this rule.
    In the Serverless Framework `cors: true`, and a `cors` mapping without `allowedOrigins`, allow
    every origin.

    ## References
    - AWS Lambda API Reference: Cors (function URL CORS settings),
      https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html
    - AWS Lambda Developer Guide: Cross-origin resource sharing (CORS) for function URLs,
      https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors
    - Fetch Standard, CORS protocol and credentials,
      https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
    - CWE-942: Permissive Cross-domain Policy with Untrusted Domains,
      https://cwe.mitre.org/data/definitions/942.html
    """
    for url in inv.function_urls:
        match url.cors:
            case None:
                pass
            case Unresolved(reason=reason):
                ctx.unevaluated(url, reason=f"CORS settings unknown: {reason}")
            case Cors() as cors:
                finding = _judge(inv, ctx, url=url, cors=cors)
                if finding is not None:
                    yield finding


def _judge(inv: Inventory, ctx: RuleContext, *, url: FunctionUrl, cors: Cors) -> Finding | None:
    origins = cors.allow_origins
    if isinstance(origins, Unresolved):
        ctx.unevaluated(url, reason=f"CORS origins unknown: {origins.reason}")
        return None
    if not any(isinstance(origin, str) and origin.strip() == ANY_ORIGIN for origin in origins):
        unknown = [origin.reason for origin in origins if isinstance(origin, Unresolved)]
        if unknown:
            ctx.unevaluated(url, reason=f"CORS origin unknown: {unknown[0]}")
        return None
    name = function_label(inv, url.function)
    if cors.allow_credentials is True:
        return ctx.finding(
            url,
            field="cors.allow_credentials",
            severity=Severity.HIGH,
            message=(
                f"Function URL of `{name}` allows any origin (`*`) with `AllowCredentials: true`, "
                "asking browsers to let every site read responses to the visitor's credentialed requests"
            ),
            properties={"allow_credentials": "true"},
        )
    return ctx.finding(
        url,
        field="cors.allow_origins",
        message=(
            f"Function URL of `{name}` allows any origin (`*`) in its CORS settings, "
            "so every web site can call it from a visitor's browser and read the response"
        ),
        properties={
            "allow_credentials": "unknown" if isinstance(cors.allow_credentials, Unresolved) else "false"
        },
    )
