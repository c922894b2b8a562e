"""LS601 code-signing-not-enforced: functions that deploy code without an enforced signature check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import (
    CodeSigningConfig,
    Inventory,
    PackageType,
    SourceKind,
    Unresolved,
    UntrustedArtifactPolicy,
)
from lambdasec.rules._api import RuleContext, Scope, inventory_rule


@inventory_rule(
    id="LS601",
    name="code-signing-not-enforced",
    severity=Severity.LOW,
    category=Category.SUPPLY_CHAIN,
    cwe=("CWE-494",),
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
    standards=Standards(owasp_serverless=("SAS-6", "SAS-9"), practice="code integrity"),
)
def code_signing_not_enforced(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `.zip` functions that have no code signing configuration (low severity), and functions whose
    code signing configuration only warns about untrusted code (`UntrustedArtifactOnDeployment: Warn`,
    medium severity).

    ## Why is this bad?
    Without code signing, Lambda deploys whatever package it is given: anyone who can call
    `lambda:UpdateFunctionCode` or write to the deployment bucket (a compromised CI job, a leaked
    developer key, a poisoned build step) can replace the function's code, and the function runs it
    with its execution role. A code signing configuration lets Lambda accept only packages signed by
    your AWS Signer profiles, but with the `Warn` policy Lambda still deploys unsigned or tampered
    packages and only writes a CloudWatch metric and a CloudTrail entry, which nobody tends to watch.

    ## Example
    ### SAM
    ```yaml
    SigningConfig:
      Type: AWS::Lambda::CodeSigningConfig
      Properties:
        AllowedPublishers:
          SigningProfileVersionArns: [!GetAtt SigningProfile.ProfileVersionArn]
        CodeSigningPolicies:
          UntrustedArtifactOnDeployment: Warn

    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        CodeSigningConfigArn: !Ref SigningConfig
    ```

    Use instead:

    ```yaml
    SigningConfig:
      Type: AWS::Lambda::CodeSigningConfig
      Properties:
        AllowedPublishers:
          SigningProfileVersionArns: [!GetAtt SigningProfile.ProfileVersionArn]
        CodeSigningPolicies:
          UntrustedArtifactOnDeployment: Enforce
    ```

    and sign the package when deploying (`sam deploy --signing-profiles OrdersApi=SigningProfile`).

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
        Code:
          S3Bucket: orders-artifacts
          S3Key: orders-api.zip
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
        CodeSigningConfigArn: !Ref SigningConfig   # with UntrustedArtifactOnDeployment: Enforce
        Code:
          S3Bucket: orders-artifacts
          S3Key: orders-signed/orders-api.zip      # written by an AWS Signer signing job
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_code_signing_config" "orders" {
      allowed_publishers {
        signing_profile_version_arns = [aws_signer_signing_profile.orders.version_arn]
      }
      policies {
        untrusted_artifact_on_deployment = "Warn"
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_code_signing_config" "orders" {
      allowed_publishers {
        signing_profile_version_arns = [aws_signer_signing_profile.orders.version_arn]
      }
      policies {
        untrusted_artifact_on_deployment = "Enforce"
      }
    }

    resource "aws_lambda_function" "orders_api" {
      code_signing_config_arn = aws_lambda_code_signing_config.orders.arn
    }
    ```

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
    ```

    Use instead:

    ```yaml
    functions:
      ordersApi:
        handler: app.handler

    resources:
      Resources:
        OrdersApiLambdaFunction:     # the framework's function resource, extended
          Properties:
            CodeSigningConfigArn: !Ref EnforcingSigningConfig
        EnforcingSigningConfig:
          Type: AWS::Lambda::CodeSigningConfig
          Properties:
            AllowedPublishers:
              SigningProfileVersionArns: [!GetAtt SigningProfile.ProfileVersionArn]
            CodeSigningPolicies:
              UntrustedArtifactOnDeployment: Enforce
    ```

    ### CDK
    ```ts
    const signingConfig = new lambda.CodeSigningConfig(this, "SigningConfig", {
      signingProfiles: [signingProfile],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.WARN,
    });
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromBucket(artifacts, "orders-api.zip"),
      codeSigningConfig: signingConfig,
    });
    ```

    Use instead:

    ```ts
    const signingConfig = new lambda.CodeSigningConfig(this, "SigningConfig", {
      signingProfiles: [signingProfile],
      untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment.ENFORCE,
    });
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromBucket(artifacts, "orders-signed/orders-api.zip"),   // signed by AWS Signer
      codeSigningConfig: signingConfig,
    });
    ```

    ## Known problems
    Most teams do not sign their packages, so a function without any configuration is only low
    severity; a profile may raise it. Container image functions are never reported: Lambda code
    signing does not apply to images (sign them with your registry's tooling instead). A
    configuration referenced by an ARN outside the scanned templates, or through a parameter, is
    reported as not evaluated. Whether the signing profiles listed are the right ones is not checked.

    ## References
    - AWS Lambda Developer Guide: Configuring code signing for Lambda,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html
    - AWS Signer Developer Guide: Signing code for AWS Lambda,
      https://docs.aws.amazon.com/signer/latest/developerguide/lambda-workflow.html
    - CWE-494: Download of Code Without Integrity Check, https://cwe.mitre.org/data/definitions/494.html
    """
    configs = _configs(inv)
    for fn in inv.functions:
        if isinstance(fn.package_type, Unresolved) and fn.code_signing_config is None:
            ctx.unevaluated(fn, reason=f"package type unknown: {fn.package_type.reason}")
            continue
        if fn.package_type is PackageType.IMAGE:
            continue
        match fn.code_signing_config:
            case None:
                yield ctx.finding(
                    fn,
                    field="code_signing_config",
                    message=(
                        f"`{fn.display_name}` has no code signing configuration, so Lambda deploys any "
                        "code package without checking who signed it"
                    ),
                )
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"code signing configuration unknown: {reason}")
            case str() as ref:
                config = configs.get(ref)
                if config is None:
                    ctx.unevaluated(
                        fn, reason=f"code signing configuration `{ref}` is not defined in the scanned sources"
                    )
                    continue
                name = config.origin.resource
                match config.untrusted_artifact_on_deployment:
                    case UntrustedArtifactPolicy.WARN:
                        yield ctx.finding(
                            config,
                            field="untrusted_artifact_on_deployment",
                            function=fn.display_name,
                            severity=Severity.MEDIUM,
                            message=(
                                f"Code signing configuration `{name}` of `{fn.display_name}` "
                                "only warns about untrusted code (`UntrustedArtifactOnDeployment: Warn`), "
                                "so unsigned or tampered packages still deploy"
                            ),
                        )
                    case Unresolved(reason=reason):
                        ctx.unevaluated(fn, reason=f"code signing policy unknown: {reason}")
                    case UntrustedArtifactPolicy.ENFORCE:
                        pass


def _configs(inv: Inventory) -> Mapping[str, CodeSigningConfig]:
    """Code signing configurations by inventory key and ARN."""
    found: dict[str, CodeSigningConfig] = {}
    for config in inv.code_signing_configs:
        for ref in (config.key, config.arn):
            if isinstance(ref, str):
                found.setdefault(ref, config)
    return found
