"""Effective permissions of roles: union of policies, Deny, NotAction/NotResource, conditions, unknowns."""

from __future__ import annotations

from typing import Any

import pytest

from factories import make_origin
from lambdasec.iam import Access, ConditionKind, ResourceScope, RiskTag, parse_document, permissions_of
from lambdasec.iam.effective import EffectivePermissions
from lambdasec.model import (
    Effect,
    Inventory,
    ManagedPolicy,
    Policy,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Unresolved,
)

BUCKET = "arn:aws:s3:::orders"
OBJECTS = "arn:aws:s3:::orders/*"


def doc(*statements: dict[str, Any], line: int = 10) -> PolicyDocument:
    return parse_document(
        {"Version": "2012-10-17", "Statement": list(statements)}, origin=make_origin("R", line)
    )


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def role(
    *documents: PolicyDocument | Unresolved,
    managed: tuple[str | Unresolved, ...] = (),
    boundary: str | None = None,
) -> Role:
    policies = tuple(
        Policy(name=f"p{i}", kind=PolicyKind.INLINE, document=d, origin=make_origin("R", 5 + i))
        for i, d in enumerate(documents)
    )
    return Role(
        key="R",
        name="orders-role",
        trust_policy=None,
        policies=policies,
        managed_policy_arns=managed,
        permissions_boundary=boundary,
        origin=make_origin("R", 1, fields={f"managed_policy_arns.{i}": 20 + i for i in range(len(managed))}),
    )


def perms(
    *documents: PolicyDocument | Unresolved, inventory: Inventory | None = None, **kw: Any
) -> EffectivePermissions:
    return permissions_of(role(*documents, **kw), inventory or Inventory())


# -- union of policies and Deny ---------------------------------------------------------------------


def test_union_of_inline_policies() -> None:
    p = perms(doc(allow("s3:GetObject", OBJECTS)), doc(allow(["dynamodb:GetItem", "dynamodb:Query"])))
    assert p.allows("s3:GetObject", "arn:aws:s3:::orders/2024/1.json").access is Access.ALLOWED
    assert p.allows("s3:GetObject", "arn:aws:s3:::other/1.json").access is Access.DENIED
    assert p.allows("s3:GetObject").access is Access.DENIED  # not on every resource
    assert p.allows_somewhere("s3:GetObject").access is Access.ALLOWED
    assert p.allows("DynamoDB:query").access is Access.ALLOWED
    assert p.allows("dynamodb:PutItem").access is Access.DENIED
    decision = p.allows("dynamodb:GetItem")
    assert [g.policy.name for g in decision.allowed_by] == ["p1"]
    assert decision.allowed_by[0].statement.origin.line == 10


def test_deny_subtracts_and_partial_deny_limits() -> None:
    p = perms(
        doc(allow("s3:*")),
        doc(deny("s3:DeleteBucket"), deny("s3:GetObject", "arn:aws:s3:::secrets/*")),
    )
    assert p.allows("s3:DeleteBucket").access is Access.DENIED
    assert p.allows("s3:DeleteBucket").denied_by[0].policy.name == "p1"
    assert p.allows("s3:PutObject").access is Access.ALLOWED
    on_all = p.allows("s3:GetObject")
    assert on_all.access is Access.ALLOWED
    assert [g.resources for g in on_all.limited_by] == [("arn:aws:s3:::secrets/*",)]
    assert p.allows("s3:GetObject", "arn:aws:s3:::secrets/key").access is Access.DENIED
    assert p.allows("s3:GetObject", "arn:aws:s3:::public/key").access is Access.ALLOWED
    assert p.allows("s3:*").access is Access.ALLOWED  # every s3 action on `*`... except the denied one
    assert "s3:deletebucket" not in p.allowed_actions()
    assert "s3:getobject" in p.allowed_actions()


def test_wildcard_deny_beats_any_allow() -> None:
    p = perms(doc(allow("*"), deny("iam:*")))
    assert p.allows("iam:PassRole").access is Access.DENIED
    assert p.allows("s3:GetObject").access is Access.ALLOWED
    assert p.is_admin().access is Access.ALLOWED
    assert [g.actions for g in p.is_admin().limited_by] == [("iam:*",)]


