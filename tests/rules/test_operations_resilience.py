"""Model-level tests of LS402 tracing, LS403 async DLQ, LS404 event source failures and LS405 CloudTrail."""

from __future__ import annotations

from dataclasses import replace

from factories import make_function, make_inventory, make_origin, run
from lambdasec.model import (
    DataEventSelector,
    EventSourceMapping,
    LambdaFunction,
    PushTrigger,
    Queue,
    TracingMode,
    Trail,
    TriggerKind,
    Unresolved,
)
from lambdasec.rules.operations.async_function_no_dlq import async_function_no_dlq
from lambdasec.rules.operations.cloudtrail_lambda_data_events_off import cloudtrail_lambda_data_events_off
from lambdasec.rules.operations.event_source_no_failure_destination import event_source_no_failure_destination
from lambdasec.rules.operations.tracing_not_active import tracing_not_active


def _trigger(function: str, kind: TriggerKind, *, key: str, source: str = "Bucket") -> PushTrigger:
    return PushTrigger(key=key, function=function, kind=kind, source=source, origin=make_origin(key, 90))


def test_tracing_pass_through_is_reported_active_is_not_unknown_is_not_evaluated() -> None:
    passing = make_function("passing", fields={"tracing": 4})
    active = replace(make_function("active"), tracing=TracingMode.ACTIVE)
    unknown = replace(make_function("unknown"), tracing=Unresolved("!Ref Mode"))
    outcome = run(tracing_not_active, make_inventory(functions=[passing, active, unknown]))
    assert outcome.lines == {("LS402", 4)}
    assert outcome.unevaluated_ids == ["unknown"]


def test_only_asynchronously_invoked_functions_need_a_dlq_or_destination() -> None:
    s3 = make_function("s3", line=1)
    sns_with_dlq = replace(
        make_function("sns-dlq", line=10), dead_letter_target=Unresolved("!GetAtt Dlq.Arn")
    )
    rule_with_destination = replace(
        make_function("rule-dest", line=20), on_failure_destination="arn:aws:sqs:x"
    )
    conditional = replace(
        make_function("conditional", line=30), dead_letter_target=Unresolved("!If [P, a, b]")
    )
    alb_only = make_function("alb", line=40)
    quiet = make_function("quiet", line=50)
    inventory = make_inventory(
        functions=[s3, sns_with_dlq, rule_with_destination, conditional, alb_only, quiet],
        push_triggers=[
            _trigger("s3", TriggerKind.S3, key="Uploads", source="uploads-bucket"),
            _trigger("s3", TriggerKind.SCHEDULE, key="Nightly"),
            _trigger("sns-dlq", TriggerKind.SNS, key="Sub"),
            _trigger("rule-dest", TriggerKind.EVENTBRIDGE, key="Rule"),
            _trigger("conditional", TriggerKind.S3, key="Other"),
            _trigger("alb", TriggerKind.ALB, key="TargetGroup"),
        ],
    )
    outcome = run(async_function_no_dlq, inventory)
    assert outcome.lines == {("LS403", 1)}
    assert outcome.findings[0].message == (
        "`s3` is invoked asynchronously by S3 (`uploads-bucket`), a schedule (`Nightly`) and has no "
        "dead-letter queue or on-failure destination, so events still failing after the retries are dropped"
    )
    assert outcome.coverage.unevaluated == (("conditional", "failure handling unknown: !If [P, a, b]"),)


def test_a_trigger_source_in_a_subdirectory_is_named_by_its_resource() -> None:
    """A topic subscription whose source is the key of a topic in `app/template.yaml` (not `app`)."""
    topic = _trigger("sns", TriggerKind.SNS, key="Topic/Subscription/0", source="app/template.yaml#Topic")
    outcome = run(
        async_function_no_dlq, make_inventory(functions=[make_function("sns")], push_triggers=[topic])
    )
    assert [f.message for f in outcome.findings] == [
        "`sns` is invoked asynchronously by SNS (`Topic`) and has no dead-letter queue or on-failure "
        "destination, so events still failing after the retries are dropped"
    ]


def _mapping(
    key: str, kind: TriggerKind | Unresolved, source: str | Unresolved, **kwargs: object
) -> EventSourceMapping:
    return EventSourceMapping(
        key=key,
        function="worker",
        kind=kind,
        event_source_arn=source,
        origin=make_origin(key, 60, fields={"event_source_arn": 62}),
        **kwargs,  # type: ignore[arg-type]
    )


