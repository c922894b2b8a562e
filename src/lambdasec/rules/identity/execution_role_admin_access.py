"""LS101 execution-role-admin-access: functions whose execution role can do anything on anything."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator

from lambdasec.findings import Category, Confidence, Finding, Severity, Standards
from lambdasec.model import (
    Effect,
    Inventory,
    LambdaFunction,
    ManagedPolicy,
    Origin,
    PolicyDocument,
    PolicyKind,
    Role,
    SourceKind,
    Statement,
    Unresolved,
)
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._iam import role_label

# The AWS managed AdministratorAccess policy in any partition (aws, aws-cn, aws-us-gov, ...).
ADMIN_POLICY_ARN = re.compile(r"arn:aws[\w-]*:iam::aws:policy/AdministratorAccess\b")
_ANY_ACTION = frozenset({"*", "*:*"})
_ANY_RESOURCE = frozenset({"*"})
_ADMIN_POLICY = "the `AdministratorAccess` managed policy"


@record
class AdminGrant:
    """Where a role gets administrator access, and how to say it."""

    origin: Origin
    field: str | None
    what: str


_JUDGED: dict[int, tuple[weakref.ref[Inventory], dict[int, tuple[Role, AdminGrant | Unresolved | None]]]] = {}


@inventory_rule(
    id="LS101",
    name="execution-role-admin-access",
    severity=Severity.CRITICAL,
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
    standards=Standards(owasp_serverless=("SAS-5",), security_hub=("IAM.1",), practice="least privilege"),
)
def execution_role_admin_access(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role has administrator access: an `Allow` statement for every
    action (`*`) on every resource (`*`), an `Allow` with `NotAction` or `NotResource` that still
    covers nearly everything, or the AWS managed `AdministratorAccess` policy.

    ## Why is this bad?
    Every invocation of the function runs with its execution role's credentials. If the handler
    is compromised (event injection, a vulnerable dependency, a leaked deployment package), the
    attacker gets those credentials from the environment and with them full control of the AWS
    account: reading every bucket and table, creating users and access keys, deleting resources,
    and disabling logging. Least privilege limits the damage of a compromised function to what
    it actually needs.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - AdministratorAccess
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
          - PolicyName: everything
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: "*"
                  Resource: "*"
    ```

    Use instead:

    ```yaml
    OrdersRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: orders-table
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]
                  Resource: !GetAtt OrdersTable.Arn
    ```

    ### Terraform
    ```hcl
    resource "aws_iam_role_policy_attachment" "orders_api" {
      role       = aws_iam_role.orders_api.name
      policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "orders_api" {
      statement {
        actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
        resources = [aws_dynamodb_table.orders.arn]
      }
    }

    resource "aws_iam_role_policy" "orders_api" {
      role   = aws_iam_role.orders_api.id
      policy = data.aws_iam_policy_document.orders_api.json
    }
    ```

    ### Serverless
    ```yaml
    provider:
      iam:
        role:
          managedPolicies:
            - arn:aws:iam::aws:policy/AdministratorAccess
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
    const ordersApi = new lambda.Function(this, "OrdersApi", { /* ... */ });
    ordersApi.role?.addManagedPolicy(
      iam.ManagedPolicy.fromAwsManagedPolicyName("AdministratorAccess"),
    );
    ```

    Use instead:

    ```ts
    const ordersApi = new lambda.Function(this, "OrdersApi", { /* ... */ });
    ordersTable.grantReadWriteData(ordersApi);
    ```

    ## Known problems
    Permissions boundaries, service control policies and `Deny` statements are not subtracted:
    when the role has a permissions boundary or any `Deny` statement, the finding is reported with
    medium confidence instead. Conditions on the granting statement are not considered. Roles,
    policies or statements that depend on unresolved values, and customer managed policies whose
    document is not in the scanned sources, are reported as not evaluated unless another statement
    already grants administrator access.

    ## References
    - AWS IAM User Guide: Security best practices, apply least-privilege permissions,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
    - AWS Lambda Developer Guide: Lambda execution role,
      https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    - CWE-269: Improper Privilege Management, https://cwe.mitre.org/data/definitions/269.html
    - CWE-250: Execution with Unnecessary Privileges, https://cwe.mitre.org/data/definitions/250.html
    """
    judged: dict[int, AdminGrant | Unresolved | None] = {}  # by the role object: one answer per role
    for fn in inv.functions:
        match inv.role_of(fn):
            case None:
                ctx.unevaluated(fn, reason="the function declares no execution role")
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"execution role: {reason}")
            case Role() as role:
                if id(role) not in judged:
                    judged[id(role)] = admin_grant(inv, role)
                match judged[id(role)]:
                    case AdminGrant() as grant:
                        yield _finding(ctx, fn, role, grant)
                    case Unresolved(reason=reason):
                        ctx.unevaluated(fn, reason=reason)
                    case None:
                        pass


def admin_grant(inv: Inventory, role: Role) -> AdminGrant | Unresolved | None:
    """The first place `role` gets administrator access; Unresolved when that cannot be ruled out.

    Judged once per role of an inventory: LS101, the identity rules deferring to it and the
    exposure rules naming it all ask.
    """
    judged = _judged(inv)
    found = judged.get(id(role))
    if found is None or found[0] is not role:
        found = judged[id(role)] = (role, _admin_grant(inv, role))
    return found[1]


