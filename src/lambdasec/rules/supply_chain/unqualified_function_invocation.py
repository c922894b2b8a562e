"""LS602 unqualified-function-invocation: event sources, grants and API routes bound to `$LATEST`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import (
    Alias,
    ApiRoute,
    EventSourceMapping,
    Inventory,
    LambdaFunction,
    Permission,
    SourceKind,
    Unresolved,
)
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule

Binding = Permission | EventSourceMapping | ApiRoute


@record
class UnqualifiedFunctionInvocationOptions:
    """Settings of LS602."""

    production_stages: tuple[str, ...] = ("prod", "production", "live")


@inventory_rule(
    id="LS602",
    name="unqualified-function-invocation",
    severity=Severity.LOW,
    category=Category.SUPPLY_CHAIN,
    cwe=("CWE-1188",),
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
    options=UnqualifiedFunctionInvocationOptions,
    standards=Standards(owasp_serverless=("SAS-6",), practice="versioned deployments"),
)
def unqualified_function_invocation(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags event source mappings, resource-policy grants and API integrations that invoke the
    unqualified function (`$LATEST`) when the function has an alias, and API integrations that invoke
    `$LATEST` from a production-named stage (`prod`, `production`, `live`).

    ## Why is this bad?
    `$LATEST` is whatever code was uploaded last. A trigger bound to it runs every
    `UpdateFunctionCode` immediately, with no published version to review, no gradual or
    canary deployment, and no instant rollback: a broken or malicious package (from a compromised
    pipeline or a developer testing a fix) goes straight to production traffic. Where an alias
    exists, the team meant releases to go through it, and the unqualified binding bypasses it.

    ## Example
    ### SAM
    ```yaml
    OrdersWorker:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Orders:
            Type: SQS
            Properties:
              Queue: !GetAtt OrdersQueue.Arn

    OrdersWorkerLive:
      Type: AWS::Lambda::Alias
      Properties:
        FunctionName: !Ref OrdersWorker
        FunctionVersion: !GetAtt OrdersWorkerVersion.Version
        Name: live
    ```

    Use instead:

    ```yaml
    OrdersWorker:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live        # SAM binds the events to the alias
        Events:
          Orders:
            Type: SQS
            Properties:
              Queue: !GetAtt OrdersQueue.Arn
    ```

    ### CloudFormation
    ```yaml
    OrdersQueueMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref OrdersWorker
        EventSourceArn: !GetAtt OrdersQueue.Arn
    ```

    Use instead:

    ```yaml
    OrdersQueueMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref OrdersWorkerLive      # the AWS::Lambda::Alias
        EventSourceArn: !GetAtt OrdersQueue.Arn
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_event_source_mapping" "orders" {
      function_name    = aws_lambda_function.worker.arn
      event_source_arn = aws_sqs_queue.orders.arn
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_event_source_mapping" "orders" {
      function_name    = aws_lambda_alias.worker_live.arn
      event_source_arn = aws_sqs_queue.orders.arn
    }
    ```

    ### Serverless
    ```yaml
    resources:
      Resources:
        OrdersMapping:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            FunctionName: !Ref WorkerLambdaFunction
            EventSourceArn: !GetAtt OrdersQueue.Arn
    ```

    Use instead:

    ```yaml
    resources:
      Resources:
        OrdersMapping:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            FunctionName: !Ref WorkerLive      # an AWS::Lambda::Alias of the function
            EventSourceArn: !GetAtt OrdersQueue.Arn
    ```

    ### CDK
    ```ts
    ordersWorker.addEventSource(new SqsEventSource(ordersQueue));
    ```

    Use instead:

    ```ts
    const live = new lambda.Alias(this, "OrdersWorkerLive", {
      aliasName: "live",
      version: ordersWorker.currentVersion,
    });
    live.addEventSource(new SqsEventSource(ordersQueue));
    ```

    ## Known problems
    SAM's implicit API stage is named `Prod`, so SAM functions with `Api` events and no
    `AutoPublishAlias` are reported. Only bindings to functions in the scanned sources are checked;
    push triggers are covered through the grants that let their service invoke the function. A
    binding whose qualifier comes from a parameter, or an API whose stage names are not known, is
    reported as not evaluated. An event source mapping that is switched off (`Enabled: false`) invokes
    nothing and is not reported; the grants of a disabled trigger still are.

    ## Options
    - `production-stages` (list of names, default `["prod", "production", "live"]`): API stage names,
      compared case-insensitively, in which integrations must not invoke `$LATEST`.

    ## References
    - AWS Lambda Developer Guide: Lambda function aliases,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
    - AWS Lambda Developer Guide: Lambda function versions ($LATEST),
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
    - AWS SAM: Deploying serverless applications gradually (AutoPublishAlias),
      https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html
    - CWE-1188: Initialization of a Resource with an Insecure Default,
      https://cwe.mitre.org/data/definitions/1188.html
    """
    options: UnqualifiedFunctionInvocationOptions = ctx.options or UnqualifiedFunctionInvocationOptions()
    production = {name.lower() for name in options.production_stages}
    for fn in inv.functions:
        aliases = inv.aliases_of(fn)
        mappings = [m for m in inv.event_sources_of(fn) if m.enabled is not False]
        bindings: list[Binding] = [*mappings, *inv.grants_for(fn), *inv.routes_to(fn)]
        for binding in bindings:
            qualifier = binding.qualifier
            if isinstance(qualifier, Unresolved):
                ctx.unevaluated(
                    fn, reason=f"qualifier of `{binding.origin.resource}` unknown: {qualifier.reason}"
                )
                continue
            if qualifier not in (None, "$LATEST"):
                continue
            if aliases:
                yield _alias_finding(ctx, fn, binding, aliases)
            elif isinstance(binding, ApiRoute):
                yield from _stage_findings(ctx, inv, fn, binding, production=production)


