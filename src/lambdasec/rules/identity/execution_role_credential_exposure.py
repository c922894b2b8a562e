"""LS106 execution-role-credential-exposure: actions that hand out credentials, allowed on every resource."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.iam import RiskTag
from lambdasec.model import Inventory, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._judge import consequence_render, judge_functions, tagged_select

_SELECT = tagged_select(
    RiskTag.CREDENTIAL_EXPOSURE,
    leave_escalation=True,
    leave_tags=frozenset({RiskTag.DATA_EXFILTRATION, RiskTag.RESOURCE_EXPOSURE}),
)
_RENDER = consequence_render("so a compromised function can obtain credentials or secrets beyond its own")


@inventory_rule(
    id="LS106",
    name="execution-role-credential-exposure",
    severity=Severity.HIGH,
    category=Category.IDENTITY,
    cwe=("CWE-269", "CWE-522"),
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
    standards=Standards(owasp_serverless=("SAS-3", "SAS-5"), practice="least privilege"),
)
def execution_role_credential_exposure(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role allows actions that the risk table
    (`data/iam_overrides.json`) tags as `credential-exposure`, on `*` or on every resource of their
    type: `lambda:GetFunctionConfiguration` (other functions' environment variables),
    `ecr:GetAuthorizationToken`, `codeartifact:GetAuthorizationToken`,
    `redshift:GetClusterCredentials`, `sts:GetFederationToken`, `ec2:GetPasswordData`,
    `glue:GetConnection`, ... The finding points at the first allowing statement and lists the
    actions with their resources.

    ## Why is this bad?
    These actions return credentials: passwords, tokens, temporary keys, or environment variables
    that often hold secrets. A compromised function that can call them on every resource collects
    credentials that outlive the function's session and reach systems its role cannot.

    ## Example
    ### SAM
    ```yaml
    Inspector:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: lambda:GetFunctionConfiguration
                Resource: "*"
    ```

    Use instead:

    ```yaml
    Inspector:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: lambda:GetFunctionConfiguration
                Resource: !GetAtt Worker.Arn
    ```

    ### CloudFormation
    ```yaml
    InspectorRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: inspect
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: redshift:GetClusterCredentials
                  Resource: "*"
    ```

    Use instead:

    ```yaml
    InspectorRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: inspect
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: redshift:GetClusterCredentials
                  Resource: !Sub "arn:${AWS::Partition}:redshift:*:${AWS::AccountId}:dbuser:reports/reader"
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "inspector" {
      statement {
        actions   = ["lambda:GetFunctionConfiguration"]
        resources = ["*"]
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "inspector" {
      statement {
        actions   = ["lambda:GetFunctionConfiguration"]
        resources = [aws_lambda_function.worker.arn]
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
              Action: lambda:GetFunctionConfiguration
              Resource: "*"
    ```

    Use instead:

    ```yaml
    provider:
      iam:
        role:
          statements:
            - Effect: Allow
              Action: lambda:GetFunctionConfiguration
              Resource: !GetAtt WorkerLambdaFunction.Arn
    ```

    ### CDK
    ```ts
    inspector.addToRolePolicy(new iam.PolicyStatement({
      actions: ["lambda:GetFunctionConfiguration"],
      resources: ["*"],
    }));
    ```

    Use instead:

    ```ts
    inspector.addToRolePolicy(new iam.PolicyStatement({
      actions: ["lambda:GetFunctionConfiguration"],
      resources: [worker.functionArn],
    }));
    ```

    ## Known problems
    Roles with administrator access (LS101), actions allowed only through a service-wide wildcard
    (LS102) and actions of a privilege escalation path (LS104: `iam:CreateAccessKey`,
    `sts:AssumeRole` on `*`) are left to those rules, and so are actions also tagged
    `data-exfiltration` (`secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `lambda:GetFunction`:
    LS105) or `resource-exposure` (LS107), so that each action is reported once.
    Grants on specific resources are not reported. Actions allowed only under a condition have
    medium confidence, and those a policy outside the scanned sources could deny have low confidence.
    Statements of the AWS managed policies made for execution roles (`AWSLambdaSQSQueueExecutionRole`,
    `AWSLambdaKinesisExecutionRole`, ..., which SAM attaches for event sources) are not reported:
    their `*` is AWS's design for the event source poller.

    ## References
    - AWS IAM User Guide: Security best practices, apply least-privilege permissions,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
    - AWS Lambda Developer Guide: Securing environment variables,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
    - CWE-522: Insufficiently Protected Credentials, https://cwe.mitre.org/data/definitions/522.html
    """
    yield from judge_functions(inv, ctx, select=_SELECT, render=_RENDER)
