"""LS507 server-side-request-forgery: event data choosing the URL or host of an outgoing request."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS507",
    name="server-side-request-forgery",
    severity=Severity.HIGH,
    category=Category.CODE,
    cwe=("CWE-918",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def server_side_request_forgery(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags outgoing HTTP requests whose URL or host comes from event data: `requests`, `urllib`,
    `httpx`, `aiohttp` and `urllib3` in Python; `http(s).get` / `request`, `fetch`, `axios` and `got`
    in JavaScript. Event data only in the query string or body of a request to a fixed host is not
    reported.

    ## Why is this bad?
    The function makes requests from inside AWS on the invoker's behalf: to the Lambda runtime API
    and extensions on `localhost`, to private services in its VPC, to internal endpoints that trust
    the network, and with `file://` or other schemes some clients follow. A redirect or a DNS name
    under the attacker's control turns a "validated" URL into an internal one.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        url = json.loads(event["body"])["webhook"]
        requests.post(url, json={"status": "done"})
    ```

    ```javascript
    exports.handler = async (event) => {
      const { webhook } = JSON.parse(event.body);
      await fetch(webhook, { method: "POST" });
    };
    ```

    Use instead:

    ```python
    ALLOWED_HOSTS = {"hooks.example.com"}


    def handler(event, context):
        url = urllib.parse.urlsplit(json.loads(event["body"])["webhook"])
        if url.scheme != "https" or url.hostname not in ALLOWED_HOSTS:
            return {"statusCode": 400}
        requests.post(url.geturl(), json={"status": "done"}, allow_redirects=False)
    ```

    ```javascript
    const ALLOWED_HOSTS = new Set(["hooks.example.com"]);
    exports.handler = async (event) => {
      const url = new URL(JSON.parse(event.body).webhook);
      if (url.protocol !== "https:" || !ALLOWED_HOSTS.has(url.hostname)) return { statusCode: 400 };
      await fetch(url, { method: "POST", redirect: "error" });
    };
    ```

    ## Known problems
    Allow-list checks on a parsed URL's host are recognised only in the shapes the analyzers know
    (membership in a constant set, comparison with constants). Requests made through SDK clients for
    AWS services are not reported: their endpoints are not chosen by the event.

    ## References
    - CWE-918: Server-Side Request Forgery, https://cwe.mitre.org/data/definitions/918.html
    - OWASP Server-Side Request Forgery Prevention Cheat Sheet,
      https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
    - OWASP Serverless Top 10 (SAS-1 Injection),
      https://owasp.org/www-project-serverless-top-10/
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.SSRF,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("request URL"),
    )
