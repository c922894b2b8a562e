"""LS503 sql-injection: event data concatenated into a SQL statement."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS503",
    name="sql-injection",
    severity=Severity.HIGH,
    category=Category.CODE,
    cwe=("CWE-89",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def sql_injection(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags SQL statements built from event data with string formatting or concatenation and run
    through a database API: DB-API `cursor.execute` / `executemany`, SQLAlchemy `text()` and
    `execute` of strings, `pandas.read_sql`, and in JavaScript `mysql`/`pg` `query`, knex `raw` and
    Sequelize `query`. Parameterized queries, where the event data travels as a bound parameter, are
    not reported.

    ## Why is this bad?
    A quote in the input ends the string literal and the rest runs as SQL: an invoker can read every
    table the database user can (`' UNION SELECT ...`), change or delete data, and on some engines
    read files or run commands. Functions behind API Gateway often hold a database user with broad
    rights, so one injectable query exposes the whole store.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        order_id = event["pathParameters"]["id"]
        cursor.execute(f"SELECT * FROM orders WHERE id = '{order_id}'")
    ```

    ```javascript
    exports.handler = async (event) => {
      const id = event.pathParameters.id;
      return pool.query(`SELECT * FROM orders WHERE id = '${id}'`);
    };
    ```

    Use instead:

    ```python
    def handler(event, context):
        order_id = event["pathParameters"]["id"]
        cursor.execute("SELECT * FROM orders WHERE id = %s", (order_id,))
    ```

    ```javascript
    exports.handler = async (event) => {
      const id = event.pathParameters.id;
      return pool.query("SELECT * FROM orders WHERE id = $1", [id]);
    };
    ```

    ## Known problems
    Query builders and ORMs other than the listed APIs are not modelled, so SQL built for them is not
    reported. A statement passed through a call the analysis cannot see into is reported with medium
    confidence. Identifiers (table or column names) taken from an allow-list are recognised only in
    the allow-list shapes the analyzer knows.

    ## References
    - CWE-89: Improper Neutralization of Special Elements used in an SQL Command,
      https://cwe.mitre.org/data/definitions/89.html
    - OWASP SQL Injection Prevention Cheat Sheet,
      https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
    - OWASP Serverless Top 10 (SAS-1 Injection),
      https://owasp.org/www-project-serverless-top-10/
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.SQL,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("SQL statement"),
    )
