"""Model-level tests of LS301 env-var-plaintext-secret."""

from __future__ import annotations

from factories import make_function, make_inventory, run
from lambdasec.model import Unresolved
from lambdasec.rules.data.env_var_plaintext_secret import env_var_plaintext_secret as rule

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def test_secrets_are_reported_per_variable_at_their_line_and_masked() -> None:
    fn = make_function(
        environment={
            "DB_PASSWORD": "hunter2-prod-2024",
            "KEY_ONE": ACCESS_KEY,
            "KEY_TWO": SECRET_KEY,
            "TABLE_NAME": "orders",
            "LOG_LEVEL": "INFO",
        },
        fields={"environment.DB_PASSWORD": 11, "environment.KEY_ONE": 12, "environment.KEY_TWO": 13},
    )
    outcome = run(rule, make_inventory(functions=[fn]))
    assert outcome.lines == {("LS301", 11), ("LS301", 12), ("LS301", 13)}
    messages = [f.message for f in outcome.findings]
    assert messages == [
        "Environment variable `DB_PASSWORD` of `orders-api` holds a credential in plain text "
        "(`hunt******** (17 chars)`)",
        "Environment variable `KEY_ONE` of `orders-api` holds an AWS access key id in plain text "
        "(`AKIA******** (20 chars)`)",
        "Environment variable `KEY_TWO` of `orders-api` holds an AWS secret access key in plain text "
        "(`wJal******** (40 chars)`)",
    ]
    for finding in outcome.findings:
        text = repr(finding.to_json())
        assert "hunter2-prod-2024" not in text and ACCESS_KEY not in text and SECRET_KEY not in text
    assert [f.field for f in outcome.findings] == [
        "environment.DB_PASSWORD",
        "environment.KEY_ONE",
        "environment.KEY_TWO",
    ]


def test_references_placeholders_and_unresolved_values_are_not_reported() -> None:
    fn = make_function(
        environment={
            "DB_PASSWORD": "{{resolve:secretsmanager:prod/orders/db:SecretString:password}}",
            "API_TOKEN": "{{resolve:ssm:/orders/api-token}}",
            "DB_PASSWORD_PATH": "/orders/db/password",
            "STRIPE_SECRET": "arn:aws:secretsmanager:us-east-1:111122223333:secret:stripe-AbCdEf",
            "SLACK_TOKEN": "${ssm:/orders/slack}",
            "ADMIN_PASSWORD": "changeme",
            "AUTH_MODE": "cognito",
            "SIGNING_SECRET": Unresolved("!Ref SigningSecret"),
            "USE_AUTH": "true",
        }
    )
    outcome = run(rule, make_inventory(functions=[fn]))
    assert outcome.findings == []
    assert outcome.coverage.evaluated == 1


def test_unresolved_environment_is_not_evaluated() -> None:
    outcome = run(rule, make_inventory(functions=[make_function(environment=Unresolved("!If [Prod, ...]"))]))
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (("orders-api", "environment unknown: !If [Prod, ...]"),)
