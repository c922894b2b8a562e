"""LS506 path-traversal: event data used as a file system path."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SinkKind, SourceKind, Taint
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.code._flows import injection_message, report_flows


@inventory_rule(
    id="LS506",
    name="path-traversal",
    severity=Severity.HIGH,
    category=Category.CODE,
    cwe=("CWE-22",),
    scope=Scope.CODE_UNITS,
    sources=frozenset({SourceKind.CODE}),
    standards=Standards(owasp_serverless=("SAS-1",), practice="input validation"),
)
def path_traversal(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags file system paths built from event data and opened, written, copied or removed: `open`,
    `os.path.join` results that are opened, `pathlib.Path(...)` reads and writes, `shutil`, `os.remove`,
    Node's `fs` functions (`readFile`, `writeFile`, `createReadStream`, `unlink`, ...), and Express's
    `res.sendFile` / `res.download`. A path normalized with `realpath` / `path.resolve` and then checked
    to stay under its base directory is not reported, nor one given to `res.sendFile` with a fixed
    `root` option (Express then refuses paths that leave the root).

    ## Why is this bad?
    `../` sequences or an absolute path escape the intended directory. A reader leaks the deployed
    code, `/proc/self/environ` (which holds the function's temporary AWS credentials) or files
    another invocation left in `/tmp`; a writer plants files that later invocations of the same
    execution environment load or serve.

    ## Example
    ### Code
    ```python
    def handler(event, context):
        name = event["queryStringParameters"]["file"]
        with open(os.path.join("/tmp/reports", name)) as f:
            return {"statusCode": 200, "body": f.read()}
    ```

    ```javascript
    exports.handler = async (event) => {
      const name = event.queryStringParameters.file;
      return { statusCode: 200, body: fs.readFileSync(path.join("/tmp/reports", name), "utf8") };
    };
    ```

    Use instead:

    ```python
    BASE = "/tmp/reports"


    def handler(event, context):
        path = os.path.realpath(os.path.join(BASE, event["queryStringParameters"]["file"]))
        if not path.startswith(BASE + os.sep):
            return {"statusCode": 400}
        with open(path) as f:
            return {"statusCode": 200, "body": f.read()}
    ```

    ```javascript
    const BASE = "/tmp/reports";
    exports.handler = async (event) => {
      const file = path.resolve(BASE, event.queryStringParameters.file);
      if (!file.startsWith(BASE + path.sep)) return { statusCode: 400 };
      return { statusCode: 200, body: fs.readFileSync(file, "utf8") };
    };
    ```

    Better still, look the name up in a fixed mapping, or use an object key instead of a path.

    ## Known problems
    Containment checks written in other shapes than a normalization followed by a prefix test are not
    recognised, so such guarded paths are still reported. A path passed through a call the analysis
    cannot see into is reported with medium confidence.

    ## References
    - CWE-22: Improper Limitation of a Pathname to a Restricted Directory,
      https://cwe.mitre.org/data/definitions/22.html
    - OWASP: Path Traversal, https://owasp.org/www-community/attacks/Path_Traversal
    - OWASP Serverless Top 10 (SAS-1 Injection),
      https://owasp.org/www-project-serverless-top-10/
    """
    yield from report_flows(
        inv, ctx, sink=SinkKind.PATH, taints=frozenset({Taint.EVENT}), message=injection_message("file path")
    )
