"""LS406 function-no-tags: functions without tags a person set (Security Hub Lambda.6)."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule

# Tags AWS or SAM add by themselves: they say nothing about who owns the function.
AUTOMATIC_TAGS = frozenset({"lambda:createdBy"})


@record
class FunctionNoTagsOptions:
    """Settings of LS406."""

    required_keys: tuple[str, ...] = ()


@inventory_rule(
    id="LS406",
    name="function-no-tags",
    severity=Severity.LOW,
    category=Category.OPERATIONS,
    cwe=("CWE-1059",),
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
    options=FunctionNoTagsOptions,
    standards=Standards(owasp_serverless=("SAS-10",), security_hub=("Lambda.6",), practice="asset inventory"),
)
def function_no_tags(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions that carry no tag a person set: no tags at all, or only tags AWS and SAM add by
    themselves (`aws:*`, SAM's `lambda:createdBy`). With the `required-keys` option it flags functions
    missing any of those tag keys instead. It checks every function: the `fsbp` and `strict` profiles
    run it, `default` does not.

    ## Why is this bad?
    Tags are how an organization knows who owns a function, which application and environment it
    belongs to, and who to call during an incident. Untagged functions end up orphaned: nobody
    patches their runtime, reviews their role or deletes them, and tag-based access control
    (`aws:ResourceTag` conditions) and cost allocation cannot include them. AWS Security Hub control
    Lambda.6 requires functions to be tagged.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.13
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.13
        Tags:
          owner: orders-team
          environment: prod
    ```

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
        Tags:
          - Key: owner
            Value: orders-team
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      function_name = "orders-api"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      function_name = "orders-api"
      tags = {
        owner = "orders-team"
      }
    }
    ```

    The aws provider's `default_tags` count for every function of the module.

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
    ```

    Use instead:

    ```yaml
    provider:
      tags:            # every function of the service; `tags:` under a function adds to them
        owner: orders-team
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
    });
    ```

    Use instead:

    ```ts
    const fn = new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
    });
    cdk.Tags.of(fn).add("owner", "orders-team"); // or cdk.Tags.of(app) for every construct
    ```

    ## Known problems
    Security Hub counts SAM's automatic `lambda:createdBy` tag, so a SAM function without `Tags`
    passes Lambda.6 but is reported here: the automatic tag names no owner. Tags added outside the
    template (stack-level tags given to `aws cloudformation deploy --tags`, tag policies) are not seen.
    Tags from a parameter without a default are reported as not evaluated.

    ## Options
    - `required-keys` (list of strings, default none): tag keys every function must carry, like
      Security Hub's `requiredTagKeys` parameter.

    ## References
    - AWS Security Hub: [Lambda.6] Lambda functions should be tagged,
      https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html
    - AWS Lambda Developer Guide: Using tags on Lambda functions,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html
    - CWE-1059: Insufficient Technical Documentation, https://cwe.mitre.org/data/definitions/1059.html
    """
    options: FunctionNoTagsOptions = ctx.options
    for fn in inv.functions:
        if isinstance(fn.tags, Unresolved):
            ctx.unevaluated(fn, reason=f"tags unknown: {fn.tags.reason}")
            continue
        keys = {key for key, _ in fn.tags if not key.startswith("aws:") and key not in AUTOMATIC_TAGS}
        field = "tags" if fn.tags else None
        if options.required_keys:
            missing = [key for key in options.required_keys if key not in keys]
            if missing:
                yield ctx.finding(
                    fn,
                    field=field,
                    message=(
                        f"`{fn.display_name}` lacks the required tag{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(f'`{key}`' for key in missing)}, so its owner cannot be found from it"
                    ),
                )
        elif not keys:
            yield ctx.finding(
                fn,
                field=field,
                message=(
                    f"`{fn.display_name}` has no tags, so nothing records who owns it or what it belongs to"
                ),
            )
