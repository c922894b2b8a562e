"""LS403 async-function-no-dlq: asynchronously invoked functions that drop events that keep failing."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, PushTrigger, SourceKind, TriggerKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._configured import configured


@record
class AsyncFunctionNoDlqOptions:
    """Settings of LS403."""

    every_function: bool = False


@inventory_rule(
    id="LS403",
    name="async-function-no-dlq",
    severity=Severity.MEDIUM,
    category=Category.OPERATIONS,
    cwe=("CWE-755",),
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
    options=AsyncFunctionNoDlqOptions,
    standards=Standards(owasp_serverless=("SAS-6", "SAS-10"), practice="resilience"),
)
def async_function_no_dlq(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions invoked asynchronously (by S3 notifications, SNS subscriptions, EventBridge rules,
    EventBridge Scheduler and schedules, IoT rules or CloudWatch Logs subscriptions) that have neither
    a dead-letter queue (`DeadLetterConfig`) nor an on-failure destination (`EventInvokeConfig`).
    Functions invoked only synchronously (API Gateway, function URLs) or by event source mappings
    (SQS, streams: see LS404) are not reported, because a DLQ does nothing for them, unless the
    `every-function` option is set (the `strict` profile sets it).

    ## Why is this bad?
    Lambda queues asynchronous events, retries a failing event twice, then discards it. Without a
    dead-letter queue or an on-failure destination the event is gone: the uploaded invoice is never
    processed, the payment notification is never recorded, and nothing but a metric says so. An
    attacker who can make the handler fail (a malformed object, an oversized message) can also make
    events silently disappear.

    ## Example
    ### SAM
    ```yaml
    ProcessUpload:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Uploaded:
            Type: S3
            Properties:
              Bucket: !Ref Uploads
              Events: s3:ObjectCreated:*
    ```

    Use instead:

    ```yaml
    ProcessUpload:
      Type: AWS::Serverless::Function
      Properties:
        EventInvokeConfig:
          DestinationConfig:
            OnFailure:
              Type: SQS
              Destination: !GetAtt FailedUploads.Arn
        Events:
          Uploaded:
            Type: S3
            Properties:
              Bucket: !Ref Uploads
              Events: s3:ObjectCreated:*
    ```

    ### CloudFormation
    ```yaml
    NightlyReport:
      Type: AWS::Lambda::Function
      Properties:
        Handler: report.handler
    NightlySchedule:
      Type: AWS::Events::Rule
      Properties:
        ScheduleExpression: cron(0 2 * * ? *)
        Targets:
          - Id: report
            Arn: !GetAtt NightlyReport.Arn
    ```

    Use instead:

    ```yaml
    NightlyReport:
      Type: AWS::Lambda::Function
      Properties:
        Handler: report.handler
        DeadLetterConfig:
          TargetArn: !GetAtt FailedReports.Arn
    ```

    An `AWS::Lambda::EventInvokeConfig` with `DestinationConfig.OnFailure` works as well and also
    records the error and the request.

    ### Terraform
    ```hcl
    resource "aws_s3_bucket_notification" "uploads" {
      bucket = aws_s3_bucket.uploads.id
      lambda_function {
        lambda_function_arn = aws_lambda_function.process_upload.arn
        events              = ["s3:ObjectCreated:*"]
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function_event_invoke_config" "process_upload" {
      function_name = aws_lambda_function.process_upload.function_name
      destination_config {
        on_failure {
          destination = aws_sqs_queue.failed_uploads.arn
        }
      }
    }
    ```

    A `dead_letter_config { target_arn = ... }` block on the function works as well.

    ### Serverless
    ```yaml
    functions:
      processUpload:
        handler: app.handler
        events:
          - s3:
              bucket: uploads
              event: s3:ObjectCreated:*
    ```

    Use instead:

    ```yaml
    functions:
      processUpload:
        handler: app.handler
        destinations:
          onFailure: arn:aws:sqs:us-east-1:111122223333:failed-uploads
        events:
          - s3:
              bucket: uploads
              event: s3:ObjectCreated:*
    ```

    `onError: <SNS topic or SQS queue ARN>` sets a dead-letter queue instead.

    ### CDK
    ```ts
    uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(processUpload));
    ```

    Use instead:

    ```ts
    const processUpload = new lambda.Function(this, "ProcessUpload", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      onFailure: new destinations.SqsDestination(failedUploads), // or deadLetterQueue: failedUploads
    });
    uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(processUpload));
    ```

    ## Known problems
    A dead-letter queue on an EventBridge rule target or an SNS subscription (`RedrivePolicy`) catches
    only events that could not be delivered to Lambda, not events the function failed to process, so
    it does not count. A DLQ or destination chosen by a condition that cannot be evaluated makes the
    function not evaluated. A trigger that is switched off (a rule or schedule in state `DISABLED`,
    `Enabled: false`) invokes nothing and does not count; one whose state comes from a parameter does.

    ## Options
    - `every-function` (boolean, default false): also report functions with no asynchronous trigger
      in the scanned templates, which another stack, a CLI or an SDK call may still invoke
      asynchronously. The `strict` profile sets it.

    ## References
    - AWS Lambda Developer Guide: Handling errors and retries in asynchronous invocation,
      https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - AWS Lambda Developer Guide: Dead-letter queues,
      https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
    - CWE-755: Improper Handling of Exceptional Conditions, https://cwe.mitre.org/data/definitions/755.html
    """
    options: AsyncFunctionNoDlqOptions = ctx.options or AsyncFunctionNoDlqOptions()
    for fn in inv.functions:
        triggers = [t for t in inv.push_triggers_of(fn) if t.kind.is_asynchronous and t.enabled is not False]
        if not triggers and not options.every_function:
            continue
        dlq = configured(fn.dead_letter_target)
        destination = configured(fn.on_failure_destination)
        if dlq is True or destination is True:
            continue
        unknown = dlq if isinstance(dlq, Unresolved) else destination
        if isinstance(unknown, Unresolved):
            ctx.unevaluated(fn, reason=f"failure handling unknown: {unknown.reason}")
            continue
        invoked = (
            f"is invoked asynchronously by {_describe(triggers)}"
            if triggers
            else "declares no asynchronous trigger but may be invoked asynchronously"
        )
        yield ctx.finding(
            fn,
            message=(
                f"`{fn.display_name}` {invoked} and has no dead-letter queue or on-failure destination, "
                "so events still failing after the retries are dropped"
            ),
        )


def _describe(triggers: list[PushTrigger]) -> str:
    parts: list[str] = []
    for trigger in triggers:
        named = trigger.kind in _NAMED_BY_SOURCE and isinstance(trigger.source, str)
        source = trigger.source if named and isinstance(trigger.source, str) else trigger.origin.resource
        # a key `dir/template.yaml#Topic` names the resource after `#`; `Topic/Subscription/0` the first part
        source = source.rpartition("#")[2].split("/", 1)[0]
        text = f"{_KIND_NAMES.get(trigger.kind.value, trigger.kind.value)} (`{source}`)"
        if text not in parts:
            parts.append(text)
    return ", ".join(parts)


# Triggers better named by their source (the bucket, the topic) than by the resource that declares them.
_NAMED_BY_SOURCE = frozenset({TriggerKind.S3, TriggerKind.SNS})
_KIND_NAMES = {
    "s3": "S3",
    "sns": "SNS",
    "eventbridge": "EventBridge",
    "schedule": "a schedule",
    "iot": "IoT",
    "cloudwatch-logs": "CloudWatch Logs",
}