def _judged(inv: Inventory) -> dict[int, tuple[Role, AdminGrant | Unresolved | None]]:
    """The answers of `admin_grant` for `inv`'s roles so far, by role identity (kept while `inv` lives)."""
    entry = _JUDGED.get(id(inv))
    if entry is None or entry[0]() is not inv:
        entry = _JUDGED[id(inv)] = (weakref.ref(inv), {})
        weakref.finalize(inv, _JUDGED.pop, id(inv), None)
    return entry[1]


def _admin_grant(inv: Inventory, role: Role) -> AdminGrant | Unresolved | None:
    unknown: list[str] = []
    for policy in role.policies:
        label = f"policy `{policy.name if isinstance(policy.name, str) else policy.origin.resource}`"
        if policy.arn is not None and is_admin_policy_arn(policy.arn):
            return AdminGrant(origin=policy.origin, field=None, what=_ADMIN_POLICY)
        match policy.document:
            case PolicyDocument() as document:
                found = _document_grant(document, label=label, unknown=unknown)
                if found is not None:
                    return found
            case Unresolved(reason=reason) if policy.kind is not PolicyKind.AWS_MANAGED:
                unknown.append(f"{label}: {reason}")
    covered = {policy.arn for policy in role.policies if isinstance(policy.arn, str)}
    for index, arn in enumerate(role.managed_policy_arns):
        if is_admin_policy_arn(arn):
            return AdminGrant(origin=role.origin, field=f"managed_policy_arns.{index}", what=_ADMIN_POLICY)
        match arn:
            case Unresolved(reason=reason):
                unknown.append(f"managed policy ARN: {reason}")
            case str() if arn not in covered and ":iam::aws:policy/" not in arn:
                declared = _declared_policy(inv, arn)
                if declared is None or isinstance(declared.document, Unresolved):
                    unknown.append(f"managed policy `{arn}` is not in the scanned sources")
                    continue
                found = _document_grant(declared.document, label=f"policy `{arn}`", unknown=unknown)
                if found is not None:
                    return found
    return Unresolved("; ".join(unknown)) if unknown else None


def is_admin_policy_arn(arn: str | Unresolved) -> bool:
    """True for the AdministratorAccess ARN, also when only the partition is unresolved (`!Sub`)."""
    text = arn if isinstance(arn, str) else arn.reason.replace("${AWS::Partition}", "aws")
    return ADMIN_POLICY_ARN.search(text) is not None


def _document_grant(document: PolicyDocument, *, label: str, unknown: list[str]) -> AdminGrant | None:
    for statement in document.statements:
        verdict = statement_is_admin(statement)
        if verdict is True:
            return AdminGrant(origin=statement.origin, field=None, what=f"{_describe(statement)} in {label}")
        if verdict is None:
            unknown.append(f"{label} has a statement with unresolved values")
    return None


def statement_is_admin(statement: Statement) -> bool | None:
    """True when an Allow statement covers every action on every resource; None when values are unknown."""
    if isinstance(statement.effect, Unresolved):
        return None
    if statement.effect is not Effect.ALLOW:
        return False
    actions = _covers_all(statement.actions, statement.not_actions, _ANY_ACTION)
    if actions is False:
        return False  # the common answer: the resources need no look
    resources = _covers_all(statement.resources, statement.not_resources, _ANY_RESOURCE)
    if resources is False:
        return False
    if actions is None or resources is None:
        return None
    return True


def _covers_all(
    listed: tuple[str | Unresolved, ...] | Unresolved | None,
    negated: tuple[str | Unresolved, ...] | Unresolved | None,
    wildcards: frozenset[str],
) -> bool | None:
    """Whether an element (Action/Resource) with its Not- form covers everything; None when unknown.

    A `NotAction`/`NotResource` in an Allow grants everything except the listed items, which is
    treated as covering everything.
    """
    if negated is not None:
        return True
    if listed is None:
        return False
    if isinstance(listed, Unresolved):
        return None
    unknown = False
    for item in listed:  # one pass, not two generators: every statement of every role comes here
        if isinstance(item, str):
            if item.strip() in wildcards:
                return True
        elif isinstance(item, Unresolved):
            unknown = True
    return None if unknown else False


def _describe(statement: Statement) -> str:
    actions = "`*`" if statement.not_actions is None else "every action but its `NotAction` list"
    resources = "`*`" if statement.not_resources is None else "every resource but its `NotResource` list"
    sid = f" (statement `{statement.sid}`)" if statement.sid else ""
    return f"{actions} on {resources}{sid}"


def _declared_policy(inv: Inventory, ref: str) -> ManagedPolicy | None:
    for policy in inv.managed_policies:
        if ref in (policy.key, policy.arn, policy.name):
            return policy
    return None


def _has_mitigation(role: Role) -> bool:
    if role.permissions_boundary is not None:
        return True
    return any(
        statement.effect is Effect.DENY
        for policy in role.policies
        if isinstance(policy.document, PolicyDocument)
        for statement in policy.document.statements
    )


def _finding(ctx: RuleContext, fn: LambdaFunction, role: Role, grant: AdminGrant) -> Finding:
    role_name = role_label(role)
    return ctx.finding(
        fn,
        origin=grant.origin,
        field=grant.field,
        confidence=Confidence.MEDIUM if _has_mitigation(role) else None,
        message=(
            f"Execution role `{role_name}` of `{fn.display_name}` has administrator access "
            f"through {grant.what}"
        ),
    )
