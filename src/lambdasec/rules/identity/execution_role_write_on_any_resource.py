"""LS103 execution-role-write-on-any-resource: write actions allowed on `*` where they can be scoped."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.iam import AccessLevel, EffectivePermissions, Grant, ResourceScope, RiskTag
from lambdasec.model import Effect, Inventory, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._iam import (
    SERVICE_ACTIONS,
    escalation_actions,
    is_execution_policy,
    service_wildcards,
)
from lambdasec.rules.identity._judge import Found, consequence_render, judge_functions, sort_items

# Access levels that change resources or who may use them.
WRITE_LEVELS = frozenset({AccessLevel.WRITE, AccessLevel.PERMISSIONS_MANAGEMENT, AccessLevel.TAGGING})
# Tags whose actions LS105-LS107 report on every resource.
TAGGED_ELSEWHERE = frozenset(
    {RiskTag.DATA_EXFILTRATION, RiskTag.CREDENTIAL_EXPOSURE, RiskTag.RESOURCE_EXPOSURE}
)


@inventory_rule(
    id="LS103",
    name="execution-role-write-on-any-resource",
    severity=Severity.MEDIUM,
    category=Category.IDENTITY,
    cwe=("CWE-269", "CWE-732"),
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
def execution_role_write_on_any_resource(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role allows Write, Permissions management or Tagging actions
    on `Resource: *` (or a `NotResource` list) when the action supports resource-level scoping,
    according to the IAM action catalog. Actions that only work on `*` (`xray:PutTraceSegments`,
    `logs:DescribeLogGroups`, `s3:ListAllMyBuckets`) and read or list actions are not flagged.
    The finding points at the first such statement and names its actions and resources.

    ## Why is this bad?
    A function that writes to one table or queue needs the write actions on that resource only.
    Granted on `*`, the same actions reach every table, queue, topic or bucket of the account, so
    a compromised function can overwrite or delete other applications' data and tag or reconfigure
    resources it never uses.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [sqs:SendMessage, dynamodb:PutItem]
                Resource: "*"
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - SQSSendMessagePolicy:
              QueueName: !GetAtt OrdersQueue.QueueName
          - DynamoDBWritePolicy:
              TableName: !Ref OrdersTable
    ```

    ### CloudFormation
    ```yaml
    OrdersRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: orders
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [sqs:SendMessage, dynamodb:PutItem]
                  Resource: "*"
    ```

    Use instead:

    ```yaml
    OrdersRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: orders
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: sqs:SendMessage
                  Resource: !GetAtt OrdersQueue.Arn
                - Effect: Allow
                  Action: dynamodb:PutItem
                  Resource: !GetAtt OrdersTable.Arn
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "orders_api" {
      statement {
        actions   = ["sqs:SendMessage", "dynamodb:PutItem"]
        resources = ["*"]
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "orders_api" {
      statement {
        actions   = ["sqs:SendMessage"]
        resources = [aws_sqs_queue.orders.arn]
      }
      statement {
        actions   = ["dynamodb:PutItem"]
        resources = [aws_dynamodb_table.orders.arn]
      }
    }
    ```

    ### Serverless
    ```yaml
    provider:
      iam:
        role:
          statements:
            - Effect: Allow
              Action: [sqs:SendMessage, dynamodb:PutItem]
              Resource: "*"
    ```

    Use instead:

    ```yaml
    provider:
      iam:
        role:
          statements:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !GetAtt OrdersQueue.Arn
            - Effect: Allow
              Action: dynamodb:PutItem
              Resource: !GetAtt OrdersTable.Arn
    ```

    ### CDK
    ```ts
    ordersApi.addToRolePolicy(new iam.PolicyStatement({
      actions: ["sqs:SendMessage", "dynamodb:PutItem"],
      resources: ["*"],
    }));
    ```

    Use instead:

    ```ts
    ordersQueue.grantSendMessages(ordersApi);
    ordersApi.addToRolePolicy(new iam.PolicyStatement({
      actions: ["dynamodb:PutItem"],
      resources: [ordersTable.tableArn],
    }));
    ```

    ## Known problems
    To avoid repeating other findings, this rule leaves out: roles with administrator access
    (LS101), actions listed through a service-wide wildcard such as `s3:*` (LS102), actions of a
    privilege escalation path (LS104), actions the risk table tags as data exfiltration, credential
    exposure or resource exposure (LS105-LS107), and the actions Lambda itself calls with the role,
    which AWS's execution-role policies grant on `*`: `logs:CreateLogGroup`, `logs:CreateLogStream`,
    `logs:PutLogEvents` (`AWSLambdaBasicExecutionRole`) and the network interface actions of a
    function in a VPC (`ec2:CreateNetworkInterface`, `ec2:DeleteNetworkInterface`,
    `ec2:AssignPrivateIpAddresses`, `ec2:UnassignPrivateIpAddresses`). Actions allowed only under a
    condition are still reported, and a `Deny` subtracts only when it covers every resource.
    Statements whose resources are unresolved are skipped; a role whose policies or Action lists are
    not known is reported as not evaluated when nothing else is found.
    Statements of the AWS managed policies made for execution roles (`AWSLambdaSQSQueueExecutionRole`,
    `AWSLambdaKinesisExecutionRole`, ..., which SAM attaches for event sources) are not reported:
    their `*` is AWS's design for the event source poller. Nor is SAM's `VPCAccessPolicy` template,
    which grants the network interface actions of `AWSLambdaVPCAccessExecutionRole`. Other SAM policy
    templates that write on `*` (`CloudWatchDashboardPolicy`) are reported at the template, by name:
    the fix is an inline statement on the resources the function uses. SAM's statements are told
    from the user's by their actions: a statement written with exactly a template's actions counts
    as the template.

    ## References
    - AWS IAM User Guide: Security best practices, apply least-privilege permissions,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
    - Service Authorization Reference: actions, resources and condition keys,
      https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    - CWE-732: Incorrect Permission Assignment for Critical Resource,
      https://cwe.mitre.org/data/definitions/732.html
    """
    yield from judge_functions(
        inv,
        ctx,
        select=select_write_on_any_resource,
        render=consequence_render(
            "so a compromised function can change every resource of those types instead of only its own"
        ),
    )


def select_write_on_any_resource(perms: EffectivePermissions) -> Found | None:
    """The role's write actions on `*` that could be scoped, grouped by statement, as one verdict."""
    catalog = perms.catalog
    candidates = [
        g
        for g in perms.grants
        if g.effect is Effect.ALLOW
        and not g.not_action
        and g.scope(None) is ResourceScope.ALL  # before the policy's name: most statements stop here
        and not is_execution_policy(g)
    ]
    if not candidates:
        return None
    allowed = perms.allowed_actions("*", conditional=True)
    leave = escalation_actions(perms)
    found: list[tuple[Grant, tuple[str, ...]]] = []
    for grant in candidates:
        wildcards = {p.partition(":")[0].lower() for p in service_wildcards(grant, catalog)}
        names: list[str] = []
        for key in sorted(catalog.expand_all(grant.actions) & allowed):
            info = catalog.info(key)
            if (
                info is None
                or key in SERVICE_ACTIONS
                or key in leave
                or info.service.lower() in wildcards
                or not info.supports_resource_scoping
                or not (info.access_levels & WRITE_LEVELS)
                or perms.overrides.tags_of(key) & TAGGED_ELSEWHERE
            ):
                continue
            names.append(info.full_name)
        if names:
            found.append((grant, tuple(names)))
    if not found:
        return None
    return Found(items=sort_items(found))
