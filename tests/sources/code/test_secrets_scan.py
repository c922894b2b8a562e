"""Secrets in code and packaged files: exact findings on realistic positives and negatives."""

from __future__ import annotations

import pytest

from lambdasec.model import CodeSecret, Origin, SourceKind
from lambdasec.sources.code.secrets_scan import is_sample, is_scanned, scan_secrets

# Realistic-looking values, built so that no complete token sits in this file's text.
GITHUB = "ghp_" + "R4nd0mT0kenValue1234567890abcdEFGH"
SLACK = "xoxb-" + "2048-1024-Zx9QwErTyUiOpAsDf"
STRIPE = "sk_" + "live_51HxYzAbCdEfGhIjKlMnOp"
GOOGLE = "AIza" + "SyD3xAmPl3K3y-1234567890abcdefGHIJK"
SENDGRID = "SG." + "ngeVfQFYQlKU0ufo8x5d1A.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr"
TWILIO = "SK" + "0f9e8d7c6b5a49382716e5d4c3b2a190"
ACCESS_KEY = "AKIA" + "2E0A8F3B244C9986"
SECRET_KEY = "7CE556A3bc234CC1FF9e8a5C324C0BB70AA21B6D"
JWT = "eyJ" + "hbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcmRlcnMtc3ZjIn0.m9Kf3nV0qL7xYz2WbTc8RsUe1Ah6Dg4Ji5Kl0Mn9Op"


def found(text: str, file: str = "src/app.py") -> list[tuple[int, str, str]]:
    return [(s.origin.line or 0, s.kind, s.masked) for s in scan_secrets(text, file=file)]


def test_known_token_formats_are_found_at_their_line_and_masked() -> None:
    text = "\n".join(
        [
            "import stripe",
            f'GITHUB_TOKEN = "{GITHUB}"',
            f"slack = '{SLACK}'",
            f'stripe.api_key = "{STRIPE}"',
            f'MAPS = "{GOOGLE}"',
            f'mail = "{SENDGRID}"',
            f'twilio_api = "{TWILIO}"',
            f'session = "{JWT}"',
        ]
    )
    assert found(text) == [
        (2, "a GitHub token", "ghp_******** (38 chars)"),
        (3, "a Slack token", "xoxb******** (32 chars)"),
        (4, "a Stripe live secret key", "sk_l******** (30 chars)"),
        (5, "a Google API key", "AIza******** (39 chars)"),
        (6, "a SendGrid API key", "SG.n******** (69 chars)"),
        (7, "a Twilio API key", "SK0f******** (34 chars)"),
        (8, "a JSON Web Token", "eyJh******** (91 chars)"),
    ]


def test_secret_values_never_appear_in_the_result() -> None:
    text = f'GITHUB_TOKEN = "{GITHUB}"\nDB_PASSWORD = "Tr0ub4dor&3x"\n'
    shown = repr(scan_secrets(text, file="app.py"))
    assert GITHUB not in shown and "Tr0ub4dor&3x" not in shown


def test_identity_is_file_kind_and_ordinal_never_the_line() -> None:
    text = f'A = "{GITHUB}"\n\n\nB = "{GITHUB[:-1]}Z"\npassword = "Tr0ub4dor&3x"\n'
    assert scan_secrets(text, file="src/app.py") == (
        CodeSecret(
            key="src/app.py#github-token:1",
            file="src/app.py",
            kind="a GitHub token",
            masked="ghp_******** (38 chars)",
            origin=Origin(
                source=SourceKind.CODE, file="src/app.py", line=1, resource="src/app.py#github-token:1"
            ),
        ),
        CodeSecret(
            key="src/app.py#github-token:2",
            file="src/app.py",
            kind="a GitHub token",
            masked="ghp_******** (38 chars)",
            origin=Origin(
                source=SourceKind.CODE, file="src/app.py", line=4, resource="src/app.py#github-token:2"
            ),
        ),
        CodeSecret(
            key="src/app.py#credential:1",
            file="src/app.py",
            kind="a credential",
            masked="Tr******** (12 chars)",
            origin=Origin(
                source=SourceKind.CODE, file="src/app.py", line=5, resource="src/app.py#credential:1"
            ),
        ),
    )


def test_aws_access_key_is_reported_with_its_secret_key_nearby_only() -> None:
    paired = f'ACCESS = "{ACCESS_KEY}"\nregion = "us-east-1"\nSECRET = "{SECRET_KEY}"\n'
    assert found(paired) == [(3, "an AWS secret access key", "7CE5******** (40 chars)")]
    alone = f'ACCESS = "{ACCESS_KEY}"\n' + "\n" * 10 + f'checksum = "{SECRET_KEY}"\n'
    assert found(alone) == []


