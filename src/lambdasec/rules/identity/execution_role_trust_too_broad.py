"""LS110 execution-role-trust-too-broad: execution roles that principals other than Lambda may assume."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from lambdasec.findings import Category, Confidence, Finding, Severity, Standards
from lambdasec.model import (
    Condition,
    Effect,
    Inventory,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Role,
    SourceKind,
    Statement,
    Unresolved,
)
from lambdasec.records import record
from lambdasec.rules._accounts import account_of, arn_account, is_own_account_reference
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._iam import role_label

# The services whose trust an execution role needs: Lambda, and Lambda@Edge (which runs the function's
# replicas in CloudFront's Regions as `edgelambda.amazonaws.com`).
LAMBDA_SERVICES = frozenset({"lambda.amazonaws.com", "edgelambda.amazonaws.com"})
ASSUME_ACTIONS = ("sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity")
# Condition keys that, compared with a concrete value, limit a `*` principal to one account or organization.
RESTRICTING_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
    }
)
_POSITIVE_OPERATORS = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
)
_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


@record
class Trusted:
    """One principal, other than Lambda, that a trust statement lets assume the role."""

    who: str
    severity: Severity


_OWN_ACCOUNT = Trusted(who="IAM principals of its own account", severity=Severity.MEDIUM)


@inventory_rule(
    id="LS110",
    name="execution-role-trust-too-broad",
    severity=Severity.HIGH,
    category=Category.IDENTITY,
    cwe=("CWE-269", "CWE-284"),
    scope=Scope.ROLES,
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
def execution_role_trust_too_broad(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags execution roles whose trust policy (`AssumeRolePolicyDocument`) lets principals other
    than the Lambda service assume them: everyone (`*`, or `NotPrincipal`), another AWS account,
    IAM principals of the role's own account, another service, or users of an identity provider.
    A `*` principal narrowed by a condition on the caller's account or organization
    (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`, ...) is reported with medium
    severity; without such a condition, or with one that does not narrow (`StringLike: "*"`, an
    `...IfExists` operator, `sts:ExternalId`), it is critical. The finding is anchored at the trust
    statement and names the functions using the role.

    ## Why is this bad?
    Whoever can assume the execution role gets every permission of the function without going
    through the function: reading its tables and secrets, writing its queues and buckets. A
    trust to `*` lets any AWS principal in any account do so; a trust to another account hands
    the role to whoever administers that account; a trust to another service makes resources of
    that service (a state machine, a pipeline) carry the function's permissions, and to the own
    account lets any user or role there with `sts:AssumeRole` escalate to them. An execution role
    only ever needs `lambda.amazonaws.com`, plus `edgelambda.amazonaws.com` for a Lambda@Edge
    function, which CloudFront requires in its trust policy.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        AssumeRolePolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                Service: lambda.amazonaws.com
                AWS: arn:aws:iam::444455556666:root
              Action: sts:AssumeRole
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        AssumeRolePolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                Service: lambda.amazonaws.com
              Action: sts:AssumeRole
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
              Principal: "*"
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
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "orders_api_trust" {
      statement {
        actions = ["sts:AssumeRole"]
        principals {
          type        = "AWS"
          identifiers = ["arn:aws:iam::444455556666:root"]
        }
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "orders_api_trust" {
      statement {
        actions = ["sts:AssumeRole"]
        principals {
          type        = "Service"
          identifiers = ["lambda.amazonaws.com"]
        }
      }
    }
    ```

    ### Serverless
    ```yaml
    resources:
      Resources:
        OrdersRole:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Principal: "*"
                  Action: sts:AssumeRole
    ```

    Use instead:

    ```yaml
    resources:
      Resources:
        OrdersRole:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Principal: {Service: lambda.amazonaws.com}
                  Action: sts:AssumeRole
    ```

    ### CDK
    ```ts
    const role = new iam.Role(this, "OrdersApiRole", {
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal("lambda.amazonaws.com"),
        new iam.AccountPrincipal("444455556666"),
      ),
    });
    ```

    Use instead:

    ```ts
    const role = new iam.Role(this, "OrdersApiRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    });
    ```

    ## Known problems
    A trust to the Lambda service without an `aws:SourceAccount`/`aws:SourceArn` condition is not
    reported: Lambda only assumes a role for a function whose creator could pass it
    (`iam:PassRole` in the role's account), so the confused-deputy risk such guards address for
    other services does not arise, and flagging it would mark every SAM function. `Deny`
    statements in the trust policy are not subtracted; when there is one, findings have medium
    confidence. The role's own account is rarely known in a template: a principal built from
    `AWS::AccountId` alone counts as the own account, a literal account id as another account.
    In a Terraform plan the role's account is known when the plan reads `data.aws_caller_identity`
    with the role's provider configuration, or has the planned ARN of a role, function, queue... that
    provider configuration already manages: then a literal id of that account counts as the own
    account too (for a role named only at apply, through `name_prefix`, when the caller identity is
    read). Only roles used by a function in the scanned sources are checked. Trust statements with
    values from parameters are reported as not evaluated. `edgelambda.amazonaws.com` is accepted for
    every function, not only those a CloudFront distribution associates: a function cannot be used
    at the edge without it, and the service only assumes the role to run the function's replicas.

    ## References
    - AWS Lambda Developer Guide: Lambda execution role,
      https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    - Amazon CloudFront Developer Guide: Set up IAM permissions and roles for Lambda@Edge (function
      execution role for service principals),
      https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html
    - AWS IAM User Guide: IAM JSON policy elements, Principal (role trust policies),
      https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
    - AWS IAM User Guide: AWS global condition context keys,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    - CWE-269: Improper Privilege Management, https://cwe.mitre.org/data/definitions/269.html
    - CWE-284: Improper Access Control, https://cwe.mitre.org/data/definitions/284.html
    """
    for role in inv.roles:
        functions = inv.functions_using(role)
        if not functions:
            continue
        match role.trust_policy:
            case None:
                ctx.unevaluated(role, reason="the role has no trust policy in the scanned sources")
            case Unresolved(reason=reason):
                ctx.unevaluated(role, reason=f"trust policy: {reason}")
            case PolicyDocument() as document:
                users = ", ".join(f"`{fn.display_name}`" for fn in functions)
                has_deny = any(s.effect is Effect.DENY for s in document.statements)
                for statement in document.statements:
                    match trusted_principals(statement, own_account=arn_account(role.arn)):
                        case Unresolved(reason=reason):
                            ctx.unevaluated(role, reason=f"trust statement: {reason}")
                        case [*grants] if grants:
                            yield _finding(
                                ctx,
                                role,
                                statement,
                                grants,
                                users=users,
                                function=functions[0].display_name if len(functions) == 1 else None,
                                has_deny=has_deny,
                            )


