"""LS505 unsafe-deserialization: event data given to a deserializer that can build arbitrary objects."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS505",
    name="unsafe-deserialization",
    severity=Severity.CRITICAL,
    category=Category.CODE,
    cwe=("CWE-502",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-8",), practice="input validation"),
)
def unsafe_deserialization(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags event data handed to deserializers that can instantiate arbitrary objects or run code:
    `pickle` / `cPickle` / `dill` / `cloudpickle` `loads` and `load`, `marshal.loads`, `yaml.load`
    without a safe loader and `yaml.unsafe_load`, `jsonpickle.decode`, `shelve`, and in JavaScript
    `node-serialize`'s `unserialize` and `eval` of `serialize-javascript` output.

    ## Why is this bad?
    These formats describe objects to build and functions to call while loading. A crafted payload
    (a pickle whose `__reduce__` returns `os.system`, a YAML `!!python/object/apply` tag, a
    `node-serialize` `_$$ND_FUNC$$_` string) runs the attacker's code as soon as it is deserialized,
    before the handler looks at the result.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        order = pickle.loads(base64.b64decode(event["body"]))
    ```

    ```javascript
    const serialize = require("node-serialize");
    exports.handler = async (event) => {
      const order = serialize.unserialize(event.body);
    };
    ```

    Use instead:

    ```python
    def handler(event, context):
        order = json.loads(event["body"])  # or yaml.safe_load for YAML
    ```

    ```javascript
    exports.handler = async (event) => {
      const order = JSON.parse(event.body);
    };
    ```

    ## Known problems
    A payload passed through a call the analysis cannot see into is reported with medium confidence.
    Deserializers of other libraries (Java-style object streams in JavaScript, `xmlrpc`) are not
    modelled.

    ## References
    - CWE-502: Deserialization of Untrusted Data, https://cwe.mitre.org/data/definitions/502.html
    - Python documentation: pickle security warning,
      https://docs.python.org/3/library/pickle.html
    - OWASP Serverless Top 10 (SAS-8 Insecure Deserialization),
      https://owasp.org/www-project-serverless-top-10/
    """
    yield from report_flows(
        inv,
        ctx,
        sink=SinkKind.DESERIALIZATION,
        taints=frozenset({Taint.EVENT}),
        message=injection_message("deserialization"),
    )
