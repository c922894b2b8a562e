"""LS105 execution-role-data-exfiltration: data-reading actions allowed on every resource of their type."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.iam import RiskTag
from lambdasec.model import Inventory, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._judge import consequence_render, judge_functions, tagged_select

_SELECT = tagged_select(
    RiskTag.DATA_EXFILTRATION,
    leave_escalation=True,
    leave_tags=frozenset({RiskTag.RESOURCE_EXPOSURE}),
)
_RENDER = consequence_render(
    "so a compromised function can read the data of every such resource in the account"
)


@inventory_rule(
    id="LS105",
    name="execution-role-data-exfiltration",
    severity=Severity.HIGH,
    category=Category.IDENTITY,
    cwe=("CWE-269", "CWE-200"),
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
def execution_role_data_exfiltration(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role allows actions that read data in bulk, as tagged
    `data-exfiltration` in the risk table (`data/iam_overrides.json`): `s3:GetObject`,
    `secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`, `dynamodb:Scan`,
    `sqs:ReceiveMessage`, `kinesis:GetRecords`, ... on `*` or on every resource of their type
    (`arn:aws:s3:::*/*`). The finding points at the first allowing statement and lists the
    actions with their resources.

    ## Why is this bad?
    Granted on one bucket, table or secret, these actions read what the function needs. Granted on
    all of them, a compromised function can read every object, secret, parameter and table of the
    account and decrypt whatever the account's KMS keys protect, then send it out.

    ## Example
    ### SAM
    ```yaml
    ReportJob:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, secretsmanager:GetSecretValue]
                Resource: "*"
    ```

    Use instead:

    ```yaml
    ReportJob:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - S3ReadPolicy:
              BucketName: !Ref ReportsBucket
          - AWSSecretsManagerGetSecretValuePolicy:
              SecretArn: !Ref ReportsSecret
    ```

    ### CloudFormation
    ```yaml
    ReportRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: read
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [s3:GetObject, kms:Decrypt]
                  Resource: "*"
    ```

    Use instead:

    ```yaml
    ReportRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: read
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: s3:GetObject
                  Resource: !Sub "${ReportsBucket.Arn}/*"
                - Effect: Allow
                  Action: kms:Decrypt
                  Resource: !GetAtt ReportsKey.Arn
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "report_job" {
      statement {
        actions   = ["s3:GetObject", "secretsmanager:GetSecretValue"]
        resources = ["*"]
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "report_job" {
      statement {
        actions   = ["s3:GetObject"]
        resources = ["${aws_s3_bucket.reports.arn}/*"]
      }
      statement {
        actions   = ["secretsmanager:GetSecretValue"]
        resources = [aws_secretsmanager_secret.reports.arn]
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
              Action: [s3:GetObject, secretsmanager:GetSecretValue]
              Resource: "*"
    ```

    Use instead:

    ```yaml
    provider:
      iam:
        role:
          statements:
            - Effect: Allow
              Action: s3:GetObject
              Resource: arn:aws:s3:::orders-reports/*
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: !Ref ReportsSecret
    ```

    ### CDK
    ```ts
    reportJob.addToRolePolicy(new iam.PolicyStatement({
      actions: ["s3:GetObject", "secretsmanager:GetSecretValue"],
      resources: ["*"],
    }));
    ```

    Use instead:

    ```ts
    reportsBucket.grantRead(reportJob);
    reportsSecret.grantRead(reportJob);
    ```

    ## Known problems
    Roles with administrator access (LS101), actions allowed only through a service-wide wildcard
    such as `s3:*` (LS102), actions of a privilege escalation path (LS104) and actions also tagged
    `resource-exposure` (`rds:ModifyDBSnapshotAttribute`, LS107) are left to those rules. Grants
    on specific resources are not reported, even when a `!Sub` variable could make them wide.
    Actions allowed only under a condition have medium confidence, and those a policy outside the
    scanned sources could deny have low confidence. Key policies and bucket policies of the target
    resources are not considered.
    Statements of the AWS managed policies made for execution roles (`AWSLambdaSQSQueueExecutionRole`,
    `AWSLambdaKinesisExecutionRole`, ..., which SAM attaches for event sources) are not reported:
    their `*` is AWS's design for the event source poller.

    ## References
    - AWS IAM User Guide: Security best practices, apply least-privilege permissions,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
    - AWS Lambda Developer Guide: Lambda execution role,
      https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor,
      https://cwe.mitre.org/data/definitions/200.html
    """
    yield from judge_functions(inv, ctx, select=_SELECT, render=_RENDER)
