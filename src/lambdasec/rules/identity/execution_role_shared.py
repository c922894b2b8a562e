"""LS108 execution-role-shared: one execution role used by functions with different triggers."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import (
    ApiRoute,
    AuthorizationKind,
    Authorizer,
    EventSourceMapping,
    Inventory,
    LambdaFunction,
    PushTrigger,
    SourceKind,
    Unresolved,
)
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._reachability import reachability
from lambdasec.rules.identity._iam import role_label

# Functions named in a message; the rest are counted.
_SHOWN = 4


@inventory_rule(
    id="LS108",
    name="execution-role-shared",
    severity=Severity.LOW,
    category=Category.IDENTITY,
    cwe=("CWE-250",),
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
    standards=Standards(owasp_serverless=("SAS-5",), practice="least privilege"),
)
def execution_role_shared(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions that share one execution role with functions invoked differently: by
    different event sources (queues, streams, buckets, topics, rules, schedules), through an API
    or a function URL, or not by any declared trigger. A function's "needs" are approximated by
    its set of triggers: when the functions of one role do not all have the same set, every one
    of them is reported, pointing at its role. The severity is medium when some of them are
    publicly reachable (a function URL without auth, an API route without authorization whose
    REST API's resource policy does not keep anonymous callers out, or a private API's lets in any
    VPC endpoint, as LS207 judges it) and
    others are not, low otherwise.

    ## Why is this bad?
    A shared role holds the union of the permissions all its functions need. The function that
    serves a public API then also carries the permissions of the queue worker and of the nightly
    job, so compromising the most exposed function gives the attacker what the least exposed one
    may do. One role per function keeps each role as small as its function's job.

    ## Example
    ### SAM
    ```yaml
    Api:
      Type: AWS::Serverless::Function
      Properties:
        Role: !GetAtt SharedRole.Arn
        FunctionUrlConfig:
          AuthType: NONE
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Role: !GetAtt SharedRole.Arn
        Events:
          Jobs:
            Type: SQS
            Properties:
              Queue: !GetAtt JobsQueue.Arn
    ```

    Use instead:

    ```yaml
    Api:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig:
          AuthType: NONE
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - SQSPollerPolicy:
              QueueName: !GetAtt JobsQueue.QueueName
        Events:
          Jobs:
            Type: SQS
            Properties:
              Queue: !GetAtt JobsQueue.Arn
    ```

    ### CloudFormation
    ```yaml
    Api:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt SharedRole.Arn
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt SharedRole.Arn
    WorkerJobs:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref Worker
        EventSourceArn: !GetAtt JobsQueue.Arn
    ```

    Use instead:

    ```yaml
    Api:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt ApiRole.Arn
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt WorkerRole.Arn
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "public_api" {
      function_name = "public-api"
      role          = aws_iam_role.shared.arn
    }

    resource "aws_lambda_function" "worker" {
      function_name = "worker"
      role          = aws_iam_role.shared.arn
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "public_api" {
      function_name = "public-api"
      role          = aws_iam_role.public_api.arn
    }

    resource "aws_lambda_function" "worker" {
      function_name = "worker"
      role          = aws_iam_role.worker.arn
    }
    ```

    ### Serverless
    ```yaml
    functions:          # both use the framework's one execution role
      publicApi:
        handler: app.handler
        url: true
      worker:
        handler: worker.handler
        events:
          - sqs: arn:aws:sqs:us-east-1:123456789012:jobs
    ```

    Use instead:

    ```yaml
    plugins:
      - serverless-iam-roles-per-function
    functions:
      publicApi:
        handler: app.handler
        url: true
        iamRoleStatements: []
      worker:
        handler: worker.handler
        iamRoleStatements:
          - Effect: Allow
            Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]
            Resource: arn:aws:sqs:us-east-1:123456789012:jobs
        events:
          - sqs: arn:aws:sqs:us-east-1:123456789012:jobs
    ```

    ### CDK
    ```ts
    const shared = new iam.Role(this, "SharedRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    });
    new lambda.Function(this, "PublicApi", { /* ... */ role: shared });
    new lambda.Function(this, "Worker", { /* ... */ role: shared });
    ```

    Use instead:

    ```ts
    // Without `role`, each function gets a role of its own.
    new lambda.Function(this, "PublicApi", { /* ... */ });
    new lambda.Function(this, "Worker", { /* ... */ });
    ```

    ## Known problems
    Triggers approximate needs: two functions with the same triggers but different code paths
    share a role without a finding, and two functions with different triggers that really need
    the same permissions are reported. Functions whose role is referenced by an unresolved value
    (a parameter, an ARN of a role outside the scanned sources) are not grouped. Triggers declared
    outside the scanned sources are not known. When a file holds a trigger whose function is not
    known (an ARN built from a parameter, a version published by a custom resource), its functions
    without a known trigger may be that trigger's: their roles are reported as not evaluated. A
    trigger that is switched off (`Enabled: false`, a rule in state `DISABLED`) still counts as a
    need: the role keeps the permissions to turn it on.

    ## References
    - AWS Lambda Developer Guide: Lambda execution role,
      https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    - AWS Well-Architected, Serverless Applications Lens: grant least privilege per function,
      https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html
    - CWE-250: Execution with Unnecessary Privileges, https://cwe.mitre.org/data/definitions/250.html
    """
    unknown_targets = _unknown_targets(inv)
    for role in inv.roles:
        functions = inv.functions_using(role)
        if len(functions) < 2:
            continue
        needs = _Needs(inv, functions)
        if not needs.differ():
            continue
        doubt = next(
            (
                unknown_targets[fn.origin.file]
                for fn in functions
                if fn.origin.file in unknown_targets and not needs[fn.key]
            ),
            None,
        )
        if doubt is not None:  # the function without a trigger may well be the one it invokes
            for fn in functions:
                ctx.unevaluated(fn, reason=doubt)
            continue
        public = {fn.key for fn in functions if reachability(inv, fn).is_public}
        mixed = bool(public) and len(public) < len(functions)
        listed = [f"`{fn.display_name}` ({_describe(needs[fn.key])})" for fn in functions[:_SHOWN]]
        if len(functions) > _SHOWN:
            listed.append(f"{len(functions) - _SHOWN} more")
        users = ", ".join(listed)
        label = role_label(role)
        head = f"Execution role `{label}` of `"
        tail = (
            f"` is shared by functions with different triggers: {users}, so each of them holds the "
            "permissions all of them need" + (", including the publicly reachable ones" if mixed else "")
        )
        for fn in functions:
            yield ctx.finding(
                fn,
                field="role",
                severity=Severity.MEDIUM if mixed else None,
                message=f"{head}{fn.display_name}{tail}",
                properties={"role": label},
            )


