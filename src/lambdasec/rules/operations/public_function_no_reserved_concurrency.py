"""LS410 public-function-no-reserved-concurrency: public functions with no concurrency cap, and their cost."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.data.lambda_prices import LambdaPrices
from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Architecture, Inventory, LambdaFunction, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._reachability import Reachability, join_and, reachability

SECONDS_PER_HOUR = 3600


@record
class PublicFunctionNoReservedConcurrencyOptions:
    """Settings of LS410."""

    account_concurrency: int = 1000
    every_function: bool = False


@record
class CostEstimate:
    """The worst-case hourly cost of a function driven at its reachable concurrency."""

    concurrency: float
    memory_mb: int
    timeout_s: int
    architecture: str
    gb_seconds_per_hour: float
    requests_per_hour: float
    cost_per_hour: float
    throttled: bool


def estimate_cost(
    *,
    memory_mb: int,
    timeout_s: int,
    architecture: str,
    rate_limit: float | None,
    account_concurrency: int,
    prices: LambdaPrices,
) -> CostEstimate:
    """Worst-case cost per hour: every invocation runs to its timeout at the highest reachable concurrency.

    concurrency = min(account_concurrency, rate_limit x timeout) when API throttling bounds the
    request rate (Little's law), else account_concurrency.
    """
    timeout = max(timeout_s, 1)
    concurrency = float(account_concurrency)
    throttled = False
    if rate_limit is not None and rate_limit * timeout < concurrency:
        concurrency, throttled = rate_limit * timeout, True
    price = prices.price(architecture)
    gb_seconds = concurrency * SECONDS_PER_HOUR * memory_mb / 1024
    requests = concurrency * SECONDS_PER_HOUR / timeout
    return CostEstimate(
        concurrency=concurrency,
        memory_mb=memory_mb,
        timeout_s=timeout_s,
        architecture=architecture,
        gb_seconds_per_hour=gb_seconds,
        requests_per_hour=requests,
        cost_per_hour=gb_seconds * price.gb_second + requests * price.request,
        throttled=throttled,
    )


@inventory_rule(
    id="LS410",
    name="public-function-no-reserved-concurrency",
    severity=Severity.MEDIUM,
    category=Category.OPERATIONS,
    cwe=("CWE-400", "CWE-770"),
    scope=Scope.FUNCTIONS,
    sources=frozenset(
        {
            SourceKind.SAM,
            SourceKind.CLOUDFORMATION,
            SourceKind.TERRAFORM,
            SourceKind.TERRAFORM_PLAN,
            SourceKind.SERVERLESS,
            SourceKind.CDK,
        }
    ),
    options=PublicFunctionNoReservedConcurrencyOptions,
    standards=Standards(owasp_serverless=("SAS-6",), practice="denial-of-wallet protection"),
)
def public_function_no_reserved_concurrency(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions that anyone on the internet can invoke (a function URL with `AuthType: NONE`,
    or an API Gateway route with no authorizer, IAM authorization or API key, whose REST API's
    resource policy does not keep anonymous callers out, as judged by LS207) and that set no
    reserved concurrency (`ReservedConcurrentExecutions`). A route of a private API counts only
    when its resource policy lets in any VPC endpoint (anyone with an AWS account can create one);
    the finding then names it as reachable from a VPC endpoint in any AWS account. The finding
    states a worst-case cost per hour of the function under attack, also given in its
    `cost_per_hour_usd` property. With the `every-function` option (set by the `strict` profile)
    it also reports, at low severity, functions that are not publicly reachable and set no
    reserved concurrency.

    The estimate assumes every invocation runs until the function's timeout, at the highest
    concurrency an attacker can reach:

    ```
    concurrency  = account concurrency (1,000 by default)
                   or, when every public entry is an API route with a rate limit,
                   min(account concurrency, total rate limit (req/s) x timeout (s))
    GB-seconds/h = concurrency x 3600 x memory (MB) / 1024
    requests/h   = concurrency x 3600 / timeout (s)
    cost/h       = GB-seconds/h x price per GB-second (architecture)
                   + requests/h x price per request
    ```

    Prices are the us-east-1 on-demand prices of the first duration tier, per architecture
    (`x86_64`, `arm64`), from the dated table `lambdasec/data/lambda_prices.json`.

    ## Why is this bad?
    An unauthenticated endpoint can be called as fast as an attacker likes. Without reserved
    concurrency the function scales up to the account's concurrency limit, and it is billed for
    every one of those executions (denial of wallet). The account limit is shared, so the flood
    also throttles every other function in the account and region (denial of service). Reserved
    concurrency caps both: the function can never run more than that many copies at once, and the
    rest of the account keeps its capacity.

    ## Example
    ### SAM
    ```yaml
    WebhookFunction:
      Type: AWS::Serverless::Function
      Properties:
        MemorySize: 1024
        Timeout: 30
        FunctionUrlConfig:
          AuthType: NONE
    ```

    Use instead:

    ```yaml
    WebhookFunction:
      Type: AWS::Serverless::Function
      Properties:
        MemorySize: 1024
        Timeout: 30
        ReservedConcurrentExecutions: 20
        FunctionUrlConfig:
          AuthType: NONE
    ```

    ### CloudFormation
    ```yaml
    WebhookFunction:
      Type: AWS::Lambda::Function
      Properties:
        MemorySize: 1024
        Timeout: 30
    ```

    Use instead:

    ```yaml
    WebhookFunction:
      Type: AWS::Lambda::Function
      Properties:
        MemorySize: 1024
        Timeout: 30
        ReservedConcurrentExecutions: 20
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "webhook" {
      function_name = "webhook"
      memory_size   = 1024
      timeout       = 30
      # ...
    }

    resource "aws_lambda_function_url" "webhook" {
      function_name      = aws_lambda_function.webhook.function_name
      authorization_type = "NONE"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "webhook" {
      function_name                  = "webhook"
      memory_size                    = 1024
      timeout                        = 30
      reserved_concurrent_executions = 20
      # ...
    }
    ```

    ### Serverless
    ```yaml
    functions:
      webhook:
        handler: app.handler
        memorySize: 1024
        timeout: 30
        url: true
    ```

    Use instead:

    ```yaml
    functions:
      webhook:
        handler: app.handler
        memorySize: 1024
        timeout: 30
        reservedConcurrency: 20
        url: true
    ```

    ### CDK
    ```ts
    const webhook = new lambda.Function(this, "Webhook", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      memorySize: 1024,
      timeout: Duration.seconds(30),
    });
    webhook.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    ```

    Use instead:

    ```ts
    const webhook = new lambda.Function(this, "Webhook", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      memorySize: 1024,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: 20,
    });
    webhook.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    ```

    ## Known problems
    The estimate is an upper bound under stated assumptions, not a forecast: it ignores the free
    tier, the cheaper duration tiers above 6 billion GB-seconds a month, other regions' prices,
    ephemeral storage above 512 MB, API Gateway's own request charges and data transfer. An
    unknown architecture is priced as `x86_64` (the dearer one). Only API Gateway rate limits
    lower the assumed concurrency; a function URL is never throttled. A function exposed by a
    resource-based policy that lets any AWS account invoke it is reported by LS202, not here. A
    function whose reserved concurrency comes from a parameter is reported as not evaluated; one
    whose memory or timeout is unknown is reported without an estimate.
    The Serverless Framework's API stages have no throttling setting, so its public routes are costed at
    the account concurrency limit; its defaults (1024 MB, 6 s) are priced when a function sets neither.

    ## Options
    - `account-concurrency` (integer, default 1000): the account's Lambda concurrency limit in the
      region, the most a public function without reserved concurrency can reach.
    - `every-function` (boolean, default false): also report functions that are not publicly
      reachable (low severity, no cost estimate). The `strict` profile sets it.

    ## References
    - AWS Lambda Developer Guide: Configuring reserved concurrency,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    - AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/
    - OWASP API Security Top 10 2023, API4: Unrestricted Resource Consumption
    - CWE-400: Uncontrolled Resource Consumption, https://cwe.mitre.org/data/definitions/400.html
    - CWE-770: Allocation of Resources Without Limits or Throttling,
      https://cwe.mitre.org/data/definitions/770.html
    """
    options: PublicFunctionNoReservedConcurrencyOptions = (
        ctx.options or PublicFunctionNoReservedConcurrencyOptions()
    )
    prices = ctx.data.lambda_prices
    estimates: dict[tuple[int, int, str, float | None], tuple[str, dict[str, str]]] = {}
    for fn in inv.functions:
        reach = reachability(inv, fn)
        if not reach.is_public and (reach.unknown or not options.every_function):
            if reach.unknown:
                ctx.unevaluated(fn, reason=reach.unknown[0])
            continue
        match fn.reserved_concurrency:
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"reserved concurrency unknown: {reason}")
                continue
            case int():
                continue
        if reach.is_public:
            yield _finding(ctx, fn, reach=reach, options=options, prices=prices, estimates=estimates)
        else:
            yield ctx.finding(
                fn,
                field="reserved_concurrency",
                severity=Severity.LOW,
                message=(
                    f"`{fn.display_name}` has no reserved concurrency, so a burst of its triggers can take "
                    "the account's whole concurrency and throttle every other function"
                ),
            )


