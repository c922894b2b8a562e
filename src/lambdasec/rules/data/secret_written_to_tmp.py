"""LS307 secret-written-to-tmp: secrets or credentials written to /tmp and never removed."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import FlowView, report_flows


def _message(view: FlowView) -> str:
    what = "a credential" if Taint.CREDENTIAL in view.flow.taints else "a secret"
    return (
        f"{view.subject} writes {what}{view.quoted} to `/tmp` with `{view.flow.callee}` "
        "and never removes the file"
    )


@inventory_rule(
    id="LS307",
    name="secret-written-to-tmp",
    severity=Severity.MEDIUM,
    category=Category.DATA,
    cwe=("CWE-312", "CWE-459"),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-3",), practice="secrets management"),
)
def secret_written_to_tmp(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags handler code that writes a secret (a value read from Secrets Manager or Parameter Store, or
    held in a secret-named variable) or a credential from the event (an `Authorization` header, a
    token, a password) to a file under `/tmp`, when no code of the package ever removes that file or
    its directory.

    ## Why is this bad?
    Lambda reuses execution environments: `/tmp` survives from one invocation to the next, for
    whichever caller comes next, for as long as the environment lives. A secret left there is
    readable by any later invocation that can be tricked into reading files (path traversal, XXE,
    command injection), and a credential of one user stays on disk while another user's request is
    served. Secrets belong in memory, fetched when needed.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        key = secrets.get_secret_value(SecretId="prod/signing-key")["SecretString"]
        with open("/tmp/key.pem", "w") as f:
            f.write(key)
        sign("/tmp/key.pem", event["body"])
    ```

    ```javascript
    exports.handler = async (event) => {
      const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: "prod/signing-key" }));
      fs.writeFileSync("/tmp/key.pem", SecretString);
      return sign("/tmp/key.pem", event.body);
    };
    ```

    Use instead:

    ```python
    def handler(event, context):
        key = secrets.get_secret_value(SecretId="prod/signing-key")["SecretString"]
        with open("/tmp/key.pem", "w") as f:
            f.write(key)
        try:
            return sign("/tmp/key.pem", event["body"])
        finally:
            os.remove("/tmp/key.pem")
    ```

    ```javascript
    exports.handler = async (event) => {
      const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: "prod/signing-key" }));
      fs.writeFileSync("/tmp/key.pem", SecretString, { mode: 0o600 });
      try {
        return sign("/tmp/key.pem", event.body);
      } finally {
        fs.rmSync("/tmp/key.pem", { force: true });
      }
    };
    ```

    Better still, pass the secret in memory to the library that needs it.

    ## Known problems
    A removal anywhere in the package counts, whether or not it runs on every path; a file whose
    name is computed is judged by the constant part the analyzers can see. Writes through libraries
    that write files themselves are not modelled.

    ## References
    - CWE-312: Cleartext Storage of Sensitive Information, https://cwe.mitre.org/data/definitions/312.html
    - CWE-459: Incomplete Cleanup, https://cwe.mitre.org/data/definitions/459.html
    - AWS Lambda Developer Guide: Lambda execution environment lifecycle,
      https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.TMP_WRITE,
        taints=frozenset({Taint.SECRET, Taint.CREDENTIAL}),
        message=_message,
    )