def test_sqs_mappings_need_a_redrive_policy_and_streams_an_on_failure_destination() -> None:
    queues = [
        Queue(key="Orders", name="orders", origin=make_origin("Orders", 5)),
        Queue(key="Payments", name="payments", dead_letter_target="Dlq", origin=make_origin("Payments", 8)),
        Queue(
            key="Maybe",
            name="maybe",
            dead_letter_target=Unresolved("!If [P, x, y]"),
            origin=make_origin("Maybe", 9),
        ),
    ]
    mappings = [
        _mapping("OrdersMapping", TriggerKind.SQS, "arn:aws:sqs:us-east-1:111122223333:orders"),
        _mapping("PaymentsMapping", TriggerKind.SQS, "Payments"),
        _mapping("MaybeMapping", TriggerKind.SQS, "Maybe"),
        _mapping("PartnerMapping", TriggerKind.SQS, "arn:aws:sqs:us-east-1:444455556666:partner"),
        _mapping("Clicks", TriggerKind.KINESIS, Unresolved("!GetAtt Clicks.Arn")),
        _mapping(
            "Changes", TriggerKind.DYNAMODB, "arn:aws:dynamodb:x", on_failure_destination="arn:aws:sqs:y"
        ),
        _mapping("Kafka", TriggerKind.KAFKA, "arn:aws:kafka:x"),
        _mapping("Unknown", Unresolved("service of !Ref Source"), Unresolved("!Ref Source")),
    ]
    outcome = run(
        event_source_no_failure_destination,
        make_inventory(functions=[make_function("worker")], queues=queues, event_source_mappings=mappings),
    )
    assert [(f.resource.id, f.location.line, f.message) for f in outcome.findings] == [
        (
            "OrdersMapping",
            62,
            "SQS queue `orders` feeding `worker` has no redrive policy, so a message that keeps failing is "
            "retried until it expires and is then lost",
        ),
        (
            "Clicks",
            62,
            "Kinesis stream mapping of `worker` has no on-failure destination, so a record that keeps "
            "failing blocks its shard until it expires and is then lost",
        ),
    ]
    assert outcome.coverage.unevaluated == (
        ("MaybeMapping", "redrive policy unknown: !If [P, x, y]"),
        (
            "PartnerMapping",
            "queue `arn:aws:sqs:us-east-1:444455556666:partner` is not defined in the scanned sources",
        ),
        ("Unknown", "event source unknown: service of !Ref Source"),
    )


def _trail(key: str, *selectors: DataEventSelector, logging: bool | Unresolved = True) -> Trail:
    return Trail(
        key=key,
        name=key.lower(),
        is_logging=logging,
        data_events=tuple(selectors),
        origin=make_origin(key, 70, fields={"data_events": 75}),
    )


def _lambda(*prefixes: str | Unresolved) -> DataEventSelector:
    return DataEventSelector(resource_type="AWS::Lambda::Function", arn_prefixes=tuple(prefixes))


def _functions() -> list[LambdaFunction]:
    return [
        make_function("orders-api"),
        replace(make_function("reports"), arn="arn:aws:lambda:us-east-1:111122223333:function:reports"),
    ]


def test_no_trail_in_scope_means_nothing_to_report() -> None:
    outcome = run(cloudtrail_lambda_data_events_off, make_inventory(functions=_functions()))
    assert outcome.findings == []
    assert outcome.coverage.evaluated == 0


def test_functions_no_logging_trail_records_are_listed_on_every_trail() -> None:
    trails = [
        _trail("Orders", _lambda("arn:aws:lambda:us-east-1:111122223333:function:orders-")),
        _trail("Stopped", _lambda(), logging=False),
        _trail("Objects", DataEventSelector(resource_type="AWS::S3::Object", arn_prefixes=("arn:aws:s3",))),
    ]
    outcome = run(cloudtrail_lambda_data_events_off, make_inventory(functions=_functions(), trails=trails))
    assert [(f.resource.id, f.location.line, f.function) for f in outcome.findings] == [
        ("Orders", 75, "reports"),
        ("Stopped", 75, "reports"),
        ("Objects", 75, "reports"),
    ]
    assert outcome.findings[0].message == (
        "Trail `orders` records no Lambda data events for `reports`, "
        "so their invocations leave no audit record"
    )


def test_every_function_recorded_by_some_trail_or_unknown() -> None:
    all_functions = run(
        cloudtrail_lambda_data_events_off,
        make_inventory(functions=_functions(), trails=[_trail("All", _lambda("arn:aws:lambda"))]),
    )
    assert all_functions.findings == []
    by_arn_and_key = run(
        cloudtrail_lambda_data_events_off,
        make_inventory(
            functions=_functions(),
            trails=[
                _trail(
                    "Some", _lambda("orders-api", "arn:aws:lambda:us-east-1:111122223333:function:reports")
                )
            ],
        ),
    )
    assert by_arn_and_key.findings == []
    unknown = run(
        cloudtrail_lambda_data_events_off,
        make_inventory(
            functions=_functions(), trails=[_trail("Maybe", _lambda(), logging=Unresolved("!Ref On"))]
        ),
    )
    assert unknown.findings == []
    assert unknown.coverage.unevaluated == (
        ("Maybe", "Lambda data events for `orders-api` unknown: !Ref On"),
    )