def test_aws_documented_example_keys_are_skipped() -> None:
    text = (
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'
        'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'
    )
    assert found(text) == []


def test_jwt_io_documented_token_is_skipped() -> None:
    token = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5"
        "MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    )
    assert found(f'TOKEN = "{token}"\n') == []


@pytest.mark.parametrize(
    "line",
    [
        'password = os.environ["DB_PASSWORD"]',
        'api_key = os.getenv("API_KEY", "")',
        'api_key = "YOUR_API_KEY"',
        'token = ""',
        'password = "changeme"',
        'client_secret = "<client-secret>"',
        'secret = "${CLIENT_SECRET}"',
        'password = "xxxxxxxxxxxx"',
        'password_prompt = "Enter your password"',
        'password_field = "password"',
        'secret_name = "prod/orders/db"',
        'secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-AbCdEf"',
        'TOKEN_HEADER = "X-Auth-Token"',
        'token_env = "GITHUB_TOKEN"',
        'api_key = "api_key"',
        'password_regex = "^(?=.*[A-Z])(?=.*[0-9]).{12,}$"',
        'if password == "letmein123":',
        "const apiKey = process.env.API_KEY;",
        "const token = `Bearer ${event.headers.token}`;",
        'password = f"{prefix}-{suffix}"',
        'secret = "my-secret-value"',
        'key = "uploads/2024/report.csv"',
        'result = {"input_token": "NextToken"}',
        'ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials"',
        'owner_key = "aws:secretsmanager:owningService"',
        'EMRFS_RETRY_COUNT_KEY = "fs.s3.consistent.retryCount"',
        'SECRET = "%(secret)s"',
        "token = f'{self.client_request_token}'",
        'creds = " --username=" + auth',
        "long_auth = 'username:' + 'password' * 10",
        'SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"',
        '"CopySourceSSECustomerKeyMD5": "SSECustomerKeyMD5",',
        'signature = "float64|complex64"',
        'key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+IhuteBJbuHcA5Ug",',
        'password = "user_password"',
        'const pwd = "password";',
        'passwordInput = "loginform"',
        'password: "abc12"',
    ],
)
def test_placeholders_lookups_and_names_are_not_secrets(line: str) -> None:
    assert found(line + "\n") == []


@pytest.mark.parametrize(
    ("line", "kind", "masked"),
    [
        ('DB_PASSWORD = "Tr0ub4dor&3x"', "a credential", "Tr******** (12 chars)"),
        ("const clientSecret = 'q8Zr2LmV7xWp4NsT';", "a credential", "q8Zr******** (16 chars)"),
        ('const apiKey: string = "9f8E7d6C5b4A3f2e";', "a credential", "9f8E******** (16 chars)"),
        ('conn = connect(host="db", password="hunter2Prod!")', "a credential", "hu******** (12 chars)"),
        ('conn = connect(password="hunter2Prod!")', "a credential", "hu******** (12 chars)"),
        ('const db = new Client({ password: "hunter2Prod!" });', "a credential", "hu******** (12 chars)"),
        (
            'mysql.createConnection({ user: "admin", password: "qwertzui" });',
            "a credential",
            "******** (8 chars)",
        ),
        ('DB_PASSWD = "rainbow42"', "a credential", "******** (9 chars)"),
        ('config = {"private_key": "Zm9vYmFyYmF6cXV4MTIzNDU2"}', "a credential", "Zm9v******** (24 chars)"),
        ("  signingKey: 'c2lnbmluZy1rZXktMjAyNC1wcm9k',", "a high-entropy secret", "c2ln******** (28 chars)"),
    ],
)
def test_secret_named_literals_in_code_are_found(line: str, kind: str, masked: str) -> None:
    assert found(line + "\n", file="src/app.ts") == [(1, kind, masked)]


def test_connection_strings_with_a_password() -> None:
    text = "\n".join(
        [
            'DB = "postgres://orders:S3cretPassw0rd@db.internal:5432/orders"',
            'MONGO = "mongodb+srv://app:Xk29fLq0@cluster0.abcde.mongodb.net/shop"',
            'CACHE = "redis://:r3dis-Pw@cache.internal:6379/0"',
            'QUEUE = "amqp://guest:guestpw1@mq.internal:5672/"',
            'LOCAL = "postgres://user:password@localhost/db"',
            'TEMPLATE = "mongodb+srv://app:${DB_PASSWORD}@cluster0.mongodb.net"',
            'FORMAT = "mysql://%s:%s@%s/%s"',
            'NO_PASSWORD = "postgres://orders@db.internal/orders"',
            'WEB = "https://user:token123@example.org/"',
        ]
    )
    assert found(text) == [
        (1, "a connection string with a password", "S3******** (14 chars)"),
        (2, "a connection string with a password", "******** (8 chars)"),
        (3, "a connection string with a password", "******** (8 chars)"),
        (4, "a connection string with a password", "******** (8 chars)"),
    ]


