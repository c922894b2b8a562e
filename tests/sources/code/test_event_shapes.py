"""Which parts of the event an invoker controls, per trigger."""

from __future__ import annotations

from lambdasec.model import CodeUnit, Language, Origin, SourceKind, Taint, TriggerKind
from lambdasec.sources.code.event_shapes import EventPolicy, Invocation

E, W, C = Taint.EVENT, Taint.EVENT_WHOLE, Taint.CREDENTIAL


def unit(*triggers: TriggerKind, http: bool = False) -> CodeUnit:
    origin = Origin(source=SourceKind.CODE, file="app.py", line=1, resource="app.py:handler")
    return CodeUnit(
        key="app.py:handler",
        file="app.py",
        symbol="handler",
        language=Language.PYTHON,
        triggers=triggers,
        http=http,
        origin=origin,
    )


def test_http_event_is_untrusted_except_what_api_gateway_sets() -> None:
    policy = EventPolicy.for_unit(unit(http=True))
    assert policy.taints(("body",)) == {E}
    assert policy.taints(("headers", "Authorization")) == {E, C}
    assert policy.taints(("headers",)) == {E, C}
    assert policy.taints(("headers", "Accept")) == {E}
    assert policy.taints(("requestContext", "authorizer", "claims", "sub")) == frozenset()
    assert policy.taints(("requestContext", "identity", "userAgent")) == {E}
    assert policy.taints(()) == {W, E}


def test_s3_only_the_object_key_is_untrusted() -> None:
    policy = EventPolicy.for_unit(unit(TriggerKind.S3))
    assert policy.taints(("Records", "*", "s3", "object", "key")) == {E}
    assert policy.taints(("Records", "*", "s3", "bucket", "name")) == frozenset()
    assert policy.taints(("Records",)) == {E}


def test_schedule_only_events_carry_no_event_taint() -> None:
    policy = EventPolicy.for_unit(unit(TriggerKind.SCHEDULE))
    assert policy.taints(("detail", "x")) == frozenset()
    assert policy.taints(()) == {W}


def test_unknown_invoker_means_everything_is_untrusted() -> None:
    policy = EventPolicy.for_unit(unit())
    assert policy.taints(("anything", "*", "deep")) == {E}


def test_several_triggers_are_a_union() -> None:
    policy = EventPolicy.for_unit(unit(TriggerKind.SQS, TriggerKind.SCHEDULE))
    assert policy.taints(("Records", "0", "body")) == {E}
    assert policy.taints(("Records", "*", "eventSourceARN")) == frozenset()


def test_the_object_lambda_presigned_url_and_route_are_written_by_aws() -> None:
    for policy in (EventPolicy.for_unit(unit()), EventPolicy.for_unit(unit(http=True))):
        assert policy.taints(("getObjectContext", "inputS3Url")) == frozenset()
        assert policy.taints(("getObjectContext", "outputRoute")) == frozenset()
        assert policy.taints(("getObjectContext", "outputToken")) == {C}  # not the invoker's, still a token
        assert policy.taints(("userRequest", "url")) == {E}
        assert policy.taints(("getObjectContext",)) == {E}


def test_the_custom_resource_response_url_is_written_by_cloudformation() -> None:
    policy = EventPolicy.for_unit(unit())
    assert policy.taints(("ResponseURL",)) == frozenset()
    assert policy.taints(("ResourceProperties", "Url")) == {E}


def test_step_functions_execution_input_is_untrusted_as_a_whole() -> None:
    policy = EventPolicy.for_unit(unit(TriggerKind.STEP_FUNCTIONS))
    assert policy.untrusted == ((),)
    assert policy.taints(("order", "id")) == {E}
    assert policy.taints(()) == {W, E}
    assert EventPolicy.for_unit(unit(TriggerKind.STEP_FUNCTIONS)) == EventPolicy.for_unit(unit())


def test_an_invocation_agrees_with_another_that_gives_the_answers_it_gave() -> None:
    sqs, sns, schedule = (
        Invocation.of(unit(kind)) for kind in (TriggerKind.SQS, TriggerKind.SNS, TriggerKind.SCHEDULE)
    )
    assert sqs.agrees(schedule) and sqs.agrees(Invocation.of(unit(http=True)))  # nothing asked yet

    assert sqs.taints(()) == {W, E}
    assert sqs.answers == {(): frozenset({W, E})}
    assert sqs.agrees(sns)
    assert not sqs.agrees(schedule)  # a scheduled event holds no client input: only {W}

    assert sqs.taints(["Records", "*", "body"]) == {E}
    assert not sqs.agrees(sns)  # an SNS record's input is under `Sns.Message`, not `body`


def test_an_invocation_asked_about_http_agrees_only_with_one_invoked_alike() -> None:
    queue, api, alb = (
        Invocation.of(unit(TriggerKind.SQS)),
        Invocation.of(unit(http=True)),
        Invocation.of(unit(TriggerKind.ALB)),
    )
    assert queue.agrees(api)

    assert queue.http() is False and api.http() is True and alb.http() is True
    assert not queue.agrees(api)
    assert api.agrees(alb) and alb.agrees(api)
    assert Invocation.of(unit()).http() is True  # no known trigger: anything may invoke it
