"""LS401 runtime-deprecated: functions on a Lambda runtime that is, or is about to be, deprecated."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from lambdasec.data.runtimes import Phase, RuntimeInfo
from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, LambdaFunction, PackageType, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule

PHASE_SEVERITY: Mapping[Phase, Severity] = {
    Phase.DEPRECATION_SOON: Severity.LOW,
    Phase.DEPRECATED: Severity.MEDIUM,
    Phase.CREATE_BLOCKED: Severity.HIGH,
    Phase.UPDATE_BLOCKED: Severity.HIGH,
}


@record
class RuntimeDeprecatedOptions:
    """Settings of LS401."""

    warn_days: int = 180


@inventory_rule(
    id="LS401",
    name="runtime-deprecated",
    severity=Severity.MEDIUM,
    category=Category.OPERATIONS,
    cwe=("CWE-1104",),
    scope=Scope.FUNCTIONS,
    sources=frozenset(
        {
            SourceKind.SAM,
            SourceKind.CLOUDFORMATION,
            SourceKind.TERRAFORM,
            SourceKind.SERVERLESS,
            SourceKind.CDK,
            SourceKind.TERRAFORM_PLAN,
        }
    ),
    options=RuntimeDeprecatedOptions,
    standards=Standards(owasp_serverless=("SAS-9",), security_hub=("Lambda.2",), practice="patching"),
)
def runtime_deprecated(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose managed runtime (`python3.9`, `nodejs18.x`, ...) is deprecated or will be
    deprecated soon, using the dated runtime lifecycle table shipped with lambdasec and the scan's
    date. The severity follows the phase: deprecation within 180 days is low, deprecated is medium,
    and once AWS blocks creating or updating functions on the runtime it is high.

    ## Why is this bad?
    A deprecated runtime no longer receives security patches for its language runtime or
    operating system, so known vulnerabilities stay exploitable in every function that uses it.
    Later AWS blocks creating and then updating such functions: from that day, an urgent fix to
    the function's code or configuration cannot be deployed without first migrating the runtime.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.9
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.13
    ```

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: nodejs18.x
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: nodejs22.x
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      runtime = "python3.9"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      runtime = "python3.13"
    }
    ```

    ### Serverless
    ```yaml
    provider:
      runtime: nodejs18.x
    ```

    Use instead:

    ```yaml
    provider:
      runtime: nodejs22.x
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_9,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
    });
    ```

    Use instead:

    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
    });
    ```

    ## Known problems
    Container image functions have no managed runtime: the language runtime is inside the image,
    which this rule does not inspect, so they are counted as evaluated and never reported.
    A runtime missing from the table (a new identifier, or a typo) is reported as not evaluated.
    The dates come from `lambdasec/data/runtimes.json`; AWS moves them from time to time.

    ## Options
    - `warn-days` (integer, default 180): how many days before the deprecation date to start
      reporting a low-severity finding.

    ## References
    - AWS Lambda Developer Guide: Lambda runtimes, runtime deprecation policy,
      https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    - AWS Security Hub control Lambda.2: Lambda functions should use supported runtimes
    - CWE-1104: Use of Unmaintained Third Party Components, https://cwe.mitre.org/data/definitions/1104.html
    """
    options: RuntimeDeprecatedOptions = ctx.options or RuntimeDeprecatedOptions()
    catalog = ctx.data.runtimes
    # Per runtime: its phase and the message after the function's name (most functions share a few runtimes).
    verdicts: dict[str, tuple[Phase, str]] = {}
    for fn in inv.functions:
        match fn.runtime:
            case None:
                if not _is_image(fn):
                    ctx.unevaluated(fn, reason="the function declares no runtime")
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"runtime unknown: {reason}")
            case str() as runtime:
                info = catalog.get(runtime)
                if info is None:
                    ctx.unevaluated(fn, reason=f"runtime `{runtime}` is not in the runtime lifecycle table")
                    continue
                verdict = verdicts.get(runtime)
                if verdict is None:
                    phase = info.phase(on=ctx.today, warn_days=options.warn_days)
                    verdict = verdicts[runtime] = (phase, _message_tail(info, phase))
                phase, tail = verdict
                if phase is not Phase.SUPPORTED:
                    yield ctx.finding(
                        fn,
                        field="runtime",
                        severity=PHASE_SEVERITY[phase],
                        message=f"`{fn.display_name}`{tail}",
                        properties={"phase": str(phase), "runtime": info.identifier},
                    )


def _is_image(fn: LambdaFunction) -> bool:
    return fn.package_type is PackageType.IMAGE or fn.code.image_uri is not None


def _message_tail(info: RuntimeInfo, phase: Phase) -> str:
    """The message after the function's name: ` uses `python3.9` (Python 3.9), which ...`."""
    deprecated = info.deprecated.isoformat() if info.deprecated else "an unpublished date"
    blocked = info.phase_date(phase)
    match phase:
        case Phase.DEPRECATION_SOON:
            state = f"will be deprecated on {deprecated}"
        case Phase.DEPRECATED:
            state = f"has been deprecated since {deprecated} and gets no security patches"
        case Phase.CREATE_BLOCKED:
            state = (
                f"has been deprecated since {deprecated}; creating functions on it is blocked since {blocked}"
            )
        case _:
            state = (
                f"has been deprecated since {deprecated}; updating its functions is blocked since {blocked}"
            )
    move = f"; move to `{info.successor}`" if info.successor else ""
    return f" uses `{info.identifier}` ({info.name}), which {state}{move}"