def test_private_key_blocks_with_a_body_only() -> None:
    body = "MIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumJdk1G0GkXhGJ4G9GkV3hCqX\nHb9TzqCKtAyhrW7kxoEq"
    text = (
        'HEADER = "-----BEGIN PRIVATE KEY-----"\n'
        f'PEM = """-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"""\n'
        'FAKE = "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----"\n'
        'ESCAPED = "-----BEGIN EC PRIVATE KEY-----\\n'
        "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oFtA6XvB1CzpoAoGCCqGSM49"
        '\\n-----END EC PRIVATE KEY-----"\n'
    )
    assert found(text) == [
        (2, "a private key", "MIIE******** (84 chars)"),
        (7, "a private key", "MHcC******** (64 chars)"),
    ]


def test_env_file_values_are_bare_and_need_no_randomness() -> None:
    text = "\n".join(
        [
            "# local settings",
            "DB_PASSWORD=hunter2prod",
            "API_KEY=changeme",
            "SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:orders",
            'export JWT_SECRET="s0me-l0ng-s3cret"',
            "TABLE_NAME=orders",
            "AUTH_MODE=cognito",
        ]
    )
    assert found(text, file=".env") == [
        (2, "a credential", "hu******** (11 chars)"),
        (5, "a credential", "s0me******** (16 chars)"),
    ]


def test_yaml_and_properties_configuration() -> None:
    yaml_text = "database:\n  host: db.internal\n  password: Pr0d-Db-2024\n  user: orders\n"
    assert found(yaml_text, file="config/settings.yaml") == [(3, "a credential", "Pr******** (12 chars)")]
    properties = "db.user=orders\ndb.password=Pr0d-Db-2024\n"
    assert found(properties, file="app.properties") == [(2, "a credential", "Pr******** (12 chars)")]


def test_bare_values_in_code_are_not_literals() -> None:
    assert found("password = get_password()\ntoken = PREFIX + suffix\n", file="app.py") == []


def test_scanned_files() -> None:
    assert [
        path
        for path in (
            "app.py",
            "src/index.mjs",
            "src/handler.ts",
            ".env",
            ".env.production",
            "config/app.yaml",
            "settings.ini",
            "app.properties",
            "README.md",
            "image.png",
            "package-lock.lock",
        )
        if is_scanned(path)
    ] == [
        "app.py",
        "src/index.mjs",
        "src/handler.ts",
        ".env",
        ".env.production",
        "config/app.yaml",
        "settings.ini",
        "app.properties",
    ]


def test_sample_and_test_files_report_token_formats_only() -> None:
    text = f"DB_PASSWORD=Sup3rS3cret!\nGITHUB_TOKEN={GITHUB}\n"
    for path in (".env.example", "tests/test_app.py", "src/app.test.ts", "config/settings.sample.yaml"):
        assert found(text, file=path) == [(2, "a GitHub token", "ghp_******** (38 chars)")], path
    assert found(text, file=".env") == [
        (1, "a credential", "Su******** (12 chars)"),
        (2, "a GitHub token", "ghp_******** (38 chars)"),
    ]


def test_sample_files() -> None:
    assert [
        path
        for path in (
            ".env.example",
            ".env.sample",
            ".env.dist",
            "config.template.json",
            "tests/unit/handler.py",
            "src/__tests__/index.js",
            "test_handler.py",
            "handler_test.py",
            "index.spec.mjs",
            "conftest.py",
            ".env",
            ".env.production",
            "src/app.py",
            "src/contest.py",
            "src/templates_util.py",
            "src/latest.py",
        )
        if is_sample(path)
    ] == [
        ".env.example",
        ".env.sample",
        ".env.dist",
        "config.template.json",
        "tests/unit/handler.py",
        "src/__tests__/index.js",
        "test_handler.py",
        "handler_test.py",
        "index.spec.mjs",
        "conftest.py",
    ]


def test_many_secrets_in_one_file_each_get_their_own_line() -> None:
    # Past the first few secrets the line numbers come from a table of line starts instead of counting.
    lines = ["# settings", ""]
    for index in range(20):
        lines.extend([f'token_{index} = "{GITHUB[:-2]}{index:02d}"', ""])
    assert [line for line, _, _ in found("\n".join(lines))] == [3 + 2 * index for index in range(20)]