def trusted_principals(statement: Statement, *, own_account: str | None) -> list[Trusted] | Unresolved:
    """The principals besides Lambda that an Allow statement lets assume the role; Unresolved when unknown."""
    if isinstance(statement.effect, Unresolved):
        return statement.effect
    if statement.effect is not Effect.ALLOW:
        return []
    assumes = _allows_assume(statement)
    if not isinstance(assumes, bool):
        return assumes
    if not assumes:
        return []
    conditions = statement.conditions
    if isinstance(conditions, Unresolved):
        return conditions
    restricted = sorted({c.key.strip() for c in conditions if _restricts(c)})
    if statement.not_principals is not None:
        return [_anyone(restricted, "every principal outside its `NotPrincipal` list")]
    match statement.principals:
        case None:
            return []
        case Unresolved() as unknown if is_own_account_reference(unknown):
            return [_OWN_ACCOUNT]  # the source hands a single unresolved principal value over whole
        case Unresolved() as unknown:
            return unknown
        case principals:
            out: list[Trusted] = []
            for principal in principals:
                found = _describe(principal, restricted=restricted, own_account=own_account)
                if isinstance(found, Unresolved):
                    return found
                out.extend(found)
            return out


def _allows_assume(statement: Statement) -> bool | Unresolved:
    if statement.not_actions is not None:
        if isinstance(statement.not_actions, Unresolved):
            return statement.not_actions
        excluded = [a.strip().lower() for a in statement.not_actions if isinstance(a, str)]
        return not any(fnmatchcase(action, pattern) for action in ASSUME_ACTIONS for pattern in excluded)
    if statement.actions is None:
        return False
    if isinstance(statement.actions, Unresolved):
        return statement.actions
    patterns = [a.strip().lower() for a in statement.actions if isinstance(a, str)]
    if any(fnmatchcase(action, pattern) for action in ASSUME_ACTIONS for pattern in patterns):
        return True
    unknown = [a for a in statement.actions if isinstance(a, Unresolved)]
    return unknown[0] if unknown else False