def _architecture(fn: LambdaFunction) -> str:
    known = [arch for arch in fn.architectures if isinstance(arch, Architecture)]
    if len(known) == len(fn.architectures) and known == [Architecture.ARM64]:
        return str(Architecture.ARM64)
    return str(Architecture.X86_64)


def _finding(
    ctx: RuleContext,
    fn: LambdaFunction,
    *,
    reach: Reachability,
    options: PublicFunctionNoReservedConcurrencyOptions,
    prices: LambdaPrices,
    estimates: dict[tuple[int, int, str, float | None], tuple[str, dict[str, str]]],
) -> Finding:
    via = join_and([entry.describe() for entry in reach.entries])
    head = f"`{fn.display_name}` is publicly reachable through {via} and has no reserved concurrency"
    properties = {"reachable_via": via, "account_concurrency": str(options.account_concurrency)}
    memory, timeout = fn.memory_mb, fn.timeout_s
    if isinstance(memory, Unresolved) or isinstance(timeout, Unresolved):
        unknown = "; ".join(value.reason for value in (memory, timeout) if isinstance(value, Unresolved))
        return ctx.finding(
            fn,
            field="reserved_concurrency",
            message=f"{head}; its worst-case cost is unknown (memory or timeout unknown: {unknown})",
            properties=properties,
        )
    key = (memory, timeout, _architecture(fn), reach.rate_limit)
    estimate = estimates.get(key)
    if estimate is None:  # the estimate's text, made once per shape of function
        estimate = estimates[key] = _estimate_text(
            memory_mb=memory,
            timeout_s=timeout,
            architecture=key[2],
            rate_limit=reach.rate_limit,
            account_concurrency=options.account_concurrency,
            prices=prices,
        )
    tail, more = estimate
    return ctx.finding(
        fn, field="reserved_concurrency", message=f"{head}{tail}", properties=properties | more
    )