def _alias_finding(
    ctx: RuleContext, fn: LambdaFunction, binding: Binding, aliases: Sequence[Alias]
) -> Finding:
    names = ", ".join(f"`{a.name}`" for a in aliases if isinstance(a.name, str)) or "an alias"
    return ctx.finding(
        binding,
        field="function",
        message=(
            f"{_describe(binding)} `{fn.display_name}` unqualified (`$LATEST`) although it has "
            f"alias {names}, so every code upload reaches it at once, bypassing the alias's releases"
        ),
    )


def _stage_findings(
    ctx: RuleContext, inv: Inventory, fn: LambdaFunction, route: ApiRoute, *, production: set[str]
) -> Iterator[Finding]:
    stages = (  # the inventory's index by API key; an unresolved key is compared with every stage's
        inv.stages_of(route.api)
        if isinstance(route.api, str)
        else [stage for stage in inv.api_stages if stage.api == route.api]
    )
    unknown = [stage for stage in stages if isinstance(stage.name, Unresolved)]
    named = [
        stage.name for stage in stages if isinstance(stage.name, str) and stage.name.lower() in production
    ]
    if named:
        yield ctx.finding(
            route,
            field="function",
            message=(
                f"API route `{_route(route)}` in stage `{named[0]}` invokes `{fn.display_name}` unqualified "
                "(`$LATEST`), so every code upload reaches production traffic at once"
            ),
        )
    elif unknown:
        reason = unknown[0].name.reason if isinstance(unknown[0].name, Unresolved) else ""
        ctx.unevaluated(fn, reason=f"stage name of the API of `{route.origin.resource}` unknown: {reason}")


def _describe(binding: Binding) -> str:
    match binding:
        case EventSourceMapping():
            return f"Event source mapping `{binding.origin.resource}` invokes"
        case Permission():
            principal = binding.principal if isinstance(binding.principal, str) else "a principal"
            return f"Permission `{binding.origin.resource}` lets `{principal}` invoke"
        case ApiRoute():
            return f"API route `{_route(binding)}` invokes"


def _route(route: ApiRoute) -> str:
    method = route.method if isinstance(route.method, str) else "?"
    path = route.path if isinstance(route.path, str) else "?"
    return f"{method} {path}"
