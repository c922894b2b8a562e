"""Tests of secret detection by name and by shape, references, and masking."""

from __future__ import annotations

import pytest

from lambdasec.secrets import (
    SecretMatch,
    TokenMatch,
    find_secrets,
    find_tokens,
    is_reference,
    mask,
    secret_in,
)

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("DB_PASSWORD", "hunter22", "a credential"),
        ("dbPassword", "letmein1", "a credential"),
        ("STRIPE_API_KEY", "plainvalue123", "a credential"),
        ("BASIC_AUTH", "admin:s3cret99", "a credential"),
        ("ANY", "AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
        ("ANY", "ASIAIOSFODNN7EXAMPLE", "an AWS access key id"),
        ("ANY", "sk_live_abcdefghij1234", "a Stripe live secret key"),
        ("ANY", "xoxb-1234567890-abcdefghij", "a Slack token"),
        ("ANY", "ghp_" + "a1" * 18, "a GitHub token"),
        ("ANY", "github_pat_" + "A1_" * 10, "a GitHub token"),
        ("ANY", "-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a private key"),
        ("ANY", JWT, "a JSON Web Token"),
        ("DATABASE_URL", "postgres://app:Sup3rS3cret@db:5432/orders", "a URL with an embedded password"),
        ("SIGNING_KEY", "aB3dE5gH7jK9mN1pQ3", "a high-entropy secret"),
        # not secrets
        ("SIGNING_KEY", "not-random-at-all", None),
        ("DATABASE_URL", "postgres://db:5432/orders", None),
        ("DB_PASSWORD", "{{resolve:secretsmanager:prod/db:SecretString:password}}", None),
        ("DB_PASSWORD", "{{resolve:ssm-secure:/prod/db/password}}", None),
        ("DB_PASSWORD", "/prod/db/password", None),
        ("DB_PASSWORD", "prod/orders/db", None),
        ("DB_PASSWORD", "${ssm:/prod/db/password}", None),
        ("DB_PASSWORD", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", None),
        ("KMS_KEY", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", None),
        ("DB_PASSWORD", "changeme", None),
        ("DB_PASSWORD", "<your password>", None),
        ("DB_PASSWORD", "", None),
        ("DB_PASSWORD", "abc", None),
        ("PASSWORD_MIN_LENGTH", "12345678901", None),
        ("TOKEN_TTL", "3600", None),
        ("SECRET_ARN", "whatever-value-here", None),
        ("AUTH_MODE", "cognito", None),
        ("AUTH", "cognito", None),
        ("ENABLE_TOKEN", "true", None),
        ("TABLE_NAME", "orders-table-prod", None),
        ("s3Key", "honeyLambda/config.json", None),
        ("CONFIG_KEY", "reports/2024-11/ordersExport.csv", None),
        ("API_KEY", "aB3dE5gH7jK9/mN1pQ3.txt9", "a credential"),
        ("SIGNING_KEY", "aB3dE5gH7jK9/mN1pQ3wXyZ", "a high-entropy secret"),
    ],
)
def test_secret_in(name: str, value: str, kind: str | None) -> None:
    assert secret_in(name, value) == kind


def test_aws_secret_key_is_found_next_to_an_access_key_only() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    assert find_secrets([("DATA", secret)]) == []
    assert find_secrets([("ID", "AKIAIOSFODNN7EXAMPLE"), ("DATA", secret)]) == [
        SecretMatch(name="ID", kind="an AWS access key id", masked="AKIA******** (20 chars)"),
        SecretMatch(name="DATA", kind="an AWS secret access key", masked="wJal******** (40 chars)"),
    ]


def test_mask_never_shows_more_than_four_characters() -> None:
    assert mask("AKIAIOSFODNN7EXAMPLE") == "AKIA******** (20 chars)"
    assert mask("abcdefghijk") == "ab******** (11 chars)"
    assert mask("hunter22") == "******** (8 chars)"
    assert is_reference("{{resolve:ssm:/a/b}}")


def test_find_tokens_reports_every_format_at_word_starts_only() -> None:
    text = (
        f"key AKIAIOSFODNN7EXAMPLE, gh ghp_{'a' * 36} xoxb-1234567890-abc sk_live_{'b' * 24} {JWT}"
        f" AIza{'c' * 35} SG.{'d' * 22}.{'e' * 43} SK{'0' * 32} -----BEGIN RSA PRIVATE KEY-----"
        " xAKIAIOSFODNN7EXAMPLE"
    )

    assert find_tokens(text) == [
        TokenMatch(kind="an AWS access key id", start=4, end=24),
        TokenMatch(kind="a GitHub token", start=29, end=69),
        TokenMatch(kind="a Slack token", start=70, end=89),
        TokenMatch(kind="a Stripe live secret key", start=90, end=122),
        TokenMatch(kind="a JSON Web Token", start=123, end=215),
        TokenMatch(kind="a Google API key", start=216, end=255),
        TokenMatch(kind="a SendGrid API key", start=256, end=325),
        TokenMatch(kind="a Twilio API key", start=326, end=360),
        TokenMatch(kind="a private key", start=361, end=392),
    ]


def test_find_tokens_finds_nothing_without_a_format_literal() -> None:
    assert find_tokens("plain words, no keys: github.com/org/repo and a_token_value") == []
