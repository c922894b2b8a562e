"""Model-level tests of the identity rules built on the IAM engine (LS102-LS107, LS111)."""

from __future__ import annotations

from factories import (
    make_function,
    make_inventory,
    make_origin,
    make_policy,
    make_role,
    make_statement,
    run,
)
from lambdasec.findings import Confidence, Severity
from lambdasec.model import (
    Condition,
    Effect,
    ManagedPolicy,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Unresolved,
)
from lambdasec.rules._api import Rule
from lambdasec.rules.identity.execution_role_credential_exposure import (
    execution_role_credential_exposure as ls106,
)
from lambdasec.rules.identity.execution_role_data_exfiltration import (
    execution_role_data_exfiltration as ls105,
)
from lambdasec.rules.identity.execution_role_privilege_escalation import (
    execution_role_privilege_escalation as ls104,
)
from lambdasec.rules.identity.execution_role_resource_exposure import (
    execution_role_resource_exposure as ls107,
)
from lambdasec.rules.identity.execution_role_service_wildcard import (
    execution_role_service_wildcard as ls102,
)
from lambdasec.rules.identity.execution_role_write_on_any_resource import (
    execution_role_write_on_any_resource as ls103,
)
from lambdasec.rules.identity.policy_unknown_action import policy_unknown_action as ls111

ALL = (ls102, ls103, ls104, ls105, ls106, ls107, ls111)
S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
SQS_POLLER = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
TAGGED = (Condition(operator="StringEquals", key="aws:ResourceTag/team", values=("orders",)),)


def _role(*statements: Statement, key: str = "OrdersRole", name: str = "orders-role", **kw: object) -> Role:
    policies = [make_policy(*statements)] if statements else []
    return make_role(name=name, key=key, policies=policies, **kw)  # type: ignore[arg-type]


def _run(rule: Rule, *roles: Role, functions: int = 1) -> tuple[set[tuple[str, int | None]], list[str]]:
    fns = [make_function(f"fn-{i}", role=roles[i % len(roles)].key) for i in range(functions)]
    outcome = run(rule, make_inventory(functions=fns, roles=roles))
    return outcome.lines, [f.message for f in outcome.findings]


def _allow(actions: list[str] | str, resources: str = "*", *, line: int = 5, **kw: object) -> Statement:
    listed = [actions] if isinstance(actions, str) else actions
    return make_statement(actions=listed, resources=[resources], line=line, **kw)  # type: ignore[arg-type]


# -- LS102 ------------------------------------------------------------------------------------------


def test_service_wildcard_is_reported_at_its_statement_with_actions_and_resources() -> None:
    lines, messages = _run(ls102, _role(_allow("s3:*", sid="Bucket", line=7)))
    assert lines == {("LS102", 7)}
    assert messages == [
        "Execution role `orders-role` of `fn-0` allows `s3:*` on `*` (statement `Bucket` of policy "
        "`inline`), so a compromised function can use every action of the service"
    ]


def test_iam_wildcard_is_critical_and_partial_wildcards_are_not_service_wide() -> None:
    outcome = run(ls102, make_inventory(functions=[make_function()], roles=[_role(_allow("iam:*"))]))
    assert [f.severity for f in outcome.findings] == [Severity.CRITICAL]
    assert _run(ls102, _role(_allow("s3:Get*")))[0] == set()


def test_wildcard_denied_everywhere_is_not_reported() -> None:
    denied = make_statement(effect=Effect.DENY, actions=["s3:*"], resources=["*"], line=9)
    assert _run(ls102, _role(_allow("s3:*"), denied))[0] == set()


def test_administrator_roles_are_left_to_ls101() -> None:
    role = _role(_allow("s3:*"), _allow("*", line=8))
    for rule in ALL[:-1]:
        outcome = run(rule, make_inventory(functions=[make_function()], roles=[role]))
        assert outcome.findings == [], rule.id


def test_aws_managed_wildcards_point_at_the_attachment() -> None:
    role = make_role(managed_policy_arns=[S3_FULL], line=3, fields={"managed_policy_arns.0": 12})
    lines, messages = _run(ls102, role)
    assert lines == {("LS102", 12)}
    assert "`s3:*`, `s3-object-lambda:*` on `*` (the AWS managed policy `AmazonS3FullAccess`)" in messages[0]


def test_unknown_policy_lowers_confidence_or_leaves_the_role_unevaluated() -> None:
    unknown = "arn:aws:iam::123456789012:policy/team-boundary"
    role = _role(_allow("s3:*"), managed_policy_arns=[unknown])
    outcome = run(ls102, make_inventory(functions=[make_function()], roles=[role]))
    assert [f.confidence for f in outcome.findings] == [Confidence.LOW]
    only_unknown = make_role(managed_policy_arns=[unknown])
    outcome = run(ls102, make_inventory(functions=[make_function()], roles=[only_unknown]))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == ["orders-api"]