class _Needs:
    """The triggers of a role's functions by key, each worked out when first asked: deciding that two
    functions differ, and naming the first few, seldom needs them all."""

    __slots__ = ("_inventory", "_known", "_last")

    def __init__(self, inventory: Inventory, functions: tuple[LambdaFunction, ...]) -> None:
        self._inventory = inventory
        self._last = {fn.key: fn for fn in functions}  # a key shared by two functions holds the last one's
        self._known: dict[str, frozenset[str]] = {}

    def __getitem__(self, key: str) -> frozenset[str]:
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = triggers_of(self._inventory, self._last[key])
        return found

    def differ(self) -> bool:
        """Whether two of the functions have different triggers."""
        keys = iter(self._last)
        first = self[next(keys)]
        return any(self[key] != first for key in keys)


def _unknown_targets(inv: Inventory) -> dict[str | None, str]:
    """Per file, why one of its triggers invokes a function that is not known (the first such trigger)."""
    out: dict[str | None, str] = {}
    triggers: tuple[EventSourceMapping | PushTrigger | ApiRoute | Authorizer, ...] = (
        *inv.event_source_mappings,
        *inv.push_triggers,
        *inv.api_routes,
        *(authorizer for authorizer in inv.authorizers if authorizer.kind is AuthorizationKind.CUSTOM),
    )
    for trigger in triggers:
        target = trigger.function
        if isinstance(target, Unresolved):
            where = trigger.origin
            out.setdefault(where.file, f"`{where.resource}` invokes a function not known: {target.reason}")
    return out


def triggers_of(inv: Inventory, fn: LambdaFunction) -> frozenset[str]:
    """How the function is invoked, as labels: `sqs queue X`, `API Y`, `function URL`."""
    labels: set[str] = set()
    for mapping in inv.event_sources_of(fn):
        kind = mapping.kind.reason if isinstance(mapping.kind, Unresolved) else str(mapping.kind)
        labels.add(f"{kind}{_text(mapping.event_source_arn)}")
    for trigger in inv.push_triggers_of(fn):
        labels.add(f"{trigger.kind}{_text(trigger.source)}")
    for route in inv.routes_to(fn):
        labels.add(f"API{_text(route.api)}")
    for authorizer in inv.authorizers_of(fn):
        labels.add(f"authorizer of API{_text(authorizer.api)}")
    if inv.url_of(fn):
        labels.add("function URL")
    return frozenset(labels)


def _text(value: str | Unresolved | None) -> str:
    """` `name`` for a source (a template key without its file), empty when not known."""
    if value is None:
        return ""
    text = value.reason if isinstance(value, Unresolved) else value
    return f" `{text.rpartition('#')[2]}`"


def _describe(needs: frozenset[str]) -> str:
    return ", ".join(sorted(needs)) if needs else "no trigger"
