"""LS304 log-group-no-kms: logs of functions that handle sensitive data without a customer managed key."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, LambdaFunction, LogGroup, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._configured import configured
from lambdasec.rules.data._sensitive import SensitiveData


@inventory_rule(
    id="LS304",
    name="log-group-no-kms",
    severity=Severity.LOW,
    category=Category.DATA,
    cwe=("CWE-311",),
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
    standards=Standards(owasp_serverless=("SAS-3",), practice="encryption at rest"),
)
def log_group_no_kms(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags the log group of a function that handles sensitive data when it has no `KmsKeyId`, including
    the log group Lambda creates itself when none is declared. A function handles sensitive data when
    its environment holds sensitive variables (as LS302 judges them) or its execution role may read
    secrets (`secretsmanager:GetSecretValue`, `ssm:GetParameter*`, or a wildcard covering them).

    ## Why is this bad?
    Functions that handle secrets and personal data end up logging some of it: a stack trace with a
    connection string, a debug line with a token, a request body. CloudWatch Logs encrypts every log
    group with a service-owned key, so anyone allowed `logs:GetLogEvents` or `logs:StartQuery` on the
    group reads it. With a customer managed KMS key, reading also needs `kms:Decrypt` on that key, access
    can be revoked by disabling the key, and every use of the key is in CloudTrail.

    ## Example
    ### SAM
    ```yaml
    PaymentsWebhook:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - AWSSecretsManagerGetSecretValuePolicy:
              SecretArn: !Ref StripeSecret
    PaymentsWebhookLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: !Sub /aws/lambda/${PaymentsWebhook}
        RetentionInDays: 30
    ```

    Use instead:

    ```yaml
    PaymentsWebhookLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: !Sub /aws/lambda/${PaymentsWebhook}
        RetentionInDays: 30
        KmsKeyId: !GetAtt LogsKey.Arn   # the key policy must allow logs.<region>.amazonaws.com
    ```

    ### CloudFormation
    ```yaml
    PaymentsWebhookLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: /aws/lambda/payments-webhook
        RetentionInDays: 30
    ```

    Use instead:

    ```yaml
    PaymentsWebhookLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: /aws/lambda/payments-webhook
        RetentionInDays: 30
        KmsKeyId: !GetAtt LogsKey.Arn
    ```

    ### Terraform
    ```hcl
    resource "aws_cloudwatch_log_group" "payments_webhook" {
      name              = "/aws/lambda/${aws_lambda_function.payments_webhook.function_name}"
      retention_in_days = 30
    }
    ```

    Use instead:

    ```hcl
    resource "aws_cloudwatch_log_group" "payments_webhook" {
      name              = "/aws/lambda/${aws_lambda_function.payments_webhook.function_name}"
      retention_in_days = 30
      kms_key_id        = aws_kms_key.logs.arn # the key policy must allow logs.<region>.amazonaws.com
    }
    ```

    ### Serverless
    ```yaml
    functions:
      paymentsWebhook:
        handler: app.handler
        iamRoleStatements:
          - Effect: Allow
            Action: secretsmanager:GetSecretValue
            Resource: !Ref StripeSecret
    ```

    Use instead:

    ```yaml
    functions:
      paymentsWebhook:
        handler: app.handler
        disableLogs: true       # the group below replaces the framework's
    resources:
      Resources:
        PaymentsWebhookLogs:
          Type: AWS::Logs::LogGroup
          Properties:
            LogGroupName: /aws/lambda/${self:service}-${sls:stage}-paymentsWebhook
            RetentionInDays: 30
            KmsKeyId: !GetAtt LogsKey.Arn
    ```

    ### CDK
    ```ts
    new logs.LogGroup(this, "PaymentsWebhookLogs", {
      logGroupName: `/aws/lambda/${paymentsWebhook.functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    ```

    Use instead:

    ```ts
    new logs.LogGroup(this, "PaymentsWebhookLogs", {
      logGroupName: `/aws/lambda/${paymentsWebhook.functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: logsKey, // the key policy must allow logs.<region>.amazonaws.com
    });
    ```

    ## Known problems
    "Sensitive" is a deliberately simple test: names and values of environment variables, and secret
    reads in the role's known policy documents (AWS managed policies whose text is unknown are
    skipped). A function that handles personal data without either sign is not reported. A log group
    shared by several functions is reported once. Log groups outside the scanned templates are not
    seen (see LS303). In a Terraform plan, an `aws_iam_policy_document` that refers to a resource the
    same apply creates (the secret it grants) is read at apply time: a policy document unknown until
    apply is not read, so the role's secret reads are not seen.

    ## References
    - Amazon CloudWatch Logs User Guide: Encrypt log data in CloudWatch Logs using AWS KMS,
      https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    - AWS Lambda Developer Guide: Sending Lambda function logs to CloudWatch Logs,
      https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    - CWE-311: Missing Encryption of Sensitive Data, https://cwe.mitre.org/data/definitions/311.html
    """
    shared: dict[str, tuple[LogGroup, list[tuple[LambdaFunction, str]]]] = {}
    sensitive = SensitiveData(inv)
    for fn in inv.functions:
        why = _why_sensitive(sensitive, fn)
        if isinstance(why, Unresolved):
            ctx.unevaluated(fn, reason=f"environment unknown: {why.reason}")
            continue
        if why is None:
            continue
        group = inv.log_group_of(fn)
        if group is None:
            yield ctx.finding(
                fn,
                message=(
                    f"`{fn.display_name}` {why} but declares no log group, so its logs go to a group "
                    "Lambda creates without a customer managed KMS key"
                ),
            )
        elif isinstance(group, Unresolved):
            ctx.unevaluated(fn, reason=f"log group unknown: {group.reason}")
        else:
            match configured(group.kms_key_id):
                case Unresolved(reason=reason):
                    ctx.unevaluated(fn, reason=f"log group key unknown: {reason}")
                case False:
                    shared.setdefault(group.key, (group, []))[1].append((fn, why))
    for group, writers in shared.values():
        if len(writers) == 1:
            fn, why = writers[0]
            whose = f"`{fn.display_name}`, which {why},"
        else:
            whose = ", ".join(f"`{fn.display_name}`" for fn, _ in writers) + ", which handle sensitive data,"
        yield ctx.finding(
            group,
            field="name",
            function=writers[0][0].display_name if len(writers) == 1 else None,
            message=f"Log group `{_name(group)}` of {whose} is not encrypted with a customer managed KMS key",
        )


def _why_sensitive(sensitive: SensitiveData, fn: LambdaFunction) -> str | Unresolved | None:
    names = sensitive.variables(fn)
    if isinstance(names, tuple) and names:
        return f"holds sensitive variables ({', '.join(f'`{name}`' for name in names)})"
    action = sensitive.secret_reads(fn)
    if action is not None:
        return f"may read secrets (`{action}`)"
    return names if isinstance(names, Unresolved) else None


def _name(group: LogGroup) -> str:
    return group.name if isinstance(group.name, str) else group.origin.resource
