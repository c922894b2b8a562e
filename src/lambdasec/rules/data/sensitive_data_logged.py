"""LS306 sensitive-data-logged: the whole event, credentials, secrets or the environment written to logs."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Flow, Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import FlowView, report_flows

# What each sensitive taint is called in a message, most specific first.
_WHAT: tuple[tuple[Taint, str], ...] = (
    (Taint.CREDENTIAL, "a credential"),
    (Taint.SECRET, "a secret"),
    (Taint.ENVIRONMENT, "the whole environment"),
    (Taint.EVENT_WHOLE, "the whole event"),
)


def _message(view: FlowView) -> str:
    what = next(name for taint, name in _WHAT if taint in view.flow.taints)
    return f"{view.subject} writes {what}{view.quoted} to the log with `{view.flow.callee}`"


@inventory_rule(
    id="LS306",
    name="sensitive-data-logged",
    severity=Severity.MEDIUM,
    category=Category.DATA,
    cwe=("CWE-532",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-3", "SAS-10"), practice="secure logging"),
)
def sensitive_data_logged(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags handler code that writes sensitive data to the function's logs with `print`, `logging`,
    `console.*` or a Powertools logger: the whole event (which carries request headers, cookies and
    bodies), an `Authorization` header, cookie, token or password from the event, a value read from
    Secrets Manager or Parameter Store or held in a secret-named variable, or the whole environment
    (`os.environ`, `process.env`, which holds the function's AWS credentials). Logging an event
    field that is not sensitive is not reported. Powertools' `log_event=True` counts as logging the
    whole event.

    ## Why is this bad?
    Everything a function prints goes to CloudWatch Logs, is kept for the log group's retention
    (forever by default), is often shipped to third-party log tools, and is readable by everyone
    with `logs:GetLogEvents` or `logs:StartQuery` on the group, a far wider audience than the
    function's secrets have. A logged `AWS_SESSION_TOKEN` lets a reader act as the function until it
    expires; logged passwords and bearer tokens let them act as the users.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        print(json.dumps(event))
        logger.info("env: %s", os.environ)
    ```

    ```javascript
    exports.handler = async (event) => {
      console.log("event", JSON.stringify(event));
      console.log("auth", event.headers.Authorization);
    };
    ```

    Use instead:

    ```python
    def handler(event, context):
        logger.info("request", extra={"path": event["rawPath"], "request_id": context.aws_request_id})
    ```

    ```javascript
    exports.handler = async (event) => {
      console.log("request", { path: event.rawPath, requestId: event.requestContext.requestId });
    };
    ```

    Log the fields you need to operate the function, never the whole event or the environment, and
    never credentials; Powertools' `log_event` belongs only in development stages.

    ## Known problems
    The whole event is reported only when an invoker writes part of it: a handler triggered by a
    schedule alone may log its event. Redaction done by a custom logging filter or formatter is not
    recognised, so a redacted log call is still reported. A value passed through a call the analysis
    cannot see into is reported with medium confidence.

    ## References
    - CWE-532: Insertion of Sensitive Information into Log File,
      https://cwe.mitre.org/data/definitions/532.html
    - AWS Lambda Powertools for Python: Logger (log_event),
      https://docs.powertools.aws.dev/lambda/python/latest/core/logger/
    - OWASP Logging Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.LOG,
        taints=frozenset(taint for taint, _ in _WHAT),
        message=_message,
        accept=_sensitive,
    )


def _sensitive(flow: Flow) -> bool:
    """A credential, a secret or the environment always; the whole event when an invoker writes part of it.

    A schedule's event is written by AWS and holds nothing of anyone's: logging it is not a leak.
    """
    if flow.taints & {Taint.CREDENTIAL, Taint.SECRET, Taint.ENVIRONMENT}:
        return True
    return Taint.EVENT in flow.taints
