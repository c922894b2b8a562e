"""LS504 nosql-injection: event data in DynamoDB expressions or MongoDB queries."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS504",
    name="nosql-injection",
    severity=Severity.HIGH,
    category=Category.CODE,
    cwe=("CWE-943",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def nosql_injection(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags NoSQL queries whose structure comes from event data: DynamoDB `FilterExpression`,
    `KeyConditionExpression`, `ConditionExpression` or `ProjectionExpression` strings built from the
    event (instead of passing the values as expression attribute values), MongoDB `$where` clauses
    and query documents taken whole from the event (operator injection such as
    `{"password": {"$ne": null}}`).

    ## Why is this bad?
    The invoker rewrites the query: a DynamoDB filter gains `OR attribute_exists(pk)` and returns
    every item, a `$ne` operator logs in without a password, and `$where` runs JavaScript inside the
    database. Data the function was meant to scope to one user or tenant leaks to any caller.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        status = event["queryStringParameters"]["status"]
        table.scan(FilterExpression=f"order_status = '{status}'")
    ```

    ```javascript
    exports.handler = async (event) => {
      const body = JSON.parse(event.body);
      return users.findOne({ name: body.name, password: body.password });
    };
    ```

    Use instead:

    ```python
    from boto3.dynamodb.conditions import Attr


    def handler(event, context):
        status = event["queryStringParameters"]["status"]
        table.scan(FilterExpression=Attr("order_status").eq(status))  # the value stays a value
    ```

    ```javascript
    exports.handler = async (event) => {
      const body = JSON.parse(event.body);
      return users.findOne({ name: String(body.name), password: String(body.password) });
    };
    ```

    ## Known problems
    Only DynamoDB (boto3 and the AWS SDK for JavaScript) and MongoDB drivers are modelled. An
    expression passed through a call the analysis cannot see into is reported with medium confidence.

    ## References
    - CWE-943: Improper Neutralization of Special Elements in Data Query Logic,
      https://cwe.mitre.org/data/definitions/943.html
    - Amazon DynamoDB Developer Guide: Expression attribute values,
      https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html
    - OWASP Web Security Testing Guide: Testing for NoSQL Injection,
      https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.NOSQL,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("NoSQL query"),
    )
