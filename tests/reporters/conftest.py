"""A fixed, hand-built ScanResult every reporter test renders."""

from __future__ import annotations

import pytest

from lambdasec.findings import (
    Category,
    Confidence,
    Diagnostic,
    DiagnosticLevel,
    Finding,
    Location,
    ResourceRef,
    RuleCoverage,
    RuleInfo,
    ScanResult,
    Severity,
    Standards,
    Suppression,
    ToolInfo,
    TraceStep,
)

LS201_DOC = """\
## What it does
Flags Lambda function URLs that accept unauthenticated requests (`AuthType: NONE`).

## Why is this bad?
Anyone who learns the URL can invoke the function with its execution role.

## Example
### SAM
```yaml
FunctionUrlConfig:
  AuthType: NONE
```

Use instead:

```yaml
FunctionUrlConfig:
  AuthType: AWS_IAM
```

## References
- https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"""

LS201_STANDARDS = Standards(
    owasp_serverless=("SAS-2", "SAS-5"), security_hub=("Lambda.1",), practice="authentication"
)

LS201_FIX = """\
Use instead:

```yaml
FunctionUrlConfig:
  AuthType: AWS_IAM
```"""

RULES = (
    RuleInfo(
        id="LS201",
        name="function-url-auth-none",
        category=Category.EXPOSURE,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=("CWE-306",),
        summary="Flags Lambda function URLs that accept unauthenticated requests (`AuthType: NONE`).",
        doc=LS201_DOC,
        standards=LS201_STANDARDS,
    ),
    RuleInfo(
        id="LS102",
        name="execution-role-wildcard-action",
        category=Category.IDENTITY,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=("CWE-250", "CWE-732"),
        summary="Flags execution roles that allow wildcard actions.",
        doc="## What it does\nFlags roles that allow wildcard actions.\n\n## Why is this bad?\nBroad.",
    ),
    RuleInfo(
        id="LS501",
        name="sql-injection",
        category=Category.CODE,
        severity=Severity.CRITICAL,
        confidence=Confidence.MEDIUM,
        cwe=("CWE-89",),
        summary="Flags event data that reaches a SQL query.",
        doc="## What it does\nFlags event data that reaches a SQL query.",
    ),
    RuleInfo(
        id="LS301",
        name="log-retention-missing",
        category=Category.DATA,
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="Flags log groups that keep logs forever.",
        doc="## What it does\nFlags log groups that keep logs forever.",
    ),
)

FINDINGS = (
    Finding(
        rule="LS201",
        name="function-url-auth-none",
        category=Category.EXPOSURE,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=("CWE-306",),
        message="Function URL of `orders-api` allows unauthenticated invocation",
        function="orders-api",
        resource=ResourceRef(type="function_url", id="OrdersApiUrl"),
        location=Location(source="sam", file="template.yaml", line=12),
        field="auth_type",
        remediation=LS201_FIX,
        fingerprint="sha256:201",
        standards=LS201_STANDARDS,
    ),
    Finding(
        rule="LS501",
        name="sql-injection",
        category=Category.CODE,
        severity=Severity.CRITICAL,
        confidence=Confidence.MEDIUM,
        cwe=("CWE-89",),
        message="`event['body']` reaches `cursor.execute` in `handler`",
        function="orders-api",
        resource=ResourceRef(type="function", id="OrdersApi"),
        location=Location(source="code", file="src/app.py", line=14),
        trace=(
            TraceStep(file="src/app.py", line=8, note="event['body']"),
            TraceStep(file="src/app.py", line=14, note="cursor.execute(query)"),
        ),
        remediation="Pass the value as a query parameter.\n\nMore text that is not shown.",
        fingerprint="sha256:501",
    ),
    Finding(
        rule="LS102",
        name="execution-role-wildcard-action",
        category=Category.IDENTITY,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=("CWE-250", "CWE-732"),
        message="Execution role `SharedRole` allows `s3:*` on `*`",
        function=None,
        resource=ResourceRef(type="role", id="SharedRole"),
        location=Location(source="sam", file="template.yaml", line=30),
        remediation="Name the actions the function calls.",
        fingerprint="sha256:102",
        suppressed=Suppression(kind="inline", reason="legacy role, removal tracked in OPS-12"),
    ),
    Finding(
        rule="LS301",
        name="log-retention-missing",
        category=Category.DATA,
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        message="Log group `/aws/lambda/orders-api` keeps logs forever",
        function="orders-api",
        resource=ResourceRef(type="log_group", id="OrdersApiLogs"),
        location=Location(source="sam", file="template.yaml", line=None),
        remediation="Set `RetentionInDays`.",
        fingerprint="sha256:301",
    ),
    Finding(
        rule="LS000",
        name="internal-error",
        category=Category.INTERNAL,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(),
        message="Rule LS999 crashed on `arn:aws:lambda:us-east-1:111122223333:function:billing`",
        function=None,
        resource=ResourceRef(type="function", id="arn:aws:lambda:us-east-1:111122223333:function:billing"),
        location=Location(source="aws", file=None, line=None),
        fingerprint="sha256:000",
        suppressed=Suppression(kind="config", reason="known crash", expires="2027-01-31"),
    ),
)

DIAGNOSTICS = (
    Diagnostic(
        level=DiagnosticLevel.WARNING,
        source="aws",
        message="GetPolicy AccessDenied for `billing`",
    ),
    Diagnostic(
        level=DiagnosticLevel.ERROR,
        source="cloudformation",
        message="could not parse YAML: mapping values are not allowed here",
        file="broken.yaml",
        line=3,
    ),
)

COVERAGE = {
    "LS201": RuleCoverage(
        evaluated=2,
        unevaluated=(("ConfigurableUrl", "auth type depends on `!Ref AuthType`"),),
    ),
    "LS102": RuleCoverage(evaluated=3),
}


def build_result() -> ScanResult:
    """The fixed result the golden files are rendered from."""
    return ScanResult(
        tool=ToolInfo(version="0.1.0"),
        findings=FINDINGS,
        diagnostics=DIAGNOSTICS,
        coverage=COVERAGE,
        functions=2,
        rules=RULES,
    )


@pytest.fixture
def result() -> ScanResult:
    return build_result()
