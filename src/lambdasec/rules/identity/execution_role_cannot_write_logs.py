"""LS109 execution-role-cannot-write-logs: execution roles that cannot write the function's own log group."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.iam import Access, Decision, EffectivePermissions, analyzer_for, combine
from lambdasec.model import Effect, Inventory, LambdaFunction, LogGroup, Role, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._book import book_for
from lambdasec.rules.identity._iam import describe_grant, grant_anchor, role_label

# What the Lambda runtime calls to deliver a function's logs (AWSLambdaBasicExecutionRole grants them).
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
# Every function's default log group and its streams: a role allowed these can write any function's logs.
_DEFAULT_PREFIX = "/aws/lambda/"
_DEFAULT_GROUPS = f"arn:*:logs:*:*:log-group:{_DEFAULT_PREFIX}*"
# Answers that need no report: every action allowed, possibly under conditions.
_WRITES = (Access.ALLOWED, Access.CONDITIONAL)


@inventory_rule(
    id="LS109",
    name="execution-role-cannot-write-logs",
    severity=Severity.LOW,
    category=Category.IDENTITY,
    cwe=("CWE-778",),
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
    standards=Standards(owasp_serverless=("SAS-10",), practice="logging and monitoring"),
)
def execution_role_cannot_write_logs(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role cannot create log streams and put log events in the
    function's own log group: `logs:CreateLogStream` and `logs:PutLogEvents` on
    `arn:aws:logs:*:*:log-group:/aws/lambda/<function name>:*` (or the group named in its logging
    configuration). `AWSLambdaBasicExecutionRole`, which SAM attaches by default, is enough. The
    finding points at the `Deny` statement that takes the actions away, or else at the
    function's role.

    ## Why is this bad?
    Lambda writes the function's output, errors and reports through the execution role. Without
    these permissions nothing reaches CloudWatch Logs: failures and attacks on the function leave
    no trace, and incident response has nothing to read.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Role: !GetAtt BareRole.Arn
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - AWSLambdaBasicExecutionRole
    ```

    ### CloudFormation
    ```yaml
    OrdersRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                Service: lambda.amazonaws.com
              Action: sts:AssumeRole
    ```

    Use instead:

    ```yaml
    OrdersRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                Service: lambda.amazonaws.com
              Action: sts:AssumeRole
        ManagedPolicyArns:
          - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      function_name = "orders-api"
      role          = aws_iam_role.bare.arn
    }
    ```

    Use instead:

    ```hcl
    resource "aws_iam_role_policy_attachment" "orders_api_logs" {
      role       = aws_iam_role.bare.name
      policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    }
    ```

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        role: BareRole          # declared under resources: without log permissions
    ```

    Use instead:

    ```yaml
    functions:
      ordersApi:
        handler: app.handler    # the framework's role can write the function's log group
    ```

    ### CDK
    ```ts
    const bare = new iam.Role(this, "BareRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    });
    new lambda.Function(this, "OrdersApi", { /* ... */ role: bare });
    ```

    Use instead:

    ```ts
    const role = new iam.Role(this, "OrdersApiRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole"),
      ],
    });
    new lambda.Function(this, "OrdersApi", { /* ... */ role });
    ```

    ## Known problems
    When the function's name is generated or built from parameters, any group under
    `/aws/lambda/` counts as its own. A grant allowed only under a condition counts as allowed. A
    log group ARN built from the stack's own partition, region and account (`!Sub arn:${AWS::Partition}:
    logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/orders-*:*`, as the Serverless Framework
    writes it) is read with the rest of the ARN, taking the role's stack to be in the function's region
    and account; other unknown parts leave the role not evaluated.
    Roles with a policy outside the scanned sources (a customer managed policy by ARN, an
    unresolved value) are reported as not evaluated unless their known statements already allow
    logging. A log group in another account or a logging configuration sending logs elsewhere is
    not modelled.

    ## References
    - AWS Lambda Developer Guide: Sending Lambda function logs to CloudWatch Logs,
      https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    - AWS Managed Policy Reference: AWSLambdaBasicExecutionRole,
      https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
    - CWE-778: Insufficient Logging, https://cwe.mitre.org/data/definitions/778.html
    """
    book = book_for(inv)
    analyzer = analyzer_for(inv)
    layout = book.layout(inv)
    for fn, reason in layout.orphans:
        ctx.unevaluated(fn, reason=reason)
    cache: dict[tuple[str, str], tuple[Decision, ...] | None] = {}  # None: allowed
    for members in layout.groups:
        perms = book.permissions(members[0][1], inv)
        # Whether the role may write every function's default group: asked first for several functions
        # (it spares a query per function), after its own query for a lone one (which mostly answers).
        covered = _covers_defaults(perms) if len(members) > 1 else None
        for fn, role in members:
            if covered and fn.log_group_name is None:
                continue  # its group is `/aws/lambda/<name>`, which the role may write, none denied
            group = log_group_name(inv, fn)
            if covered and group.startswith(_DEFAULT_PREFIX):
                continue
            key = (role.key, group)
            if key not in cache:
                cache[key] = _decisions(analyzer.permissions(role), group)
            decisions = cache[key]
            if decisions is None:
                continue
            default = fn.log_group_name is None or group.startswith(_DEFAULT_PREFIX)
            if covered is None and default and _covers_defaults(perms):
                continue
            match combine(d.access for d in decisions):
                case Access.DENIED:
                    yield _finding(ctx, fn, role, group, decisions)
                case Access.UNKNOWN:
                    reasons = dict.fromkeys(r for d in decisions for r in d.unknown)
                    ctx.unevaluated(fn, reason="; ".join(reasons))
                case Access.ALLOWED | Access.CONDITIONAL:
                    pass


