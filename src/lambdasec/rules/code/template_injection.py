"""LS509 template-injection: event data compiled as a server-side template."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS509",
    name="template-injection",
    severity=Severity.HIGH,
    category=Category.CODE,
    cwe=("CWE-1336",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def template_injection(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags event data used as the source of a server-side template: Jinja2 `Template(...)` and
    `Environment().from_string(...)`, Flask `render_template_string`, Mako `Template`, and in
    JavaScript `ejs.render` / `compile`, `pug.compile` / `render` and `Handlebars.compile` of event
    data. Event data passed as a template variable is not reported.

    ## Why is this bad?
    Template languages are programming languages. `{{ ''.__class__.__mro__[1].__subclasses__() }}`
    in Jinja2, or `<%= process.mainModule.require('child_process').execSync('id') %>` in EJS, runs
    code in the function with its execution role's credentials.

    ## Example
    ### Code
    ```python
    from jinja2 import Template


    def handler(event, context):
        greeting = Template("Hello " + event["queryStringParameters"]["name"]).render()
    ```

    ```javascript
    const ejs = require("ejs");
    exports.handler = async (event) => {
      const html = ejs.render("Hello " + event.queryStringParameters.name);
    };
    ```

    Use instead:

    ```python
    from jinja2 import Template

    GREETING = Template("Hello {{ name }}")


    def handler(event, context):
        greeting = GREETING.render(name=event["queryStringParameters"]["name"])
    ```

    ```javascript
    const ejs = require("ejs");
    exports.handler = async (event) => {
      const html = ejs.render("Hello <%= name %>", { name: event.queryStringParameters.name });
    };
    ```

    ## Known problems
    Template engines other than the listed ones are not modelled. A template source passed through a
    call the analysis cannot see into is reported with medium confidence.

    ## References
    - CWE-1336: Improper Neutralization of Special Elements Used in a Template Engine,
      https://cwe.mitre.org/data/definitions/1336.html
    - PortSwigger Web Security Academy: Server-side template injection,
      https://portswigger.net/web-security/server-side-template-injection
    - OWASP Serverless Top 10 (SAS-1 Injection),
      https://owasp.org/www-project-serverless-top-10/
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.TEMPLATE,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("template"),
    )
