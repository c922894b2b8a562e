"""LS202 resource-policy-public-invoke: resource-policy grants that let anyone invoke a function."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import AuthType, Inventory, Permission, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label

# Actions that let the principal invoke the function (compared case-insensitively).
INVOKE_ACTIONS = frozenset(
    {"lambda:invokefunction", "lambda:invokefunctionurl", "lambda:invoke*", "lambda:*", "*"}
)
# Spellings of "anyone" a source may hand over as the principal string.
_PUBLIC_PRINCIPALS = frozenset({"*", '{"aws":"*"}', "aws:*", "arn:aws:iam::*:root"})


def is_public_principal(principal: str) -> bool:
    """True for `*`, `{"AWS": "*"}` and equivalent spellings of every principal."""
    return "".join(principal.split()).lower() in _PUBLIC_PRINCIPALS


@inventory_rule(
    id="LS202",
    name="resource-policy-public-invoke",
    severity=Severity.HIGH,
    category=Category.EXPOSURE,
    cwe=("CWE-284",),
    scope=Scope.PERMISSIONS,
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
    standards=Standards(owasp_serverless=("SAS-5",), security_hub=("Lambda.1",), practice="least privilege"),
)
def resource_policy_public_invoke(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags resource-based policy statements (`AWS::Lambda::Permission`) that let any principal
    (`*`) invoke a function without a condition narrowing who may use the grant (`SourceArn`,
    `SourceAccount`, `PrincipalOrgID`, an event source token, or `FunctionUrlAuthType: AWS_IAM`).

    ## Why is this bad?
    A grant to `*` without a condition lets every AWS account, and for function URLs every
    anonymous caller, invoke the function directly with `lambda:InvokeFunction`, bypassing the API,
    queue or bucket that was meant to be its only entry point. Attackers can then feed it any
    payload, read what it returns, and run up its cost. A service principal such as
    `s3.amazonaws.com` without `SourceArn`/`SourceAccount` is a related confused-deputy risk that
    other rules cover.

    ## Example
    ### SAM
    ```yaml
    PublicInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref OrdersApi
        Action: lambda:InvokeFunction
        Principal: "*"
    ```

    Use instead:

    ```yaml
    PartnerInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref OrdersApi
        Action: lambda:InvokeFunction
        Principal: "444455556666"
    ```

    ### CloudFormation
    ```yaml
    PublicInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt OrdersApi.Arn
        Action: lambda:InvokeFunction
        Principal: "*"
    ```

    Use instead:

    ```yaml
    OrgInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt OrdersApi.Arn
        Action: lambda:InvokeFunction
        Principal: "*"
        PrincipalOrgID: o-a1b2c3d4e5
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_permission" "public_invoke" {
      function_name = aws_lambda_function.orders_api.function_name
      action        = "lambda:InvokeFunction"
      principal     = "*"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_permission" "org_invoke" {
      function_name    = aws_lambda_function.orders_api.function_name
      action           = "lambda:InvokeFunction"
      principal        = "*"
      principal_org_id = "o-a1b2c3d4e5"
    }
    ```

    ### Serverless
    ```yaml
    resources:
      Resources:
        PublicInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref OrdersApiLambdaFunction
            Action: lambda:InvokeFunction
            Principal: "*"
    ```

    Use instead:

    ```yaml
    resources:
      Resources:
        PartnerInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref OrdersApiLambdaFunction
            Action: lambda:InvokeFunction
            Principal: "444455556666"
    ```

    ### CDK
    ```ts
    fn.addPermission("PublicInvoke", {
      principal: new iam.AnyPrincipal(),
      action: "lambda:InvokeFunction",
    });
    ```

    Use instead:

    ```ts
    fn.addPermission("OrgInvoke", {
      principal: new iam.AnyPrincipal(),
      action: "lambda:InvokeFunction",
      organizationId: "o-a1b2c3d4e5",
    });
    ```

    ## Known problems
    The permission SAM generates for a function URL with `AuthType: NONE` is not reported here,
    because LS201 reports the URL itself; an explicit `AWS::Lambda::Permission` granting
    `lambda:InvokeFunctionUrl` to `*` with `FunctionUrlAuthType: NONE` is reported by both rules.
    Grants whose principal comes from a parameter are reported as not evaluated. A `SourceArn` or
    `SourceAccount` counts as restricting even when its value is not known statically.
    The Serverless Framework has no setting for resource-policy statements: they are read from
    `AWS::Lambda::Permission` resources under `resources:`, and the permission the framework adds for
    `url: true` is LS201's finding.

    ## References
    - AWS Lambda Developer Guide: Viewing resource-based IAM policies in Lambda,
      https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    - AWS Security Hub control Lambda.1: Lambda function policies should prohibit public access
    - CWE-284: Improper Access Control, https://cwe.mitre.org/data/definitions/284.html
    """
    for grant in inv.permissions:
        if grant.implicit and grant.function_url_auth_type is not None:
            continue  # generated for a function URL: LS201 reports the URL
        match grant.principal:
            case Unresolved(reason=reason):
                ctx.unevaluated(grant, reason=f"principal unknown: {reason}")
                continue
            case str() as principal if not is_public_principal(principal):
                continue
        match grant.action:
            case Unresolved(reason=reason):
                ctx.unevaluated(grant, reason=f"action unknown: {reason}")
                continue
            case str() as action if action.strip().lower() not in INVOKE_ACTIONS:
                continue
        if not grant.is_restricted:
            yield ctx.finding(grant, field="principal", message=_message(inv, grant))


def _message(inv: Inventory, grant: Permission) -> str:
    fn = inv.function(grant.function)
    target = fn.display_name if fn is not None else str(grant.function)
    via = " through its function URL" if grant.function_url_auth_type is AuthType.NONE else ""
    name = resource_label(grant.origin)
    return (
        f"Permission `{name}` lets anyone (`*`) call `{grant.action}` on `{target}`{via} "
        "with no condition restricting the caller"
    )