def _estimate_text(
    *,
    memory_mb: int,
    timeout_s: int,
    architecture: str,
    rate_limit: float | None,
    account_concurrency: int,
    prices: LambdaPrices,
) -> tuple[str, dict[str, str]]:
    """The message after its head and the properties of a cost estimate."""
    cost = estimate_cost(
        memory_mb=memory_mb,
        timeout_s=timeout_s,
        architecture=architecture,
        rate_limit=rate_limit,
        account_concurrency=account_concurrency,
        prices=prices,
    )
    bound = "API rate limit x timeout" if cost.throttled else "account concurrency limit"
    properties = {
        "cost_per_hour_usd": f"{cost.cost_per_hour:.2f}",
        "concurrency": f"{cost.concurrency:g}",
        "memory_mb": str(cost.memory_mb),
        "timeout_s": str(cost.timeout_s),
        "architecture": cost.architecture,
        "prices": f"{prices.region} on-demand, retrieved {prices.retrieved.isoformat()}",
    }
    message = (
        f": an attacker can run it at {_number(cost.concurrency)} concurrent executions "
        f"({bound}) for a worst case of about ${cost.cost_per_hour:,.2f} per hour "
        f"({cost.memory_mb} MB, {cost.timeout_s} s timeout, {cost.architecture}, "
        f"{prices.region} prices of {prices.retrieved.isoformat()})"
    )
    return message, properties


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:,.1f}".rstrip("0").rstrip(".")
