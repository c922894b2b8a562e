"""Model-level tests of LS302 env-vars-no-customer-kms-key."""

from __future__ import annotations

from dataclasses import replace

from factories import make_function, make_inventory, run
from lambdasec.findings import Severity
from lambdasec.model import Unresolved
from lambdasec.rules.data.env_vars_no_customer_kms_key import env_vars_no_customer_kms_key as rule


def test_sensitive_names_with_secret_values_or_parameters_without_a_key() -> None:
    literal = make_function(
        "literal",
        environment={
            "SENDGRID_API_KEY": "{{resolve:secretsmanager:orders/sendgrid:SecretString:api_key}}",
            "DB_PASSWORD": "hunter2-prod-2024",
            "TABLE_NAME": "orders",
        },
        fields={"environment": 7},
    )
    parameter = make_function("parameter", environment={"SIGNING_SECRET": Unresolved("!Ref Secret")}, line=20)
    outcome = run(rule, make_inventory(functions=[literal, parameter]))
    assert outcome.lines == {("LS302", 7), ("LS302", 20)}
    assert [(f.severity, f.message) for f in outcome.findings] == [
        (
            Severity.MEDIUM,
            "Environment of `literal` holds sensitive variables (`SENDGRID_API_KEY`, `DB_PASSWORD`) "
            "encrypted only with the AWS managed key, so anyone allowed `lambda:GetFunctionConfiguration` "
            "reads them",
        ),
        (
            Severity.LOW,
            "Environment of `parameter` holds sensitive variables (`SIGNING_SECRET`) encrypted only with the "
            "AWS managed key, so anyone allowed `lambda:GetFunctionConfiguration` reads them",
        ),
    ]


def test_pointers_keys_and_unknowns() -> None:
    pointers = make_function(
        "pointers",
        environment={
            "DB_PASSWORD_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
            "API_TOKEN": "/orders/api-token",
            "AUTH_MODE": "cognito",
        },
    )
    keyed = replace(
        make_function("keyed", environment={"DB_PASSWORD": "hunter2-prod-2024"}), kms_key_arn="Key"
    )
    referenced = replace(
        make_function("referenced", environment={"DB_PASSWORD": "hunter2-prod-2024"}),
        kms_key_arn=Unresolved("!GetAtt Key.Arn"),
    )
    conditional = replace(
        make_function("conditional", environment={"DB_PASSWORD": "hunter2-prod-2024"}),
        kms_key_arn=Unresolved("!If [Prod, !GetAtt Key.Arn, !Ref AWS::NoValue]"),
    )
    unknown_env = make_function("unknown-env", environment=Unresolved("!If [Prod, ...]"))
    outcome = run(rule, make_inventory(functions=[pointers, keyed, referenced, conditional, unknown_env]))
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("conditional", "KMS key unknown: !If [Prod, !GetAtt Key.Arn, !Ref AWS::NoValue]"),
        ("unknown-env", "environment unknown: !If [Prod, ...]"),
    )
