"""LS107 execution-role-resource-exposure: resource-policy changes allowed on every resource of their type."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.iam import RiskTag
from lambdasec.model import Inventory, SourceKind
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules.identity._judge import consequence_render, judge_functions, tagged_select

_SELECT = tagged_select(RiskTag.RESOURCE_EXPOSURE, leave_escalation=True)
_RENDER = consequence_render(
    "so a compromised function can open any such resource to other accounts or the public"
)


@inventory_rule(
    id="LS107",
    name="execution-role-resource-exposure",
    severity=Severity.HIGH,
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
def execution_role_resource_exposure(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose execution role may rewrite who can access resources, as tagged
    `resource-exposure` in the risk table (`data/iam_overrides.json`), on `*` or on every resource
    of their type: `s3:PutBucketPolicy`, `s3:PutBucketAcl`, `s3:PutBucketPublicAccessBlock`,
    `lambda:AddPermission`, `lambda:CreateFunctionUrlConfig`, `sqs:SetQueueAttributes`,
    `sns:SetTopicAttributes`, `kms:PutKeyPolicy`, `secretsmanager:PutResourcePolicy`,
    `ecr:SetRepositoryPolicy`, ... The finding points at the first allowing statement and lists
    the actions with their resources.

    ## Why is this bad?
    A resource policy decides who outside the role can use a resource. A compromised function
    allowed to rewrite them on every bucket, queue, key or function can grant itself, another
    account or everyone access, which persists after the function's credentials expire.

    ## Example
    ### SAM
    ```yaml
    Publisher:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:PutBucketPolicy, lambda:AddPermission]
                Resource: "*"
    ```

    Use instead:

    ```yaml
    Publisher:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - S3WritePolicy:
              BucketName: !Ref ExportsBucket
    ```

    ### CloudFormation
    ```yaml
    PublisherRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: publish
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: sqs:SetQueueAttributes
                  Resource: "*"
    ```

    Use instead:

    ```yaml
    PublisherRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: publish
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: sqs:SendMessage
                  Resource: !GetAtt ExportsQueue.Arn
    ```

    ### Terraform
    ```hcl
    data "aws_iam_policy_document" "publisher" {
      statement {
        actions   = ["s3:PutBucketPolicy", "lambda:AddPermission"]
        resources = ["*"]
      }
    }
    ```

    Use instead:

    ```hcl
    data "aws_iam_policy_document" "publisher" {
      statement {
        actions   = ["s3:PutObject"]
        resources = ["${aws_s3_bucket.exports.arn}/*"]
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
              Action: [s3:PutBucketPolicy, lambda:AddPermission]
              Resource: "*"
    ```

    Use instead:

    ```yaml
    provider:
      iam:
        role:
          statements:
            - Effect: Allow
              Action: s3:PutObject
              Resource: arn:aws:s3:::orders-exports/*
    ```

    ### CDK
    ```ts
    publisher.addToRolePolicy(new iam.PolicyStatement({
      actions: ["s3:PutBucketPolicy", "lambda:AddPermission"],
      resources: ["*"],
    }));
    ```

    Use instead:

    ```ts
    exportsBucket.grantPut(publisher);
    ```

    ## Known problems
    Roles with administrator access (LS101), actions allowed only through a service-wide wildcard
    (LS102) and actions of a privilege escalation path (LS104: `iam:UpdateAssumeRolePolicy`) are
    left to those rules. Grants on specific resources are not reported, even though a function
    rewriting its own bucket's policy can still expose that bucket. Actions allowed only under a
    condition have medium confidence, and those a policy outside the scanned sources could deny
    have low confidence.
    Statements of the AWS managed policies made for execution roles (`AWSLambdaSQSQueueExecutionRole`,
    `AWSLambdaKinesisExecutionRole`, ..., which SAM attaches for event sources) are not reported:
    their `*` is AWS's design for the event source poller.

    ## References
    - AWS IAM User Guide: Security best practices, apply least-privilege permissions,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
    - AWS IAM User Guide: Identity-based policies and resource-based policies,
      https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html
    - CWE-732: Incorrect Permission Assignment for Critical Resource,
      https://cwe.mitre.org/data/definitions/732.html
    """
    yield from judge_functions(inv, ctx, select=_SELECT, render=_RENDER)
