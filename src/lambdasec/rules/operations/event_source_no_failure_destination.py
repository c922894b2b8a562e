"""LS404 event-source-no-failure-destination: SQS and stream sources with nowhere to put failed records."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import EventSourceMapping, Inventory, SourceKind, TriggerKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._configured import configured
from lambdasec.rules._labels import resource_label

_STREAMS = {TriggerKind.KINESIS: "Kinesis stream", TriggerKind.DYNAMODB: "DynamoDB stream"}


@inventory_rule(
    id="LS404",
    name="event-source-no-failure-destination",
    severity=Severity.MEDIUM,
    category=Category.OPERATIONS,
    cwe=("CWE-755",),
    scope=Scope.EVENT_SOURCE_MAPPINGS,
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
    standards=Standards(owasp_serverless=("SAS-6", "SAS-10"), practice="resilience"),
)
def event_source_no_failure_destination(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags event source mappings that have nowhere to put records the function keeps failing on: an
    SQS mapping whose queue has no redrive policy (`RedrivePolicy.deadLetterTargetArn`), and a Kinesis
    or DynamoDB stream mapping without `DestinationConfig.OnFailure`.

    ## Why is this bad?
    A failing SQS message goes back to the queue after its visibility timeout and is received again,
    invoking the function again and again until the message expires (4 days by default) and is lost.
    A failing stream record is retried until it expires (24 hours on Kinesis and DynamoDB streams by
    default), and while it is retried the whole shard stops: every later record waits. One poison
    message (malformed, or crafted by whoever can write to the source) costs invocations, delays or
    loses data, and leaves nothing to inspect afterwards.

    ## Example
    ### SAM
    ```yaml
    Orders:
      Type: AWS::SQS::Queue
    OrderWorker:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Orders:
            Type: SQS
            Properties:
              Queue: !GetAtt Orders.Arn
    ```

    Use instead:

    ```yaml
    Orders:
      Type: AWS::SQS::Queue
      Properties:
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt OrdersDeadLetters.Arn
          maxReceiveCount: 5
    ```

    ### CloudFormation
    ```yaml
    ClickStreamMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref ClickProcessor
        EventSourceArn: !GetAtt ClickStream.Arn
        StartingPosition: LATEST
    ```

    Use instead:

    ```yaml
    ClickStreamMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref ClickProcessor
        EventSourceArn: !GetAtt ClickStream.Arn
        StartingPosition: LATEST
        MaximumRetryAttempts: 3
        BisectBatchOnFunctionError: true
        DestinationConfig:
          OnFailure:
            Destination: !GetAtt FailedClicks.Arn
    ```

    ### Terraform
    ```hcl
    resource "aws_sqs_queue" "orders" {
      name = "orders"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      function_name    = aws_lambda_function.consumer.arn
      event_source_arn = aws_sqs_queue.orders.arn
    }
    ```

    Use instead:

    ```hcl
    resource "aws_sqs_queue" "orders" {
      name = "orders"
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dead_letters.arn
        maxReceiveCount     = 5
      })
    }
    ```

    ### Serverless
    ```yaml
    functions:
      clickProcessor:
        handler: app.handler
        events:
          - stream:
              type: kinesis
              arn: !GetAtt ClickStream.Arn
    ```

    Use instead:

    ```yaml
    functions:
      clickProcessor:
        handler: app.handler
        events:
          - stream:
              type: kinesis
              arn: !GetAtt ClickStream.Arn
              maximumRetryAttempts: 3
              bisectBatchOnFunctionError: true
              destinations:
                onFailure:
                  arn: !GetAtt FailedClicks.Arn
                  type: sqs
    ```

    For `sqs` events, give the queue a `RedrivePolicy` under `resources:`.

    ### CDK
    ```ts
    const orders = new sqs.Queue(this, "Orders");
    consumer.addEventSource(new sources.SqsEventSource(orders));
    ```

    Use instead:

    ```ts
    const orders = new sqs.Queue(this, "Orders", {
      deadLetterQueue: { queue: ordersDeadLetters, maxReceiveCount: 5 },
    });
    consumer.addEventSource(new sources.SqsEventSource(orders));
    ```

    For streams, `new sources.KinesisEventSource(stream, { onFailure: new sources.SqsDlq(failed), ... })`.

    ## Known problems
    An SQS mapping whose queue is not declared in the scanned templates (a literal ARN or an import)
    is reported as not evaluated. Kafka, Amazon MQ and DocumentDB mappings are not checked. A redrive
    policy or destination chosen by a condition that cannot be evaluated is reported as not evaluated.
    A mapping that is switched off (`Enabled: false`) delivers nothing and is not reported until it is
    enabled; one whose `Enabled` comes from a parameter is checked.

    ## References
    - AWS Lambda Developer Guide: Handling errors for an SQS event source,
      https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    - AWS Lambda Developer Guide: Retaining discarded batch records for a Kinesis or DynamoDB event source,
      https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
    - CWE-755: Improper Handling of Exceptional Conditions, https://cwe.mitre.org/data/definitions/755.html
    """
    for esm in inv.event_source_mappings:
        if esm.enabled is False:
            continue
        match esm.kind:
            case Unresolved(reason=reason):
                ctx.unevaluated(esm, reason=f"event source unknown: {reason}")
            case TriggerKind.SQS:
                yield from _queue(inv, ctx, esm)
            case TriggerKind.KINESIS | TriggerKind.DYNAMODB:
                match configured(esm.on_failure_destination):
                    case Unresolved(reason=reason):
                        ctx.unevaluated(esm, reason=f"on-failure destination unknown: {reason}")
                    case False:
                        yield ctx.finding(
                            esm,
                            field="event_source_arn",
                            message=(
                                f"{_STREAMS[esm.kind]} mapping of `{_function(inv, esm)}` has no on-failure "
                                "destination, so a record that keeps failing blocks its shard until it "
                                "expires and is then lost"
                            ),
                        )


def _queue(inv: Inventory, ctx: RuleContext, esm: EventSourceMapping) -> Iterator[Finding]:
    queue = inv.queue(esm.event_source_arn)
    if queue is None:
        source = esm.event_source_arn
        shown = source.reason if isinstance(source, Unresolved) else source
        ctx.unevaluated(esm, reason=f"queue `{shown}` is not defined in the scanned sources")
        return
    match configured(queue.dead_letter_target):
        case Unresolved(reason=reason):
            ctx.unevaluated(esm, reason=f"redrive policy unknown: {reason}")
        case False:
            name = queue.name if isinstance(queue.name, str) else resource_label(queue.origin)
            yield ctx.finding(
                esm,
                field="event_source_arn",
                message=(
                    f"SQS queue `{name}` feeding `{_function(inv, esm)}` has no redrive policy, so a "
                    "message that keeps failing is retried until it expires and is then lost"
                ),
            )


def _function(inv: Inventory, esm: EventSourceMapping) -> str:
    fn = inv.function(esm.function)
    if fn is not None:
        return fn.display_name
    return esm.function if isinstance(esm.function, str) else resource_label(esm.origin)
