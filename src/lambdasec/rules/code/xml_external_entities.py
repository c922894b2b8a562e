"""LS508 xml-external-entities: event data parsed by an XML parser that resolves external entities."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS508",
    name="xml-external-entities",
    severity=Severity.HIGH,
    category=Category.CODE,
    cwe=("CWE-611",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-4",), practice="secure parser configuration"),
)
def xml_external_entities(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags event data parsed as XML by a parser that resolves entities or external documents: `lxml`
    (`fromstring`, `parse`, `XMLParser(resolve_entities=True)` and its default parser), `xml.sax`,
    `xml.dom.minidom` and `xml.etree` parsing untrusted input without `defusedxml`, and `libxmljs`
    with `noent: true`.

    ## Why is this bad?
    A `<!DOCTYPE>` with an external entity makes the parser read local files
    (`file:///proc/self/environ` holds the function's AWS credentials) or fetch URLs from inside
    the function's network (server-side request forgery), and nested entities ("billion laughs")
    exhaust memory and time, which the invoker's account pays for.

    ## Example
    ### Code
    ```python
    from lxml import etree


    def handler(event, context):
        doc = etree.fromstring(event["body"].encode())
    ```

    ```javascript
    const libxmljs = require("libxmljs");
    exports.handler = async (event) => {
      const doc = libxmljs.parseXml(event.body, { noent: true });
    };
    ```

    Use instead:

    ```python
    from defusedxml import ElementTree


    def handler(event, context):
        doc = ElementTree.fromstring(event["body"])
    ```

    ```javascript
    const libxmljs = require("libxmljs");
    exports.handler = async (event) => {
      const doc = libxmljs.parseXml(event.body, { noent: false, nonet: true });
    };
    ```

    ## Known problems
    Parser objects configured in another module are judged by the analyzer's knowledge of their
    defaults; a parser made safe through settings the analyzer does not model is still reported.

    ## References
    - CWE-611: Improper Restriction of XML External Entity Reference,
      https://cwe.mitre.org/data/definitions/611.html
    - OWASP XML External Entity Prevention Cheat Sheet,
      https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html
    - Python documentation: XML vulnerabilities, https://docs.python.org/3/library/xml.html#xml-vulnerabilities
    """
    yield from report_flows(
        inv, ctx, sink=SinkKind.XXE, taints=frozenset({Taint.EVENT}), message=injection_message("XML parser")
    )