def test_roles_with_the_same_policies_are_reported_at_their_own_statements() -> None:
    first = make_role(name="a-role", key="ARole", policies=[make_policy(_allow("s3:*", line=5), name="a")])
    second = make_role(name="b-role", key="BRole", policies=[make_policy(_allow("s3:*", line=25), name="b")])
    inventory = make_inventory(
        functions=[make_function("a", role="ARole"), make_function("b", role="BRole")], roles=[first, second]
    )
    outcome = run(ls102, inventory)
    assert outcome.lines == {("LS102", 5), ("LS102", 25)}
    assert sorted(f.message.split(" allows")[0] for f in outcome.findings) == [
        "Execution role `a-role` of `a`",
        "Execution role `b-role` of `b`",
    ]
    assert sorted(dict(f.properties)["policy"] for f in outcome.findings) == ["a", "b"]


def test_same_managed_policy_at_different_attachment_lines() -> None:
    first = make_role(key="ARole", managed_policy_arns=[S3_FULL], fields={"managed_policy_arns.0": 4})
    second = make_role(key="BRole", managed_policy_arns=[S3_FULL], fields={"managed_policy_arns.0": 14})
    inventory = make_inventory(
        functions=[make_function("a", role="ARole"), make_function("b", role="BRole")], roles=[first, second]
    )
    assert run(ls102, inventory).lines == {("LS102", 4), ("LS102", 14)}


# -- LS103 ------------------------------------------------------------------------------------------


def test_write_on_any_resource_lists_the_scopable_write_actions() -> None:
    lines, messages = _run(
        ls103, _role(_allow(["sqs:SendMessage", "s3:ListAllMyBuckets", "xray:PutTraceSegments"]))
    )
    assert lines == {("LS103", 5)}
    assert messages == [
        "Execution role `orders-role` of `fn-0` allows `sqs:SendMessage` on `*` (a statement of policy "
        "`inline`), so a compromised function can change every resource of those types instead of only "
        "its own"
    ]


def test_write_rule_leaves_logging_wildcards_tagged_and_scoped_actions_alone() -> None:
    for actions, resource in (
        (["logs:CreateLogStream", "logs:PutLogEvents"], "*"),
        (["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"], "*"),
        (["s3:*"], "*"),
        (["s3:PutBucketPolicy"], "*"),
        (["iam:AttachRolePolicy"], "*"),
        (["sqs:SendMessage"], "arn:aws:sqs:us-east-1:123456789012:orders"),
        (["xray:PutTraceSegments", "logs:DescribeLogGroups"], "*"),
    ):
        assert _run(ls103, _role(_allow(actions, resource)))[0] == set(), actions
    assert _run(ls103, make_role(managed_policy_arns=[SQS_POLLER]))[0] == set()


# -- LS104 ------------------------------------------------------------------------------------------


def test_pass_role_to_a_new_function_names_the_method_and_its_actions() -> None:
    role = _role(_allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))
    lines, messages = _run(ls104, role)
    assert lines == {("LS104", 5)}
    assert messages == [
        "Execution role `orders-role` of `fn-0` can escalate its privileges: pass a role to a new Lambda "
        "function and invoke it (`iam:PassRole`, `lambda:CreateFunction`, `lambda:InvokeFunction` on `*` "
        "in a statement of policy `inline`), so a compromised function can take over more of the account"
    ]


def test_assume_role_and_code_updates_count_only_on_every_resource() -> None:
    named = _allow("sts:AssumeRole", "arn:aws:iam::123456789012:role/reader")
    own = _allow("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:123456789012:function:worker")
    assert _run(ls104, _role(named))[0] == set()
    assert _run(ls104, _role(own))[0] == set()
    assert _run(ls104, _role(_allow("sts:AssumeRole")))[0] == {("LS104", 5)}
    assert _run(ls104, _role(_allow("lambda:UpdateFunctionCode")))[0] == {("LS104", 5)}


def test_conditional_escalation_has_medium_confidence() -> None:
    statement = Statement(
        effect=Effect.ALLOW,
        actions=("iam:AttachRolePolicy",),
        resources=("*",),
        conditions=TAGGED,
        origin=make_origin("OrdersRole", 6),
    )
    outcome = run(ls104, make_inventory(functions=[make_function()], roles=[_role(statement)]))
    assert [(f.severity, f.confidence) for f in outcome.findings] == [(Severity.CRITICAL, Confidence.MEDIUM)]


# -- LS105-LS107 ------------------------------------------------------------------------------------


