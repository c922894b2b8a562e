"""LS502 code-injection: event data evaluated as code."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS502",
    name="code-injection",
    severity=Severity.CRITICAL,
    category=Category.CODE,
    cwe=("CWE-94", "CWE-95"),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def code_injection(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags handler code that evaluates event data as code: Python `eval`, `exec`, `compile` and
    `__import__`, JavaScript `eval`, `new Function(...)`, `vm.runInThisContext` / `runInNewContext`
    and `setTimeout` / `setInterval` with a string.

    ## Why is this bad?
    Whoever controls the event runs arbitrary code in the function, with its execution role's
    credentials, its environment variables and its network position. `eval` of a "simple
    expression" from a query string is enough: `__import__('os').system(...)` or
    `require('child_process').execSync(...)` are expressions too.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        total = eval(event["queryStringParameters"]["expr"])
        return {"statusCode": 200, "body": str(total)}
    ```

    ```javascript
    exports.handler = async (event) => {
      const total = eval(event.queryStringParameters.expr);
      return { statusCode: 200, body: String(total) };
    };
    ```

    Use instead:

    ```python
    import ast


    def handler(event, context):
        total = ast.literal_eval(event["queryStringParameters"]["expr"])  # literals only
        return {"statusCode": 200, "body": str(total)}
    ```

    ```javascript
    exports.handler = async (event) => {
      const total = JSON.parse(event.queryStringParameters.expr);   // data, never code
      return { statusCode: 200, body: String(total) };
    };
    ```

    Parse data with a data parser (`json`, `ast.literal_eval`, `JSON.parse`) or map the input onto a
    fixed set of operations; never hand it to an evaluator.

    ## Known problems
    Code evaluated through a call the analysis cannot see into is reported with medium confidence.
    Dynamic `require()` / `import()` of event data is not treated as code evaluation.

    ## References
    - CWE-94: Improper Control of Generation of Code, https://cwe.mitre.org/data/definitions/94.html
    - CWE-95: Eval Injection, https://cwe.mitre.org/data/definitions/95.html
    - OWASP Serverless Top 10 (SAS-1 Injection),
      https://owasp.org/www-project-serverless-top-10/
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.CODE,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("code evaluation"),
    )
