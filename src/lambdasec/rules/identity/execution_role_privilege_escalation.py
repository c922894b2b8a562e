"""LS104 execution-role-privilege-escalation: execution roles meeting a published escalation method."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.iam import EffectivePermissions, Grant
from lambdasec.model import Inventory, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._iam import (
    confidence_of,
    describe_grant,
    escalation_paths,
    lowest,
    resources_of,
    ticks,
)
from lambdasec.rules.identity._judge import Found, judge_functions

# Methods named in a message; the rest are counted.
_SHOWN = 3


@inventory_rule(
    id="LS104",
    name="execution-role-privilege-escalation",
    severity=Severity.CRITICAL,
    category=Category.IDENTITY,
    cwe=("CWE-269",),
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
def execution_role_privilege_escalation(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role allows every action of a published privilege escalation
    method (Rhino Security Labs' methods and pathfinding.cloud's paths, kept as data in
    `data/iam_overrides.json`): `iam:PassRole` with `lambda:CreateFunction` and
    `lambda:InvokeFunction` or `lambda:UpdateFunctionConfiguration`, `iam:CreatePolicyVersion`,
    `iam:AttachRolePolicy`, `iam:PutRolePolicy`, `iam:CreateAccessKey`, `sts:AssumeRole` on `*`,
    `lambda:UpdateFunctionCode` on any function, and more. The finding names the methods and
    points at the statement allowing the first action of the first method.

    ## Why is this bad?
    With these actions a compromised function does not stop at its own permissions: it can
    attach an administrator policy to its own role, write a new default version of a policy,
    create access keys for a more privileged user, or create a function that runs with a more
    privileged role it passes. The blast radius becomes the whole account.

    ## Example
    ### SAM
    ```yaml
    Deployer:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
                Resource: "*"
    ```

    Use instead:

    ```yaml
    Deployer:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: !GetAtt Worker.Arn
    ```

    ### CloudFormation
    ```yaml
    DeployerRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: deploy
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: iam:AttachRolePolicy
                  Resource: "*"
    ```

    Use instead:

    ```yaml
    DeployerRole:
      Type: AWS::IAM::Role
      Properties:
        ManagedPolicyArns:
          - !Ref DeployerPolicy
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "deployer" {
      statement {
        actions   = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
        resources = ["*"]
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "deployer" {
      statement {
        actions   = ["lambda:InvokeFunction"]
        resources = [aws_lambda_function.worker.arn]
      }
    }
    ```

    ### Serverless
    ```yaml
    functions:
      deployer:
        handler: app.handler
        iamRoleStatements:          # serverless-iam-roles-per-function
          - Effect: Allow
            Action: iam:AttachRolePolicy
            Resource: "*"
    ```

    Use instead:

    ```yaml
    functions:
      deployer:
        handler: app.handler
        iamRoleStatements:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: !GetAtt WorkerLambdaFunction.Arn
    ```

    ### CDK
    ```ts
    deployer.addToRolePolicy(new iam.PolicyStatement({
      actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
      resources: ["*"],
    }));
    ```

    Use instead:

    ```ts
    worker.grantInvoke(deployer);
    ```

    ## Known problems
    Roles with administrator access are reported by LS101 only. A method counts when each of its
    actions is allowed on at least one resource, except `sts:AssumeRole` and
    `lambda:UpdateFunction*`, which count only on every resource of their type (assuming one named
    role, or updating a function named in the policy, is usually the intended design, although it
    is an escalation when that role or function is more privileged). Methods allowed only under a
    condition have medium confidence, and those a policy outside the scanned sources could deny
    have low confidence. Service control policies and the target resources' own policies are not
    considered.

    ## References
    - Rhino Security Labs: AWS IAM privilege escalation methods and mitigation,
      https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    - pathfinding.cloud: AWS IAM privilege escalation paths, https://pathfinding.cloud/
    - AWS IAM User Guide: Security best practices, apply least-privilege permissions,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
    - CWE-269: Improper Privilege Management, https://cwe.mitre.org/data/definitions/269.html
    """
    yield from judge_functions(inv, ctx, select=select_privilege_escalation, render=_render)


def select_privilege_escalation(perms: EffectivePermissions) -> Found | None:
    """The escalation methods the role meets: one item per action of each method, grouped by method."""
    paths = [p for p in escalation_paths(perms) if all(d.allowed_by for d in p.decisions)]
    if not paths:
        return None
    items = tuple((d.allowed_by[0], (d.action,)) for p in paths for d in p.decisions)
    return Found(
        items=items,
        groups=tuple((p.method.title, len(p.decisions)) for p in paths),
        confidence=lowest(c for p in paths for d in p.decisions if (c := confidence_of(d)) is not None),
    )


def _render(name: str, found: Found) -> Callable[[str], str]:
    methods: list[str] = []
    start = 0
    for title, count in found.groups:
        by_grant: dict[int, tuple[Grant, list[str]]] = {}
        for grant, (action, *_) in found.items[start : start + count]:
            by_grant.setdefault(id(grant), (grant, []))[1].append(action)
        actions = "; ".join(
            f"{ticks(names)} on {resources_of(grant)} in {describe_grant(grant)}"
            for grant, names in by_grant.values()
        )
        methods.append(f"{title[0].lower()}{title[1:]} ({actions})")
        start += count
    text = "; ".join(methods[:_SHOWN])
    if len(methods) > _SHOWN:
        text += f"; and {len(methods) - _SHOWN} more methods"
    return lambda fn: (
        f"Execution role `{name}` of `{fn}` can escalate its privileges: {text}, "
        "so a compromised function can take over more of the account"
    )
