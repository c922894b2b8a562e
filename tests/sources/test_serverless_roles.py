"""Execution roles of serverless.yml: shared (v3 and legacy keys), existing, and per-function plugin roles."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import AuthType, Unresolved
from serverless_files import load_service

K = "serverless.yml#"


def test_legacy_iam_role_statements_and_managed_policies(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: legacy
        provider:
          name: aws
          runtime: nodejs18.x
          iamRoleStatements:
            - Effect: Allow
              Action: "*"
              Resource: "*"
          iamManagedPolicies:
            - arn:aws:iam::aws:policy/AdministratorAccess
        functions:
          one:
            handler: one.handler
        """,
    )
    (role,) = inventory.roles
    (policy,) = role.policies

    assert diagnostics == ()
    assert role.managed_policy_arns == ("arn:aws:iam::aws:policy/AdministratorAccess",)
    assert not isinstance(policy.document, Unresolved)
    last = policy.document.statements[-1]
    assert (last.actions, last.resources, last.origin.line) == (("*",), ("*",), 6)
    assert inventory.functions[0].role == f"{K}IamRoleLambdaExecution"


def test_existing_role_arn_in_provider_and_role_by_logical_id_per_function(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: existing
        provider:
          name: aws
          iam:
            role: arn:aws:iam::111122223333:role/shared
        functions:
          one:
            handler: one.handler
          two:
            handler: two.handler
            role: CustomRole
        resources:
          Resources:
            CustomRole:
              Type: AWS::IAM::Role
              Properties:
                AssumeRolePolicyDocument:
                  Statement:
                    - Effect: Allow
                      Principal: {Service: lambda.amazonaws.com}
                      Action: sts:AssumeRole
        """,
    )
    one, two = inventory.functions

    assert diagnostics == ()
    assert one.role == "arn:aws:iam::111122223333:role/shared"
    assert one.origin.line_of("role") == 5
    assert two.role == f"{K}CustomRole"
    assert [r.key for r in inventory.roles] == [f"{K}CustomRole"]


def test_per_function_roles_plugin(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: perfn
        plugins:
          - serverless-iam-roles-per-function
        provider:
          name: aws
          iam:
            role:
              statements:
                - Effect: Allow
                  Action: sqs:SendMessage
                  Resource: arn:aws:sqs:us-east-1:111122223333:q
        functions:
          own:
            handler: own.handler
            iamRoleStatementsInherit: true
            iamRoleStatements:
              - Effect: Allow
                Action: dynamodb:GetItem
                Resource: arn:aws:dynamodb:us-east-1:111122223333:table/t
          shared:
            handler: shared.handler
        """,
    )
    own, shared = inventory.functions

    assert diagnostics == ()
    assert own.role == f"{K}OwnIamRoleLambdaExecution"
    assert shared.role == f"{K}IamRoleLambdaExecution"
    role = next(r for r in inventory.roles if r.key == own.role)
    (policy,) = role.policies
    assert not isinstance(policy.document, Unresolved)
    assert [s.actions for s in policy.document.statements] == [
        ("logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"),
        ("logs:PutLogEvents",),
        ("sqs:SendMessage",),
        ("dynamodb:GetItem",),
    ]
    assert policy.document.statements[3].origin.line == 17


def test_per_function_statements_without_the_plugin_are_ignored_with_a_warning(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: noplugin
        provider:
          name: aws
        functions:
          own:
            handler: own.handler
            iamRoleStatements:
              - Effect: Allow
                Action: "*"
                Resource: "*"
        """,
    )

    assert [(d.level, d.line, d.message) for d in diagnostics] == [
        (
            "warning",
            7,
            "`iamRoleStatements` of function `own` need the serverless-iam-roles-per-function plugin;"
            " ignored",
        )
    ]
    assert inventory.functions[0].role == f"{K}IamRoleLambdaExecution"


def test_url_true_destinations_layers_and_dead_letter(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: extras
        provider:
          name: aws
          layers:
            - arn:aws:lambda:us-east-1:999999999999:layer:shared:3
        functions:
          hook:
            handler: hook.handler
            url: true
            onError: arn:aws:sns:us-east-1:111122223333:dlq
            destinations:
              onSuccess: other
              onFailure: arn:aws:sqs:us-east-1:111122223333:failed
            maximumRetryAttempts: 1
          other:
            handler: other.handler
            layers: []
        """,
    )
    hook, other = inventory.functions
    (url,) = inventory.function_urls

    assert diagnostics == ()
    assert (url.function, url.auth_type, url.origin.line_of("auth_type")) == (hook.key, AuthType.NONE, 9)
    assert hook.layers == ("arn:aws:lambda:us-east-1:999999999999:layer:shared:3",)
    assert other.layers == ()
    assert hook.dead_letter_target == "arn:aws:sns:us-east-1:111122223333:dlq"
    assert hook.on_failure_destination == "arn:aws:sqs:us-east-1:111122223333:failed"
    assert hook.on_success_destination == Unresolved("!GetAtt OtherLambdaFunction.Arn")
    assert hook.maximum_retry_attempts == 1
