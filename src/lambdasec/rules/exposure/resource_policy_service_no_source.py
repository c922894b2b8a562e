"""LS203 resource-policy-service-no-source: service invoke grants without SourceArn/SourceAccount."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.data.service_principals import Guard, ServicePrincipal
from lambdasec.findings import Category, Confidence, Finding, Severity, Standards
from lambdasec.model import Inventory, Permission, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label
from lambdasec.rules.exposure.resource_policy_public_invoke import INVOKE_ACTIONS

# Condition keys of a live policy statement that carry each guard (compared case-insensitively).
_ARN_KEYS = frozenset({"aws:sourcearn"})
_ACCOUNT_KEYS = frozenset({"aws:sourceaccount", "aws:sourceowner"})
_TOKEN_KEYS = frozenset({"lambda:eventsourcetoken"})
_ORG_KEYS = frozenset({"aws:principalorgid"})


@inventory_rule(
    id="LS203",
    name="resource-policy-service-no-source",
    severity=Severity.MEDIUM,
    category=Category.EXPOSURE,
    cwe=("CWE-441",),
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
    standards=Standards(
        owasp_serverless=("SAS-5",), security_hub=("Lambda.1",), practice="confused-deputy protection"
    ),
)
def resource_policy_service_no_source(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags resource-based policy statements (`AWS::Lambda::Permission`) that let an AWS service
    principal (`sns.amazonaws.com`, `events.amazonaws.com`, `apigateway.amazonaws.com`, ...) invoke a
    function without `SourceArn` or `SourceAccount`, S3 grants without `SourceAccount`, and Alexa
    grants without the skill id (`EventSourceToken`). Which guard each service needs comes from the
    service-principal table shipped with lambdasec (`data/service_principals.json`).

    ## Why is this bad?
    A grant to a service principal alone says "this service may invoke the function", not "my
    topic" or "my bucket". Anyone in any AWS account can point their own SNS topic, EventBridge
    rule, API or bucket at the function's ARN and the service will invoke it on their behalf: the
    service becomes a confused deputy (CWE-441). The attacker then feeds the function forged
    events and runs up its cost. For S3, `SourceArn` is not enough: a bucket ARN
    (`arn:aws:s3:::name`) names no account, and once the bucket is deleted another account can
    create a bucket with the same name, so `SourceAccount` is what pins the grant to your account.

    ## Example
    ### SAM
    ```yaml
    TopicInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref OrdersWorker
        Action: lambda:InvokeFunction
        Principal: sns.amazonaws.com
    ```

    Use instead:

    ```yaml
    TopicInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref OrdersWorker
        Action: lambda:InvokeFunction
        Principal: sns.amazonaws.com
        SourceArn: !Ref OrdersTopic
    ```

    ### CloudFormation
    ```yaml
    UploadsInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt Thumbnailer.Arn
        Action: lambda:InvokeFunction
        Principal: s3.amazonaws.com
        SourceArn: arn:aws:s3:::orders-uploads
    ```

    Use instead:

    ```yaml
    UploadsInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt Thumbnailer.Arn
        Action: lambda:InvokeFunction
        Principal: s3.amazonaws.com
        SourceArn: arn:aws:s3:::orders-uploads
        SourceAccount: !Ref AWS::AccountId
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_permission" "topic_invoke" {
      function_name = aws_lambda_function.orders_worker.function_name
      action        = "lambda:InvokeFunction"
      principal     = "sns.amazonaws.com"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_permission" "topic_invoke" {
      function_name = aws_lambda_function.orders_worker.function_name
      action        = "lambda:InvokeFunction"
      principal     = "sns.amazonaws.com"
      source_arn    = aws_sns_topic.orders.arn
    }
    ```

    ### Serverless
    ```yaml
    resources:
      Resources:
        UploadsInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref ThumbnailerLambdaFunction
            Action: lambda:InvokeFunction
            Principal: s3.amazonaws.com
            SourceArn: arn:aws:s3:::orders-uploads
    ```

    Use instead:

    ```yaml
    resources:
      Resources:
        UploadsInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref ThumbnailerLambdaFunction
            Action: lambda:InvokeFunction
            Principal: s3.amazonaws.com
            SourceArn: arn:aws:s3:::orders-uploads
            SourceAccount: !Ref AWS::AccountId
    ```

    ### CDK
    ```ts
    fn.addPermission("TopicInvoke", {
      principal: new iam.ServicePrincipal("sns.amazonaws.com"),
    });
    ```

    Use instead:

    ```ts
    fn.addPermission("TopicInvoke", {
      principal: new iam.ServicePrincipal("sns.amazonaws.com"),
      sourceArn: topic.topicArn,
    });
    ```

    ## Known problems
    A declared `SourceArn`, `SourceAccount` or `EventSourceToken` counts as a guard even when its
    value is not known statically (`!GetAtt Topic.Arn`); only a literal `*` does not. A `SourceArn`
    that is itself a wildcard pattern (`arn:aws:sns:*:*:*`) is not judged. Service principals that
    are not in the shipped table but look like one (`*.amazonaws.com`) are held to the general
    guard (`SourceArn` or `SourceAccount`) and reported with medium confidence. The permissions SAM
    generates for events carry the guard SAM sets (`SourceAccount` for S3, `SourceArn` for the
    others), so they are reported only where SAM itself has none (an `AlexaSkill` event without
    `SkillId`). Grants whose principal or action comes from a parameter are reported as not evaluated.
    The Serverless Framework scopes the permissions it adds for `s3`, `sns`, `http`, `httpApi`,
    `eventBridge` and `schedule` events to their source, so only grants under `resources:` are reported there.

    ## References
    - AWS Lambda API Reference: AddPermission (`SourceArn`, `SourceAccount`, `EventSourceToken`),
      https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
    - AWS Lambda Developer Guide: Granting function access to AWS services,
      https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html
    - AWS IAM User Guide: The confused deputy problem,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    - CWE-441: Unintended Proxy or Intermediary ('Confused Deputy'),
      https://cwe.mitre.org/data/definitions/441.html
    """
    for grant in inv.permissions:
        match grant.principal:
            case Unresolved(reason=reason):
                ctx.unevaluated(grant, reason=f"principal unknown: {reason}")
                continue
            case str() as principal:
                # The catalog is read at the first grant: inputs without resource policies never need it.
                service = ctx.data.service_principals.get(principal)
        if service is None:
            continue
        match grant.action:
            case Unresolved(reason=reason):
                ctx.unevaluated(grant, reason=f"action unknown: {reason}")
                continue
            case str() as action if action.strip().lower() not in INVOKE_ACTIONS:
                continue
        missing = missing_guard(grant, service.guard)
        if missing is not None:
            yield ctx.finding(
                grant,
                field="principal",
                confidence=None if service.known else Confidence.MEDIUM,
                message=_message(inv, grant, service, missing),
            )