# -- NotAction / NotResource --------------------------------------------------------------------------


def test_not_action_with_allow_grants_everything_else() -> None:
    p = perms(doc({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}))
    assert p.allows("s3:DeleteBucket").access is Access.ALLOWED
    assert p.allows("lambda:UpdateFunctionCode").access is Access.ALLOWED
    assert p.allows("iam:PassRole").access is Access.DENIED
    assert p.allows("IAM:passrole").access is Access.DENIED
    assert p.is_admin().access is Access.DENIED
    assert p.allows("s3:*").access is Access.ALLOWED
    allowed = p.allowed_actions()
    assert "iam:passrole" not in allowed
    assert "ec2:runinstances" in allowed


def test_not_action_with_deny_denies_everything_else() -> None:
    p = perms(doc(allow("*"), {"Effect": "Deny", "NotAction": ["s3:Get*"], "Resource": "*"}))
    assert p.allows("s3:GetObject").access is Access.ALLOWED
    assert p.allows("s3:PutObject").access is Access.DENIED
    assert p.allows("iam:CreateUser").access is Access.DENIED


def test_not_resource() -> None:
    p = perms(doc({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"}))
    assert p.allows("s3:GetObject", "arn:aws:s3:::orders/a").access is Access.ALLOWED
    assert p.allows("s3:GetObject", "arn:aws:s3:::secrets/a").access is Access.DENIED
    assert p.allows("s3:GetObject").access is Access.ALLOWED  # everything but a list counts as `*`
    assert p.allows_unscoped("s3:GetObject").access is Access.ALLOWED
    q = perms(doc(allow("s3:*"), {"Effect": "Deny", "Action": "s3:*", "NotResource": [BUCKET, OBJECTS]}))
    assert q.allows("s3:GetObject", "arn:aws:s3:::orders/a").access is Access.ALLOWED
    assert q.allows("s3:GetObject", "arn:aws:s3:::other/a").access is Access.DENIED
    assert q.allows("s3:GetObject").access is Access.ALLOWED
    assert len(q.allows("s3:GetObject").limited_by) == 1


# -- conditions ---------------------------------------------------------------------------------------


def test_conditions_are_kept_and_classified() -> None:
    p = perms(
        doc(
            allow("s3:GetObject", Condition={"StringEquals": {"aws:ResourceTag/team": "orders"}}),
            allow("logs:PutLogEvents", Condition={"Bool": {"aws:SecureTransport": "true"}}),
            allow(
                "iam:PassRole",
                "arn:aws:iam::123456789012:role/worker",
                Condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
            ),
        )
    )
    tagged = p.allows("s3:GetObject")
    assert tagged.access is Access.CONDITIONAL
    assert [(c.kind, c.condition.values) for c in tagged.conditions] == [
        (ConditionKind.RESOURCE_TAG, ("orders",))
    ]
    assert p.allows("logs:PutLogEvents").access is Access.ALLOWED
    assert p.allows("logs:PutLogEvents").conditions == ()
    passrole = p.allows_somewhere("iam:PassRole")
    assert passrole.access is Access.CONDITIONAL
    assert passrole.conditions[0].kind is ConditionKind.PASSED_TO_SERVICE
    assert "s3:getobject" not in p.allowed_actions()
    assert "s3:getobject" in p.allowed_actions(conditional=True)


def test_unconditional_allow_wins_over_conditional_one() -> None:
    p = perms(
        doc(allow("s3:GetObject", Condition={"StringEquals": {"aws:SourceAccount": "1"}}), allow("s3:*"))
    )
    assert p.allows("s3:GetObject").access is Access.ALLOWED


def test_conditional_deny_makes_an_allow_conditional() -> None:
    p = perms(
        doc(
            allow("s3:*"),
            deny("s3:*", Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-123"}}),
        )
    )
    decision = p.allows("s3:GetObject")
    assert decision.access is Access.CONDITIONAL
    assert decision.conditions[0].kind is ConditionKind.ORGANIZATION


def test_policy_variable_in_resource_is_conditional() -> None:
    p = perms(doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*")))
    assert p.allows("s3:GetObject", "arn:aws:s3:::home/alice/a").access is Access.CONDITIONAL


# -- unresolved pieces -----------------------------------------------------------------------------


def test_unresolved_document_makes_answers_unknown() -> None:
    p = perms(doc(allow("logs:*")), Unresolved("!If [Prod, ..., ...]"))
    decision = p.allows("logs:PutLogEvents")
    assert decision.access is Access.UNKNOWN
    assert decision.resolved_access is Access.ALLOWED
    assert decision.unknown == ("policy `p1`: !If [Prod, ..., ...]",)
    other = p.allows("s3:GetObject")
    assert (other.access, other.resolved_access) == (Access.UNKNOWN, Access.DENIED)


def test_unresolved_action_entry() -> None:
    statement = Statement(
        effect=Effect.ALLOW,
        actions=("s3:GetObject", Unresolved("!Ref ExtraAction")),
        resources=("*",),
        origin=make_origin("R", 12),
    )
    p = perms(PolicyDocument(statements=(statement,), origin=make_origin("R", 11)))
    assert p.allows("s3:GetObject").access is Access.ALLOWED  # a known entry already grants it
    unknown = p.allows("s3:PutObject")
    assert unknown.access is Access.UNKNOWN
    assert unknown.unknown == ("statement `R` of `p0`: Action entry: !Ref ExtraAction",)


def test_unresolved_effect_and_resource() -> None:
    statements = (
        Statement(
            effect=Unresolved("!Ref Effect"), actions=("s3:*",), resources=("*",), origin=make_origin("R", 3)
        ),
        Statement(
            effect=Effect.ALLOW,
            actions=("sqs:*",),
            resources=Unresolved("!Ref Q"),
            origin=make_origin("R", 4),
        ),
    )
    p = perms(PolicyDocument(statements=statements, origin=make_origin("R", 2)))
    assert p.allows("s3:GetObject").access is Access.UNKNOWN
    assert p.allows("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q").access is Access.UNKNOWN
    assert p.allows("dynamodb:GetItem").access is Access.DENIED


def test_unresolved_only_matters_when_it_could_change_the_answer() -> None:
    statement = Statement(
        effect=Effect.ALLOW, actions=Unresolved("!Ref Actions"), resources=("*",), origin=make_origin("R", 3)
    )
    p = perms(doc(allow("s3:GetObject")), PolicyDocument(statements=(statement,), origin=make_origin("R", 2)))
    assert p.allows("s3:GetObject").access is Access.ALLOWED  # an unknown Allow cannot take it away
    assert p.allows("s3:PutObject").access is Access.UNKNOWN


# -- managed policies ---------------------------------------------------------------------------------


def test_aws_managed_policies_by_arn_in_any_partition() -> None:
    p = perms(
        managed=(
            "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            Unresolved("!Sub arn:${AWS::Partition}:iam::aws:policy/AmazonS3ReadOnlyAccess"),
        )
    )
    logs = p.allows("logs:CreateLogStream")
    assert logs.access is Access.ALLOWED
    grant = logs.allowed_by[0]
    assert (grant.policy.name, grant.policy.kind, grant.policy.origin.line) == (
        "AWSLambdaBasicExecutionRole",
        PolicyKind.AWS_MANAGED,
        20,
    )
    assert p.allows("s3:GetObject").access is Access.ALLOWED
    assert p.allows("s3:PutObject").access is Access.DENIED


def test_unknown_managed_policies_are_unknown_pieces() -> None:
    p = perms(managed=("arn:aws:iam::aws:policy/NoSuchPolicy", "arn:aws:iam::123456789012:policy/custom"))
    decision = p.allows("s3:GetObject")
    assert decision.access is Access.UNKNOWN
    assert decision.unknown == (
        "AWS managed policy `/NoSuchPolicy` is not in the offline catalog",
        "managed policy `arn:aws:iam::123456789012:policy/custom` is not in the scanned sources",
    )


def test_customer_managed_policy_from_the_inventory() -> None:
    declared = ManagedPolicy(
        key="Custom",
        name="custom",
        arn=None,
        document=doc(allow("sqs:SendMessage")),
        origin=make_origin("Custom", 30),
    )
    p = perms(managed=("Custom",), inventory=Inventory(managed_policies=(declared,)))
    decision = p.allows("sqs:SendMessage")
    assert decision.access is Access.ALLOWED
    assert decision.allowed_by[0].policy.kind is PolicyKind.CUSTOMER_MANAGED


def test_permissions_boundary_caps_the_role() -> None:
    boundary = ManagedPolicy(
        key="Fence",
        name="fence",
        arn=None,
        document=doc(allow(["s3:*", "logs:*"])),
        origin=make_origin("Fence", 40),
    )
    p = perms(doc(allow("*")), boundary="Fence", inventory=Inventory(managed_policies=(boundary,)))
    assert p.allows("s3:GetObject").access is Access.ALLOWED
    outside = p.allows("iam:PassRole")
    assert outside.access is Access.DENIED
    assert outside.outside_boundary is True
    assert p.is_admin().access is Access.DENIED
    assert p.allowed_actions() == p.catalog.expand_all(["s3:*", "logs:*"])
    unknown = perms(doc(allow("*")), boundary="arn:aws:iam::1:policy/missing").allows("iam:PassRole")
    assert (unknown.access, unknown.resolved_access) == (Access.UNKNOWN, Access.ALLOWED)


# -- real-world shapes and derived queries -----------------------------------------------------------


def test_administrator_access_and_power_user() -> None:
    admin = perms(managed=("arn:aws:iam::aws:policy/AdministratorAccess",))
    assert admin.is_admin().access is Access.ALLOWED
    power = perms(managed=("arn:aws:iam::aws:policy/PowerUserAccess",))
    assert power.is_admin().access is Access.DENIED
    assert power.allows("lambda:*").access is Access.ALLOWED
    assert power.allows("iam:AttachRolePolicy").access is Access.DENIED
    assert power.allows("iam:CreateServiceLinkedRole").access is Access.ALLOWED


def test_unscoped_resources() -> None:
    p = perms(
        doc(
            allow("s3:GetObject", "arn:aws:s3:::*/*"),
            allow("dynamodb:Scan", "arn:aws:dynamodb:eu-west-1:123456789012:table/*"),
            allow("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            allow("s3:PutObject", OBJECTS),
        )
    )
    assert p.allows("s3:GetObject").access is Access.DENIED
    assert p.allows_unscoped("s3:GetObject").access is Access.ALLOWED
    assert p.allows_unscoped("dynamodb:Scan").access is Access.ALLOWED
    assert p.allows_unscoped("dynamodb:Query").access is Access.DENIED
    assert p.allows_unscoped("s3:PutObject").access is Access.DENIED
    info = p.catalog.info("dynamodb:Scan")
    assert [g.scope(info) for g in p.grants_for("dynamodb:Scan")] == [ResourceScope.SERVICE_WIDE]
    assert [g.scope(p.catalog.info("s3:PutObject")) for g in p.grants_for("s3:PutObject")] == [
        ResourceScope.SPECIFIC
    ]


def test_actions_with_tag_and_escalation_paths() -> None:
    p = perms(
        doc(
            allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
            allow("secretsmanager:GetSecretValue"),
            allow("ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/orders/*"),
        )
    )
    exfil = {d.action: d.access for d in p.actions_with_tag(RiskTag.DATA_EXFILTRATION)}
    assert exfil == {"secretsmanager:GetSecretValue": Access.ALLOWED}
    somewhere = {d.action for d in p.actions_with_tag(RiskTag.DATA_EXFILTRATION, unscoped=False)}
    assert somewhere == {"secretsmanager:GetSecretValue", "ssm:GetParameter"}
    paths = {path.method.id: path.access for path in p.escalation_paths()}
    assert paths == {"passrole-lambda-invoke": Access.ALLOWED}


def test_unknown_actions_point_at_their_statement() -> None:
    p = perms(
        doc(
            allow(["s3:GetObjet", "s3:PutObject"]),
            {"Effect": "Allow", "NotAction": "lambdaa:*", "Resource": "arn:aws:sqs:*:*:q"},
        )
    )
    found = [(u.problem.pattern, u.field, u.statement.origin.resource) for u in p.unknown_actions()]
    assert found == [
        ("s3:GetObjet", "actions", "R/Statement/0"),
        ("lambdaa:*", "not_actions", "R/Statement/1"),
    ]
    assert p.allows("s3:GetObject", OBJECTS).access is Access.DENIED  # a typo grants nothing


@pytest.mark.parametrize(
    ("accesses", "expected"),
    [
        ((Access.ALLOWED, Access.ALLOWED), Access.ALLOWED),
        ((Access.ALLOWED, Access.CONDITIONAL), Access.CONDITIONAL),
        ((Access.CONDITIONAL, Access.UNKNOWN), Access.UNKNOWN),
        ((Access.UNKNOWN, Access.DENIED), Access.DENIED),
    ],
)
def test_combine(accesses: tuple[Access, ...], expected: Access) -> None:
    from lambdasec.iam import combine

    assert combine(accesses) is expected


def test_action_problems_of_any_statement() -> None:
    from lambdasec.iam import action_problems

    statement = Statement(
        effect=Effect.ALLOW,
        actions=("lambda:InvokeFunction", "lambda:InvokeFuntion", Unresolved("!Ref A")),
        origin=make_origin("P", 3),
    )
    found = [(field, p.pattern, p.suggestion) for field, p in action_problems(statement)]
    assert found == [("actions", "lambda:InvokeFuntion", "lambda:InvokeFunction")]


def test_sub_and_getatt_resources_name_specific_resources() -> None:
    table = Unresolved(
        "!Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}"
    )
    statements = (
        Statement(
            effect=Effect.ALLOW, actions=("dynamodb:Scan",), resources=table, origin=make_origin("R", 3)
        ),
        Statement(
            effect=Effect.ALLOW,
            actions=("s3:GetObject",),
            resources=(Unresolved("!GetAtt Uploads.Arn"),),
            origin=make_origin("R", 4),
        ),
        Statement(
            effect=Effect.ALLOW,
            actions=("secretsmanager:GetSecretValue",),
            resources=Unresolved("!Sub ${secretArn}"),
            origin=make_origin("R", 5),
        ),
    )
    p = perms(PolicyDocument(statements=statements, origin=make_origin("R", 2)))
    assert [g.resource_shapes for g in p.grants] == [("arn:*:dynamodb:*:*:table/*",), ("*",), ()]
    assert p.allows("dynamodb:Scan").access is Access.DENIED
    assert p.allows_unscoped("dynamodb:Scan").access is Access.DENIED
    assert p.allows_somewhere("dynamodb:Scan").access is Access.ALLOWED
    assert p.allows("dynamodb:Scan", "arn:aws:dynamodb:eu-west-1:1:table/orders").access is Access.UNKNOWN
    assert p.allows("dynamodb:Scan", "arn:aws:s3:::orders").access is Access.DENIED
    assert p.allows_unscoped("s3:GetObject").access is Access.DENIED
    assert p.allows_somewhere("s3:GetObject").access is Access.ALLOWED
    secret = p.allows_unscoped("secretsmanager:GetSecretValue")
    assert secret.access is Access.UNKNOWN
    assert secret.unknown == ("statement `R` of `p0`: Resource: !Sub ${secretArn}",)


def test_deny_conditions() -> None:
    p = perms(
        doc(
            allow("s3:*"),
            deny("s3:*", Condition={"Bool": {"aws:SecureTransport": "false"}}),
            deny("s3:DeleteBucket", Condition={"Null": {"aws:ResourceTag/keep": "false"}}),
            deny("s3:PutBucketPolicy", Condition={"StringLike": {"aws:PrincipalArn": "*"}}),
        )
    )
    insecure = p.allows("s3:GetObject")
    assert insecure.access is Access.ALLOWED  # the caller just uses HTTPS
    assert len(insecure.limited_by) == 1
    assert p.allows("s3:DeleteBucket").access is Access.CONDITIONAL  # denied for tagged buckets
    assert p.allows("s3:PutBucketPolicy").access is Access.DENIED  # a condition every caller meets
    assert "s3:getobject" in p.allowed_actions()
    assert "s3:putbucketpolicy" not in p.allowed_actions()


def test_presence_only_allow_condition_is_conditional_for_the_roles_own_calls() -> None:
    p = perms(doc(allow("sqs:SendMessage", Condition={"ArnLike": {"aws:SourceArn": "*"}})))
    decision = p.allows("sqs:SendMessage")
    assert decision.access is Access.CONDITIONAL
    assert [c.kind for c in decision.conditions] == [ConditionKind.SOURCE_ARN]


def test_allows_within_a_resource_pattern() -> None:
    own = "arn:*:logs:*:*:log-group:/aws/lambda/orders-api:*"
    p = perms(
        doc(
            allow(
                ["logs:CreateLogStream", "logs:PutLogEvents"],
                "arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/*",
            ),
            allow("logs:CreateLogGroup", "arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/other:*"),
        )
    )
    assert p.allows_within("logs:PutLogEvents", own).access is Access.ALLOWED
    assert p.allows_within("logs:CreateLogGroup", own).access is Access.DENIED
    assert p.allows("logs:PutLogEvents", own).access is Access.DENIED  # not all of the pattern
    denied = perms(doc(allow("logs:*"), deny("logs:*", "arn:aws:logs:*:*:log-group:/aws/lambda/orders-*")))
    assert denied.allows_within("logs:PutLogEvents", own).access is Access.ALLOWED  # other partitions remain
    fully = perms(doc(allow("logs:*"), deny("logs:*", "arn:*:logs:*:*:log-group:/aws/lambda/*")))
    assert fully.allows_within("logs:PutLogEvents", own).access is Access.DENIED


def test_star_colon_star_is_every_action() -> None:
    assert perms(doc(allow("*:*"))).is_admin().access is Access.ALLOWED
    assert perms(doc(allow("*:*"))).allows("iam:PassRole").access is Access.ALLOWED


# -- ARNs of the stack's own partition, region and account ---------------------------------------


STACK_LOGS = (
    "!Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/orders-*:*"
)


def _logs_statement(resource: str) -> PolicyDocument:
    statement = Statement(
        effect=Effect.ALLOW,
        actions=("logs:CreateLogStream",),
        resources=(Unresolved(resource),),
        origin=make_origin("R", 3),
    )
    return PolicyDocument(statements=(statement,), origin=make_origin("R", 2))


def test_an_arn_of_the_stacks_own_account_reaches_a_query_open_in_those_segments() -> None:
    """`${AWS::Partition}`/`${AWS::Region}`/`${AWS::AccountId}` name the stack's own: a query about a log
    group "in whatever the function's partition, region and account are" is met by the rest alone."""
    p = perms(_logs_statement(STACK_LOGS))
    own = "arn:*:logs:*:*:log-group:/aws/lambda/orders-api:*"
    assert p.allows_within("logs:CreateLogStream", own).access is Access.ALLOWED
    other = "arn:*:logs:*:*:log-group:/aws/lambda/billing-api:*"
    assert p.allows_within("logs:CreateLogStream", other).access is Access.DENIED
    # A query naming an account or region cannot be answered: which ones the stack has is not known.
    named = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-api:*"
    assert p.allows_within("logs:CreateLogStream", named).access is Access.UNKNOWN


@pytest.mark.parametrize(
    "resource",
    [
        "!Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${Fn}:*",
        "!Sub arn:${AWS::Partition}:logs:${AWS::Region}:${Account}:log-group:/aws/lambda/orders-api:*",
        "!GetAtt Logs.Arn",
    ],
)
def test_other_variables_leave_the_answer_unknown(resource: str) -> None:
    p = perms(_logs_statement(resource))
    query = "arn:*:logs:*:*:log-group:/aws/lambda/orders-api:*"
    assert p.allows_within("logs:CreateLogStream", query).access is Access.UNKNOWN
