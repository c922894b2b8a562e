"""LS305 secret-in-code: credentials written into handler code and the files packaged with it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import PurePosixPath

from lambdasec.findings import Category, Confidence, Finding, Severity, Standards
from lambdasec.model import CodeSecret, Inventory, Language, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import for_language

# Kinds recognised by the name a value is stored under rather than by a format of its own.
_NAME_BASED = frozenset({"a credential", "a high-entropy secret"})
# The language of a file by its suffix, to show the fix written for it.
_LANGUAGES = {
    ".py": Language.PYTHON,
    ".js": Language.JAVASCRIPT,
    ".mjs": Language.JAVASCRIPT,
    ".cjs": Language.JAVASCRIPT,
    ".jsx": Language.JAVASCRIPT,
    ".ts": Language.TYPESCRIPT,
    ".mts": Language.TYPESCRIPT,
    ".cts": Language.TYPESCRIPT,
    ".tsx": Language.TYPESCRIPT,
}


@inventory_rule(
    id="LS305",
    name="secret-in-code",
    severity=Severity.HIGH,
    category=Category.DATA,
    cwe=("CWE-798",),
    scope=Scope.CODE_FILES,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-3",), practice="secrets management"),
)
def secret_in_code(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags credentials written into handler code and the text files deployed with it (`.env`,
    configuration `.json`/`.yaml`/`.ini`/`.properties`): tokens of known formats (AWS access key
    pairs, GitHub, Slack, Stripe live, Google, SendGrid and Twilio keys, JSON Web Tokens), private
    keys in PEM blocks, connection strings with a password (`postgres://user:pass@host`), and
    random-looking literals assigned to secret-named variables (`password`, `secret`, `token`,
    `api_key`, `private_key`, `client_secret`...). The value is shown masked.

    ## Why is this bad?
    Code is copied everywhere: into version control and its forks, CI logs, build artifacts, the
    deployment package in S3 and every developer laptop. Anyone with `lambda:GetFunction` downloads
    the package and reads the secret. A hard-coded secret cannot be rotated without a release, so
    once leaked it stays valid, often for years.

    ## Example
    ### Code
    ```python
    STRIPE_KEY = "sk_live_51HxYzAbCdEfGhIjKlMnOp"


    def handler(event, context):
        stripe.api_key = STRIPE_KEY
    ```

    ```javascript
    const db = new Client("postgres://orders:S3cretPassw0rd@db.internal:5432/orders");
    ```

    Use instead:

    ```python
    from aws_lambda_powertools.utilities import parameters


    def handler(event, context):
        stripe.api_key = parameters.get_secret("prod/stripe-key")  # fetched and cached at run time
    ```

    ```javascript
    const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: "prod/orders/db" }));
    const db = new Client(JSON.parse(SecretString));
    ```

    Then rotate the leaked secret: removing it from the code does not remove it from history.

    ## Known problems
    AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`),
    values containing `example`, `changeme`, `placeholder`, `dummy`, `sample` or `xxxx`, template
    variables (`${...}`, `{{...}}`, `<...>`) and environment lookups are skipped on purpose. An AWS
    access key id is reported only with a 40-character secret key within five lines of it. A
    secret-named literal in code must be at least 8 characters, mix character classes, contain no
    spaces and not read as a name (`NextToken`, `Access-Control-Allow-Credentials`,
    `fs.s3.retryCount`), so short or dictionary-word passwords in code are missed; they are reported
    with medium confidence when found, since only the name says they are secrets. Base64 DER public
    keys are skipped. In sample and test files
    (`.env.example`, `*.template.*`, `tests/`, `test_*.py`, `*.spec.ts`...) only token formats,
    private keys and connection strings are reported: their passwords are made up on purpose.
    Public keys meant for clients (JWTs of public identity tokens, Google browser keys) are reported
    like private ones.

    ## References
    - CWE-798: Use of Hard-coded Credentials, https://cwe.mitre.org/data/definitions/798.html
    - AWS Lambda Developer Guide: Use Secrets Manager secrets in Lambda functions,
      https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html
    - OWASP Secrets Management Cheat Sheet,
      https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
    """
    for secret in inv.code_secrets:
        function = inv.function(secret.function) if secret.function is not None else None
        name = function.display_name if function is not None else None
        finding = ctx.finding(
            secret,
            message=_message(secret, function=name),
            function=name,
            confidence=Confidence.MEDIUM if secret.kind in _NAME_BASED else Confidence.HIGH,
            properties={"secret_kind": secret.kind, "masked_value": secret.masked},
        )
        language = _LANGUAGES.get(PurePosixPath(secret.file).suffix.lower())
        if language is not None:
            finding = dataclasses.replace(finding, remediation=for_language(finding.remediation, language))
        yield finding


def _message(secret: CodeSecret, *, function: str | None) -> str:
    where = f"Code of `{function}` in `{secret.file}`" if function else f"`{secret.file}`"
    return f"{where} holds {secret.kind} in plain text (`{secret.masked}`)"