def _covers_defaults(perms: EffectivePermissions) -> bool:
    """Whether the role may write every function's default log group (`/aws/lambda/*`), none denied.

    A Deny on log actions rules the shortcut out: the pattern's answer stays ALLOWED when a Deny covers
    only part of it (one function's group), so each function's own group is judged instead.
    """
    if any(next(perms.grants_for(action, effect=Effect.DENY), None) for action in LOG_ACTIONS):
        return False
    return all(perms.access(action, _DEFAULT_GROUPS) is Access.ALLOWED for action in LOG_ACTIONS)


def _decisions(perms: EffectivePermissions, group: str) -> tuple[Decision, ...] | None:
    """The decisions for writing the log group `group`; None when the role may (asked first without
    building decisions, the common answer)."""
    pattern = f"arn:*:logs:*:*:log-group:{group}:*"
    for action in LOG_ACTIONS:
        if perms.access_within(action, pattern) not in _WRITES:
            return tuple(perms.allows_within(action, pattern) for action in LOG_ACTIONS)
    return None


def log_group_name(inv: Inventory, fn: LambdaFunction) -> str:
    """The function's log group name as an ARN pattern part (`/aws/lambda/*` when not known)."""
    found = inv.log_group_of(fn)
    if isinstance(found, LogGroup) and isinstance(found.name, str):  # a `match` is slower, per function
        return found.name
    if isinstance(fn.log_group_name, str) and fn.log_group_name.startswith("/"):
        return fn.log_group_name
    if isinstance(fn.name, str):
        return f"/aws/lambda/{fn.name}"
    return "/aws/lambda/*"


def _finding(
    ctx: RuleContext, fn: LambdaFunction, role: Role, group: str, decisions: tuple[Decision, ...]
) -> Finding:
    missing = [d.action for d in decisions if d.access is Access.DENIED]
    denied = [g for d in decisions for g in d.denied_by]
    actions = " and ".join(f"`{a}`" for a in missing)
    where = f"any log group under `{group[:-1]}`" if group.endswith("*") else f"its log group `{group}`"
    text = f"Execution role `{role_label(role)}` of `{fn.display_name}` cannot call {actions} on {where}"
    if denied:
        grant = denied[0]
        return ctx.finding(
            fn,
            origin=grant.statement.origin,
            field=grant_anchor(grant),
            message=f"{text} ({describe_grant(grant)} denies it), so the function's logs are lost",
            properties={"role": role_label(role), "policy": grant.policy.name},
        )
    return ctx.finding(
        fn,
        field="role",
        message=f"{text}, so the function's logs are lost",
        properties={"role": role_label(role)},
    )
