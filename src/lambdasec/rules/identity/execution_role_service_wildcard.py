"""LS102 execution-role-service-wildcard: execution roles allowed every action of a service (`s3:*`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lambdasec.findings import Category, Confidence, Finding, Severity, Standards
from lambdasec.iam import Access, EffectivePermissions, Grant
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._iam import confidence_of, escalation_paths, lowest, service_wildcards
from lambdasec.rules.identity._judge import Found, judge_functions, sort_items, where_text


@inventory_rule(
    id="LS102",
    name="execution-role-service-wildcard",
    severity=Severity.HIGH,
    category=Category.IDENTITY,
    cwe=("CWE-269", "CWE-250"),
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
    standards=Standards(owasp_serverless=("SAS-5",), security_hub=("IAM.21",), practice="least privilege"),
)
def execution_role_service_wildcard(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role allows every action of a service (`s3:*`, `dynamodb:*`),
    in its own statements or through an attached AWS managed policy such as `AmazonS3FullAccess`.
    The finding points at the first such statement and lists every service-wide wildcard of the
    role with its resources. It is critical when a wildcard includes a published privilege
    escalation method the role can use (`iam:*`, `lambda:*` with `iam:PassRole`, ...).

    ## Why is this bad?
    A service wildcard grants far more than a function uses: `s3:*` includes deleting buckets,
    rewriting their policies and ACLs, and turning off public access blocks; `dynamodb:*` includes
    deleting tables and exporting them. A compromised function (event injection, a vulnerable
    dependency) acts with all of it, and new actions AWS adds to the service are granted
    automatically.

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
                Action: dynamodb:*
                Resource: !GetAtt OrdersTable.Arn
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - DynamoDBCrudPolicy:
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
                  Action: s3:*
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
                  Action: [s3:GetObject, s3:PutObject]
                  Resource: !Sub "${OrdersBucket.Arn}/*"
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "orders_api" {
      statement {
        actions   = ["s3:*"]
        resources = ["*"]
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "orders_api" {
      statement {
        actions   = ["s3:GetObject", "s3:PutObject"]
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
              Action: dynamodb:*
              Resource: !GetAtt OrdersTable.Arn
    ```

    Use instead:

    ```yaml
    provider:
      iam:
        role:
          statements:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]
              Resource: !GetAtt OrdersTable.Arn
    ```

    ### CDK
    ```ts
    ordersApi.addToRolePolicy(new iam.PolicyStatement({
      actions: ["s3:*"],
      resources: ["*"],
    }));
    ```

    Use instead:

    ```ts
    ordersApi.addToRolePolicy(new iam.PolicyStatement({
      actions: ["s3:GetObject", "s3:PutObject"],
      resources: [ordersBucket.arnForObjects("*")],
    }));
    ```

    ## Known problems
    Roles that LS101 reports as administrator are not reported again. Only `service:*` counts as
    service-wide; broad partial wildcards such as `s3:Put*` are left to LS103 and the tagged-action
    rules. A wildcard that a `Deny` takes away everywhere is not reported; one allowed only under a
    condition is reported with medium confidence, and one that a policy outside the scanned sources
    could deny with low confidence. Service control policies are not considered.

    ## References
    - AWS IAM User Guide: Security best practices, apply least-privilege permissions,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
    - AWS Lambda Developer Guide: Lambda execution role,
      https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    - CWE-269: Improper Privilege Management, https://cwe.mitre.org/data/definitions/269.html
    - CWE-250: Execution with Unnecessary Privileges, https://cwe.mitre.org/data/definitions/250.html
    """
    yield from judge_functions(inv, ctx, select=select_service_wildcards, render=_render)


def select_service_wildcards(perms: EffectivePermissions) -> Found | Unresolved | None:
    """The role's service-wide wildcards that are not denied everywhere."""
    catalog = perms.catalog
    found: list[tuple[Grant, tuple[str, ...]]] = []
    services: set[str] = set()
    unknown: list[str] = []
    confidences: list[Confidence] = []
    for grant in perms.grants:
        kept: list[str] = []
        for pattern in service_wildcards(grant, catalog):
            decision = perms.allows_somewhere(pattern)
            confidence = confidence_of(decision)
            if confidence is None:
                unknown.extend(decision.unknown)
                continue
            kept.append(pattern)
            services.add(pattern.partition(":")[0].lower())
            confidences.append(confidence)
        if kept:
            found.append((grant, tuple(kept)))
    if not found:
        return Unresolved("; ".join(dict.fromkeys(unknown))) if unknown else None
    escalates = any(
        d.action.partition(":")[0].lower() in services
        for path in escalation_paths(perms)
        if path.access is Access.ALLOWED
        for d in path.decisions
    )
    return Found(
        items=sort_items(found),
        severity=Severity.CRITICAL if escalates else None,
        confidence=lowest(confidences),
    )


def _render(name: str, found: Found) -> Callable[[str], str]:
    where = where_text(found)
    services = "those services" if sum(len(names) for _, names in found.items) > 1 else "the service"
    consequence = (
        "which includes a way to escalate to other privileges"
        if found.severity is Severity.CRITICAL
        else f"so a compromised function can use every action of {services}"
    )
    return lambda fn: f"Execution role `{name}` of `{fn}` allows {where}, {consequence}"