def missing_guard(grant: Permission, guard: Guard) -> str | None:
    """What `grant` lacks for `guard` (`SourceArn`/`SourceAccount`/...), or None when it is guarded."""
    keys = {c.key.strip().lower() for c in grant.conditions}
    has_arn = _declared(grant.source_arn) or bool(keys & _ARN_KEYS)
    has_account = _declared(grant.source_account) or bool(keys & _ACCOUNT_KEYS)
    has_token = _declared(grant.event_source_token) or bool(keys & _TOKEN_KEYS)
    if _declared(grant.principal_org_id) or keys & _ORG_KEYS:
        return None  # restricted as LS202 sees it; a service call carries no principal organization id
    match guard:
        case Guard.SOURCE:
            return None if has_arn or has_account else "SourceArn"
        case Guard.SOURCE_ACCOUNT:
            return None if has_account else "SourceAccount"
        case Guard.EVENT_SOURCE_TOKEN:
            return None if has_token else "EventSourceToken"


def _declared(value: str | Unresolved | None) -> bool:
    return value is not None and value != "*"


def _message(inv: Inventory, grant: Permission, service: ServicePrincipal, missing: str) -> str:
    fn = inv.function(grant.function)
    target = fn.display_name if fn is not None else str(grant.function)
    head = f"Permission `{resource_label(grant.origin)}` lets `{service.principal}` invoke `{target}`"
    match missing:
        case "SourceAccount" if grant.source_arn is not None:
            return (
                f"{head} with a `SourceArn` but no `SourceAccount`, so a bucket of that name re-created in "
                "another AWS account can invoke it"
            )
        case "SourceAccount":
            return f"{head} without `SourceAccount`, so buckets in any AWS account can invoke it"
        case "EventSourceToken":
            return f"{head} without an `EventSourceToken` (skill id), so any Alexa skill can invoke it"
        case _:
            arn = f"`SourceArn` ({service.source_arn})" if service.source_arn else "`SourceArn`"
            return (
                f"{head} without {arn} or `SourceAccount`, so resources of that service in any AWS account "
                "can invoke it"
            )
