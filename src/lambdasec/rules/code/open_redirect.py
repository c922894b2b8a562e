"""LS510 open-redirect: API responses redirecting to a location taken from the event."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS510",
    name="open-redirect",
    severity=Severity.MEDIUM,
    category=Category.CODE,
    cwe=("CWE-601",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def open_redirect(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags API responses that redirect (status 301, 302, 303, 307 or 308) to a `Location` taken from
    event data, and framework redirects (`flask.redirect`, Express `res.redirect` / `res.location`) of
    event data.

    ## Why is this bad?
    A link on the application's own domain, such as
    `https://api.example.com/login?next=https://evil.example`, sends users to a page of the
    attacker's choosing. Phishing pages borrow the trusted domain, and OAuth or login flows that
    redirect with a code or token in the URL hand it to the attacker.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        target = event["queryStringParameters"]["next"]
        return {"statusCode": 302, "headers": {"Location": target}}
    ```

    ```javascript
    exports.handler = async (event) => ({
      statusCode: 302,
      headers: { Location: event.queryStringParameters.next },
    });
    ```

    Use instead:

    ```python
    def handler(event, context):
        target = event["queryStringParameters"]["next"]
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        return {"statusCode": 302, "headers": {"Location": target}}  # same-site paths only
    ```

    ```javascript
    const PAGES = { home: "/", orders: "/orders" };
    exports.handler = async (event) => ({
      statusCode: 302,
      headers: { Location: PAGES[event.queryStringParameters.next] ?? "/" },
    });
    ```

    ## Known problems
    Only response objects built in the handler's code (or returned from a helper of the package)
    are recognised; redirects built by web frameworks running inside the function other than Flask
    and Express are not. Checks that a target is a relative path are recognised only in the shapes
    the analyzers know.

    ## References
    - CWE-601: URL Redirection to Untrusted Site, https://cwe.mitre.org/data/definitions/601.html
    - OWASP Unvalidated Redirects and Forwards Cheat Sheet,
      https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.REDIRECT,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("redirect"),
    )