def _restricts(condition: Condition) -> bool:
    """True when the condition pins the caller to concrete accounts, organizations, ARNs or sources."""
    operator = condition.operator.strip().lower()
    qualifier, _, base = operator.rpartition(":")
    if qualifier == "forallvalues" or base not in _POSITIVE_OPERATORS:
        return False  # ForAllValues holds when the key is absent; negated, Null and ...IfExists do not narrow
    if condition.key.strip().lower() not in RESTRICTING_KEYS or not condition.values:
        return False
    return all(not isinstance(v, str) or v.strip().strip("*") != "" for v in condition.values)


def _anyone(restricted: list[str], who: str) -> Trusted:
    if restricted:
        keys = ", ".join(f"`{key}`" for key in restricted)
        return Trusted(who=f"{who} meeting its {keys} condition", severity=Severity.MEDIUM)
    return Trusted(who=who, severity=Severity.CRITICAL)


def _describe(
    principal: Principal, *, restricted: list[str], own_account: str | None
) -> list[Trusted] | Unresolved:
    if principal.is_public:
        return [_anyone(restricted, "any AWS principal (`*`)")]
    out: list[Trusted] = []
    for value in principal.values:
        if isinstance(value, Unresolved):
            if principal.kind is PrincipalKind.AWS and is_own_account_reference(value):
                out.append(_OWN_ACCOUNT)
                continue
            return value
        text = value.strip()
        match principal.kind:
            case PrincipalKind.SERVICE if text.lower() in LAMBDA_SERVICES:
                continue
            case PrincipalKind.SERVICE:
                out.append(Trusted(who=f"the service `{text}`", severity=Severity.MEDIUM))
            case PrincipalKind.AWS:
                account = account_of(text)
                if account is not None and account == own_account:
                    out.append(Trusted(who=f"`{text}` of its own account", severity=Severity.MEDIUM))
                else:
                    label = f"AWS account `{text}`" if text == account else f"`{text}`"
                    out.append(Trusted(who=label, severity=Severity.HIGH))
            case PrincipalKind.FEDERATED:
                out.append(Trusted(who=f"users of identity provider `{text}`", severity=Severity.HIGH))
            case _:
                out.append(Trusted(who=f"`{text}`", severity=Severity.HIGH))
    return out


def _finding(
    ctx: RuleContext,
    role: Role,
    statement: Statement,
    grants: list[Trusted],
    *,
    users: str,
    function: str | None,
    has_deny: bool,
) -> Finding:
    role_name = role_label(role)
    who = ", ".join(g.who for g in grants)
    severity = max((g.severity for g in grants), key=_RANK.__getitem__)
    field = "not_principals" if statement.not_principals is not None else "principals"
    return ctx.finding(
        role,
        origin=statement.origin,
        field=field,
        function=function,
        severity=severity,
        confidence=Confidence.MEDIUM if has_deny else None,
        message=(
            f"Trust policy of execution role `{role_name}` (used by {users}) lets {who} assume it "
            "and act with the role's permissions"
        ),
    )
