"""LS204 resource-policy-cross-account-invoke: invoke grants to AWS accounts that are not trusted."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, Permission, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._accounts import account_of, arn_account, is_own_account_reference
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label
from lambdasec.rules.exposure.resource_policy_public_invoke import INVOKE_ACTIONS


@record
class CrossAccountInvokeOptions:
    """Settings of LS204."""

    trusted_accounts: tuple[str, ...] = ()


@inventory_rule(
    id="LS204",
    name="resource-policy-cross-account-invoke",
    severity=Severity.MEDIUM,
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
    options=CrossAccountInvokeOptions,
    standards=Standards(owasp_serverless=("SAS-5",), practice="least privilege"),
)
def resource_policy_cross_account_invoke(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags resource-based policy statements (`AWS::Lambda::Permission`) that let another AWS account
    invoke a function: a principal that is an account id, an account root ARN, or a role or user
    ARN in an account that is neither in the `trusted-accounts` option nor the function's own account.

    ## Why is this bad?
    Every identity in the granted account that its own administrators allow to call
    `lambda:InvokeFunction` can invoke the function, with any payload, outside the API, queue or
    bucket that normally feeds it. You have no view of who those identities are. A partner account
    that is compromised, sold, closed and reopened, or simply mistyped in the template becomes a
    way into the function and everything its execution role can reach. Grants to accounts you
    trust should be listed in `trusted-accounts` so that a new or mistyped account stands out.

    ## Example
    ### SAM
    ```yaml
    PartnerInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref OrdersApi
        Action: lambda:InvokeFunction
        Principal: "444455556666"
    ```

    Use instead:

    ```toml
    # pyproject.toml: the partner account is known and reviewed
    [tool.lambdasec.options.LS204]
    trusted-accounts = ["444455556666"]
    ```

    ### CloudFormation
    ```yaml
    PartnerInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt OrdersApi.Arn
        Action: lambda:InvokeFunction
        Principal: arn:aws:iam::444455556666:role/partner-sync
    ```

    Use instead:

    ```yaml
    PartnerInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt OrdersApi.Arn
        Action: lambda:InvokeFunction
        Principal: "*"
        PrincipalOrgID: o-a1b2c3d4e5
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_permission" "partner_invoke" {
      function_name = aws_lambda_function.orders_api.function_name
      action        = "lambda:InvokeFunction"
      principal     = "444455556666"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_permission" "own_account_invoke" {
      function_name = aws_lambda_function.orders_api.function_name
      action        = "lambda:InvokeFunction"
      principal     = data.aws_caller_identity.current.account_id
    }
    ```

    ### Serverless
    ```yaml
    resources:
      Resources:
        PartnerInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref OrdersApiLambdaFunction
            Action: lambda:InvokeFunction
            Principal: arn:aws:iam::444455556666:role/partner-sync
    ```

    Use instead:

    ```yaml
    resources:
      Resources:
        OwnAccountInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref OrdersApiLambdaFunction
            Action: lambda:InvokeFunction
            Principal: ${aws:accountId}
    ```

    ### CDK
    ```ts
    fn.addPermission("PartnerInvoke", {
      principal: new iam.AccountPrincipal("444455556666"),
    });
    ```

    Use instead:

    ```ts
    fn.addPermission("OwnAccountInvoke", {
      principal: new iam.AccountPrincipal(Stack.of(this).account),
    });
    ```

    ## Known problems
    In templates the function's own account is usually not known: a principal built from
    `AWS::AccountId` alone (`!Ref AWS::AccountId`, `!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root`)
    is recognised as the same account, but a template that writes its own account id literally
    is reported unless that id is in `trusted-accounts`. Principals from parameters are reported as
    not evaluated. Grants to `*` (LS202), to service principals (LS203) and to an organization
    (`PrincipalOrgID`) are not this rule's concern.
    Terraform's `data.aws_caller_identity.<name>.account_id` and the Serverless Framework's
    `${aws:accountId}` are recognised as the own account in the same way, also when a Terraform plan
    passes the caller identity's account through module variables, module outputs or locals. In a
    Terraform plan, the own account id written literally (`principal = "111122223333"`) is recognised when
    the plan reads `data.aws_caller_identity` with the permission's provider configuration and it names
    that account, or when the plan knows the function's ARN or can build it for a function it creates:
    the function's provider configuration has one known account (a caller identity read with it, or the
    planned ARNs of the roles, functions, queues... it already manages or looks up by name) and a known
    region (a `data.aws_region` read with it, its constant `region`, or the planned ARNs of its regional
    resources). A permission and function created through a provider configuration the plan tells nothing
    of (an aliased provider assuming a role in another account, with every resource created by the plan)
    have no known account, and a literal id is reported.

    ## Options
    - `trusted-accounts` (list of account ids, default empty): accounts that may be granted invoke
      access, such as your other workload accounts or a reviewed partner.

    ## References
    - AWS Lambda Developer Guide: Granting function access to other accounts,
      https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html
    - AWS Lambda API Reference: AddPermission,
      https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
    - CWE-284: Improper Access Control, https://cwe.mitre.org/data/definitions/284.html
    """
    options: CrossAccountInvokeOptions = ctx.options or CrossAccountInvokeOptions()
    trusted = frozenset(account.strip() for account in options.trusted_accounts)
    for grant in inv.permissions:
        match grant.action:
            case Unresolved(reason=reason):
                ctx.unevaluated(grant, reason=f"action unknown: {reason}")
                continue
            case str() as action if action.strip().lower() not in INVOKE_ACTIONS:
                continue
        match grant.principal:
            case Unresolved() as unknown if is_own_account_reference(unknown):
                continue
            case Unresolved(reason=reason):
                ctx.unevaluated(grant, reason=f"principal unknown: {reason}")
            case str() as principal:
                account = account_of(principal)
                if account is None or account in trusted or account == _own_account(inv, grant):
                    continue
                yield ctx.finding(grant, field="principal", message=_message(inv, grant, principal, account))


def _own_account(inv: Inventory, grant: Permission) -> str | None:
    fn = inv.function(grant.function)
    return arn_account(fn.arn if fn is not None else None) or arn_account(grant.function)


def _message(inv: Inventory, grant: Permission, principal: str, account: str) -> str:
    fn = inv.function(grant.function)
    target = fn.display_name if fn is not None else str(grant.function)
    who = f"untrusted AWS account `{account}`"
    if principal.strip() != account:
        who = f"`{principal.strip()}` of {who}"
    name = resource_label(grant.origin)
    return f"Permission `{name}` lets {who} invoke `{target}` directly, bypassing its triggers"