def test_data_exfiltration_on_every_resource_of_the_type() -> None:
    lines, messages = _run(
        ls105, _role(_allow("s3:GetObject", "arn:aws:s3:::*/*", line=4), _allow("kms:Decrypt", line=9))
    )
    assert lines == {("LS105", 4)}
    assert messages == [
        "Execution role `orders-role` of `fn-0` allows `s3:GetObject` on `arn:aws:s3:::*/*` (a statement of "
        "policy `inline`); `kms:Decrypt` on `*` (a statement of policy `inline`), so a compromised function "
        "can read the data of every such resource in the account"
    ]
    assert _run(ls105, _role(_allow("s3:GetObject", "arn:aws:s3:::orders/*")))[0] == set()
    assert _run(ls105, make_role(managed_policy_arns=[SQS_POLLER]))[0] == set()
    assert _run(ls105, _role(_allow("dynamodb:*")))[0] == set()  # LS102 reports it


def test_credential_exposure_leaves_escalation_actions_to_ls104() -> None:
    assert _run(ls106, _role(_allow("iam:CreateAccessKey")))[0] == set()
    assert _run(ls106, _role(_allow("lambda:GetFunctionConfiguration")))[0] == {("LS106", 5)}


def test_resource_exposure_on_any_queue() -> None:
    lines, messages = _run(ls107, _role(_allow("sqs:SetQueueAttributes")))
    assert lines == {("LS107", 5)}
    assert messages[0].endswith(
        "so a compromised function can open any such resource to other accounts or the public"
    )
    assert _run(ls107, _role(_allow("sqs:SetQueueAttributes", "arn:aws:sqs:us-east-1:1:q")))[0] == set()


def test_one_finding_per_function_of_a_shared_role() -> None:
    lines, messages = _run(ls107, _role(_allow("sqs:SetQueueAttributes")), functions=3)
    assert lines == {("LS107", 5)}
    assert [m.split(" allows")[0] for m in messages] == [
        "Execution role `orders-role` of `fn-0`",
        "Execution role `orders-role` of `fn-1`",
        "Execution role `orders-role` of `fn-2`",
    ]


# -- LS111 ------------------------------------------------------------------------------------------


def test_unknown_action_points_at_its_entry_and_suggests_the_action() -> None:
    statement = Statement(
        effect=Effect.ALLOW,
        actions=("s3:GetObject", "s3:PutObjet"),
        resources=("*",),
        origin=make_origin("OrdersRole", 10, fields={"actions": 11, "actions.0": 12, "actions.1": 13}),
    )
    lines, messages = _run(ls111, _role(statement))
    assert lines == {("LS111", 13)}
    assert messages == [
        "Execution role `orders-role` of `fn-0` names actions that grant nothing: `s3:PutObjet` is not an "
        "action of `s3` (did you mean `s3:PutObject`?) (Action of a statement of policy `inline`), so the "
        "policy does not do what it says"
    ]


def test_unknown_actions_are_reported_on_administrator_roles_too() -> None:
    role = _role(_allow("*", line=3), _allow("sqs:SendMesage", line=8))
    assert _run(ls111, role)[0] == {("LS111", 8)}


def test_unknown_action_entries_with_unresolved_values_leave_the_role_unevaluated() -> None:
    statement = make_statement(actions=Unresolved("!Ref ActionParam"), resources=["*"])
    outcome = run(ls111, make_inventory(functions=[make_function()], roles=[_role(statement)]))
    assert outcome.findings == []
    assert outcome.unevaluated_ids == ["orders-api"]


def test_managed_policy_kind_is_not_checked_for_typos() -> None:
    policy = make_policy(_allow("s3:GetObjet"), kind=PolicyKind.AWS_MANAGED, name="SomeAwsPolicy")
    role = make_role(policies=[policy])
    assert _run(ls111, role)[0] == set()


def test_customer_managed_policy_shared_by_roles_is_reported_at_its_own_statement() -> None:
    document = PolicyDocument(statements=(_allow("s3:*", line=40),), origin=make_origin("SharedPolicy", 38))
    shared = ManagedPolicy(
        key="SharedPolicy", name="shared", arn=None, document=document, origin=make_origin("SharedPolicy", 36)
    )
    roles = [make_role(key=key, name=key, managed_policy_arns=["SharedPolicy"]) for key in ("ARole", "BRole")]
    inventory = make_inventory(
        functions=[make_function("a", role="ARole"), make_function("b", role="BRole")],
        roles=roles,
        managed_policies=[shared],
    )
    outcome = run(ls102, inventory)
    assert outcome.lines == {("LS102", 40)}
    assert sorted(f.function or "" for f in outcome.findings) == ["a", "b"]
    assert {dict(f.properties)["policy"] for f in outcome.findings} == {"shared"}


def test_each_tagged_action_is_reported_by_one_rule() -> None:
    role = _role(_allow(["secretsmanager:GetSecretValue", "rds:ModifyDBSnapshotAttribute"]))
    assert [m.split(" allows ")[1].split(" on ")[0] for m in _run(ls105, role)[1]] == [
        "`secretsmanager:GetSecretValue`"
    ]
    assert _run(ls106, role)[1] == []
    assert [m.split(" allows ")[1].split(" on ")[0] for m in _run(ls107, role)[1]] == [
        "`rds:ModifyDBSnapshotAttribute`"
    ]
