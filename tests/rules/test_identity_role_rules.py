"""Model-level tests of LS108 execution-role-shared and LS109 execution-role-cannot-write-logs."""

from __future__ import annotations

from factories import (
    make_function,
    make_inventory,
    make_origin,
    make_policy,
    make_role,
    make_statement,
    make_url,
    run,
)
from lambdasec.findings import Severity
from lambdasec.model import (
    AuthorizationKind,
    Authorizer,
    AuthType,
    Effect,
    EventSourceMapping,
    TriggerKind,
    Unresolved,
)
from lambdasec.rules.identity.execution_role_cannot_write_logs import (
    execution_role_cannot_write_logs as ls109,
)
from lambdasec.rules.identity.execution_role_shared import execution_role_shared as ls108

BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def _queue_mapping(function: str) -> EventSourceMapping:
    return EventSourceMapping(
        key=f"{function}Jobs",
        function=function,
        kind=TriggerKind.SQS,
        event_source_arn="JobsQueue",
        origin=make_origin(f"{function}Jobs", 40),
    )


# -- LS108 ------------------------------------------------------------------------------------------


def test_role_shared_by_a_public_url_and_a_queue_worker_is_medium_for_both() -> None:
    inventory = make_inventory(
        functions=[
            make_function("api", fields={"role": 3}),
            make_function("worker", line=10, fields={"role": 12}),
        ],
        roles=[make_role(managed_policy_arns=[BASIC])],
        function_urls=[make_url("api", auth_type=AuthType.NONE)],
        event_source_mappings=[_queue_mapping("worker")],
    )
    outcome = run(ls108, inventory)
    assert outcome.lines == {("LS108", 3), ("LS108", 12)}
    assert {f.severity for f in outcome.findings} == {Severity.MEDIUM}
    assert outcome.findings[0].message == (
        "Execution role `orders-role` of `api` is shared by functions with different triggers: `api` "
        "(function URL), `worker` (sqs `JobsQueue`), so each of them holds the permissions all of them "
        "need, including the publicly reachable ones"
    )


def test_functions_with_the_same_triggers_may_share_a_role() -> None:
    inventory = make_inventory(
        functions=[make_function("a"), make_function("b")],
        roles=[make_role()],
        event_source_mappings=[_queue_mapping("a"), _queue_mapping("b")],
    )
    assert run(ls108, inventory).findings == []
    inventory = make_inventory(functions=[make_function("a"), make_function("b")], roles=[make_role()])
    assert run(ls108, inventory).findings == []


def test_private_functions_with_different_triggers_are_low() -> None:
    inventory = make_inventory(
        functions=[make_function("a"), make_function("b")],
        roles=[make_role()],
        event_source_mappings=[_queue_mapping("a")],
    )
    outcome = run(ls108, inventory)
    assert [f.severity for f in outcome.findings] == [Severity.LOW, Severity.LOW]
    assert outcome.findings[1].message.startswith(
        "Execution role `orders-role` of `b` is shared by functions with different triggers: `a` (sqs "
        "`JobsQueue`), `b` (no trigger)"
    )


def test_an_api_authorizer_is_a_need_of_its_own() -> None:
    """API Gateway runs an authorizer function: it shows as such, not as a function without trigger."""
    authorizer = Authorizer(
        key="Auth",
        api="OrdersApi",
        kind=AuthorizationKind.CUSTOM,
        function="auth",
        origin=make_origin("Auth", 30),
    )
    inventory = make_inventory(
        functions=[make_function("auth"), make_function("worker")],
        roles=[make_role()],
        event_source_mappings=[_queue_mapping("worker")],
        authorizers=[authorizer],
    )
    outcome = run(ls108, inventory)
    assert outcome.findings[0].message.startswith(
        "Execution role `orders-role` of `auth` is shared by functions with different triggers: `auth` "
        "(authorizer of API `OrdersApi`), `worker` (sqs `JobsQueue`)"
    )


def test_a_function_without_trigger_may_be_the_one_an_unknown_target_names() -> None:
    """A trigger whose function is not known, in the same file: the untriggered function may be its."""
    unknown = EventSourceMapping(
        key="Stream",
        function=Unresolved("!Ref TargetArn"),
        kind=TriggerKind.KINESIS,
        event_source_arn="Changes",
        origin=make_origin("Stream", 50),
    )
    inventory = make_inventory(
        functions=[make_function("reader"), make_function("worker")],
        roles=[make_role()],
        event_source_mappings=[_queue_mapping("worker"), unknown],
    )
    outcome = run(ls108, inventory)
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("reader", "`Stream` invokes a function not known: !Ref TargetArn"),
        ("worker", "`Stream` invokes a function not known: !Ref TargetArn"),
    )


# -- LS109 ------------------------------------------------------------------------------------------


def test_role_without_log_permissions_is_reported_at_the_function_role() -> None:
    inventory = make_inventory(functions=[make_function(fields={"role": 7})], roles=[make_role()])
    outcome = run(ls109, inventory)
    assert outcome.lines == {("LS109", 7)}
    assert outcome.findings[0].message == (
        "Execution role `orders-role` of `orders-api` cannot call `logs:CreateLogStream` and "
        "`logs:PutLogEvents` on its log group `/aws/lambda/orders-api`, so the function's logs are lost"
    )


def test_basic_execution_role_is_enough() -> None:
    role = make_role(managed_policy_arns=[BASIC])
    assert run(ls109, make_inventory(functions=[make_function()], roles=[role])).findings == []


def test_logs_granted_on_another_function_group_only() -> None:
    other = make_statement(
        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
        resources=["arn:aws:logs:*:*:log-group:/aws/lambda/other:*"],
    )
    own = make_statement(
        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
        resources=["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:*"],
    )
    role = make_role(policies=[make_policy(other)])
    assert run(ls109, make_inventory(functions=[make_function()], roles=[role])).lines == {("LS109", 1)}
    role = make_role(policies=[make_policy(own)])
    assert run(ls109, make_inventory(functions=[make_function()], roles=[role])).findings == []


def test_deny_is_named_and_anchors_the_finding() -> None:
    deny = make_statement(effect=Effect.DENY, actions=["logs:*"], resources=["*"], line=21)
    role = make_role(managed_policy_arns=[BASIC], policies=[make_policy(deny, name="no-logs")])
    outcome = run(ls109, make_inventory(functions=[make_function()], roles=[role]))
    assert outcome.lines == {("LS109", 21)}
    assert "(a statement of policy `no-logs` denies it)" in outcome.findings[0].message


def test_unknown_policy_leaves_the_function_unevaluated() -> None:
    role = make_role(managed_policy_arns=[Unresolved("!Ref PolicyArnParam")])
    outcome = run(ls109, make_inventory(functions=[make_function()], roles=[role]))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == ["orders-api"]


def test_generated_function_names_match_any_default_group() -> None:
    fn = make_function(name=Unresolved("generated by CloudFormation"), key="Fn")  # type: ignore[arg-type]
    outcome = run(ls109, make_inventory(functions=[fn], roles=[make_role()]))
    assert [f.message.split(" on ")[1] for f in outcome.findings] == [
        "any log group under `/aws/lambda/`, so the function's logs are lost"
    ]
